package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.junit.jupiter.api.Test;

/**
 * Max-pressure on the crossing of {@link TestModels}. Lanes: incoming 0 n_in, 1 s_in, 2 e_in, 3 w_in; outgoing
 * 0 s_out, 1 n_out, 2 w_out, 3 e_out (link {@code i} runs from incoming lane {@code i} to outgoing lane {@code i}).
 */
class MaxPressurePolicyTest {
    private static final int N_IN = 0;
    private static final int S_IN = 1;
    private static final int E_IN = 2;
    private static final int W_IN = 3;
    private static final int S_OUT = 0;
    private static final int N_OUT = 1;
    private static final int W_OUT = 2;
    private static final int E_OUT = 3;

    /** {@code GGrr} / {@code rrGG}, 3 s amber, 2 s all-red, 5..60 s green. */
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 60);

    /** Phase 0 pressure (8 - 5) + (2 - 0) = 5; phase 1 pressure (6 - 1) + (3 - 2) = 6. */
    private static void eastWestAheadByOne(IntersectionState s) {
        s.incomingArea(N_IN, 8, 8, 60);
        s.incomingArea(S_IN, 2, 1, 10);
        s.incomingArea(E_IN, 6, 6, 45);
        s.incomingArea(W_IN, 3, 0, 0);
        s.outgoingArea(S_OUT, 5);
        s.outgoingArea(N_OUT, 0);
        s.outgoingArea(W_OUT, 1);
        s.outgoingArea(E_OUT, 2);
    }

    @Test
    void pressureIsIncomingMinusOutgoingVehiclesSummedOverThePhasesLinks() {
        Ticker t = new Ticker(model, new MaxPressurePolicy(model, 1), 0, 0);
        eastWestAheadByOne(t.state);

        assertThat(MaxPressurePolicy.pressure(t.state, 0)).isEqualTo(5);
        assertThat(MaxPressurePolicy.pressure(t.state, 1)).isEqualTo(6);
    }

    @Test
    void countsEveryLinkOfTheIncomingLaneAndPermissiveGreensToo() {
        IntersectionModel m = IntersectionModel.builder("shared", 3)
                .conflicts(ConflictMatrix.builder(3).conflict(0, 2).build())
                .link(0, "a_in", 100, 13.9, "x_out")
                .link(1, "a_in", 100, 13.9, "y_out")
                .link(2, "b_in", 100, 13.9, "x_out")
                .greenPhase("GGg", 0, 20, 5, 60)
                .greenPhase("rrG", 1, 20, 5, 60)
                .build();
        IntersectionState s = new IntersectionState(m, new SafetyInterlock(m));
        s.incomingArea(0, 10, 0, 0);
        s.incomingArea(1, 4, 0, 0);
        s.outgoingArea(0, 3);
        s.outgoingArea(1, 1);

        // Phase 0: (10 - 3) + (10 - 1) + (4 - 3) = 17; phase 1: 4 - 3 = 1.
        assertThat(MaxPressurePolicy.pressure(s, 0)).isEqualTo(17);
        assertThat(MaxPressurePolicy.pressure(s, 1)).isEqualTo(1);
    }

    @Test
    void keepsTheCurrentPhaseBeforeMinimumGreenThenPicksTheLargestPressure() {
        Ticker t = new Ticker(model, new MaxPressurePolicy(model, 1), 0, 0);
        eastWestAheadByOne(t.state);

        for (int s = 0; s <= 4; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isZero();
        }
        assertThat(t.tick(5)).isEqualTo(1);
        assertThat(t.interlock.interval()).isEqualTo(SafetyInterlock.YELLOW);
        assertThat(t.interlock.heldForMinGreen()).as("it never asked before the minimum green").isZero();
    }

    @Test
    void keepsTheCurrentPhaseOnATie() {
        Ticker t = new Ticker(model, new MaxPressurePolicy(model, 1), 0, 0);
        eastWestAheadByOne(t.state);
        t.state.outgoingArea(E_OUT, 3);

        assertThat(MaxPressurePolicy.pressure(t.state, 1)).isEqualTo(5);
        for (int s = 0; s <= 30; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isZero();
        }
        assertThat(t.events).containsExactly("G0@0");
    }

    @Test
    void revisitsItsChoiceOnlyOncePerDecisionInterval() {
        MaxPressurePolicy policy = new MaxPressurePolicy(model, 2);
        Ticker t = new Ticker(model, policy, 0, 0);
        eastWestAheadByOne(t.state);
        t.state.outgoingArea(E_OUT, 3);

        assertThat(t.tick(5)).as("decides at 5: a tie, keep").isZero();
        t.state.outgoingArea(E_OUT, 2);
        assertThat(t.tick(6)).as("next decision not before 7").isZero();
        assertThat(t.tick(6.5)).isZero();
        assertThat(t.tick(7)).isEqualTo(1);
    }

    @Test
    void picksTheLargestOfSeveralPhases() {
        IntersectionModel m = TestModels.crossing(3, 2)
                .greenPhase("GGrr", 0, 20, 5, 60)
                .greenPhase("rrGG", 1, 20, 5, 60)
                .greenPhase("GgrG", 2, 20, 5, 60)
                .build();
        Ticker t = new Ticker(m, new MaxPressurePolicy(m, 1), 1, 0);
        t.state.incomingArea(N_IN, 4, 0, 0);
        t.state.incomingArea(E_IN, 3, 0, 0);
        t.state.incomingArea(W_IN, 2, 0, 0);

        // Phase 0: 4; phase 1: 3 + 2 = 5; phase 2: 4 + 0 + 2 = 6.
        assertThat(t.tick(5)).isEqualTo(2);
    }

    @Test
    void followsTheRunningTransition() {
        Ticker t = new Ticker(model, new MaxPressurePolicy(model, 1), 0, 0);
        eastWestAheadByOne(t.state);
        t.tick(5);
        // Pressure now favours phase 0 again; the transition to 1 is not reopened.
        t.state.incomingArea(N_IN, 50, 50, 300);

        for (int s = 6; s <= 9; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isEqualTo(1);
        }
    }

    @Test
    void drivesTheInterlockThroughSafeTransitions() {
        Ticker t = new Ticker(model, new MaxPressurePolicy(model, 1), 0, 0);
        eastWestAheadByOne(t.state);

        t.run(0, 11);
        // North-south queue builds while east-west is green; the switch back waits for east-west's minimum green.
        t.state.incomingArea(N_IN, 20, 20, 140);
        t.run(12, 25);

        assertThat(t.events).containsExactly("G0@0", "Y0>1@5", "R@8", "G1@10", "Y1>0@15", "R@18", "G0@20");
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
        assertThat(t.interlock.heldForMinGreen()).isZero();
        assertThat(t.interlock.invalidProposals()).isZero();
    }

    @Test
    void namesNoDeviceProgram() {
        assertThat(new MaxPressurePolicy(model, 1).deviceProgram()).isNull();
    }
}
