package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.junit.jupiter.api.Test;

/** A policy's planned schedule extends the green a timing plan ends with; the plan's final state is unchanged. */
class PlanScheduleTest {
    /** {@code GGrr} / {@code rrGG}, 3 s amber, 2 s all-red, 5..60 s green. */
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 60);

    private record Schedule(int[] phases, double[] endsS) implements PlannedSchedule {
        @Override
        public int plannedCount() {
            return phases.length;
        }

        @Override
        public int plannedPhase(int i) {
            return phases[i];
        }

        @Override
        public double plannedEndS(int i) {
            return endsS[i];
        }
    }

    private static String entries(TimingPlan plan) {
        StringBuilder b = new StringBuilder();
        char[] s = new char[plan.linkCount()];
        for (int e = 0; e < plan.entryCount(); e++) {
            plan.copyEntryState(e, s);
            b.append(new String(s)).append(' ').append(plan.entryDurationS(e)).append(';');
        }
        return b.toString();
    }

    @Test
    void holdsTheCurrentGreenUntilItsSegmentEnds() {
        SafetyInterlock il = new SafetyInterlock(model);
        il.reset(0, 0);
        il.step(10_000, 0);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 10_000, 13_000, null);
        char[] scratch = new char[4];
        PlanForecast.fill(plan, il, 0, 10_000, 1000, scratch);
        PlanForecast.appendSchedule(plan, il, 0, new Schedule(new int[] {0, 1, 0}, new double[] {12, 40, 60}));

        assertThat(entries(plan)).as("the last entry stays the green the field heads for").isEqualTo("GGrr 12.0;");
    }

    @Test
    void appendsNothingWhenTheScheduleDoesNotStartWithTheGreenAhead() {
        SafetyInterlock il = new SafetyInterlock(model);
        il.reset(0, 0);
        il.step(10_000, 1);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 10_000, 13_000, null);
        char[] scratch = new char[4];
        PlanForecast.fill(plan, il, 1, 10_000, 1000, scratch);
        String before = entries(plan);
        PlanForecast.appendSchedule(plan, il, 1, new Schedule(new int[] {0}, new double[] {30}));

        assertThat(entries(plan)).isEqualTo(before);
    }

    @Test
    void keepsTheTransitionTheInterlockIsInAndExtendsTheTargetGreen() {
        SafetyInterlock il = new SafetyInterlock(model);
        il.reset(0, 0);
        il.step(10_000, 1);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 10_000, 13_000, null);
        char[] scratch = new char[4];
        PlanForecast.fill(plan, il, 1, 10_000, 1000, scratch);
        PlanForecast.appendSchedule(plan, il, 1, new Schedule(new int[] {1}, new double[] {25}));

        assertThat(entries(plan)).isEqualTo("yyrr 3.0;rrrr 2.0;rrGG 20.0;");
    }

    @Test
    void publishesEachLanesGreensFromThePlanThenThePoliciesLaterGreensAfterTheirTransitions() {
        SafetyInterlock il = new SafetyInterlock(model);
        il.reset(0, 0);
        il.step(10_000, 0);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 10_000, 13_000, null);
        char[] scratch = new char[4];
        PlanForecast.fill(plan, il, 0, 10_000, 1000, scratch);
        Schedule schedule = new Schedule(new int[] {0, 1, 0}, new double[] {12, 40.5, 58});
        PlanForecast.appendSchedule(plan, il, 0, schedule);
        IntersectionState state = new IntersectionState(model, il);
        state.now(10_000);
        PlanForecast.publishLaneGreens(plan, il, 0, schedule, state, scratch);

        assertThat(state.plannedFromS()).isEqualTo(10);
        // Lane 0 (phase 0): green to 12 s, amber 12..15, all-red 15..17, red through phase 1 to 40.5, its amber and
        // all-red to 45.5, green again to 58, unknown after.
        for (int k = 0; k < 12; k++) {
            assertThat(state.plannedGreenShare(0, k)).as("second %d", k).isEqualTo(1);
            assertThat(state.plannedGreenShare(2, k)).as("second %d", k).isZero();
        }
        for (int k = 12; k < 17; k++) {
            assertThat(state.plannedGreenShare(0, k)).as("second %d", k).isZero();
            assertThat(state.plannedGreenShare(2, k)).as("second %d", k).isZero();
        }
        for (int k = 17; k < 40; k++) {
            assertThat(state.plannedGreenShare(0, k)).as("second %d", k).isZero();
            assertThat(state.plannedGreenShare(2, k)).as("second %d", k).isEqualTo(1);
        }
        assertThat(state.plannedGreenShare(2, 40)).as("half of second 40").isEqualTo(0.5);
        assertThat(state.plannedGreenShare(0, 45)).as("half of second 45").isEqualTo(0.5);
        for (int k = 46; k < 58; k++) {
            assertThat(state.plannedGreenShare(0, k)).as("second %d", k).isEqualTo(1);
        }
        assertThat(state.plannedGreenShare(0, 58)).isNaN();
        assertThat(state.plannedGreenShare(2, 59)).isNaN();

        state.planBegin(11);
        assertThat(state.plannedGreenShare(0, 0)).as("a new plan forgets the last").isNaN();
    }

    @Test
    void publishesOnlyThePlanWhenTheScheduleDoesNotStartWithItsGreen() {
        SafetyInterlock il = new SafetyInterlock(model);
        il.reset(0, 0);
        il.step(10_000, 0);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 10_000, 13_000, null);
        char[] scratch = new char[4];
        PlanForecast.fill(plan, il, 0, 10_000, 1000, scratch);
        IntersectionState state = new IntersectionState(model, il);
        state.now(10_000);
        PlanForecast.publishLaneGreens(plan, il, 0, new Schedule(new int[] {1, 0}, new double[] {20, 40}), state,
                scratch);

        assertThat(state.plannedGreenShare(0, 0)).isEqualTo(1);
        assertThat(state.plannedGreenShare(0, 1)).as("the plan's one tick, nothing of the schedule").isNaN();
    }
}
