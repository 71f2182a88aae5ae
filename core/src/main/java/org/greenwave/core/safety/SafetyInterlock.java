package org.greenwave.core.safety;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;

/**
 * Decides what one intersection shows, given what a policy proposes. Policies propose a green phase; the interlock
 * alone turns proposals into signal states and guarantees, whatever the proposal:
 * <ul>
 *   <li>a green phase is held for at least its minimum green (raised to the pedestrian minimum of every crossing
 *       green in it, {@link IntersectionModel#effectiveMinGreenMs}) and at most its maximum green;</li>
 *   <li>every link that loses its green shows amber for {@link IntersectionModel#yellowMs()}, then red;</li>
 *   <li>a crossing whose walkers need longer to clear than the amber and all-red turns red first, and the other links
 *       keep their green for the difference ({@link IntersectionModel#pedestrianClearanceMs}) before their amber;</li>
 *   <li>the all-red clearance {@link IntersectionModel#allRedMs()} passes before any link gains a protected green;</li>
 *   <li>a link that gains a protected green does so only after every conflicting link's amber and all-red;</li>
 *   <li>two conflicting links never show a protected green together (checked again on every state it emits).</li>
 * </ul>
 * A proposal that would break a rule is corrected (held, or replaced by the next phase at maximum green) and counted;
 * it never passes.
 *
 * <p>Time is the engine's integer milliseconds, durations the model's millisecond ones; an interval is over when
 * {@code nowMs - startMs >= durationMs}, exactly, with no tolerance.
 *
 * <p>Threading: single writer. One instance per intersection, owned by the thread that runs that intersection's
 * control tick. No allocation after construction.
 */
public final class SafetyInterlock {
    /** The interval the intersection is in. */
    public static final int GREEN = 0;
    public static final int YELLOW = 1;
    public static final int ALL_RED = 2;
    /** Crossings that lose their green show red while the other links keep theirs, before the amber. */
    public static final int PEDESTRIAN_CLEARANCE = 3;

    private final IntersectionModel model;
    private final char[] shown;
    private final char[] candidate;
    private int interval;
    private int phase;
    private int target;
    private long intervalStartMs;
    private long phaseStartMs;
    private long heldForMinGreen;
    private long invalidProposals;
    private long maxGreenForced;
    private long conflictsBlocked;

    public SafetyInterlock(IntersectionModel model) {
        this.model = model;
        this.shown = new char[model.linkCount()];
        this.candidate = new char[model.linkCount()];
    }

    /** Starts in green phase {@code greenPhase} at {@code nowMs}, as if it had just begun. */
    public void reset(int greenPhase, long nowMs) {
        if (greenPhase < 0 || greenPhase >= model.greenPhaseCount()) {
            throw new IllegalArgumentException("green phase " + greenPhase + " out of range for signal " + model.id());
        }
        phase = greenPhase;
        target = greenPhase;
        interval = GREEN;
        intervalStartMs = nowMs;
        phaseStartMs = nowMs;
        for (int l = 0; l < shown.length; l++) {
            shown[l] = model.greenState(greenPhase, l);
        }
    }

    /**
     * Advances to {@code nowMs} with the policy's proposal.
     *
     * @param nowMs         current engine time, milliseconds; non-decreasing between calls
     * @param proposedPhase the green phase the policy wants; any int is accepted, out-of-range values are counted and
     *                      treated as "keep the current phase"
     * @return true when the shown state changed
     */
    public boolean step(long nowMs, int proposedPhase) {
        switch (interval) {
            case GREEN:
                return stepGreen(nowMs, proposedPhase);
            default:
                if (nowMs - intervalStartMs >= intervalMs(model, phase, target, interval)) {
                    int next = nextInterval(model, phase, target, interval);
                    return next == GREEN ? startGreen(nowMs) : enter(next, nowMs);
                }
                return false;
        }
    }

    private boolean stepGreen(long nowMs, int proposed) {
        int n = model.greenPhaseCount();
        int wanted = proposed;
        if (wanted < 0 || wanted >= n) {
            invalidProposals++;
            wanted = phase;
        }
        long elapsedMs = nowMs - phaseStartMs;
        if (wanted == phase && n > 1 && elapsedMs >= model.maxGreenMs(phase)) {
            maxGreenForced++;
            wanted = (phase + 1) % n;
        }
        if (wanted == phase) {
            return false;
        }
        if (elapsedMs < model.effectiveMinGreenMs(phase)) {
            heldForMinGreen++;
            return false;
        }
        target = wanted;
        return enter(nextInterval(model, phase, target, GREEN), nowMs);
    }

    /** Begins transition interval {@code next} from {@link #phase} to {@link #target} at {@code nowMs}. */
    private boolean enter(int next, long nowMs) {
        transitionState(model, phase, target, next, candidate);
        interval = next;
        intervalStartMs = nowMs;
        return emit();
    }

    /**
     * The interval that follows {@code interval} on the way from green phase {@code from} to {@code to}: the one rule
     * for the order of a transition, used by the interlock and by whoever forecasts what it will show. From
     * {@link #GREEN} (the green being left): {@link #PEDESTRIAN_CLEARANCE} when
     * {@link IntersectionModel#pedestrianClearanceMs} is positive, else {@link #YELLOW}; then {@link #YELLOW}; then
     * {@link #ALL_RED} when {@link IntersectionModel#allRedMs()} is positive; then {@link #GREEN}, the target's green.
     * Each transition interval lasts {@link #intervalMs}.
     */
    public static int nextInterval(IntersectionModel model, int from, int to, int interval) {
        switch (interval) {
            case GREEN:
                return model.pedestrianClearanceMs(from, to) > 0 ? PEDESTRIAN_CLEARANCE : YELLOW;
            case PEDESTRIAN_CLEARANCE:
                return YELLOW;
            case YELLOW:
                return model.allRedMs() > 0 ? ALL_RED : GREEN;
            case ALL_RED:
                return GREEN;
            default:
                throw new IllegalArgumentException("no interval " + interval);
        }
    }

    /**
     * How long transition interval {@code interval} ({@link #PEDESTRIAN_CLEARANCE}, {@link #YELLOW} or
     * {@link #ALL_RED}) from green phase {@code from} to {@code to} lasts, milliseconds: the interlock leaves it at the
     * first tick at least this long after entering it.
     */
    public static long intervalMs(IntersectionModel model, int from, int to, int interval) {
        switch (interval) {
            case PEDESTRIAN_CLEARANCE:
                return model.pedestrianClearanceMs(from, to);
            case YELLOW:
                return model.yellowMs();
            case ALL_RED:
                return model.allRedMs();
            default:
                throw new IllegalArgumentException("not a transition interval: " + interval);
        }
    }

    /**
     * The state every link shows during a transition interval from green phase {@code from} to {@code to}: the one
     * rule for transitions, used by the interlock and by whoever forecasts what it will show.
     * <ul>
     *   <li>{@link #PEDESTRIAN_CLEARANCE} (only when {@link IntersectionModel#pedestrianClearanceMs} is positive):
     *       crossings that lose their green show red, every other link keeps its green-phase state;</li>
     *   <li>{@link #YELLOW}: every link that loses its green shows amber (a crossing already cleared stays red), a
     *       protected green that becomes permissive turns permissive, the others keep their state (reds stay red,
     *       permissive greens stay permissive until the clearance is over);</li>
     *   <li>{@link #ALL_RED}: as the amber, with the ambers red.</li>
     * </ul>
     *
     * @param out receives one state per link; no allocation
     */
    public static void transitionState(IntersectionModel model, int from, int to, int interval, char[] out) {
        boolean crossingsFirst = model.pedestrianClearanceMs(from, to) > 0;
        for (int l = 0; l < out.length; l++) {
            char f = model.greenState(from, l);
            char t = model.greenState(to, l);
            boolean loses = SignalChar.isGreen(f) && !SignalChar.isGreen(t);
            if (loses && crossingsFirst && model.linkIsCrossing(l)) {
                out[l] = SignalChar.RED;
            } else if (interval == PEDESTRIAN_CLEARANCE) {
                out[l] = f;
            } else if (loses) {
                out[l] = interval == ALL_RED ? SignalChar.RED : SignalChar.YELLOW;
            } else if (f == SignalChar.GREEN && t == SignalChar.GREEN_MINOR) {
                out[l] = SignalChar.GREEN_MINOR;
            } else {
                out[l] = f;
            }
        }
    }

    private boolean startGreen(long nowMs) {
        for (int l = 0; l < shown.length; l++) {
            candidate[l] = model.greenState(target, l);
        }
        phase = target;
        interval = GREEN;
        intervalStartMs = nowMs;
        phaseStartMs = nowMs;
        return emit();
    }

    /**
     * Copies the candidate to the output unless it holds a conflict; then the last safe state stays and the event is
     * counted. Unreachable while green phases are conflict-free (checked by the model), kept as a last line of defence.
     */
    private boolean emit() {
        if (model.firstConflict(candidate) >= 0) {
            conflictsBlocked++;
            return false;
        }
        boolean changed = false;
        for (int l = 0; l < shown.length; l++) {
            changed |= shown[l] != candidate[l];
            shown[l] = candidate[l];
        }
        return changed;
    }

    /** State of {@code link} now. */
    public char shown(int link) {
        return shown[link];
    }

    /** Copies the state now into {@code out} (length = link count). */
    public void copyShown(char[] out) {
        System.arraycopy(shown, 0, out, 0, shown.length);
    }

    /** The state now as a new string (allocates; for adapters that need one). */
    public String shownString() {
        return new String(shown);
    }

    /** {@link #GREEN}, {@link #PEDESTRIAN_CLEARANCE}, {@link #YELLOW} or {@link #ALL_RED}. */
    public int interval() {
        return interval;
    }

    /** The green phase shown now, or the one being left during a transition. */
    public int phase() {
        return phase;
    }

    /** The green phase the current transition leads to (equals {@link #phase()} while green). */
    public int targetPhase() {
        return target;
    }

    /** When the current green phase began (during a transition: when the phase being left began), engine ms. */
    public long phaseStartMs() {
        return phaseStartMs;
    }

    /** When the current interval began, engine ms. */
    public long intervalStartMs() {
        return intervalStartMs;
    }

    public IntersectionModel model() {
        return model;
    }

    /** Proposals to leave a phase before its minimum green; they were held. */
    public long heldForMinGreen() {
        return heldForMinGreen;
    }

    /** Proposals naming no green phase of this intersection; they were ignored. */
    public long invalidProposals() {
        return invalidProposals;
    }

    /** Times the maximum green ended a phase the policy wanted to keep. */
    public long maxGreenForced() {
        return maxGreenForced;
    }

    /** States that would have shown a conflict; never expected, since green phases are conflict-free. */
    public long conflictsBlocked() {
        return conflictsBlocked;
    }
}
