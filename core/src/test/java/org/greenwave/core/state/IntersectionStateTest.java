package org.greenwave.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.safety.SafetyInterlock;
import org.junit.jupiter.api.Test;

class IntersectionStateTest {
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 30);
    private final SafetyInterlock interlock = new SafetyInterlock(model);
    private final IntersectionState state = new IntersectionState(model, interlock);

    @Test
    void readsZeroFromLanesWithoutReadings() {
        for (int lane = 0; lane < model.incomingLaneCount(); lane++) {
            assertThat(state.incomingVehicles(lane)).isZero();
            assertThat(state.incomingHalting(lane)).isZero();
            assertThat(state.incomingJamM(lane)).isZero();
            assertThat(state.stopLineCount(lane)).isZero();
            assertThat(state.advanceCount(lane)).isZero();
        }
        for (int lane = 0; lane < model.outgoingLaneCount(); lane++) {
            assertThat(state.outgoingVehicles(lane)).isZero();
        }
    }

    @Test
    void keepsTheLatestAreaReadingsPerLane() {
        state.incomingArea(1, 7, 4, 28.5);
        state.incomingArea(1, 6, 5, 35.0);
        state.outgoingArea(3, 2);

        assertThat(state.incomingVehicles(1)).isEqualTo(6);
        assertThat(state.incomingHalting(1)).isEqualTo(5);
        assertThat(state.incomingJamM(1)).isEqualTo(35.0);
        assertThat(state.incomingVehicles(0)).isZero();
        assertThat(state.outgoingVehicles(3)).isEqualTo(2);
    }

    @Test
    void accumulatesDetectorCounts() {
        state.addStopLineCount(2, 3);
        state.addStopLineCount(2, 4);
        state.addAdvanceCount(2, 1);
        state.addAdvanceCount(0, 9);

        assertThat(state.stopLineCount(2)).isEqualTo(7);
        assertThat(state.advanceCount(2)).isEqualTo(1);
        assertThat(state.advanceCount(0)).isEqualTo(9);
        assertThat(state.stopLineCount(0)).isZero();
    }

    @Test
    void showsTheInterlocksIntervalAndTheTimeSinceThePhaseBegan() {
        interlock.reset(0, 100_000);
        state.now(103_500);

        assertThat(state.model()).isSameAs(model);
        assertThat(state.interlock()).isSameAs(interlock);
        assertThat(state.nowS()).isEqualTo(103.5);
        assertThat(state.phase()).isZero();
        assertThat(state.targetPhase()).isZero();
        assertThat(state.interval()).isEqualTo(SafetyInterlock.GREEN);
        assertThat(state.phaseElapsedS()).isEqualTo(3.5);

        interlock.step(105_000, 1);
        state.now(106_000);

        assertThat(state.interval()).isEqualTo(SafetyInterlock.YELLOW);
        assertThat(state.phase()).isZero();
        assertThat(state.targetPhase()).isEqualTo(1);
        assertThat(state.phaseElapsedS()).as("measured from the start of the phase being left").isEqualTo(6);
    }
}
