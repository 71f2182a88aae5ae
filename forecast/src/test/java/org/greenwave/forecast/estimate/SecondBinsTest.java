package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SecondBinsTest {
    @Test
    void sumsTheLastSecondsAcrossGapsAndWraps() {
        SecondBins b = new SecondBins(10);
        assertThat(b.sumLast(5)).isZero();
        for (int t = 0; t < 10; t++) {
            b.add(t, 1);
        }
        assertThat(b.sum()).isEqualTo(10);
        assertThat(b.sumLast(3)).isEqualTo(3);
        b.add(9.5, 2);
        assertThat(b.sumLast(1)).isEqualTo(3);
        // Seconds 10..13 skipped: they read as 0; seconds 0..4 fall out of the window.
        b.add(14, 1);
        assertThat(b.sumLast(5)).isEqualTo(1);
        assertThat(b.sum()).isEqualTo(1 + 5 + 2);
        b.add(100, 4);
        assertThat(b.sum()).isEqualTo(4);
        // A time before the newest bin adds to the newest bin.
        b.add(50, 1);
        assertThat(b.sumLast(1)).isEqualTo(5);
    }

    @Test
    void runningSumMatchesTheExactSum() {
        SecondBins b = new SecondBins(60);
        Random r = new Random(1);
        double t = 0;
        for (int i = 0; i < 100_000; i++) {
            t += r.nextDouble() * 1.5;
            b.add(t, r.nextDouble() * 3);
            if (i % 997 == 0) {
                double exact = 0;
                for (int s = 0; s < 60; s++) {
                    exact += b.sumLast(s + 1) - b.sumLast(s);
                }
                assertThat(b.sum()).isCloseTo(exact, within(1e-9));
            }
        }
    }
}
