package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

import org.junit.jupiter.api.Test;

class QueueRolloutTest {

    @Test
    void expectedScheduleFinishesTheCurrentIntervalThenAlternates() {
        double[] g = new double[60];
        QueueRollout.expectedSchedule(true, 4, 10, 20, 60, g, 0);
        for (int k = 0; k < 60; k++) {
            double expected = k < 6 || (k >= 26 && k < 36) || k >= 56 ? 1 : 0;
            assertThat(g[k]).as("second %d", k).isEqualTo(expected);
        }
        // Green has outlasted its typical 10 s: it is expected to end within the next second.
        QueueRollout.expectedSchedule(true, 12, 10, 20, 60, g, 0);
        assertThat(g[0]).isEqualTo(1);
        assertThat(g[1]).isEqualTo(0);
        assertThat(g[21]).isEqualTo(1);
        // Fractional boundaries give fractional shares.
        QueueRollout.expectedSchedule(false, 0.5, 2, 1.5, 4, g, 0);
        assertThat(g[0]).isEqualTo(0);
        assertThat(g[1]).isCloseTo(1, within(1e-12));
        assertThat(g[2]).isCloseTo(1, within(1e-12));
        assertThat(g[3]).isCloseTo(0, within(1e-12));
    }

    @Test
    void rollBuildsOnRedAndDischargesAtSaturationOnGreen() {
        double[] arrivals = new double[60];
        java.util.Arrays.fill(arrivals, 0.2);
        double[] green = new double[60];
        for (int k = 10; k < 60; k++) {
            green[k] = 1;
        }
        double[] q = new double[61 + 5];
        QueueRollout.roll(4, arrivals, 0, green, 0, 60, 0.5, 100, q, 5);
        assertThat(q[5]).isEqualTo(4);
        assertThat(q[5 + 10]).isCloseTo(6, within(1e-9));
        assertThat(q[5 + 20]).isCloseTo(3, within(1e-9));
        assertThat(q[5 + 30]).isCloseTo(0, within(1e-9));
        assertThat(q[5 + 60]).isCloseTo(0, within(1e-9));
        // Capacity caps the queue.
        QueueRollout.roll(99.5, arrivals, 0, new double[60], 0, 60, 0.5, 100, q, 0);
        assertThat(q[60]).isEqualTo(100);
    }

    @Property(tries = 200)
    void queueStaysWithinZeroAndCapacityAndScheduleSharesWithinZeroAndOne(
            @ForAll @DoubleRange(min = 0, max = 80) double q0, @ForAll boolean greenNow,
            @ForAll @DoubleRange(min = 0, max = 200) double elapsedS,
            @ForAll @DoubleRange(min = 0, max = 120) double greenS, @ForAll @DoubleRange(min = 0, max = 120) double redS,
            @ForAll @DoubleRange(min = 0, max = 3) double rate) {
        double[] g = new double[60];
        QueueRollout.expectedSchedule(greenNow, elapsedS, greenS, redS, 60, g, 0);
        double[] a = new double[60];
        java.util.Arrays.fill(a, rate);
        double[] q = new double[61];
        QueueRollout.roll(q0, a, 0, g, 0, 60, 0.5, 50, q, 0);
        for (int k = 0; k < 60; k++) {
            assertThat(g[k]).isBetween(0.0, 1.0 + 1e-12);
            assertThat(q[k + 1]).isBetween(0.0, 50.0);
        }
        assertThat(g[0]).isCloseTo(greenNow ? 1.0 : 0.0, within(1e-9));
    }
}
