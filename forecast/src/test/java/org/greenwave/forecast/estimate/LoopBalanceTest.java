package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoopBalanceTest {

    /** {@code seconds} ticks: the advance loop counts a vehicle every {@code advEveryS}, the stop line every {@code stopEveryS}. */
    private static void run(LoopBalance b, int seconds, int advEveryS, int stopEveryS) {
        for (int t = 0; t <= seconds; t++) {
            int stop = t > 0 && t % stopEveryS == 0 ? 1 : 0;
            int adv = t > 0 && t % advEveryS == 0 ? 1 : 0;
            b.update(t, t % 60 >= 30, stop, stop > 0, adv, adv > 0, 0);
        }
    }

    @Test
    void vehiclesJoiningBetweenTheLoopsAreTheStopLinesSurplus() {
        LoopBalance b = new LoopBalance(300, 120, true, 8);
        run(b, 1200, 8, 4);
        assertThat(b.joiningVehPerS()).isCloseTo(0.125, within(0.01));
        assertThat(b.countShare()).isEqualTo(1);
    }

    @Test
    void vehiclesLeavingBetweenTheLoopsScaleTheAdvanceCount() {
        LoopBalance b = new LoopBalance(300, 120, true, 8);
        run(b, 1200, 4, 8);
        assertThat(b.countShare()).isCloseTo(0.5, within(0.02));
        assertThat(b.joiningVehPerS()).isZero();
    }

    @Test
    void aDifferenceTheLaneCanStoreIsPlainCounting() {
        LoopBalance b = new LoopBalance(300, 120, true, 8);
        run(b, 1200, 4, 4);
        assertThat(b.countShare()).isEqualTo(1);
        assertThat(b.joiningVehPerS()).isZero();
        LoopBalance early = new LoopBalance(300, 120, true, 8);
        run(early, 100, 8, 4);
        assertThat(early.joiningVehPerS()).as("before 120 s of counts").isZero();
    }

    @Test
    void stopLineSilentThroughTwoGreensWhileTheAdvanceCountsIsSuspect() {
        LoopBalance b = new LoopBalance(300, 120, true, 8);
        for (int t = 0; t <= 125; t++) {
            b.update(t, t % 60 >= 30, 0, false, t % 10 == 0 ? 1 : 0, t % 10 == 0, 0);
            if (t == 61) {
                assertThat(b.stopLineSuspect()).as("after one silent green").isFalse();
            }
        }
        assertThat(b.stopLineSuspect()).isTrue();
        b.update(126, false, 0, true, 0, false, 0);
        assertThat(b.stopLineSuspect()).as("a vehicle on the loop").isFalse();
    }

    @Test
    void advanceLoopSilentWhileTheStopLineCountsMoreThanWasQueuedIsSuspect() {
        LoopBalance b = new LoopBalance(300, 120, true, 8);
        // The advance loop's last vehicle arrives with 6 queued; then the stop line counts a vehicle every 2 s.
        b.update(0, false, 0, true, 1, true, 6);
        for (int t = 1; t <= 22; t++) {
            boolean count = t % 2 == 0;
            b.update(t, true, count ? 1 : 0, count, 0, false, 0);
            if (t == 21) {
                assertThat(b.advanceSuspect()).as("after 10 stop-line counts").isFalse();
            }
        }
        assertThat(b.advanceSuspect()).as("after 11").isTrue();
        b.update(23, true, 0, false, 0, true, 0);
        assertThat(b.advanceSuspect()).as("the advance loop occupied").isFalse();
    }

    @Test
    void badTimesAreRefused() {
        assertThatThrownBy(() -> new LoopBalance(0, 120, true, 8)).hasMessageContaining("tauS");
        assertThatThrownBy(() -> new LoopBalance(300, 120, true, -1)).hasMessageContaining("storageVeh");
    }
}
