package org.greenwave.core.safety;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.time.Millis;

/**
 * Watches the states one intersection actually shows and counts every violation of the safety rules
 * ({@link SafetyRule}). It shares no code path with {@link SafetyInterlock}: it reads states, not proposals, so it
 * checks the interlock, the field device and any program SUMO runs by itself alike.
 *
 * <p>Call {@link #observe} with each state and the time from which it is shown, in time order. The first state
 * observed may have begun earlier, so its green and amber durations are not judged. Threading: single
 * writer; the counters may be read from other threads only after the run has finished.
 */
public final class SafetyMonitor {
    /** The time of an event that has not happened: no duration since it is judged. */
    private static final long NEVER = Long.MIN_VALUE;
    private static final int MAX_EXAMPLES = 20;

    private final IntersectionModel model;
    private final int linkCount;
    private final long[] linkMinGreenMs;
    private final boolean[] crossing;
    private final char[] last;
    private final long[] stateSinceMs;
    private final long[] greenSinceMs;
    /** When each link last stopped showing a protected green or amber; {@link #NEVER} if it never did. */
    private final long[] priorityEndMs;
    /** When each link last ended a green; {@link #NEVER} if it never did. */
    private final long[] greenEndMs;
    private final long[] counts = new long[SafetyRule.all().length];
    private final List<String> examples = new ArrayList<>();
    private boolean started;
    /** Whether the last well-formed state observed was dark (see {@link #dark(CharSequence)}). */
    private boolean wasDark;
    /** Whether an operator asked for flash (the device's off program): going dark is then no violation. */
    private boolean operatorFlash;
    private long observations;

    public SafetyMonitor(IntersectionModel model) {
        this.model = model;
        this.linkCount = model.linkCount();
        this.linkMinGreenMs = new long[linkCount];
        this.crossing = new boolean[linkCount];
        for (int l = 0; l < linkCount; l++) {
            linkMinGreenMs[l] = model.linkMinGreenMs(l);
            crossing[l] = model.linkIsCrossing(l);
        }
        this.last = new char[linkCount];
        this.stateSinceMs = new long[linkCount];
        this.greenSinceMs = new long[linkCount];
        this.priorityEndMs = new long[linkCount];
        this.greenEndMs = new long[linkCount];
    }

    /**
     * Tells the monitor whether an operator's flash request is in force: the signal may then go dark ({@link
     * SafetyRule#DARK} is not counted) until it is withdrawn. Every other rule is judged as always.
     */
    public void operatorFlash(boolean inForce) {
        this.operatorFlash = inForce;
    }

    /**
     * Records that {@code state} is shown from {@code nowMs} (engine time, milliseconds) on. Durations are judged
     * exactly on the model's millisecond durations ({@link IntersectionModel#linkMinGreenMs} and the like).
     *
     * @return the number of violations this state adds
     */
    public int observe(long nowMs, CharSequence state) {
        observations++;
        if (state.length() != linkCount) {
            return violation(SafetyRule.MALFORMED, nowMs, -1, -1, state);
        }
        for (int l = 0; l < linkCount; l++) {
            if (!SignalChar.isValid(state.charAt(l))) {
                return violation(SafetyRule.MALFORMED, nowMs, l, -1, state);
            }
        }
        int added = 0;
        if (!started) {
            // The first state may have begun before the monitor started: its durations are not judged.
            started = true;
            for (int l = 0; l < linkCount; l++) {
                last[l] = state.charAt(l);
                stateSinceMs[l] = NEVER;
                greenSinceMs[l] = NEVER;
                priorityEndMs[l] = NEVER;
                greenEndMs[l] = NEVER;
            }
            wasDark = dark(state);
            return checkConflicts(nowMs, state);
        }
        boolean darkNow = dark(state);
        if (darkNow && !wasDark && !operatorFlash) {
            added += violation(SafetyRule.DARK, nowMs, -1, -1, state);
        }
        wasDark = darkNow;
        // Priority that ends now ends at nowMs: record it first so the clearance check sees it.
        for (int l = 0; l < linkCount; l++) {
            char before = last[l];
            char now = state.charAt(l);
            if ((before == SignalChar.GREEN || SignalChar.isYellow(before))
                    && !(now == SignalChar.GREEN || SignalChar.isYellow(now))) {
                priorityEndMs[l] = nowMs;
            }
            if (SignalChar.isGreen(before) && !SignalChar.isGreen(now)) {
                greenEndMs[l] = nowMs;
            }
        }
        for (int l = 0; l < linkCount; l++) {
            char before = last[l];
            char now = state.charAt(l);
            if (before == now) {
                continue;
            }
            boolean wasGreen = SignalChar.isGreen(before);
            boolean isGreen = SignalChar.isGreen(now);
            // Pedestrians get no amber in SUMO: a crossing goes from green to red, and walkers already on it finish.
            if (wasGreen && SignalChar.isStop(now) && !crossing[l]) {
                added += violation(SafetyRule.NO_YELLOW, nowMs, l, -1, state);
            }
            if (wasGreen && SignalChar.isYellow(now) && shorter(greenSinceMs[l], nowMs, linkMinGreenMs[l])) {
                added += violation(SafetyRule.SHORT_GREEN, nowMs, l, -1, state);
            }
            // An amber that returns to green (some nets' own programs do this) stops nobody, so only an amber
            // that ends in red must have lasted the yellow time.
            if (SignalChar.isYellow(before) && SignalChar.isStop(now)
                    && shorter(stateSinceMs[l], nowMs, model.yellowMs())) {
                added += violation(SafetyRule.SHORT_YELLOW, nowMs, l, -1, state);
            }
            if (now == SignalChar.GREEN) {
                for (int f = 0; f < linkCount; f++) {
                    if (f != l && model.conflicts().conflicts(l, f)
                            && (SignalChar.isYellow(state.charAt(f))
                                || shorter(priorityEndMs[f], nowMs, model.allRedMs()))) {
                        added += violation(SafetyRule.CLEARANCE, nowMs, l, f, state);
                        break;
                    }
                }
            }
            if (isGreen && !wasGreen) {
                greenSinceMs[l] = nowMs;
                for (int f = 0; f < linkCount; f++) {
                    long clearMs = model.linkPedestrianClearanceMs(f);
                    if (clearMs > 0 && f != l && model.conflicts().conflicts(l, f)
                            && !SignalChar.isGreen(state.charAt(f)) && shorter(greenEndMs[f], nowMs, clearMs)) {
                        added += violation(SafetyRule.PEDESTRIAN_CLEARANCE, nowMs, l, f, state);
                        break;
                    }
                }
            }
            last[l] = now;
            stateSinceMs[l] = nowMs;
        }
        return added + checkConflicts(nowMs, state);
    }

    /** Whether less than {@code durationMs} has passed from {@code sinceMs} to {@code nowMs}; false when never. */
    private static boolean shorter(long sinceMs, long nowMs, long durationMs) {
        return sinceMs != NEVER && nowMs - sinceMs < durationMs;
    }

    /** Whether every used link shows off ({@code o} or {@code O}): the signal is dark. */
    private boolean dark(CharSequence state) {
        boolean any = false;
        for (int l = 0; l < linkCount; l++) {
            if (model.linkUsed(l)) {
                char c = state.charAt(l);
                if (c != SignalChar.OFF && c != SignalChar.OFF_BLINKING) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private int checkConflicts(long nowMs, CharSequence state) {
        int added = 0;
        for (int a = 0; a < linkCount; a++) {
            if (state.charAt(a) != SignalChar.GREEN) {
                continue;
            }
            for (int b = a + 1; b < linkCount; b++) {
                if (state.charAt(b) == SignalChar.GREEN && model.conflicts().conflicts(a, b)) {
                    added += violation(SafetyRule.CONFLICT, nowMs, a, b, state);
                }
            }
        }
        return added;
    }

    private int violation(SafetyRule rule, long nowMs, int link, int other, CharSequence state) {
        counts[rule.ordinal()]++;
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(String.format("t=%.1f %s %s link %d%s state %s", Millis.toSeconds(nowMs), model.id(), rule,
                    link, other >= 0 ? " vs " + other : "", state));
        }
        return 1;
    }

    /** Violations of {@code rule} so far. */
    public long count(SafetyRule rule) {
        return counts[rule.ordinal()];
    }

    /** Violations of every rule so far. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** Counts by rule, rules with none included. */
    public Map<SafetyRule, Long> countsByRule() {
        Map<SafetyRule, Long> m = new EnumMap<>(SafetyRule.class);
        for (SafetyRule r : SafetyRule.all()) {
            m.put(r, counts[r.ordinal()]);
        }
        return m;
    }

    /** The first few violations, described for a person. */
    public List<String> examples() {
        return Collections.unmodifiableList(examples);
    }

    public long observations() {
        return observations;
    }

    public IntersectionModel model() {
        return model;
    }
}
