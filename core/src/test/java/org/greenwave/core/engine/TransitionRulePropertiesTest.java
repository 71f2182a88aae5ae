package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.safety.RandomIntersections;
import org.greenwave.core.safety.RandomIntersections.Intersection;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;

/**
 * The transition rule (which intervals follow a green, in which order, for how long) lives in the interlock
 * ({@link SafetyInterlock#nextInterval}, {@link SafetyInterlock#intervalMs}) and the plan forecast uses it instead of
 * restating it. This checks that sharing it, and timing it on integer milliseconds, changed nothing: on random
 * intersections (with and without pedestrian crossings), random proposals and random tick lengths, the interlock shows
 * exactly what it showed when it spelled the sequence out itself on double seconds with a tolerance ({@link Previous}),
 * and the plan and the lanes' planned greens are those the forecast wrote when it restated the rule
 * ({@link PreviousForecast}): entries to the millisecond, green shares to 1e-9 (the double seconds' sums end a plan an
 * ulp off the exact millisecond, so a second may be known by a sliver on one side only).
 */
class TransitionRulePropertiesTest {

    @Provide
    Arbitrary<Intersection> intersections() {
        return Arbitraries.oneOf(RandomIntersections.intersections(), RandomIntersections.intersectionsWithCrossings());
    }

    @Provide
    Arbitrary<List<Integer>> proposals() {
        return Arbitraries.integers().between(-1, RandomIntersections.MAX_PHASES).list().ofMinSize(1).ofMaxSize(120);
    }

    @Provide
    Arbitrary<List<Integer>> ticks() {
        // Tick lengths 0.01 s apart from 0.1 s to 2.5 s, in milliseconds.
        return Arbitraries.integers().between(10, 250).map(centis -> centis * 10).list().ofSize(120);
    }

    @Provide
    Arbitrary<List<Integer>> schedules() {
        return Arbitraries.integers().between(-1, RandomIntersections.MAX_PHASES - 1).list().ofMaxSize(6);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void theInterlockAndThePlanForecastAreUnchanged(@ForAll("intersections") Intersection x,
            @ForAll("proposals") List<Integer> proposals, @ForAll("ticks") List<Integer> ticks,
            @ForAll("schedules") List<Integer> later) {
        IntersectionModel m = x.model();
        SafetyInterlock now = new SafetyInterlock(m);
        Previous before = new Previous(m);
        now.reset(0, 0);
        before.reset(0, 0);
        int links = m.linkCount();
        char[] scratchA = new char[links];
        char[] scratchB = new char[links];
        IntersectionState stateA = new IntersectionState(m, now);
        IntersectionState stateB = new IntersectionState(m, now);
        long tMs = 0;
        for (int i = 0; i < proposals.size(); i++) {
            long tickMs = ticks.get(i);
            tMs += tickMs;
            double t = Millis.toSeconds(tMs);
            double tickS = Millis.toSeconds(tickMs);
            int p = proposals.get(i);
            String at = x + " step " + i + " t=" + t + " proposal " + p;

            assertThat(now.step(tMs, p)).as(at).isEqualTo(before.step(t, p));
            assertThat(now.shownString()).as(at).isEqualTo(new String(before.shown));
            assertThat(now.interval()).as(at).isEqualTo(before.interval);
            assertThat(now.phase()).as(at).isEqualTo(before.phase);
            assertThat(now.targetPhase()).as(at).isEqualTo(before.target);
            assertThat(now.intervalStartMs()).as(at).isEqualTo(Millis.fromSeconds(before.intervalStartS));
            assertThat(now.phaseStartMs()).as(at).isEqualTo(Millis.fromSeconds(before.phaseStartS));

            TimingPlan a = new TimingPlan(0, m.id(), links);
            TimingPlan b = new TimingPlan(0, m.id(), links);
            a.begin(i, 0, 0, null);
            b.begin(i, 0, 0, null);
            PlanForecast.fill(a, now, p, tMs, tickMs, scratchA);
            PreviousForecast.fill(b, now, p, t, tickS, scratchB);
            PlannedSchedule schedule = schedule(m, now, p, later, i);
            PlanForecast.appendSchedule(a, now, p, schedule);
            PlanForecast.appendSchedule(b, now, p, schedule);
            assertThat(entries(a)).as(at).isEqualTo(entries(b));

            stateA.now(tMs);
            stateB.now(tMs);
            PlanForecast.publishLaneGreens(a, now, p, schedule, stateA, scratchA);
            PreviousForecast.publishLaneGreens(b, now, p, schedule, stateB, t, scratchB);
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                for (int k = 0; k < IntersectionState.HORIZON_S; k++) {
                    // An unknown second (NaN) equals an unknown one, and one the double seconds' sums reach by a
                    // sliver (the last planned end off by an ulp), whose share is then below 1e-9.
                    double shareA = stateA.plannedGreenShare(lane, k);
                    double shareB = stateB.plannedGreenShare(lane, k);
                    assertThat(Double.isNaN(shareA) ? 0 : shareA).as("%s lane %d second %d", at, lane, k)
                            .isCloseTo(Double.isNaN(shareB) ? 0 : shareB, within(1e-9));
                    if (Double.isNaN(shareA) != Double.isNaN(shareB)) {
                        assertThat(Double.isNaN(shareA) ? shareB : shareA).as("%s lane %d second %d", at, lane, k)
                                .isLessThan(1e-9);
                    }
                }
            }
        }
    }

    /** The plan's entries as "state duration" lines, durations in whole milliseconds. */
    private static String entries(TimingPlan plan) {
        StringBuilder s = new StringBuilder();
        char[] state = new char[plan.linkCount()];
        for (int e = 0; e < plan.entryCount(); e++) {
            plan.copyEntryState(e, state);
            s.append(state).append(' ').append(Millis.fromSeconds(plan.entryDurationS(e))).append('\n');
        }
        return s.toString();
    }

    /**
     * A schedule that starts with the green the interlock holds or heads for (so the forecast reads the rest) and
     * goes on with {@code later}, consecutive phases made to differ; a -1 in it ends the forecast's reading early.
     */
    private static PlannedSchedule schedule(IntersectionModel m, SafetyInterlock il, int proposal, List<Integer> later,
                                            int step) {
        int n = m.greenPhaseCount();
        int green = il.interval() == SafetyInterlock.GREEN ? (proposal >= 0 && proposal < n ? proposal : il.phase())
                : il.targetPhase();
        int[] phases = new int[later.size() + 1];
        double[] ends = new double[phases.length];
        phases[0] = green;
        ends[0] = 4 + step % 7;
        for (int i = 1; i < phases.length; i++) {
            int v = later.get(i - 1);
            phases[i] = v < 0 ? -1 : (v % n == phases[i - 1] ? (v + 1) % n : v % n);
            ends[i] = ends[i - 1] + 3 + (step + 5 * i) % 11;
        }
        return new PlannedSchedule() {
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
                return ends[i];
            }
        };
    }

    /** The interlock's stepping as it was when it spelled out the transition sequence itself. */
    static final class Previous {
        private static final double EPS_S = 1e-6;
        private final IntersectionModel model;
        final char[] shown;
        private final char[] candidate;
        int interval;
        int phase;
        int target;
        double intervalStartS;
        double phaseStartS;

        Previous(IntersectionModel model) {
            this.model = model;
            this.shown = new char[model.linkCount()];
            this.candidate = new char[model.linkCount()];
        }

        void reset(int greenPhase, double nowS) {
            phase = greenPhase;
            target = greenPhase;
            interval = SafetyInterlock.GREEN;
            intervalStartS = nowS;
            phaseStartS = nowS;
            for (int l = 0; l < shown.length; l++) {
                shown[l] = model.greenState(greenPhase, l);
            }
        }

        boolean step(double nowS, int proposedPhase) {
            switch (interval) {
                case SafetyInterlock.GREEN:
                    return stepGreen(nowS, proposedPhase);
                case SafetyInterlock.PEDESTRIAN_CLEARANCE:
                    if (nowS - intervalStartS + EPS_S >= model.pedestrianClearanceS(phase, target)) {
                        return enter(SafetyInterlock.YELLOW, nowS);
                    }
                    return false;
                case SafetyInterlock.YELLOW:
                    if (nowS - intervalStartS + EPS_S >= model.yellowS()) {
                        if (model.allRedS() > EPS_S) {
                            SafetyInterlock.transitionState(model, phase, target, SafetyInterlock.ALL_RED, candidate);
                            interval = SafetyInterlock.ALL_RED;
                            intervalStartS = nowS;
                            return emit();
                        }
                        return startGreen(nowS);
                    }
                    return false;
                default:
                    if (nowS - intervalStartS + EPS_S >= model.allRedS()) {
                        return startGreen(nowS);
                    }
                    return false;
            }
        }

        private boolean stepGreen(double nowS, int proposed) {
            int n = model.greenPhaseCount();
            int wanted = proposed;
            if (wanted < 0 || wanted >= n) {
                wanted = phase;
            }
            double elapsedS = nowS - phaseStartS;
            if (wanted == phase && n > 1 && elapsedS + EPS_S >= model.maxGreenS(phase)) {
                wanted = (phase + 1) % n;
            }
            if (wanted == phase) {
                return false;
            }
            if (elapsedS + EPS_S < model.effectiveMinGreenS(phase)) {
                return false;
            }
            target = wanted;
            return enter(model.pedestrianClearanceS(phase, target) > EPS_S ? SafetyInterlock.PEDESTRIAN_CLEARANCE
                    : SafetyInterlock.YELLOW, nowS);
        }

        private boolean enter(int next, double nowS) {
            SafetyInterlock.transitionState(model, phase, target, next, candidate);
            interval = next;
            intervalStartS = nowS;
            return emit();
        }

        private boolean startGreen(double nowS) {
            for (int l = 0; l < shown.length; l++) {
                candidate[l] = model.greenState(target, l);
            }
            phase = target;
            interval = SafetyInterlock.GREEN;
            intervalStartS = nowS;
            phaseStartS = nowS;
            return emit();
        }

        private boolean emit() {
            if (model.firstConflict(candidate) >= 0) {
                return false;
            }
            boolean changed = false;
            for (int l = 0; l < shown.length; l++) {
                changed |= shown[l] != candidate[l];
                shown[l] = candidate[l];
            }
            return changed;
        }
    }

    /** The plan forecast as it was when it restated the interlock's transition sequence. */
    static final class PreviousForecast {
        private static final double EPS_S = 1e-6;

        private PreviousForecast() {
        }

        static void fill(TimingPlan plan, SafetyInterlock il, int proposal, double nowS, double tickS,
                         char[] scratch) {
            IntersectionModel m = il.model();
            il.copyShown(scratch);
            double elapsedS = nowS - Millis.toSeconds(il.intervalStartMs());
            switch (il.interval()) {
                case SafetyInterlock.GREEN: {
                    int phase = il.phase();
                    double minLeftS = m.effectiveMinGreenS(phase) - (nowS - Millis.toSeconds(il.phaseStartMs()));
                    if (proposal < 0 || proposal >= m.greenPhaseCount() || proposal == phase) {
                        plan.add(scratch, Math.max(minLeftS, tickS));
                        return;
                    }
                    plan.add(scratch, Math.max(minLeftS, 0));
                    double pedestrianS = m.pedestrianClearanceS(phase, proposal);
                    if (pedestrianS > EPS_S) {
                        SafetyInterlock.transitionState(m, phase, proposal, SafetyInterlock.PEDESTRIAN_CLEARANCE,
                                scratch);
                        plan.add(scratch, pedestrianS);
                    }
                    amberAllRedAndGreen(plan, m, phase, proposal, scratch, m.yellowS(), m.allRedS());
                    return;
                }
                case SafetyInterlock.PEDESTRIAN_CLEARANCE:
                    plan.add(scratch, Math.max(m.pedestrianClearanceS(il.phase(), il.targetPhase()) - elapsedS, 0));
                    amberAllRedAndGreen(plan, m, il.phase(), il.targetPhase(), scratch, m.yellowS(), m.allRedS());
                    return;
                case SafetyInterlock.YELLOW:
                    plan.add(scratch, Math.max(m.yellowS() - elapsedS, 0));
                    amberAllRedAndGreen(plan, m, il.phase(), il.targetPhase(), scratch, 0, m.allRedS());
                    return;
                default:
                    plan.add(scratch, Math.max(m.allRedS() - elapsedS, 0));
                    amberAllRedAndGreen(plan, m, il.phase(), il.targetPhase(), scratch, 0, 0);
                    return;
            }
        }

        static void publishLaneGreens(TimingPlan plan, SafetyInterlock il, int proposal, PlannedSchedule schedule,
                                      IntersectionState state, double nowS, char[] scratch) {
            state.planBegin(nowS);
            double t = 0;
            int n = plan.entryCount();
            for (int e = 0; e < n && t < IntersectionState.HORIZON_S; e++) {
                plan.copyEntryState(e, scratch);
                state.planState(scratch, t, t + plan.entryDurationS(e));
                t += plan.entryDurationS(e);
            }
            if (n == 0 || schedule == null || schedule.plannedCount() == 0) {
                return;
            }
            IntersectionModel m = il.model();
            int green = il.interval() == SafetyInterlock.GREEN ? (proposal >= 0 && proposal < m.greenPhaseCount()
                    ? proposal : il.phase()) : il.targetPhase();
            if (schedule.plannedPhase(0) != green) {
                return;
            }
            for (int i = 1; i < schedule.plannedCount() && t < IntersectionState.HORIZON_S; i++) {
                int from = schedule.plannedPhase(i - 1);
                int to = schedule.plannedPhase(i);
                if (to < 0 || to >= m.greenPhaseCount() || from < 0 || from >= m.greenPhaseCount()) {
                    return;
                }
                double pedestrianS = m.pedestrianClearanceS(from, to);
                t = transition(state, m, from, to, SafetyInterlock.PEDESTRIAN_CLEARANCE, pedestrianS, t, scratch);
                t = transition(state, m, from, to, SafetyInterlock.YELLOW, m.yellowS(), t, scratch);
                t = transition(state, m, from, to, SafetyInterlock.ALL_RED, m.allRedS(), t, scratch);
                double endS = Math.max(t + m.effectiveMinGreenS(to), schedule.plannedEndS(i));
                for (int l = 0; l < scratch.length; l++) {
                    scratch[l] = m.greenState(to, l);
                }
                state.planState(scratch, t, endS);
                t = endS;
            }
        }

        private static double transition(IntersectionState state, IntersectionModel m, int from, int to,
                                         int interval, double durationS, double t, char[] scratch) {
            if (durationS <= EPS_S) {
                return t;
            }
            SafetyInterlock.transitionState(m, from, to, interval, scratch);
            state.planState(scratch, t, t + durationS);
            return t + durationS;
        }

        private static void amberAllRedAndGreen(TimingPlan plan, IntersectionModel m, int from, int target,
                                                char[] state, double yellowS, double allRedS) {
            if (yellowS > EPS_S) {
                SafetyInterlock.transitionState(m, from, target, SafetyInterlock.YELLOW, state);
                plan.add(state, yellowS);
            }
            if (allRedS > EPS_S) {
                SafetyInterlock.transitionState(m, from, target, SafetyInterlock.ALL_RED, state);
                plan.add(state, allRedS);
            }
            for (int l = 0; l < state.length; l++) {
                state[l] = m.greenState(target, l);
            }
            plan.add(state, m.effectiveMinGreenS(target));
        }
    }
}
