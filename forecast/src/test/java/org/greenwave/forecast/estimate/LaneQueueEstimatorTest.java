package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.greenwave.core.ingest.DetectorKind;
import org.junit.jupiter.api.Test;

/** Hand-made detector sequences with known answers; one tick per second. */
class LaneQueueEstimatorTest {
    private static final double FREE = 0.1;

    private static LaneQueueEstimator.Config config() {
        LaneQueueEstimator.Config c = new LaneQueueEstimator.Config();
        c.initialArrivalRateVehPerS = 0.25;
        return c;
    }

    @Test
    void redWithTenArrivalsThenGreenDischargesThem() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        est.update(0, 0, 0, false, 0);
        for (int t = 1; t <= 20; t++) {
            est.update(t, t % 2 == 0 ? 1 : 0, 0, false, FREE);
        }
        assertThat(est.queueVeh()).isCloseTo(10, within(1e-9));
        assertThat(est.queueM()).isCloseTo(75, within(1e-9));
        double peak = est.queueVeh();
        for (int t = 21; t <= 40; t++) {
            est.update(t, 0, t % 2 == 0 ? 1 : 0, true, 0);
            assertThat(est.queueVeh()).isLessThanOrEqualTo(peak);
            peak = est.queueVeh();
        }
        assertThat(est.queueVeh()).isCloseTo(0, within(1e-9));
        for (int t = 41; t <= 50; t++) {
            est.update(t, 0, 0, true, 0);
        }
        assertThat(est.queueVeh()).isCloseTo(0, within(1e-9));
        assertThat(est.spilledBack()).isFalse();
    }

    @Test
    void queueEmptyEvidenceOnGreenRemovesAMissedDeparture() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        est.update(0, 0, 0, false, 0);
        for (int t = 1; t <= 20; t++) {
            est.update(t, t % 2 == 0 ? 1 : 0, 0, false, FREE);
        }
        for (int t = 21; t <= 40; t++) {
            // The stop-line loop misses the last of the ten departures.
            est.update(t, 0, t % 2 == 0 && t < 40 ? 1 : 0, true, 0);
        }
        assertThat(est.queueVeh()).isCloseTo(1, within(1e-9));
        for (int t = 41; t <= 60; t++) {
            est.update(t, 0, 0, true, 0);
        }
        assertThat(est.queueVeh()).isLessThan(0.1);
    }

    @Test
    void areaDetectorCorrectsADriftedCount() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), true);
        est.update(0, 0, 0, false, 0, 0, 0, 0);
        int truth = 0;
        for (int t = 1; t <= 20; t++) {
            boolean arrival = t % 2 == 0;
            truth += arrival ? 1 : 0;
            // The advance loop misses the arrivals at t = 8 and t = 16: it counts 8 of 10.
            int counted = arrival && t != 8 && t != 16 ? 1 : 0;
            est.update(t, counted, 0, false, FREE, truth, truth, truth * 7.5);
        }
        for (int t = 21; t <= 25; t++) {
            est.update(t, 0, 0, false, 0, truth, truth, truth * 7.5);
        }
        assertThat(est.queueVeh()).isCloseTo(10, within(0.5));

        LaneQueueEstimator countingOnly = new LaneQueueEstimator(config(), false);
        countingOnly.update(0, 0, 0, false, 0);
        for (int t = 1; t <= 20; t++) {
            countingOnly.update(t, t % 2 == 0 && t != 8 && t != 16 ? 1 : 0, 0, false, FREE);
        }
        assertThat(countingOnly.queueVeh()).as("without the area detector the count stays drifted").isEqualTo(8);
    }

    @Test
    void spillBackPastTheAdvanceLoopHoldsALowerBoundAndGrowsAtTheHistoricalRate() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        int t = warmUpAtQuarterVehPerS(est);
        double rate = est.arrivalRateVehPerS();
        assertThat(rate).isCloseTo(0.25, within(0.01));

        // Red: six vehicles queue, then the queue covers the advance loop for 30 s.
        for (int i = 1; i <= 24; i++) {
            est.update(++t, i % 4 == 0 ? 1 : 0, 0, false, FREE);
        }
        assertThat(est.queueVeh()).isCloseTo(6, within(1e-9));
        rate = est.arrivalRateVehPerS();
        double atOnset = Double.NaN;
        for (int i = 1; i <= 30; i++) {
            est.update(++t, 0, 0, false, 1.0);
            if (i < 5) {
                assertThat(est.spilledBack()).as("not before the hold time, i=" + i).isFalse();
            } else {
                assertThat(est.spilledBack()).isTrue();
                assertThat(est.queueVeh()).isGreaterThanOrEqualTo(60 / 7.5);
            }
            if (i == 5) {
                atOnset = est.queueVeh();
            }
        }
        assertThat(atOnset).isCloseTo(8, within(1e-9));
        assertThat(est.queueVeh() - atOnset).isCloseTo(rate * 25, within(1e-6));
        assertThat(est.arrivalRateVehPerS()).as("not learned while covered").isEqualTo(rate);

        // Recovery: green, the queue moves, the loop clears and counts vehicles crossing it again.
        est.update(++t, 1, 1, true, 0.6);
        assertThat(est.spilledBack()).isFalse();
        assertThat(est.queueVeh()).isCloseTo(8, within(1e-9));
        for (int i = 1; i <= 20; i++) {
            est.update(++t, i % 2 == 0 && i <= 10 ? 1 : 0, i % 2 == 0 ? 1 : 0, true, i <= 10 ? 0.5 : 0);
        }
        assertThat(est.queueVeh()).isCloseTo(3, within(1e-9));
        for (int i = 1; i <= 10; i++) {
            est.update(++t, 0, i <= 6 && i % 2 == 0 ? 1 : 0, true, 0);
        }
        assertThat(est.queueVeh()).isLessThan(0.1);
    }

    @Test
    void spilledBackQueueIsCappedAtTheLaneCapacity() {
        LaneQueueEstimator.Config c = config();
        c.laneLengthM = 120;
        LaneQueueEstimator est = new LaneQueueEstimator(c, false);
        est.update(0, 0, 0, false, 0);
        for (int t = 1; t <= 600; t++) {
            est.update(t, 0, 0, false, 1.0);
        }
        assertThat(est.spilledBack()).isTrue();
        assertThat(est.queueVeh()).isCloseTo(120 / 7.5, within(1e-9));
    }

    @Test
    void deadAdvanceLoopTakesArrivalsFromTheHistoricalRate() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        est.update(0, 0, 0, false, 0);
        int truth = 0;
        double maxError = 0;
        for (int t = 1; t <= 1_200; t++) {
            if (t == 600) {
                est.detectorFault(DetectorKind.ADVANCE, true);
            }
            boolean advanceAlive = t < 600;
            boolean green = t % 60 >= 30;
            int arrival = t % 4 == 0 ? 1 : 0;
            truth += arrival;
            int departure = green && truth > 0 && t % 2 == 0 ? 1 : 0;
            truth -= departure;
            est.update(t, advanceAlive ? arrival : 0, departure, green, advanceAlive && arrival > 0 ? FREE : 0);
            if (!advanceAlive) {
                maxError = Math.max(maxError, Math.abs(est.queueVeh() - truth));
            }
        }
        // Stated tolerance: one vehicle (arrivals come as whole vehicles, the rate spreads them over time) plus 0.5.
        assertThat(maxError).isLessThanOrEqualTo(1.5);
    }

    @Test
    void deadStopLineLoopDischargesAtTheSaturationFlow() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        est.update(0, 0, 0, false, 0);
        for (int t = 1; t <= 20; t++) {
            est.update(t, t % 2 == 0 ? 1 : 0, 0, false, FREE);
        }
        est.detectorFault(DetectorKind.STOP_LINE, true);
        double varianceBefore = est.varianceVeh2();
        for (int t = 21; t <= 30; t++) {
            est.update(t, 0, 0, true, 0);
        }
        assertThat(est.queueVeh()).isCloseTo(5, within(1e-9));
        assertThat(est.varianceVeh2()).isGreaterThan(varianceBefore);
        for (int t = 31; t <= 45; t++) {
            est.update(t, 0, 0, true, 0);
        }
        assertThat(est.queueVeh()).isEqualTo(0);
    }

    @Test
    void bothLoopsDeadWithoutAreaDetectorCoastsOnTheRatesWithGrowingVariance() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        est.update(0, 0, 0, false, 0);
        est.detectorFault(DetectorKind.ADVANCE, true);
        est.detectorFault(DetectorKind.STOP_LINE, true);
        double previousVariance = est.varianceVeh2();
        for (int t = 1; t <= 40; t++) {
            est.update(t, 0, 0, false, 0);
            assertThat(est.varianceVeh2()).isGreaterThan(previousVariance);
            previousVariance = est.varianceVeh2();
        }
        assertThat(est.queueVeh()).isCloseTo(0.25 * 40, within(1e-9));
        for (int t = 41; t <= 60; t++) {
            est.update(t, 0, 0, true, 0);
        }
        assertThat(est.queueVeh()).as("discharges at 0.5 veh/s while arriving at 0.25").isCloseTo(5, within(1e-9));
    }

    @Test
    void rejectsBadTicksWithoutChangingState() {
        LaneQueueEstimator est = new LaneQueueEstimator(config(), false);
        assertThat(est.update(10, 2, 0, false, 0)).isTrue();
        assertThat(est.update(9, 1, 0, false, 0)).isFalse();
        assertThat(est.update(11, -1, 0, false, 0)).isFalse();
        assertThat(est.update(11, 0, 0, false, 1.5)).isFalse();
        assertThat(est.update(11, 0, 0, false, Double.NaN)).isFalse();
        assertThat(est.queueVeh()).isEqualTo(2);
        assertThat(est.rejectedUpdates()).isEqualTo(4);
        est.reset();
        assertThat(est.queueVeh()).isZero();
        assertThat(est.update(0, 0, 0, false, 0)).as("reset forgets the clock").isTrue();
    }

    @Test
    void badConfigurationFailsFast() {
        LaneQueueEstimator.Config c = config();
        c.spacingM = 0;
        assertThatThrownBy(() -> new LaneQueueEstimator(c, false)).hasMessageContaining("spacingM");
        assertThatThrownBy(() -> new LaneQueueEstimator(config(), false).detectorFault(DetectorKind.AREA_OUT, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** 600 s of green with a vehicle every 4 s passing straight through; returns the last tick's time. */
    private static int warmUpAtQuarterVehPerS(LaneQueueEstimator est) {
        est.update(0, 0, 0, true, 0);
        int t = 0;
        for (int i = 1; i <= 600; i++) {
            int v = i % 4 == 0 ? 1 : 0;
            est.update(++t, v, v, true, v > 0 ? FREE : 0);
        }
        // Red begins; the queue is empty.
        assertThat(est.queueVeh()).isCloseTo(0, within(1e-9));
        return t;
    }
}
