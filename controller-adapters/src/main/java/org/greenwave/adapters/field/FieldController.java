package org.greenwave.adapters.field;

import java.util.Set;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;

/**
 * The signal controller at the intersection, as Greenwave's plans reach it: it follows the newest valid timing plan
 * through its own {@link SafetyInterlock}, so whatever arrives (late, lost, reordered, or after an outage), what the
 * signal shows keeps minimum green, amber, all-red and the conflict matrix. When no fresh plan is valid it falls back
 * to cycling the signal's own green phases with their own durations, through the same interlock.
 *
 * <p>A plan is followed when its sequence is newer than the last one taken (the engine numbers its plans from its
 * start time, so a restarted engine is followed at once while an old plan sent again is not), its expiry has not
 * passed, it is valid for at most {@link #maxValidityMs()} both from its issue and from now, any device program it
 * names is one this controller was configured to run, and a request for SUMO's {@code off} program (flash or dark)
 * comes with an operator's flash request. Otherwise it is refused with a {@link PlanRefusal}, counted. Its target
 * is the green phase its schedule ends in; following a plan means proposing that phase to the local interlock, which
 * keeps the field in step with the engine's interlock when plans arrive on time. A plan that names a device program
 * leaves the signal to that program; the local interlock then stands still.
 *
 * <p>Times are compared without overflow, whatever the numbers a plan carries ({@code Long.MIN_VALUE},
 * {@code Long.MAX_VALUE}).
 *
 * <p>Threading: single-threaded; {@link #offerPlan} and {@link #step} are called by the thread that drives this
 * controller (plans from other threads must be handed over first).
 */
public final class FieldController {
    /** The default of {@link #maxValidityMs()}, milliseconds. */
    public static final long MAX_PLAN_LIFETIME_MS = 600_000;
    /** SUMO's program id that switches a signal off (dark). */
    public static final String OFF_PROGRAM = "off";

    private final IntersectionModel model;
    private final Set<String> devicePrograms;
    private final SafetyInterlock interlock;
    private final long maxValidityMs;
    private final PlanRefusals refusals;
    private boolean hasPlan;
    private long lastSequence = Long.MIN_VALUE;
    private long planExpiresAtMs = Long.MIN_VALUE;
    private int planTarget = -1;
    private String deviceProgram;
    private String flashOperator;
    private boolean fallback = true;
    /** The device program the signal runs now, handed over from the interlock at a green; null while it drives. */
    private String running;
    private long plansTaken;
    private long plansIgnored;
    private long fallbackSteps;
    private long fallbacksEntered;
    private long fallbackMs;
    /** Time of the last {@link #step}, ms; {@code Long.MIN_VALUE} before the first. */
    private long lastStepMs = Long.MIN_VALUE;

    /** A controller that may hand the signal only to its own program ({@link IntersectionModel#sourceProgramId}). */
    public FieldController(IntersectionModel model) {
        this(model, Set.of(model.sourceProgramId()));
    }

    /**
     * @param devicePrograms the device programs a plan may hand the signal to (an allow-list the field side
     *                       configures); never {@link #OFF_PROGRAM}
     */
    public FieldController(IntersectionModel model, Set<String> devicePrograms) {
        this(model, devicePrograms, MAX_PLAN_LIFETIME_MS, new PlanRefusals());
    }

    /**
     * @param devicePrograms the device programs a plan may hand the signal to (an allow-list the field side
     *                       configures); never {@link #OFF_PROGRAM}, which only an operator's flash request runs
     * @param maxValidityMs  longest a plan may be valid, from its issue and from its arrival, milliseconds
     * @param refusals       where refused plans are counted (may be shared by a field side's controllers)
     */
    public FieldController(IntersectionModel model, Set<String> devicePrograms, long maxValidityMs,
                           PlanRefusals refusals) {
        if (devicePrograms.contains(OFF_PROGRAM)) {
            throw new IllegalArgumentException("signal " + model.id() + ": program '" + OFF_PROGRAM
                    + "' switches the signal dark and cannot be allowed for plans");
        }
        if (maxValidityMs <= 0) {
            throw new IllegalArgumentException("the longest plan validity must be positive, was " + maxValidityMs
                    + " ms");
        }
        this.model = model;
        this.devicePrograms = Set.copyOf(devicePrograms);
        this.maxValidityMs = maxValidityMs;
        this.refusals = java.util.Objects.requireNonNull(refusals, "refusals");
        this.interlock = new SafetyInterlock(model);
    }

    /** Starts showing {@code greenPhase} at {@code nowMs}, in fallback until a plan arrives. */
    public void reset(int greenPhase, long nowMs) {
        interlock.reset(greenPhase, nowMs);
    }

    /**
     * Offers a plan whose signature the caller has checked (or one handed over in process). A plan refused for a
     * {@link PlanRefusal} is counted and changes nothing.
     *
     * @param flashOperator the operator who asked for flash, with device program {@link #OFF_PROGRAM}; else null
     * @param finalState    the state the plan's schedule ends in (its target green), or null with a device program
     * @return true when the plan was taken
     */
    public boolean offerPlan(long sequence, long issuedAtMs, long expiresAtMs, String deviceProgram,
                             String flashOperator, CharSequence finalState, long nowMs) {
        PlanRefusal refusal = judge(sequence, issuedAtMs, expiresAtMs, deviceProgram, flashOperator, nowMs);
        int target = -1;
        if (refusal == null && deviceProgram == null) {
            target = greenPhaseOf(finalState);
            if (target < 0) {
                refusal = PlanRefusal.NOT_A_GREEN_PHASE;
            }
        }
        if (refusal != null) {
            refusals.count(refusal);
            plansIgnored++;
            return false;
        }
        hasPlan = true;
        lastSequence = sequence;
        planExpiresAtMs = expiresAtMs;
        planTarget = target;
        this.deviceProgram = deviceProgram;
        this.flashOperator = deviceProgram == null ? null : flashOperator;
        plansTaken++;
        return true;
    }

    private PlanRefusal judge(long sequence, long issuedAtMs, long expiresAtMs, String program, String operator,
                              long nowMs) {
        if (expiresAtMs < nowMs) {
            return PlanRefusal.EXPIRED;
        }
        if (!within(issuedAtMs, expiresAtMs, maxValidityMs) || !within(nowMs, expiresAtMs, maxValidityMs)) {
            return PlanRefusal.VALIDITY_TOO_LONG;
        }
        if (hasPlan && sequence <= lastSequence) {
            return PlanRefusal.REPLAYED;
        }
        if (OFF_PROGRAM.equals(program)) {
            return operator == null || operator.isBlank() ? PlanRefusal.DARK_WITHOUT_OPERATOR : null;
        }
        if (program != null && !devicePrograms.contains(program)) {
            return PlanRefusal.PROGRAM_NOT_ALLOWED;
        }
        return null;
    }

    /** Whether {@code to} lies at most {@code maxMs} after {@code from} (and not before it), without overflow. */
    static boolean within(long from, long to, long maxMs) {
        if (to < from) {
            return false;
        }
        // to >= from: the difference is non-negative unless it overflowed, i.e. exceeds Long.MAX_VALUE.
        long d = to - from;
        return d >= 0 && d <= maxMs;
    }

    private int greenPhaseOf(CharSequence state) {
        if (state == null || state.length() != model.linkCount()) {
            return -1;
        }
        for (int p = 0; p < model.greenPhaseCount(); p++) {
            boolean same = true;
            for (int l = 0; l < model.linkCount() && same; l++) {
                same = model.greenState(p, l) == state.charAt(l);
            }
            if (same) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Advances the signal to {@code nowMs} (the engine clock's time line, milliseconds).
     *
     * @return true when the shown state changed (read it with {@link #shownString()})
     */
    public boolean step(long nowMs) {
        boolean wasFallback = fallback;
        fallback = !hasPlan || planExpiresAtMs < nowMs;
        if (fallback && !wasFallback) {
            fallbacksEntered++;
        }
        if (fallback && lastStepMs != Long.MIN_VALUE) {
            fallbackMs += nowMs - lastStepMs;
        }
        lastStepMs = nowMs;
        if (running != null) {
            // The device program stays in charge until the adapter hands the signal back (resume), also while plans
            // are late: the device has nothing safer to run.
            return false;
        }
        if (!fallback && deviceProgram != null) {
            // Hand over at a green only: the device program then starts from the stage the interlock shows, so no
            // amber or clearance is cut short.
            if (interlock.interval() == SafetyInterlock.GREEN) {
                running = deviceProgram;
                return false;
            }
            return interlock.step(nowMs, interlock.targetPhase());
        }
        int proposal;
        if (fallback) {
            fallbackSteps++;
            proposal = fallbackProposal(nowMs);
        } else {
            proposal = planTarget;
        }
        return interlock.step(nowMs, proposal);
    }

    /**
     * Whether the device runs its own program but the newest valid plan wants the interlock back: the adapter calls
     * {@link #resume} once the device shows one of the model's green phases.
     */
    public boolean wantsInterlock() {
        return running != null && !fallback && deviceProgram == null;
    }

    /** Takes the signal back from its device program, which shows green phase {@code greenPhase} from {@code nowMs}. */
    public void resume(int greenPhase, long nowMs) {
        interlock.reset(greenPhase, nowMs);
        running = null;
    }

    /** The signal's own program: each green phase for its own duration, in order. */
    private int fallbackProposal(long nowMs) {
        if (interlock.interval() != SafetyInterlock.GREEN) {
            return interlock.targetPhase();
        }
        int phase = interlock.phase();
        if (nowMs - interlock.phaseStartMs() >= model.programGreenMs(phase)) {
            return (phase + 1) % model.greenPhaseCount();
        }
        return phase;
    }

    /** The device program the signal runs now, or null while the interlock drives it. */
    public String deviceProgram() {
        return running;
    }

    /** True while no valid plan drives the signal. */
    public boolean inFallback() {
        return fallback;
    }

    public String shownString() {
        return interlock.shownString();
    }

    public SafetyInterlock interlock() {
        return interlock;
    }

    public long plansTaken() {
        return plansTaken;
    }

    public long plansIgnored() {
        return plansIgnored;
    }

    /** Where this controller counts the plans it refused, by reason. */
    public PlanRefusals refusals() {
        return refusals;
    }

    /** Longest a plan may be valid, from its issue and from its arrival, milliseconds. */
    public long maxValidityMs() {
        return maxValidityMs;
    }

    /** The operator whose flash request the signal follows now, or null. */
    public String flashOperator() {
        return fallback ? null : flashOperator;
    }

    /** Steps run without a valid plan. */
    public long fallbackSteps() {
        return fallbackSteps;
    }

    /**
     * Times this controller went from following a plan to its fallback because the plan ran out with no newer valid
     * one (the fallback it starts in is not counted).
     */
    public long fallbacksEntered() {
        return fallbacksEntered;
    }

    /**
     * Time spent in fallback, milliseconds of the time {@link #step} is given: each interval between two steps counts
     * when the later step finds no valid plan.
     */
    public long fallbackMs() {
        return fallbackMs;
    }
}
