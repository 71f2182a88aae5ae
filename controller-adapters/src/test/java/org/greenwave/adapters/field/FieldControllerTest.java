package org.greenwave.adapters.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyMonitor;
import org.junit.jupiter.api.Test;

class FieldControllerTest {
    private static IntersectionModel model() {
        return TwoPhaseModel.model();
    }

    @Test
    void followsFreshPlansThroughItsOwnInterlock() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        assertThat(f.offerPlan(1, 0, 3000, null, null, "GGrr", 0)).isTrue();
        f.step(1_000);
        assertThat(f.shownString()).isEqualTo("GGrr");
        // The engine asks for east-west at t=6: amber, all-red, then green.
        assertThat(f.offerPlan(2, 6000, 12000, null, null, "rrGG", 6000)).isTrue();
        f.step(6_000);
        assertThat(f.shownString()).isEqualTo("yyrr");
        f.step(9_000);
        assertThat(f.shownString()).isEqualTo("rrrr");
        f.step(10_000);
        assertThat(f.shownString()).isEqualTo("rrGG");
        assertThat(f.inFallback()).isFalse();
    }

    @Test
    void ignoresOldExpiredAndForeignPlans() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        assertThat(f.offerPlan(5, 0, 3000, null, null, "GGrr", 0)).isTrue();
        assertThat(f.offerPlan(4, 0, 9000, null, null, "rrGG", 0)).as("older sequence").isFalse();
        assertThat(f.offerPlan(6, 1000, 500, null, null, "rrGG", 1000)).as("expired").isFalse();
        assertThat(f.offerPlan(7, 1000, 9000, null, null, "GGGG", 1000)).as("not a green phase").isFalse();
        assertThat(f.offerPlan(8, 1000, 9000, null, null, "rr", 1000)).as("wrong length").isFalse();
        assertThat(f.plansIgnored()).isEqualTo(4);
        assertThat(f.refusals().get(PlanRefusal.REPLAYED)).isEqualTo(1);
        assertThat(f.refusals().get(PlanRefusal.EXPIRED)).isEqualTo(1);
        assertThat(f.refusals().get(PlanRefusal.NOT_A_GREEN_PHASE)).isEqualTo(2);
        assertThat(f.refusals().total()).isEqualTo(4);
    }

    @Test
    void refusesPlansThatWouldSwitchTheSignalDarkOrHandItToAnUnknownProgram() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        assertThat(f.offerPlan(1, 0, 3000, FieldController.OFF_PROGRAM, null, null, 0)).as("off").isFalse();
        assertThat(f.offerPlan(2, 0, 3000, "night-flash", null, null, 0)).as("not on the allow-list").isFalse();
        assertThat(f.refusals().get(PlanRefusal.DARK_WITHOUT_OPERATOR)).isEqualTo(1);
        assertThat(f.refusals().get(PlanRefusal.PROGRAM_NOT_ALLOWED)).isEqualTo(1);
        f.step(1_000);
        assertThat(f.deviceProgram()).isNull();
        assertThat(f.shownString()).isEqualTo("GGrr");
        // The signal's own program (the model's source program, "0") is allowed.
        assertThat(f.offerPlan(3, 1000, 3000, "0", null, null, 1000)).isTrue();
        f.step(2_000);
        assertThat(f.deviceProgram()).isEqualTo("0");
        assertThatThrownBy(() -> new FieldController(model(), java.util.Set.of("0", FieldController.OFF_PROGRAM)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("switches the signal dark");
    }

    @Test
    void anExpiryThatOverflowsOrLiesFarAheadIsRefused() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        long now = 1_700_000_000_000L;
        assertThat(f.offerPlan(1, now, Long.MIN_VALUE, null, null, "rrGG", now)).as("Long.MIN_VALUE").isFalse();
        assertThat(f.offerPlan(2, now, Long.MAX_VALUE, null, null, "rrGG", now)).as("never expires").isFalse();
        assertThat(f.offerPlan(3, now, now + FieldController.MAX_PLAN_LIFETIME_MS + 1, null, null, "rrGG", now)).isFalse();
        assertThat(f.plansIgnored()).isEqualTo(3);
        assertThat(f.refusals().get(PlanRefusal.EXPIRED)).as("Long.MIN_VALUE").isEqualTo(1);
        assertThat(f.refusals().get(PlanRefusal.VALIDITY_TOO_LONG)).isEqualTo(2);
        // None of them moved the sequence on: a genuine plan is still taken.
        assertThat(f.offerPlan(4, now, now + 3000, null, null, "rrGG", now)).isTrue();
    }

    @Test
    void fallsBackToTheOwnProgramSafelyWhenPlansStop() {
        IntersectionModel m = model();
        FieldController f = new FieldController(m);
        SafetyMonitor monitor = new SafetyMonitor(m);
        f.reset(0, 0);
        monitor.observe(0, f.shownString());
        f.offerPlan(1, 0, 3000, null, null, "GGrr", 0);
        boolean sawEastWest = false;
        for (int t = 1; t <= 200; t++) {
            f.step(t * 1000L);
            monitor.observe(t * 1000L, f.shownString());
            sawEastWest |= f.shownString().equals("rrGG");
        }
        assertThat(f.inFallback()).isTrue();
        assertThat(f.fallbackSteps()).isGreaterThan(190);
        assertThat(sawEastWest).as("the fallback cycles the phases").isTrue();
        assertThat(monitor.total()).isZero();
    }

    @Test
    void countsEachFallbackAndTheTimeSpentInIt() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        f.step(0);
        f.step(1_000);
        assertThat(f.fallbackMs()).as("no plan yet: in fallback from the start").isEqualTo(1000);
        assertThat(f.fallbacksEntered()).as("the fallback it starts in is not an entry").isZero();
        f.offerPlan(1, 1000, 4000, null, null, "GGrr", 1000);
        for (int t = 2; t <= 4; t++) {
            f.step(t * 1000L);
        }
        assertThat(f.inFallback()).isFalse();
        f.step(5_000);
        f.step(6_500);
        assertThat(f.inFallback()).isTrue();
        assertThat(f.fallbacksEntered()).isEqualTo(1);
        assertThat(f.fallbackMs()).as("1 s before the plan, 2.5 s after it ran out").isEqualTo(3500);
        // A new plan ends the fallback; when it runs out, that is a second entry.
        f.offerPlan(2, 6500, 8000, null, null, "GGrr", 6500);
        f.step(7_000);
        f.step(8_000);
        f.step(9_000);
        f.step(10_000);
        assertThat(f.fallbacksEntered()).isEqualTo(2);
        assertThat(f.fallbackMs()).isEqualTo(3500 + 2000);
        assertThat(f.fallbackSteps()).isEqualTo(6);
    }

    @Test
    void aDeviceProgramPlanLeavesTheSignalAlone() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        assertThat(f.offerPlan(1, 0, 3000, "0", null, null, 0)).isTrue();
        assertThat(f.step(1_000)).isFalse();
        assertThat(f.deviceProgram()).isEqualTo("0");
        f.step(5_000);
        assertThat(f.inFallback()).isTrue();
        assertThat(f.deviceProgram()).as("expired plans leave the device on its own program").isEqualTo("0");
    }

    @Test
    void handsOverToTheDeviceOnlyAtAGreenAndTakesTheSignalBackWhenAskedTo() {
        FieldController f = new FieldController(model());
        SafetyMonitor monitor = new SafetyMonitor(model());
        f.reset(0, 0);
        monitor.observe(0, f.shownString());
        // A plan towards phase 1 starts a transition; a device-program plan arrives during its amber.
        assertThat(f.offerPlan(1, 0, 100_000, null, null, "rrGG", 0)).isTrue();
        for (int t = 1; t <= 6; t++) {
            f.step(t * 1000L);
            monitor.observe(t * 1000L, f.shownString());
        }
        assertThat(f.shownString()).isEqualTo("yyrr");
        assertThat(f.offerPlan(2, 7_000, 100_000, "0", null, null, 7_000)).isTrue();
        int t = 7;
        while (f.deviceProgram() == null && t < 30) {
            f.step(t * 1000L);
            monitor.observe(t * 1000L, f.shownString());
            t++;
        }
        assertThat(f.deviceProgram()).isEqualTo("0");
        assertThat(f.shownString()).as("handed over at a green, the transition finished").isEqualTo("rrGG");
        assertThat(f.wantsInterlock()).isFalse();
        // A plan without a device program asks for the signal back; the adapter resumes at the green it sees.
        assertThat(f.offerPlan(3, 40_000, 100_000, null, null, "GGrr", 40_000)).isTrue();
        f.step(40_000);
        assertThat(f.wantsInterlock()).isTrue();
        f.resume(1, 40_000);
        assertThat(f.deviceProgram()).isNull();
        assertThat(f.interlock().phase()).isEqualTo(1);
        for (int u = 41; u <= 80; u++) {
            f.step(u * 1000L);
            monitor.observe(u * 1000L, f.shownString());
        }
        assertThat(f.shownString()).isEqualTo("GGrr");
        assertThat(monitor.total()).as("%s", monitor.examples()).isZero();
    }

    @Test
    void aValidityWindowThatOverflowsFromItsIssueIsRefused() {
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        long now = 1_700_000_000_000L;
        // Issued at 0 and never expiring: from now it is too long, and from its issue the difference is huge.
        assertThat(f.offerPlan(1, 0, Long.MAX_VALUE, null, null, "rrGG", now)).isFalse();
        // Issued at Long.MIN_VALUE, expiring within the window from now: expires - issued overflows to negative.
        assertThat(f.offerPlan(2, Long.MIN_VALUE, now + 3000, null, null, "rrGG", now)).isFalse();
        // Issued long ago, expiring soon: valid for longer than the window from its issue.
        assertThat(f.offerPlan(3, now - FieldController.MAX_PLAN_LIFETIME_MS, now + 3000, null, null, "rrGG", now))
                .isFalse();
        assertThat(f.refusals().get(PlanRefusal.VALIDITY_TOO_LONG)).isEqualTo(3);
        assertThat(f.offerPlan(4, now, now + 3000, null, null, "rrGG", now)).isTrue();
    }

    @Test
    void theLongestValidityIsConfigured() {
        PlanRefusals shared = new PlanRefusals();
        FieldController f = new FieldController(model(), java.util.Set.of("0"), 5_000, shared);
        f.reset(0, 0);
        assertThat(f.offerPlan(1, 0, 6_000, null, null, "rrGG", 0)).isFalse();
        assertThat(f.offerPlan(2, 0, 5_000, null, null, "rrGG", 0)).isTrue();
        assertThat(shared.get(PlanRefusal.VALIDITY_TOO_LONG)).isEqualTo(1);
        assertThat(f.maxValidityMs()).isEqualTo(5_000);
        assertThatThrownBy(() -> new FieldController(model(), java.util.Set.of("0"), 0, shared))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validity");
    }

    @Test
    void aRestartedEngineIsFollowedAtOnceWhileAnOldPlanSentAgainIsNot() {
        // Engines number plans from their start time, 1,000 per millisecond (see the core's Shard).
        FieldController f = new FieldController(model());
        f.reset(0, 0);
        long firstBootSeq = 1_000L * 1_000;
        assertThat(f.offerPlan(firstBootSeq + 500, 1000, 4000, null, null, "GGrr", 1000)).isTrue();
        long restartSeq = 60_000L * 1_000;
        assertThat(f.offerPlan(restartSeq, 60_000, 63_000, null, null, "rrGG", 60_000)).as("after restart").isTrue();
        assertThat(f.offerPlan(firstBootSeq + 501, 60_000, 63_000, null, null, "GGrr", 60_000))
                .as("a plan of the first boot, sent again").isFalse();
        assertThat(f.offerPlan(restartSeq, 60_000, 63_000, null, null, "rrGG", 60_500)).as("the same again").isFalse();
        assertThat(f.refusals().get(PlanRefusal.REPLAYED)).isEqualTo(2);
    }

    @Test
    void flashRunsOnlyForAnOperatorsRequest() {
        FieldController f = new FieldController(model());
        SafetyMonitor monitor = new SafetyMonitor(model());
        f.reset(0, 0);
        assertThat(f.offerPlan(1, 0, 3000, FieldController.OFF_PROGRAM, null, null, 0)).isFalse();
        assertThat(f.offerPlan(2, 0, 3000, FieldController.OFF_PROGRAM, " ", null, 0)).as("blank operator").isFalse();
        assertThat(f.refusals().get(PlanRefusal.DARK_WITHOUT_OPERATOR)).isEqualTo(2);
        assertThat(f.offerPlan(3, 0, 3000, FieldController.OFF_PROGRAM, "op-7", null, 0)).isTrue();
        f.step(1_000);
        assertThat(f.deviceProgram()).isEqualTo(FieldController.OFF_PROGRAM);
        assertThat(f.flashOperator()).isEqualTo("op-7");
    }
}
