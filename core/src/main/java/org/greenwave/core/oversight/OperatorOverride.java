package org.greenwave.core.oversight;

import java.util.Locale;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.time.Millis;

/**
 * The operator-override layer of one signal, between its policy and its {@link SafetyInterlock}: while an override
 * is in force it replaces the policy's proposal (or, for a device mode, hands the signal to a device program); the
 * interlock then decides as it does for any proposal. The policy keeps running every tick, so its bookkeeping (and
 * what it would have done) stays current, and adaptive control resumes without a gap.
 *
 * <ul>
 *   <li>{@link OperatorCommand.Kind#HOLD}: proposes the green phase shown (or being changed to) when the command was
 *       taken. The interlock's maximum green still ends it; then the held phase is proposed again.</li>
 *   <li>{@link OperatorCommand.Kind#ADVANCE}: proposes the phase until the interlock shows it green; then the override
 *       is complete and adaptive control resumes. The current phase keeps its minimum green, amber and all-red.</li>
 *   <li>{@link OperatorCommand.Kind#FREEZE}: follows the green segments the policy had planned at the command (for a
 *       policy that plans none, the phase shown), then holds the last one.</li>
 *   <li>{@link OperatorCommand.Kind#FIXED_PLAN}: the green phases in order, each green for its fixed time from when the
 *       interlock shows it (phases with 0 s skipped), starting with the phase shown.</li>
 *   <li>{@link OperatorCommand.Kind#OWN_PROGRAM}: the plan names the signal's own program; the device runs it.</li>
 *   <li>{@link OperatorCommand.Kind#FLASH}: the phase shown is held until the interlock shows it green past its minimum
 *       green; then the plan names the device's {@code off} program with {@code operatorFlash} set, the only plan the
 *       engine ever issues with it. On a signal whose policy runs a device program, the flash starts at once: the
 *       device keeps its own phases' timing.</li>
 * </ul>
 * Leaving a device mode (own program, flash) the engine's interlock takes up from where it stood, as after the
 * watchdog's hand-back; the field controller's own interlock keeps the clearance between the device's program and the
 * engine's plans.
 *
 * <p>Threading: the signal's shard thread only, except {@link #status()}, which any thread may read (an immutable
 * object, replaced on change). No allocation per tick; a command's application and end allocate their events.
 */
public final class OperatorOverride {
    /** The program id SUMO and field devices use for a dark, flashing signal. */
    public static final String FLASH_PROGRAM = "off";
    /** Most planned segments a freeze keeps. */
    private static final int MAX_FROZEN = 16;

    private final int intersection;
    private final IntersectionModel model;
    private final OversightListener listener;
    private OperatorCommand active;
    private long sinceMs;
    private long expiresAtMs;
    private boolean flashing;
    private int heldPhase = -1;
    private int fixedPhase;
    private final int[] frozenPhase = new int[MAX_FROZEN];
    private final long[] frozenEndMs = new long[MAX_FROZEN];
    private int frozenCount;
    private volatile OverrideStatus status;

    public OperatorOverride(int intersection, IntersectionModel model, OversightListener listener) {
        this.intersection = intersection;
        this.model = model;
        this.listener = listener;
    }

    /**
     * Takes a command at {@code nowMs} (engine time), replacing the one in force.
     *
     * @param plannedAtMs the time of the signal's last control tick (the policy's schedule is relative to it), or
     *                    {@code nowMs} before the first
     */
    public void apply(OperatorCommand c, long nowMs, long plannedAtMs, SafetyInterlock il, SignalPolicy policy) {
        OperatorCommand previous = active;
        if (c.kind() == OperatorCommand.Kind.ADAPTIVE) {
            if (previous != null) {
                end(OversightEvent.Type.CLEARED, nowMs, "adaptive control resumed: " + c.setBy() + " ended "
                        + previous.describe() + " set by " + previous.setBy());
            }
            emit(OversightEvent.Type.APPLIED, c, nowMs, previous == null ? "adaptive control already in force"
                    : "adaptive control");
            return;
        }
        if (previous != null) {
            emit(OversightEvent.Type.REPLACED, previous, nowMs, "replaced by " + c.describe() + " set by " + c.setBy());
        }
        active = c;
        sinceMs = nowMs;
        expiresAtMs = nowMs + c.durationMs();
        flashing = false;
        int shownGreen = il.interval() == SafetyInterlock.GREEN ? il.phase() : il.targetPhase();
        heldPhase = -1;
        switch (c.kind()) {
            case HOLD:
                heldPhase = shownGreen;
                break;
            case ADVANCE:
                heldPhase = c.phase();
                break;
            case FIXED_PLAN:
                fixedPhase = c.fixedGreenS(shownGreen) > 0 ? shownGreen : nextFixed(c, shownGreen);
                break;
            case FREEZE:
                freeze(policy, shownGreen, plannedAtMs);
                break;
            case FLASH:
                // A device program runs the signal: the engine knows nothing of its phases, the device keeps them.
                flashing = policy.deviceProgram() != null;
                break;
            default:
                break;
        }
        publish();
        emit(OversightEvent.Type.APPLIED, c, nowMs, c.describe() + " until engine time "
                + String.format(Locale.ROOT, "%.0f s", Millis.toSeconds(expiresAtMs)));
    }

    private void freeze(SignalPolicy policy, int shownGreen, long plannedAtMs) {
        frozenCount = 0;
        if (policy instanceof PlannedSchedule) {
            PlannedSchedule s = (PlannedSchedule) policy;
            int n = Math.min(s.plannedCount(), MAX_FROZEN);
            for (int i = 0; i < n; i++) {
                frozenPhase[i] = s.plannedPhase(i);
                frozenEndMs[i] = plannedAtMs + Millis.fromSeconds(s.plannedEndS(i));
            }
            frozenCount = n;
        }
        if (frozenCount == 0) {
            frozenPhase[0] = shownGreen;
            frozenEndMs[0] = Long.MAX_VALUE;
            frozenCount = 1;
        }
    }

    /** Ends the override when its time is up; call once per tick, before {@link #deviceProgram} and {@link #propose}. */
    public void beforeTick(long nowMs) {
        if (active != null && expiresAtMs - nowMs <= 0) {
            end(OversightEvent.Type.EXPIRED, nowMs, active.describe() + " set by " + active.setBy()
                    + " expired; adaptive control resumed");
        }
    }

    /** Whether an override is in force. */
    public boolean active() {
        return active != null;
    }

    /**
     * The device program the plan names now, or null when the engine drives the signal (adaptive or an engine-driven
     * override). For flash, non-null only once the minimum green is over (see {@link #propose}).
     */
    public String deviceProgram() {
        if (active == null) {
            return null;
        }
        if (active.kind() == OperatorCommand.Kind.OWN_PROGRAM) {
            return model.sourceProgramId();
        }
        return flashing ? FLASH_PROGRAM : null;
    }

    /** Whether the plan is an operator's all-red flash. */
    public boolean flashing() {
        return flashing;
    }

    /** Who set the override in force, or null when none is. */
    public String setBy() {
        return active == null ? null : active.setBy();
    }

    /**
     * The proposal to hand to the interlock in place of the policy's, for an override the engine drives (also flash
     * before it starts). Call only when {@link #active()} and {@link #deviceProgram()} is null.
     *
     * @param il the interlock before this tick's step
     */
    public int propose(long nowMs, SafetyInterlock il) {
        OperatorCommand c = active;
        switch (c.kind()) {
            case HOLD:
            case ADVANCE:
                return heldPhase;
            case FREEZE: {
                for (int i = 0; i < frozenCount; i++) {
                    if (frozenEndMs[i] - nowMs > 0) {
                        return frozenPhase[i];
                    }
                }
                return frozenPhase[frozenCount - 1];
            }
            case FIXED_PLAN: {
                if (il.interval() == SafetyInterlock.GREEN && il.phase() == fixedPhase
                        && nowMs - il.phaseStartMs() >= c.fixedGreenMs(fixedPhase)) {
                    fixedPhase = nextFixed(c, fixedPhase);
                }
                return fixedPhase;
            }
            case FLASH: {
                int shown = il.phase();
                if (il.interval() == SafetyInterlock.GREEN
                        && nowMs - il.phaseStartMs() >= model.effectiveMinGreenMs(shown)) {
                    flashing = true;
                    publish();
                    emit(OversightEvent.Type.FLASHING, c, nowMs, "minimum green of phase " + shown
                            + " over; all-red flash");
                }
                return il.interval() == SafetyInterlock.GREEN ? shown : il.targetPhase();
            }
            default:
                throw new IllegalStateException("not an engine-driven override: " + c.kind());
        }
    }

    /** After the interlock's step: an advance whose phase now shows green is complete. */
    public void afterStep(long nowMs, SafetyInterlock il) {
        if (active != null && active.kind() == OperatorCommand.Kind.ADVANCE && il.interval() == SafetyInterlock.GREEN
                && il.phase() == heldPhase) {
            end(OversightEvent.Type.COMPLETED, nowMs, "phase " + heldPhase + " shows green; adaptive control resumed");
        }
    }

    /** The override in force, or null under adaptive control; any thread. */
    public OverrideStatus status() {
        return status;
    }

    private int nextFixed(OperatorCommand c, int from) {
        int n = c.fixedPhaseCount();
        for (int i = 1; i <= n; i++) {
            int p = (from + i) % n;
            if (c.fixedGreenS(p) > 0) {
                return p;
            }
        }
        return from;
    }

    private void end(OversightEvent.Type type, long nowMs, String message) {
        OperatorCommand c = active;
        active = null;
        flashing = false;
        heldPhase = -1;
        publish();
        emit(type, c, nowMs, message);
    }

    private void publish() {
        status = active == null ? null : new OverrideStatus(active, Millis.toSeconds(sinceMs),
                Millis.toSeconds(expiresAtMs), flashing, heldPhase);
    }

    private void emit(OversightEvent.Type type, OperatorCommand c, long nowMs, String message) {
        listener.onEvent(new OversightEvent(intersection, model.id(), type, c, Millis.toSeconds(nowMs), message));
    }
}
