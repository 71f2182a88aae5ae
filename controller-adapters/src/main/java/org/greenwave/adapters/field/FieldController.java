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
 * <p>A plan is followed when its sequence is newer than the last one taken, its expiry has not passed and lies at
 * most {@link #MAX_PLAN_LIFETIME_MS} ahead, and any device program it names is one this controller was configured to
 * run (never SUMO's {@code off}, which switches the signal dark). Its target
 * is the green phase its schedule ends in; following a plan means proposing that phase to the local interlock, which
 * keeps the field in step with the engine's interlock when plans arrive on time. A plan that names a device program
 * leaves the signal to that program; the local interlock then stands still.
 *
 * <p>Threading: single-threaded; {@link #offerPlan} and {@link #step} are called by the thread that drives this
 * controller (plans from other threads must be handed over first).
 */
public final class FieldController {
    /** A plan may be valid for at most this long from its arrival; one that claims longer is refused, milliseconds. */
    public static final long MAX_PLAN_LIFETIME_MS = 600_000;
    /** SUMO's program id that switches a signal off (dark). */
    public static final String OFF_PROGRAM = "off";

    private final IntersectionModel model;
    private final Set<String> devicePrograms;
    private final SafetyInterlock interlock;
    private long lastSequence = Long.MIN_VALUE;
    private long planExpiresAtMs = Long.MIN_VALUE;
    private int planTarget = -1;
    private String deviceProgram;
    private boolean fallback = true;
    /** The device program the signal runs now, handed over from the interlock at a green; null while it drives. */
    private String running;
    private long plansTaken;
    private long plansIgnored;
    private long programsRefused;
    private long fallbackSteps;

    /** A controller that may hand the signal only to its own program ({@link IntersectionModel#sourceProgramId}). */
    public FieldController(IntersectionModel model) {
        this(model, Set.of(model.sourceProgramId()));
    }

    /**
     * @param devicePrograms the device programs a plan may hand the signal to (an allow-list the field side
     *                       configures); never {@link #OFF_PROGRAM}
     */
    public FieldController(IntersectionModel model, Set<String> devicePrograms) {
        if (devicePrograms.contains(OFF_PROGRAM)) {
            throw new IllegalArgumentException("signal " + model.id() + ": program '" + OFF_PROGRAM
                    + "' switches the signal dark and cannot be allowed for plans");
        }
        this.model = model;
        this.devicePrograms = Set.copyOf(devicePrograms);
        this.interlock = new SafetyInterlock(model);
    }

    /** Starts showing {@code greenPhase} at {@code nowS}, in fallback until a plan arrives. */
    public void reset(int greenPhase, double nowS) {
        interlock.reset(greenPhase, nowS);
    }

    /**
     * Offers a plan. Plans older than the newest taken, already expired or valid for longer than {@link
     * #MAX_PLAN_LIFETIME_MS}, naming a device program outside the allow-list, or whose final state is not a green
     * phase of this intersection are ignored (and counted).
     *
     * @param finalState the state the plan's schedule ends in (its target green), or null with a device program
     * @return true when the plan was taken
     */
    public boolean offerPlan(long sequence, long expiresAtMs, String deviceProgram, CharSequence finalState, long nowMs) {
        // Plain comparisons: expiry is an absolute time, and a difference could overflow (Long.MIN_VALUE).
        if (sequence <= lastSequence || expiresAtMs < nowMs || expiresAtMs > nowMs + MAX_PLAN_LIFETIME_MS) {
            plansIgnored++;
            return false;
        }
        if (deviceProgram != null && !devicePrograms.contains(deviceProgram)) {
            programsRefused++;
            plansIgnored++;
            return false;
        }
        int target = -1;
        if (deviceProgram == null) {
            target = greenPhaseOf(finalState);
            if (target < 0) {
                plansIgnored++;
                return false;
            }
        }
        lastSequence = sequence;
        planExpiresAtMs = expiresAtMs;
        planTarget = target;
        this.deviceProgram = deviceProgram;
        plansTaken++;
        return true;
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
     * Advances the signal to {@code nowS}.
     *
     * @return true when the shown state changed (read it with {@link #shownString()})
     */
    public boolean step(double nowS) {
        long nowMs = Math.round(nowS * 1000);
        fallback = lastSequence == Long.MIN_VALUE || planExpiresAtMs < nowMs;
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
            return interlock.step(nowS, interlock.targetPhase());
        }
        int proposal;
        if (fallback) {
            fallbackSteps++;
            proposal = fallbackProposal(nowS);
        } else {
            proposal = planTarget;
        }
        return interlock.step(nowS, proposal);
    }

    /**
     * Whether the device runs its own program but the newest valid plan wants the interlock back: the adapter calls
     * {@link #resume} once the device shows one of the model's green phases.
     */
    public boolean wantsInterlock() {
        return running != null && !fallback && deviceProgram == null;
    }

    /** Takes the signal back from its device program, which shows green phase {@code greenPhase} from {@code nowS}. */
    public void resume(int greenPhase, double nowS) {
        interlock.reset(greenPhase, nowS);
        running = null;
    }

    /** The signal's own program: each green phase for its own duration, in order. */
    private int fallbackProposal(double nowS) {
        if (interlock.interval() != SafetyInterlock.GREEN) {
            return interlock.targetPhase();
        }
        int phase = interlock.phase();
        if (nowS - interlock.phaseStartS() + 1e-6 >= model.programGreenS(phase)) {
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

    /** Plans ignored because they named a device program outside the allow-list (e.g. {@code off}). */
    public long programsRefused() {
        return programsRefused;
    }

    /** Steps run without a valid plan. */
    public long fallbackSteps() {
        return fallbackSteps;
    }
}
