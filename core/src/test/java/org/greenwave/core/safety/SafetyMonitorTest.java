package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-made state sequences on the four-link crossing of {@link TestModels} (0 conflicts with 2, 1 with 3), each
 * breaking exactly one rule. Phases {@code GGrr} and {@code rrGG}, 5 s minimum green, 3 s amber.
 */
class SafetyMonitorTest {

    private static IntersectionModel model(double allRedS) {
        return TestModels.twoPhase(3, allRedS, 5, 30);
    }

    /** Feeds {@code "time state"} pairs, the time in seconds, and returns the monitor. */
    private static SafetyMonitor feed(IntersectionModel m, String... timedStates) {
        SafetyMonitor monitor = new SafetyMonitor(m);
        for (String ts : timedStates) {
            int space = ts.indexOf(' ');
            monitor.observe(Millis.fromSeconds(Double.parseDouble(ts.substring(0, space))), ts.substring(space + 1));
        }
        return monitor;
    }

    /** Asserts that {@code rule} and no other was counted, {@code times} times. */
    private static void assertOnly(SafetyMonitor monitor, SafetyRule rule, long times) {
        Map<SafetyRule, Long> expected = new EnumMap<>(SafetyRule.class);
        for (SafetyRule r : SafetyRule.values()) {
            expected.put(r, r == rule ? times : 0L);
        }
        assertThat(monitor.countsByRule()).as("%s", monitor.examples()).isEqualTo(expected);
        assertThat(monitor.count(rule)).isEqualTo(times);
        assertThat(monitor.total()).isEqualTo(times);
    }

    @ParameterizedTest(name = "all-red {0} s")
    @ValueSource(doubles = {0, 2})
    void aCleanCycleHasNoViolation(double allRedS) {
        // Every interval exactly as long as it must be.
        SafetyMonitor monitor = feed(model(allRedS),
                "0 rrrr", "2 GGrr", "7 yyrr", "10 rrrr", (10 + allRedS) + " rrGG", (15 + allRedS) + " rryy",
                (18 + allRedS) + " rrrr", (18 + 2 * allRedS) + " GGrr", "60 GGrr");

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
        assertThat(monitor.observations()).isEqualTo(9);
        assertThat(monitor.examples()).isEmpty();
        assertThat(monitor.model()).isNotNull();
    }

    @Test
    void conflictInTheFirstState() {
        SafetyMonitor monitor = feed(model(2), "0 GrGr");

        assertOnly(monitor, SafetyRule.CONFLICT, 1);
    }

    @Test
    void conflictWhenAProtectedGreenIsAddedBesideAConflictingOne() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 GGGr");

        assertOnly(monitor, SafetyRule.CONFLICT, 1);
        assertThat(monitor.examples()).singleElement().asString()
                .contains("CONFLICT").contains("link 0 vs 2").contains("GGGr").contains("crossing");
    }

    @Test
    void conflictIsCountedOnEveryStateThatShowsIt() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 GGGr", "11 GGGr", "12 GGGG");

        assertOnly(monitor, SafetyRule.CONFLICT, 4);
    }

    @Test
    void aPermissiveGreenBesideAConflictingProtectedOneIsNoConflict() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 GGgr", "20 GGgg");

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    @Test
    void clearanceWithoutAllRedAProtectedGreenWhileAConflictingLinkIsAmber() {
        SafetyMonitor monitor = feed(model(0), "0 GGrr", "10 yGrr", "12 yGGr");

        assertOnly(monitor, SafetyRule.CLEARANCE, 1);
        assertThat(monitor.examples()).singleElement().asString().contains("link 2 vs 0");
    }

    @Test
    void aGreenBeforeTheWalkersOfAConflictingCrossingHaveClearedIsCounted() {
        // Link 2 is a crossing beside link 0 whose walkers need 8 s; link 1 crosses both.
        IntersectionModel m = TestModels.crossingBesideThrough();

        assertThat(feed(m, "0 GrG", "20 Grr", "25 yrr", "28 rGr").total()).isZero();
        SafetyMonitor early = feed(m, "0 GrG", "20 Grr", "24 yrr", "27 rGr");
        assertOnly(early, SafetyRule.PEDESTRIAN_CLEARANCE, 1);
        assertThat(early.examples()).singleElement().asString().contains("link 1 vs 2");
    }

    @Test
    void clearanceWithoutAllRedAProtectedGreenAtTheSameInstantAsTheAmber() {
        SafetyMonitor monitor = feed(model(0), "0 Grrr", "10 yrGr");

        assertOnly(monitor, SafetyRule.CLEARANCE, 1);
    }

    @Test
    void noClearanceNeededWithoutAllRedOnceTheAmberHasEnded() {
        SafetyMonitor monitor = feed(model(0), "0 Grrr", "10 yrrr", "13 rrGr");

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    @Test
    void clearanceAProtectedGreenBeforeTheAllRedIsOver() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 yGrr", "13 rGrr", "14 rGGr");

        assertOnly(monitor, SafetyRule.CLEARANCE, 1);
    }

    @Test
    void clearanceIsMeasuredFromTheEndOfTheAmber() {
        SafetyMonitor enough = feed(model(2), "0 GGrr", "10 yGrr", "13 rGrr", "15 rGGr");
        SafetyMonitor shortBy1ms = feed(model(2), "0 GGrr", "10 yGrr", "13 rGrr", "14.999 rGGr");

        assertThat(enough.total()).as("%s", enough.examples()).isZero();
        assertOnly(shortBy1ms, SafetyRule.CLEARANCE, 1);
    }

    @Test
    void clearanceAProtectedGreenThatTurnedPermissiveStillNeedsItsAllRed() {
        // North's protected green ends at 10 although it stays permissive; east may take a protected green only at 12.
        SafetyMonitor early = feed(model(2), "0 Grrr", "10 grrr", "11 grGr");
        SafetyMonitor onTime = feed(model(2), "0 Grrr", "10 grrr", "12 grGr");

        assertOnly(early, SafetyRule.CLEARANCE, 1);
        assertThat(onTime.total()).as("%s", onTime.examples()).isZero();
    }

    @Test
    void aSignalThatGoesDarkIsAViolation() {
        // A forged "off" program: green and red go straight to off (blinking or dark).
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 ooOO");

        assertOnly(monitor, SafetyRule.DARK, 1);
        // Staying dark adds nothing; a program that starts dark is not judged (it may have begun before the run).
        assertThat(feed(model(2), "0 OOOO", "10 OOOO").total()).isZero();
    }

    @Test
    void goingDarkIsNoViolationWhileAnOperatorAskedForFlash() {
        SafetyMonitor monitor = new SafetyMonitor(model(2));
        monitor.observe(0, "GGrr");
        monitor.operatorFlash(true);
        assertThat(monitor.observe(10_000, "ooOO")).isZero();
        // Back from flash, and dark again once the request is withdrawn: counted.
        monitor.observe(20_000, "rrrr");
        monitor.operatorFlash(false);
        monitor.observe(30_000, "ooOO");
        assertOnly(monitor, SafetyRule.DARK, 1);
    }

    @Test
    void noYellowGreenStraightToRed() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 rGrr");

        assertOnly(monitor, SafetyRule.NO_YELLOW, 1);
    }

    @Test
    void noYellowPermissiveGreenStraightToRedAmber() {
        SafetyMonitor monitor = feed(model(2), "0 GGgr", "10 GGur");

        assertOnly(monitor, SafetyRule.NO_YELLOW, 1);
    }

    @Test
    void greenToTheStopThenGoArrowNeedsNoAmber() {
        // SUMO's 's': vehicles stop, then go when no foe comes; it stops nobody for good.
        SafetyMonitor monitor = feed(model(2), "0 GGgr", "10 GGsr", "20 GGgr");

        assertThat(monitor.total()).isZero();
    }

    @Test
    void yellowMajorIsAnAmber() {
        // SUMO's 'Y' ("yellow major"), as sumo-rl's 3x3 grid writes its programs.
        SafetyMonitor monitor = feed(model(0), "0 GGrr", "10 YYrr", "13 rrGG");

        assertThat(monitor.total()).isZero();
    }

    @Test
    void crossingGoesFromGreenToRedWithoutAmber() {
        IntersectionModel m = IntersectionModel.builder("X", 2)
                .link(0, "in", 100, 13.9, "out")
                .link(1, ":X_w0_0", 5, 1.4, ":X_c0_0")
                .crossing(1)
                .conflicts(ConflictMatrix.builder(2).build())
                .greenPhase("GG", 0, 30, 5, 60)
                .greenPhase("Gr", 1, 30, 5, 60)
                .build();
        SafetyMonitor monitor = feed(m, "0 GG", "10 Gr", "20 GG");

        assertThat(monitor.total()).isZero();
    }

    @Test
    void shortYellow() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 yGrr", "12 rGrr");

        assertOnly(monitor, SafetyRule.SHORT_YELLOW, 1);
    }

    @Test
    void shortYellowCountsEachLink() {
        SafetyMonitor monitor = feed(model(2), "0 GGrr", "10 yyrr", "12.9 rrrr");

        assertOnly(monitor, SafetyRule.SHORT_YELLOW, 2);
    }

    @Test
    void shortGreenOfAGreenThatBeganMidSequence() {
        SafetyMonitor monitor = feed(model(2), "0 rrrr", "10 Grrr", "14 yrrr", "17 rrrr");

        assertOnly(monitor, SafetyRule.SHORT_GREEN, 1);
    }

    @Test
    void theDurationsOfTheFirstStateAreNotJudged() {
        // The first state may have begun before the monitor started.
        SafetyMonitor green = feed(model(2), "100 GGrr", "100.5 yGrr", "103.5 rGrr");
        SafetyMonitor amber = feed(model(2), "100 yGrr", "100.5 rGrr");

        assertThat(green.total()).as("%s", green.examples()).isZero();
        assertThat(amber.total()).as("%s", amber.examples()).isZero();
    }

    @Test
    void aGreenThatTurnsPermissiveKeepsItsStartForTheMinimumGreen() {
        // G from 0, g from 3, amber at 5: the green lasted 5 s.
        SafetyMonitor monitor = feed(model(2), "0 Grrr", "3 grrr", "5 yrrr", "8 rrrr");

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    @Test
    void shortGreenUsesTheSmallestMinimumGreenOfTheLink() {
        IntersectionModel m = TestModels.crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 8, 30)
                .greenPhase("Grrr", 1, 20, 4, 30)
                .greenPhase("rrGG", 2, 20, 8, 30)
                .build();

        SafetyMonitor north = feed(m, "0 rrGG", "20 rryy", "23 Grrr", "27 yrrr", "30 rrrr");
        SafetyMonitor south = feed(m, "0 rrGG", "20 rryy", "23 GGrr", "27 yyrr", "30 rrrr");

        assertThat(north.total()).as("north may leave after 4 s: %s", north.examples()).isZero();
        assertOnly(south, SafetyRule.SHORT_GREEN, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GGr", "GGrrr", ""})
    void malformedWrongLength(String state) {
        SafetyMonitor monitor = feed(model(2), "0 GGrr");

        assertThat(monitor.observe(10_000, state)).isEqualTo(1);

        assertOnly(monitor, SafetyRule.MALFORMED, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GGrx", "GGrR", "GG r", "GG-r"})
    void malformedBadCharacter(String state) {
        SafetyMonitor monitor = feed(model(2), "0 GGrr");

        assertThat(monitor.observe(10_000, state)).isEqualTo(1);

        assertOnly(monitor, SafetyRule.MALFORMED, 1);
    }

    @Test
    void aMalformedStateChangesNothingElse() {
        // The bad state is not taken as shown: the amber that follows is judged against the green before it.
        SafetyMonitor monitor = feed(model(2), "0 rrrr", "10 GGrr", "12 GGrrr", "15 yyrr", "18 rrrr");

        assertOnly(monitor, SafetyRule.MALFORMED, 1);
    }

    @Test
    void aMalformedFirstStateDoesNotStartTheSequence() {
        SafetyMonitor monitor = feed(model(2), "0 GGGGG", "10 rrrr", "11 rrGG");

        assertOnly(monitor, SafetyRule.MALFORMED, 1);
    }

    @Test
    void anAmberThatReturnsToGreenIsNoViolation() {
        SafetyMonitor monitor = feed(model(2),
                "0 GGrr", "10 yGrr", "11 GGrr", "20 yyrr", "23 rrrr", "25 rrGG");

        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    @Test
    void observeReturnsTheViolationsTheStateAdds() {
        SafetyMonitor monitor = new SafetyMonitor(model(2));

        assertThat(monitor.observe(0, "GGrr")).isZero();
        assertThat(monitor.observe(1_000, "rGGr")).as("north red without amber, east green without clearance")
                .isEqualTo(2);
        assertThat(monitor.observe(2_000, "rGGG")).as("west gains G beside south: conflict").isEqualTo(1);
        assertThat(monitor.total()).isEqualTo(3);
        assertThat(monitor.count(SafetyRule.NO_YELLOW)).isEqualTo(1);
        assertThat(monitor.count(SafetyRule.CLEARANCE)).isEqualTo(1);
        assertThat(monitor.count(SafetyRule.CONFLICT)).isEqualTo(1);
    }

    @Test
    void keepsOnlyTheFirstTwentyExamplesButCountsEverything() {
        SafetyMonitor monitor = new SafetyMonitor(model(2));

        for (int t = 0; t < 30; t++) {
            monitor.observe(t * 1000L, "GrGr");
        }

        assertThat(monitor.count(SafetyRule.CONFLICT)).isEqualTo(30);
        assertThat(monitor.examples()).hasSize(20);
        assertThat(monitor.examples().get(0)).startsWith("t=0.0 crossing CONFLICT link 0 vs 2");
    }
}
