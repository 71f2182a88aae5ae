package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.greenwave.core.state.IntersectionView;
import org.junit.jupiter.api.Test;

/** The health rules on one lane, one tick per second, green 30 s of every 60 s. */
class LaneDetectorHealthTest {
    private static LaneDetectorHealth lane() {
        return new LaneDetectorHealth(new LaneDetectorHealth.Config(), true, true, true, 200, 10);
    }

    private static boolean green(int t) {
        return t % 60 >= 30;
    }

    @Test
    void stopLineStuckOnThroughGreenIsFlaggedWithinThreeMinutes() {
        LaneDetectorHealth h = lane();
        int flagged = -1;
        for (int t = 0; t <= 240 && flagged < 0; t++) {
            h.update(t, green(t), 0, 1, true, t % 3 == 0 ? 1 : 0, 0.2, false, 0, 3, 1);
            if ((h.faults() & IntersectionView.FAULT_STOP_LINE) != 0) {
                flagged = t;
            }
        }
        assertThat(flagged).isBetween(90, 180);
        assertThat(h.faults() & IntersectionView.FAULT_ADVANCE).isZero();
    }

    @Test
    void advanceLoopCountingTwiceASecondChatters() {
        LaneDetectorHealth h = lane();
        int flagged = -1;
        for (int t = 0; t <= 180 && flagged < 0; t++) {
            h.update(t, green(t), green(t) && t % 3 == 0 ? 1 : 0, 0.3, false, 2, 0.5, false, 0, 3, 0);
            if ((h.faults() & IntersectionView.FAULT_ADVANCE) != 0) {
                flagged = t;
            }
        }
        assertThat(flagged).isBetween(1, 120);
        assertThat(h.faults() & IntersectionView.FAULT_STOP_LINE).isZero();
    }

    @Test
    void stopLineCountingFasterThanSaturationOnGreenChatters() {
        LaneDetectorHealth h = lane();
        int flagged = -1;
        for (int t = 0; t <= 180 && flagged < 0; t++) {
            // One real vehicle every 2 s on green, each counted three times.
            h.update(t, green(t), green(t) && t % 2 == 0 ? 3 : 0, 0.5, false, t % 4 == 0 ? 1 : 0, 0.2, false, 0, 2, 0);
            if ((h.faults() & IntersectionView.FAULT_STOP_LINE) != 0) {
                flagged = t;
            }
        }
        assertThat(flagged).isBetween(30, 180);
    }

    @Test
    void quietLaneAtNightAndAWaitOnRedAreNotFaults() {
        LaneDetectorHealth h = lane();
        for (int t = 0; t <= 1800; t++) {
            boolean g = green(t);
            // A vehicle every 5 minutes; it waits on the stop-line loop if it arrives on red.
            boolean standing = !g && t % 300 < 30 && t % 300 >= 1;
            h.update(t, g, t % 300 == 40 ? 1 : 0, standing ? 1 : 0, standing, t % 300 == 0 ? 1 : 0, 0, false, 0,
                    standing ? 1 : 0, standing ? 1 : 0);
            assertThat(h.faults()).as("faults at %d s", t).isZero();
        }
    }

    @Test
    void detectorsTheLaneDoesNotHaveAreNeverFaults() {
        LaneDetectorHealth h = new LaneDetectorHealth(new LaneDetectorHealth.Config(), false, false, false, 200, 10);
        for (int t = 0; t <= 600; t++) {
            h.update(t, green(t), 5, 1, true, 5, 1, true, Double.POSITIVE_INFINITY, 0, 0);
        }
        assertThat(h.faults()).isZero();
    }

    @Test
    void badConfigurationNamesTheField() {
        LaneDetectorHealth.Config c = new LaneDetectorHealth.Config();
        c.areaClearS = 40;
        assertThatThrownBy(c::conclude).hasMessageContaining("areaClearS");
        LaneDetectorHealth.Config d = new LaneDetectorHealth.Config();
        d.chatterRatio = 0.5;
        assertThatThrownBy(d::conclude).hasMessageContaining("chatterRatio");
    }
}
