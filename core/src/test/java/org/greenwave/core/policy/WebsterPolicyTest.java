package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.junit.jupiter.api.Test;

/**
 * Webster on the crossing of {@link TestModels}, ticking every second from t = 0. Incoming lanes: 0 n_in, 1 s_in
 * (served by phase 0, {@code GGrr}), 2 e_in, 3 w_in (served by phase 1, {@code rrGG}).
 *
 * <p>With 20 s program greens, 3 s amber and 2 s all-red the first cycle runs green 0 from 0, green 1 from 25 and
 * green 0 again from 50. The tick at 50 still sees the all-red (the policy is asked before the interlock steps), so
 * the policy sees the new cycle at 51: the first measured cycle is 51 s long, and the counts added during it are
 * divided by 51. A lane's demand over a cycle is what its stop-line detector counted plus the growth of the vehicles in
 * its detection zone. Lost time per cycle L = 2 * (3 + 2) = 10 s; saturation flow 0.5 veh/s per lane.
 */
class WebsterPolicyTest {
    private static final int N_IN = 0;
    private static final int S_IN = 1;
    private static final int E_IN = 2;
    private static final int W_IN = 3;
    private static final double MIN_CYCLE_S = 30;
    private static final double MAX_CYCLE_S = 120;
    private static final double FIRST_CYCLE_S = 51;

    private static Ticker ticker(IntersectionModel m) {
        return new Ticker(m, new WebsterPolicy(m, MIN_CYCLE_S, MAX_CYCLE_S), 0, 0);
    }

    private static WebsterPolicy webster(Ticker t) {
        return (WebsterPolicy) t.policy;
    }

    /** Runs the first cycle with the given stop-line counts added at t = 10 and stops at the tick that re-plans. */
    private static void firstCycle(Ticker t, int north, int south, int east, int west) {
        t.run(0, 9);
        t.state.addStopLineCount(N_IN, north);
        t.state.addStopLineCount(S_IN, south);
        t.state.addStopLineCount(E_IN, east);
        t.state.addStopLineCount(W_IN, west);
        t.run(10, 51);
    }

    @Test
    void withoutMeasurementsRunsTheProgramsOwnGreens() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);

        t.run(0, 50);

        assertThat(t.events).containsExactly("G0@0", "Y0>1@20", "R@23", "G1@25", "Y1>0@45", "R@48", "G0@50");
        assertThat(webster(t).plannedGreenS(0)).isEqualTo(20);
        assertThat(webster(t).plannedGreenS(1)).isEqualTo(20);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aProgramGreenShorterThanTheMinimumIsStretchedToIt() {
        IntersectionModel m = TestModels.crossing(3, 2)
                .greenPhase("GGrr", 0, 3, 8, 60)
                .greenPhase("rrGG", 1, 30, 8, 60)
                .build();

        WebsterPolicy w = new WebsterPolicy(m, MIN_CYCLE_S, MAX_CYCLE_S);

        assertThat(w.plannedGreenS(0)).isEqualTo(8);
        assertThat(w.plannedGreenS(1)).isEqualTo(30);
    }

    @Test
    void afterACycleOfCountsGreensFollowTheCriticalFlowRatiosAndTheCycleFollowsWebster() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);
        t.run(0, 9);
        // North: 4 served and 2 more queued -> demand 6; south 3; east 3; west 1 served and 1 more queued -> 2.
        t.state.addStopLineCount(N_IN, 4);
        t.state.incomingArea(N_IN, 2, 2, 14);
        t.state.addStopLineCount(S_IN, 3);
        t.state.addStopLineCount(E_IN, 3);
        t.state.addStopLineCount(W_IN, 1);
        t.state.incomingArea(W_IN, 1, 1, 7);
        t.run(10, 51);

        // y0 = max(6, 3) / 51 / 0.5 = 12/51, y1 = max(3, 2) / 51 / 0.5 = 6/51, Y = 18/51 = 6/17.
        // C = (1.5 * 10 + 5) / (1 - 6/17) = 340/11 = 30.909 s, inside [30, 120].
        // g0 = (340/11 - 10) * (12/18) = 460/33 = 13.939 s, g1 = 230/33 = 6.970 s.
        double g0 = webster(t).plannedGreenS(0);
        double g1 = webster(t).plannedGreenS(1);
        assertThat(g0).isCloseTo(460.0 / 33, within(1e-9));
        assertThat(g1).isCloseTo(230.0 / 33, within(1e-9));
        assertThat(g0 + g1 + 10).isCloseTo(340.0 / 11, within(1e-9));
        assertThat(g0 / g1).isCloseTo(2, within(1e-9));

        // Green 0 began at 50: it ends at the first tick with 13.94 s elapsed, green 1 (from 69) after 6.97 s.
        t.run(52, 81);
        assertThat(t.events).endsWith("G0@50", "Y0>1@64", "R@67", "G1@69", "Y1>0@76", "R@79", "G0@81");
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void theCycleIsTheMaximumWhenTheFlowRatiosReachNinetyPercent() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 100);
        Ticker t = ticker(m);

        firstCycle(t, 20, 0, 5, 0);

        // y0 = 20/51/0.5 = 40/51, y1 = 10/51, Y = 50/51 >= 0.9: C = 120, 110 s of green split 4:1.
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(88, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(22, within(1e-9));
    }

    @Test
    void noGreenIsPlannedAboveItsMaximum() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);

        firstCycle(t, 20, 0, 5, 0);

        assertThat(webster(t).plannedGreenS(0)).isEqualTo(60);
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(22, within(1e-9));
    }

    @Test
    void theCycleIsTheMinimumWhenDemandIsLight() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);

        firstCycle(t, 1, 0, 1, 0);

        // y0 = y1 = 2/51, C = 20 / (1 - 4/51) = 21.7 s -> raised to 30: 20 s of green split equally.
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(10, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(10, within(1e-9));
    }

    @Test
    void theCycleIsLongEnoughForEveryMinimumGreen() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 15, 60);
        Ticker t = ticker(m);

        firstCycle(t, 1, 0, 1, 0);

        // Minimum greens 15 + 15 plus 10 s lost: the cycle is at least 40 s, so 30 s of green split equally.
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(15, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(15, within(1e-9));
    }

    @Test
    void aPhaseWithoutDemandGetsItsMinimumGreen() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 8, 60);
        Ticker t = ticker(m);

        firstCycle(t, 6, 0, 0, 0);

        // y0 = 12/51, y1 = 0: C = 20 / (1 - 12/51) = 26.2 s -> 30; green 0 gets all 20 s, green 1 its 8 s minimum.
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(20, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isEqualTo(8);
    }

    @Test
    void aQueueThatShrinksMoreThanWasServedCountsAsNoDemand() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);
        t.state.incomingArea(E_IN, 8, 8, 56);
        t.run(0, 9);
        // North: 6 served. East: 2 served while its zone went from 8 vehicles to 3: 2 - 5 < 0 -> 0, not negative.
        t.state.addStopLineCount(N_IN, 6);
        t.state.addStopLineCount(E_IN, 2);
        t.state.incomingArea(E_IN, 3, 3, 21);
        t.run(10, 51);

        // As with no demand on phase 1: y0 = 12/51, y1 = 0 -> C = 30, green 0 gets all 20 s, green 1 its minimum.
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(20, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isEqualTo(5);
    }

    @Test
    void aCycleWithoutAnyCountSplitsTheMinimumCycleEqually() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);

        firstCycle(t, 0, 0, 0, 0);

        assertThat(webster(t).plannedGreenS(0)).isCloseTo(10, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(10, within(1e-9));
    }

    @Test
    void laterCyclesSmoothTheFlowsWithTheCyclesBefore() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);
        firstCycle(t, 6, 0, 3, 0);

        // Second cycle: green 0 from 50 (13.94 s), green 1 from 69 (6.97 s), green 0 again from 81, seen at 82;
        // nothing arrives. Flows are halved: y0 = 6/51, y1 = 3/51, Y = 9/51; C = 20 / (1 - 9/51) = 24.3 s -> 30;
        // 20 s split 2:1.
        t.run(52, 82);

        assertThat(t.events).endsWith("G0@81");
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(40.0 / 3, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isCloseTo(20.0 / 3, within(1e-9));
    }

    @Test
    void aLaneServedByTwoPhasesSharesItsFlowBetweenThem() {
        IntersectionModel m = TestModels.crossing(3, 2)
                .greenPhase("GGrr", 0, 20, 5, 60)
                .greenPhase("rrGG", 1, 20, 5, 60)
                .greenPhase("GgrG", 2, 20, 5, 60)
                .build();
        Ticker t = ticker(m);
        t.run(0, 9);
        t.state.addStopLineCount(N_IN, 19);
        t.run(10, 76);

        // Three 20 s greens and 3 x 5 s lost: green 0 is back at 75, seen at 76, after a 76 s cycle.
        // North: 19 / 76 = 0.25 veh/s, served by phases 0 and 2 (protected in both): y0 = y2 = 0.25 / 0.5 / 2 = 0.25.
        // Y = 0.5, L = 15: C = (22.5 + 5) / 0.5 = 55, 40 s of green split 1:0:1, phase 1 raised to its 5 s minimum.
        assertThat(t.events).endsWith("G2@50", "Y2>0@70", "R@73", "G0@75");
        assertThat(webster(t).plannedGreenS(0)).isCloseTo(20, within(1e-9));
        assertThat(webster(t).plannedGreenS(1)).isEqualTo(5);
        assertThat(webster(t).plannedGreenS(2)).isCloseTo(20, within(1e-9));
    }

    @Test
    void aLaneIsServedWhereItIsProtectedOrIfNeverProtectedWhereItIsPermissive() {
        IntersectionModel m = TestModels.crossing(3, 2)
                .greenPhase("GGrg", 0, 20, 5, 60)
                .greenPhase("rgGg", 1, 20, 5, 60)
                .build();

        boolean[][] serves = WebsterPolicy.servedLanes(m);

        // n_in: protected in 0. s_in: protected in 0, permissive in 1 -> only 0. e_in: protected in 1.
        // w_in: never protected, permissive in both -> both.
        assertThat(serves[0]).containsExactly(true, true, false, true);
        assertThat(serves[1]).containsExactly(false, false, true, true);
    }

    @Test
    void followsTheRunningTransitionAndNamesNoDeviceProgram() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 60);
        Ticker t = ticker(m);

        t.run(0, 20);
        for (int s = 21; s <= 24; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isEqualTo(1);
        }
        assertThat(webster(t).deviceProgram()).isNull();
    }
}
