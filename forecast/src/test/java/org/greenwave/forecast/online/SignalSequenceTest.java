package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.greenwave.core.state.IntersectionState;
import org.junit.jupiter.api.Test;

/** A device program on {@link Junction}, reported state by state, and the schedule learned from it. */
class SignalSequenceTest {
    /** Lane 0 green 10 s, amber 3 s, lane 1 green 20 s, amber 3 s: a 36 s cycle. */
    private static final String[] STATES = {"Gr", "yr", "rG", "ry"};
    private static final int[] DURATIONS_S = {10, 3, 20, 3};

    /** The state the program shows at second {@code t}, and when that state began. */
    private static int stateAt(int t) {
        int inCycle = t % 36;
        int s = 0;
        while (inCycle >= DURATIONS_S[s]) {
            inCycle -= DURATIONS_S[s];
            s++;
        }
        return s;
    }

    @Test
    void rollsTheProgramForwardFromTheCurrentStateWithEachStatesTypicalDuration() {
        Junction j = new Junction(false, false, true);
        j.state.fieldInCharge(true);
        SignalSequence seq = new SignalSequence(j.model, 0.3, 0);
        int end = 3 * 36 + 4;
        for (int t = 0; t <= end; t++) {
            j.at(t);
            j.state.fieldStatus(STATES[stateAt(t)], stateAt(t), t * 1000L);
            seq.observe(j.state, t);
        }
        // At t = 112 "Gr" has shown for 4 s of its 10.
        assertThat(seq.currentTypicalS()).isCloseTo(10, within(1e-9));
        assertThat(seq.rollForward(end)).isGreaterThanOrEqualTo(IntersectionState.HORIZON_S);
        double[] lane0 = new double[IntersectionState.HORIZON_S];
        double[] lane1 = new double[IntersectionState.HORIZON_S];
        seq.laneSchedule(0, lane0);
        seq.laneSchedule(1, lane1);
        for (int k = 0; k < IntersectionState.HORIZON_S; k++) {
            int s = stateAt(end + k);
            assertThat(lane0[k]).as("lane 0, second %d", k).isEqualTo(s == 0 ? 1.0 : 0.0);
            assertThat(lane1[k]).as("lane 1, second %d", k).isEqualTo(s == 2 ? 1.0 : 0.0);
        }
    }

    @Test
    void coversNothingBeforeTheCurrentStateHasBeenSeenWhole() {
        Junction j = new Junction(false, false, true);
        j.state.fieldInCharge(true);
        SignalSequence seq = new SignalSequence(j.model, 0.3, 0);
        for (int t = 0; t <= 12; t++) {
            j.at(t);
            j.state.fieldStatus(STATES[stateAt(t)], stateAt(t), t * 1000L);
            seq.observe(j.state, t);
        }
        // "Gr" was first seen already showing; "yr" began at 10 but has not ended: neither duration is known.
        assertThat(seq.rollForward(12)).isZero();
        double[] lane0 = {0.5, 0.5};
        seq.laneSchedule(0, lane0);
        assertThat(lane0).as("untouched").containsExactly(0.5, 0.5);
    }

    @Test
    void pastTheCurrentStatesEndTheScheduleFadesIntoTheLanesMeanShare() {
        Junction j = new Junction(false, false, true);
        j.state.fieldInCharge(true);
        SignalSequence seq = new SignalSequence(j.model, 0.3, 30);
        int end = 3 * 36 + 4;
        for (int t = 0; t <= end; t++) {
            j.at(t);
            j.state.fieldStatus(STATES[stateAt(t)], stateAt(t), t * 1000L);
            seq.observe(j.state, t);
        }
        seq.rollForward(end);
        double[] lane0 = new double[IntersectionState.HORIZON_S];
        seq.laneSchedule(0, lane0);
        for (int k = 0; k < 6; k++) {
            assertThat(lane0[k]).as("the current green's rest, second %d", k).isEqualTo(1.0);
        }
        // Mean share over the 60 s: 6 s now, 10 s from second 32: 16 / 60.
        double mean = 16.0 / 60;
        assertThat(lane0[7]).as("just after the switch: nearly the schedule's red").isBetween(0.0, mean / 2);
        assertThat(lane0[40]).as("the next green, blurred").isBetween(mean, 0.6);
        assertThat(lane0[59]).as("red again, blurred").isBetween(mean / 2, mean);
    }
}
