package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.safety.SafetyInterlock.ALL_RED;
import static org.greenwave.core.safety.SafetyInterlock.GREEN;
import static org.greenwave.core.safety.SafetyInterlock.PEDESTRIAN_CLEARANCE;
import static org.greenwave.core.safety.SafetyInterlock.YELLOW;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The interlock on the four-link crossing of {@link TestModels}: 0 conflicts with 2, 1 with 3. */
class SafetyInterlockTest {

    /** Two phases, {@code GGrr} and {@code rrGG}: 3 s amber, 2 s all-red, 5..30 s green. */
    private final IntersectionModel twoPhase = TestModels.twoPhase(3, 2, 5, 30);

    @Test
    void startsInTheGreenPhaseItIsResetTo() {
        SafetyInterlock il = new SafetyInterlock(twoPhase);

        il.reset(1, 100_000);

        assertThat(il.shownString()).isEqualTo("rrGG");
        assertThat(il.interval()).isEqualTo(GREEN);
        assertThat(il.phase()).isEqualTo(1);
        assertThat(il.targetPhase()).isEqualTo(1);
        assertThat(il.phaseStartMs()).isEqualTo(100_000);
        assertThat(il.intervalStartMs()).isEqualTo(100_000);
        assertThat(il.model()).isSameAs(twoPhase);
        char[] out = new char[4];
        il.copyShown(out);
        assertThat(new String(out)).isEqualTo("rrGG");
        assertThat(il.shown(TestModels.EAST)).isEqualTo('G');
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 2, Integer.MAX_VALUE})
    void resetRejectsAPhaseThatDoesNotExist(int phase) {
        SafetyInterlock il = new SafetyInterlock(twoPhase);

        assertThatThrownBy(() -> il.reset(phase, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("green phase " + phase).hasMessageContaining("crossing");
    }

    @Test
    void holdsASwitchUntilTheMinimumGreenIsOverAndCountsEachHeldProposal() {
        SafetyInterlock il = new SafetyInterlock(twoPhase);
        il.reset(0, 0);

        for (int t = 0; t <= 4; t++) {
            assertThat(il.step(t * 1000L, 1)).as("t=%d", t).isFalse();
            assertThat(il.shownString()).isEqualTo("GGrr");
            assertThat(il.interval()).isEqualTo(GREEN);
        }
        assertThat(il.heldForMinGreen()).isEqualTo(5);

        assertThat(il.step(5_000, 1)).isTrue();
        assertThat(il.shownString()).isEqualTo("yyrr");
        assertThat(il.interval()).isEqualTo(YELLOW);
        assertThat(il.phase()).isZero();
        assertThat(il.targetPhase()).isEqualTo(1);
        assertThat(il.heldForMinGreen()).isEqualTo(5);
    }

    @Test
    void runsYellowThenAllRedThenGreenToTheSecondAtOneSecondTicks() {
        SafetyInterlock il = new SafetyInterlock(twoPhase);
        il.reset(0, 0);

        List<String> trace = run(il, 0, 1, 12, 1);

        assertThat(trace).containsExactly(
                "0 GGrr G", "1 GGrr G", "2 GGrr G", "3 GGrr G", "4 GGrr G",
                "5 yyrr Y", "6 yyrr Y", "7 yyrr Y",
                "8 rrrr R", "9 rrrr R",
                "10 rrGG G", "11 rrGG G", "12 rrGG G");
        assertThat(il.phase()).isEqualTo(1);
        assertThat(il.phaseStartMs()).isEqualTo(10_000);
        assertThat(il.intervalStartMs()).isEqualTo(10_000);
    }

    @Test
    void clearsACrossingBeforeTheAmberWhileTheVehiclesBesideItKeepTheirGreen() {
        // The crossing's walkers need 8 s after its green: 5 s of crossing red with link 0 still green, then the
        // 3 s amber.
        IntersectionModel m = TestModels.crossingBesideThrough();
        assertThat(m.pedestrianClearanceMs(0, 1)).isEqualTo(5_000);
        assertThat(m.pedestrianClearanceMs(1, 0)).isZero();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        List<String> trace = run(il, 5, 1, 14, 1);

        assertThat(trace).containsExactly(
                "5 Grr P", "6 Grr P", "7 Grr P", "8 Grr P", "9 Grr P",
                "10 yrr Y", "11 yrr Y", "12 yrr Y",
                "13 rGr G", "14 rGr G");
    }

    @Test
    void goesFromYellowStraightToGreenWithoutAllRed() {
        SafetyInterlock il = new SafetyInterlock(TestModels.twoPhase(3, 0, 5, 30));
        il.reset(0, 0);

        List<String> trace = run(il, 4, 1, 9, 1);

        assertThat(trace).containsExactly(
                "4 GGrr G", "5 yyrr Y", "6 yyrr Y", "7 yyrr Y", "8 rrGG G", "9 rrGG G");
    }

    @Test
    void endsEachIntervalAtTheFirstTickAtOrAfterItsDuration() {
        SafetyInterlock il = new SafetyInterlock(TestModels.twoPhase(3.5, 1, 5, 30));
        il.reset(0, 0);

        // Ticks every 2 s: green from 0 to 6 (the first tick >= 5 s), amber from 6 to 10 (>= 3.5 s), all-red from 10
        // to 12 (>= 1 s).
        List<String> trace = run(il, 0, 2, 14, 1);

        assertThat(trace).containsExactly(
                "0 GGrr G", "2 GGrr G", "4 GGrr G", "6 yyrr Y", "8 yyrr Y", "10 rrrr R", "12 rrGG G", "14 rrGG G");
    }

    @Test
    void ignoresOutOfRangeProposalsWhileGreenAndCountsThem() {
        SafetyInterlock il = new SafetyInterlock(twoPhase);
        il.reset(0, 0);

        assertThat(il.step(1_000, -1)).isFalse();
        assertThat(il.step(2_000, 2)).isFalse();
        assertThat(il.step(10_000, Integer.MAX_VALUE)).isFalse();
        assertThat(il.step(20_000, Integer.MIN_VALUE)).isFalse();
        assertThat(il.step(29_000, 99)).isFalse();

        assertThat(il.shownString()).isEqualTo("GGrr");
        assertThat(il.interval()).isEqualTo(GREEN);
        assertThat(il.invalidProposals()).isEqualTo(5);
        assertThat(il.heldForMinGreen()).as("an ignored proposal is a hold, not a switch").isZero();
        assertThat(il.maxGreenForced()).isZero();
    }

    @Test
    void anOutOfRangeProposalAtMaximumGreenStillEndsThePhase() {
        SafetyInterlock il = new SafetyInterlock(twoPhase);
        il.reset(0, 0);

        assertThat(il.step(30_000, -7)).isTrue();

        assertThat(il.interval()).isEqualTo(YELLOW);
        assertThat(il.targetPhase()).isEqualTo(1);
        assertThat(il.invalidProposals()).isEqualTo(1);
        assertThat(il.maxGreenForced()).isEqualTo(1);
    }

    @Test
    void proposalsDuringATransitionDoNotChangeIt() {
        SafetyInterlock il = new SafetyInterlock(TestModels.crossing(3, 2)
                .greenPhase("GGrr", 0, 20, 5, 30)
                .greenPhase("rrGG", 1, 20, 5, 30)
                .greenPhase("GgrG", 2, 20, 5, 30)
                .build());
        il.reset(0, 0);
        il.step(5_000, 1);

        il.step(6_000, 2);
        il.step(7_000, 0);
        il.step(8_000, -1);
        il.step(9_000, 2);
        il.step(10_000, 0);

        assertThat(il.interval()).isEqualTo(GREEN);
        assertThat(il.phase()).isEqualTo(1);
        assertThat(il.shownString()).isEqualTo("rrGG");
        assertThat(il.invalidProposals()).as("only proposals made while green are judged").isZero();
    }

    @Test
    void maximumGreenForcesTheNextPhaseAndCountsIt() {
        IntersectionModel m = TestModels.crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 5, 10)
                .greenPhase("rrGG", 1, 20, 5, 12)
                .build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        for (int t = 1; t <= 9; t++) {
            assertThat(il.step(t * 1000L, 0)).as("t=%d", t).isFalse();
        }
        assertThat(il.maxGreenForced()).isZero();

        assertThat(il.step(10_000, 0)).isTrue();
        assertThat(il.interval()).isEqualTo(YELLOW);
        assertThat(il.targetPhase()).isEqualTo(1);
        assertThat(il.maxGreenForced()).isEqualTo(1);

        // Green of phase 1 from 13; its 12 s maximum ends it at 25, wrapping round to phase 0.
        List<String> trace = run(il, 11, 1, 26, 1);
        assertThat(trace).contains("13 rrGG G", "24 rrGG G", "25 rryy Y");
        assertThat(il.targetPhase()).isZero();
        assertThat(il.maxGreenForced()).isEqualTo(2);
    }

    @Test
    void maximumGreenForcesTheNextPhaseInOrderWrappingRound() {
        IntersectionModel m = TestModels.crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 5, 10)
                .greenPhase("rrGG", 1, 20, 5, 10)
                .greenPhase("GgrG", 2, 20, 5, 10)
                .build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(2, 0);

        il.step(10_000, 2);

        assertThat(il.targetPhase()).isZero();
        assertThat(il.maxGreenForced()).isEqualTo(1);
    }

    @Test
    void aLinkGreenInBothPhasesStaysGreenAndAProtectedGreenThatTurnsPermissiveShowsPermissive() {
        IntersectionModel m = TestModels.crossing(3, 2)
                .greenPhase("GGrr", 0, 20, 5, 30)
                .greenPhase("rrGG", 1, 20, 5, 30)
                .greenPhase("GgrG", 2, 20, 5, 30)
                .build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        // GGrr -> GgrG: north stays G, south goes G -> g at once, west waits for the clearance.
        List<String> trace = run(il, 5, 1, 10, 2);
        assertThat(trace).containsExactly(
                "5 Ggrr Y", "6 Ggrr Y", "7 Ggrr Y", "8 Ggrr R", "9 Ggrr R", "10 GgrG G");

        // GgrG -> rrGG: north and south (permissive) clear through amber; west stays G throughout.
        trace = run(il, 15, 1, 20, 1);
        assertThat(trace).containsExactly(
                "15 yyrG Y", "16 yyrG Y", "17 yyrG Y", "18 rrrG R", "19 rrrG R", "20 rrGG G");
        assertThat(il.conflictsBlocked()).isZero();
    }

    @Test
    void aPermissiveGreenThatBecomesProtectedStaysPermissiveUntilTheClearanceIsOver() {
        IntersectionModel m = TestModels.crossing(3, 1)
                .greenPhase("GgrG", 0, 20, 5, 30)
                .greenPhase("GGrr", 1, 20, 5, 30)
                .build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        List<String> trace = run(il, 5, 1, 9, 1);

        assertThat(trace).containsExactly("5 Ggry Y", "6 Ggry Y", "7 Ggry Y", "8 Ggrr R", "9 GGrr G");
    }

    @Test
    void aSinglePhaseModelNeverSwitches() {
        IntersectionModel m = TestModels.crossing(3, 2).greenPhase("GGgg", 0, 20, 5, 10).build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        int[] proposals = {0, 1, -1, 5, Integer.MAX_VALUE};
        for (int t = 1; t <= 100; t++) {
            assertThat(il.step(t * 1000L, proposals[t % proposals.length])).isFalse();
            assertThat(il.interval()).isEqualTo(GREEN);
            assertThat(il.shownString()).isEqualTo("GGgg");
        }
        assertThat(il.maxGreenForced()).isZero();
        assertThat(il.heldForMinGreen()).isZero();
        assertThat(il.invalidProposals()).isEqualTo(80);
        assertThat(il.phaseStartMs()).isZero();
    }

    @Test
    void stepReportsWhetherTheShownStateChanged() {
        // Leaving Ggrr for GGrr turns nothing amber: the interval changes, the shown state does not.
        IntersectionModel m = TestModels.crossing(3, 0)
                .greenPhase("Ggrr", 0, 20, 5, 30)
                .greenPhase("GGrr", 1, 20, 5, 30)
                .build();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);

        assertThat(il.step(5_000, 1)).isFalse();
        assertThat(il.interval()).isEqualTo(YELLOW);
        assertThat(il.shownString()).isEqualTo("Ggrr");
        assertThat(il.step(8_000, 1)).isTrue();
        assertThat(il.shownString()).isEqualTo("GGrr");
        assertThat(il.interval()).isEqualTo(GREEN);
    }

    @Test
    void timeLongAfterTheEpochDoesNotShortenTheIntervals() {
        // 0.1 s ticks from about a month in: on integer milliseconds every interval lasts exactly its length.
        SafetyInterlock il = new SafetyInterlock(twoPhase);
        long t0 = 2_600_000_300L;
        il.reset(0, t0);
        SafetyMonitor monitor = new SafetyMonitor(twoPhase);
        monitor.observe(t0, il.shownString());

        long now = t0;
        for (int i = 0; i < 2000; i++) {
            now += 100;
            il.step(now, 1 - il.phase());
            monitor.observe(now, il.shownString());
        }

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    /**
     * Steps from {@code fromS} to {@code toS} (whole seconds) proposing {@code proposal}; one "time state interval"
     * line per tick, the time in seconds.
     */
    private static List<String> run(SafetyInterlock il, int fromS, int stepS, int toS, int proposal) {
        List<String> trace = new ArrayList<>();
        for (int t = fromS; t <= toS; t += stepS) {
            il.step(t * 1000L, proposal);
            trace.add(String.format("%d %s %s", t, il.shownString(), intervalLetter(il.interval())));
        }
        return trace;
    }

    private static String intervalLetter(int interval) {
        switch (interval) {
            case GREEN:
                return "G";
            case YELLOW:
                return "Y";
            case ALL_RED:
                return "R";
            case PEDESTRIAN_CLEARANCE:
                return "P";
            default:
                throw new AssertionError("unknown interval " + interval);
        }
    }
}
