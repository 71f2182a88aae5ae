package org.greenwave.core.engine;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;

/**
 * Writes the schedule of a timing plan from the interlock's state right after a control tick: entry 0 is what the
 * interlock shows now, for the rest of the current interval; then the states it will show if the policy's proposal
 * stands (the crossings' clearance when one is needed, amber, all-red when the model has one, the target green for its
 * minimum green).
 *
 * <p>The transition's intervals, their order and lengths come from the interlock's own rule
 * ({@link SafetyInterlock#nextInterval}, {@link SafetyInterlock#intervalMs}), their states from
 * {@link SafetyInterlock#transitionState}; {@code PlanForecastPropertiesTest} checks that the forecast equals what the
 * interlock then shows. Lengths are worked out in the interlock's milliseconds; the plan carries them in seconds.
 *
 * <p>Threading: shard thread only. No allocation.
 */
final class PlanForecast {
    private PlanForecast() {
    }

    /**
     * Appends the schedule to {@code plan} (already begun).
     *
     * @param proposal the policy's proposal at this tick
     * @param scratch  a buffer of the model's link count
     */
    static void fill(TimingPlan plan, SafetyInterlock il, int proposal, long nowMs, long tickMs, char[] scratch) {
        IntersectionModel m = il.model();
        il.copyShown(scratch);
        int interval = il.interval();
        if (interval == SafetyInterlock.GREEN) {
            int phase = il.phase();
            long minLeftMs = m.effectiveMinGreenMs(phase) - (nowMs - il.phaseStartMs());
            if (proposal < 0 || proposal >= m.greenPhaseCount() || proposal == phase) {
                plan.add(scratch, Millis.toSeconds(Math.max(minLeftMs, tickMs)));
                return;
            }
            // The change was held for the minimum green: it comes when that is over.
            plan.add(scratch, Millis.toSeconds(Math.max(minLeftMs, 0)));
            transitionAndGreen(plan, m, phase, proposal, SafetyInterlock.GREEN, scratch);
            return;
        }
        int from = il.phase();
        int to = il.targetPhase();
        long leftMs = SafetyInterlock.intervalMs(m, from, to, interval) - (nowMs - il.intervalStartMs());
        plan.add(scratch, Millis.toSeconds(Math.max(leftMs, 0)));
        transitionAndGreen(plan, m, from, to, interval, scratch);
    }

    /**
     * Extends a plan written by {@link #fill} with the policy's planned schedule: the last entry (the green the
     * interlock is holding or heading for) lasts until the schedule's first segment ends, never less than {@code fill}
     * gave it. Later segments are not appended: field controllers take a plan's last entry as the state to head for
     * (see the SUMO adapter's {@code PlanBoard} and the MQTT plan encoding), so it must stay the proposal's green. Nothing
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

    /**
     * Publishes, into {@code state}, when each incoming lane will be green over the next
     * {@link IntersectionState#HORIZON_S} seconds from the tick's time: the entries of {@code plan} (written by
     * {@link #fill} and {@link #appendSchedule}), then, where the policy plans further ({@code schedule}, may be null)
     * and its first planned green is the plan's last entry, each later planned green after the transition the
     * interlock will run into it (pedestrian clearance, amber, all-red) and for at least its minimum green. Seconds
     * past the last planned end stay unknown. A plan without entries (a device's own program) leaves every second
     * unknown.
     */
    static void publishLaneGreens(TimingPlan plan, SafetyInterlock il, int proposal, PlannedSchedule schedule,
                                  IntersectionState state, char[] scratch) {
        state.planBegin(state.nowS());
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
            for (int iv = SafetyInterlock.nextInterval(m, from, to, SafetyInterlock.GREEN); iv != SafetyInterlock.GREEN;
                 iv = SafetyInterlock.nextInterval(m, from, to, iv)) {
                double durationS = Millis.toSeconds(SafetyInterlock.intervalMs(m, from, to, iv));
                SafetyInterlock.transitionState(m, from, to, iv, scratch);
                state.planState(scratch, t, t + durationS);
                t += durationS;
            }
            double endS = Math.max(t + Millis.toSeconds(m.effectiveMinGreenMs(to)), schedule.plannedEndS(i));
            for (int l = 0; l < scratch.length; l++) {
                scratch[l] = m.greenState(to, l);
            }
            state.planState(scratch, t, endS);
            t = endS;
        }
    }

    /**
     * The transition intervals from green phase {@code from} to {@code to} that follow {@code interval}, each for its
     * whole length, then the target's minimum green.
     */
    private static void transitionAndGreen(TimingPlan plan, IntersectionModel m, int from, int to, int interval,
                                           char[] state) {
        for (int iv = SafetyInterlock.nextInterval(m, from, to, interval); iv != SafetyInterlock.GREEN;
             iv = SafetyInterlock.nextInterval(m, from, to, iv)) {
            SafetyInterlock.transitionState(m, from, to, iv, state);
            plan.add(state, Millis.toSeconds(SafetyInterlock.intervalMs(m, from, to, iv)));
        }
        for (int l = 0; l < state.length; l++) {
            state[l] = m.greenState(to, l);
        }
        plan.add(state, Millis.toSeconds(m.effectiveMinGreenMs(to)));
    }
}
