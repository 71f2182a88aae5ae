package org.greenwave.core.engine;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.safety.SafetyInterlock;

/**
 * Writes the schedule of a timing plan from the interlock's state right after a control tick: entry 0 is what the
 * interlock shows now, for the rest of the current interval; then the states it will show if the policy's proposal
 * stands (amber, all-red when the model has one, the target green for its minimum green).
 *
 * <p>The amber and all-red states are derived by the same rules as {@link SafetyInterlock}'s transition (a link that
 * loses its green shows amber, a protected green that becomes permissive turns permissive at once, the others keep
 * their state; the all-red turns the ambers red). The interlock keeps those rules private and the safety package is
 * not the engine's to change, so they are restated here; {@code PlanForecastTest} checks that the forecast equals
 * what the interlock then shows.
 *
 * <p>Threading: shard thread only. No allocation.
 */
final class PlanForecast {
    /** The interlock's tolerance for comparing times, seconds. */
    private static final double EPS_S = 1e-6;

    private PlanForecast() {
    }

    /**
     * Appends the schedule to {@code plan} (already begun).
     *
     * @param proposal the policy's proposal at this tick
     * @param scratch  a buffer of the model's link count
     */
    static void fill(TimingPlan plan, SafetyInterlock il, int proposal, double nowS, double tickS, char[] scratch) {
        IntersectionModel m = il.model();
        il.copyShown(scratch);
        double elapsedS = nowS - il.intervalStartS();
        switch (il.interval()) {
            case SafetyInterlock.GREEN: {
                int phase = il.phase();
                double minLeftS = m.effectiveMinGreenS(phase) - (nowS - il.phaseStartS());
                if (proposal < 0 || proposal >= m.greenPhaseCount() || proposal == phase) {
                    plan.add(scratch, Math.max(minLeftS, tickS));
                    return;
                }
                // The change was held for the minimum green: it comes when that is over.
                plan.add(scratch, Math.max(minLeftS, 0));
                amber(m, phase, proposal, scratch);
                plan.add(scratch, m.yellowS());
                allRedAndGreen(plan, m, proposal, scratch, m.allRedS());
                return;
            }
            case SafetyInterlock.YELLOW:
                plan.add(scratch, Math.max(m.yellowS() - elapsedS, 0));
                allRedAndGreen(plan, m, il.targetPhase(), scratch, m.allRedS());
                return;
            default:
                plan.add(scratch, Math.max(m.allRedS() - elapsedS, 0));
                allRedAndGreen(plan, m, il.targetPhase(), scratch, 0);
                return;
        }
    }

    /**
     * Extends a plan written by {@link #fill} with the policy's planned schedule: the last entry (the green the
     * interlock is holding or heading for) lasts until the schedule's first segment ends, never less than {@code fill}
     * gave it. Later segments are not appended: field controllers take a plan's last entry as the state to head for
     * (see the harness's {@code PlanBoard} and the MQTT plan encoding), so it must stay the proposal's green. Nothing
     * changes when the schedule does not start with that green.
     */
    static void appendSchedule(TimingPlan plan, SafetyInterlock il, int proposal, PlannedSchedule schedule) {
        IntersectionModel m = il.model();
        int n = plan.entryCount();
        if (n == 0 || schedule.plannedCount() == 0) {
            return;
        }
        int green = il.interval() == SafetyInterlock.GREEN ? (proposal >= 0 && proposal < m.greenPhaseCount()
                ? proposal : il.phase()) : il.targetPhase();
        if (schedule.plannedPhase(0) != green) {
            return;
        }
        double lastStartS = 0;
        for (int e = 0; e < n - 1; e++) {
            lastStartS += plan.entryDurationS(e);
        }
        plan.entryDurationS(n - 1, Math.max(plan.entryDurationS(n - 1), schedule.plannedEndS(0) - lastStartS));
    }

    /** From the amber in {@code state}: the all-red for {@code allRedS} (if any), then the target's minimum green. */
    private static void allRedAndGreen(TimingPlan plan, IntersectionModel m, int target, char[] state, double allRedS) {
        if (allRedS > EPS_S) {
            for (int l = 0; l < state.length; l++) {
                if (state[l] == SignalChar.YELLOW) {
                    state[l] = SignalChar.RED;
                }
            }
            plan.add(state, allRedS);
        }
        for (int l = 0; l < state.length; l++) {
            state[l] = m.greenState(target, l);
        }
        plan.add(state, m.effectiveMinGreenS(target));
    }

    /** The amber shown when leaving green phase {@code from} for {@code to}. */
    private static void amber(IntersectionModel m, int from, int to, char[] out) {
        for (int l = 0; l < out.length; l++) {
            char f = m.greenState(from, l);
            char t = m.greenState(to, l);
            if (SignalChar.isGreen(f) && !SignalChar.isGreen(t)) {
                out[l] = SignalChar.YELLOW;
            } else if (f == SignalChar.GREEN && t == SignalChar.GREEN_MINOR) {
                out[l] = SignalChar.GREEN_MINOR;
            } else {
                out[l] = f;
            }
        }
    }
}
