package org.greenwave.core.safety;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;

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
    private static final double EPS_S = 1e-6;
    private static final int MAX_EXAMPLES = 20;

    private final IntersectionModel model;
    private final int linkCount;
    private final double[] linkMinGreenS;
    private final boolean[] crossing;
    private final char[] last;
    private final double[] stateSinceS;
    private final double[] greenSinceS;
    /** When each link last stopped showing a protected green or amber; -infinity if it never did. */
    private final double[] priorityEndS;
    /** When each link last ended a green; -infinity if it never did. */
    private final double[] greenEndS;
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
        this.linkMinGreenS = new double[linkCount];
        this.crossing = new boolean[linkCount];
        for (int l = 0; l < linkCount; l++) {
            linkMinGreenS[l] = model.linkMinGreenS(l);
            crossing[l] = model.linkIsCrossing(l);
        }
        this.last = new char[linkCount];
        this.stateSinceS = new double[linkCount];
        this.greenSinceS = new double[linkCount];
        this.priorityEndS = new double[linkCount];
        this.greenEndS = new double[linkCount];
    }

    /**
     * Tells the monitor whether an operator's flash request is in force: the signal may then go dark ({@link
     * SafetyRule#DARK} is not counted) until it is withdrawn. Every other rule is judged as always.
     */
    public void operatorFlash(boolean inForce) {
        this.operatorFlash = inForce;
    }

    /**
     * Records that {@code state} is shown from {@code nowS} on.
     *
     * @return the number of violations this state adds
     */
    public int observe(double nowS, CharSequence state) {
        observations++;
        if (state.length() != linkCount) {
            return violation(SafetyRule.MALFORMED, nowS, -1, -1, state);
        }
        for (int l = 0; l < linkCount; l++) {
            if (!SignalChar.isValid(state.charAt(l))) {
                return violation(SafetyRule.MALFORMED, nowS, l, -1, state);
            }
        }
        int added = 0;
        if (!started) {
            // The first state may have begun before the monitor started: its durations are not judged.
            started = true;
            for (int l = 0; l < linkCount; l++) {
                last[l] = state.charAt(l);
                stateSinceS[l] = Double.NEGATIVE_INFINITY;
                greenSinceS[l] = Double.NEGATIVE_INFINITY;
                priorityEndS[l] = Double.NEGATIVE_INFINITY;
                greenEndS[l] = Double.NEGATIVE_INFINITY;
            }
            wasDark = dark(state);
            return checkConflicts(nowS, state);
        }
        boolean darkNow = dark(state);
        if (darkNow && !wasDark && !operatorFlash) {
            added += violation(SafetyRule.DARK, nowS, -1, -1, state);
        }
        wasDark = darkNow;
        // Priority that ends now ends at nowS: record it first so the clearance check sees it.
        for (int l = 0; l < linkCount; l++) {
            char before = last[l];
            char now = state.charAt(l);
            if ((before == SignalChar.GREEN || SignalChar.isYellow(before))
                    && !(now == SignalChar.GREEN || SignalChar.isYellow(now))) {
                priorityEndS[l] = nowS;
            }
            if (SignalChar.isGreen(before) && !SignalChar.isGreen(now)) {
                greenEndS[l] = nowS;
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
                added += violation(SafetyRule.NO_YELLOW, nowS, l, -1, state);
            }
            if (wasGreen && SignalChar.isYellow(now) && nowS - greenSinceS[l] + EPS_S < linkMinGreenS[l]) {
                added += violation(SafetyRule.SHORT_GREEN, nowS, l, -1, state);
            }
            // An amber that returns to green (some nets' own programs do this) stops nobody, so only an amber
            // that ends in red must have lasted the yellow time.
            if (SignalChar.isYellow(before) && SignalChar.isStop(now)
                    && nowS - stateSinceS[l] + EPS_S < model.yellowS()) {
                added += violation(SafetyRule.SHORT_YELLOW, nowS, l, -1, state);
            }
            if (now == SignalChar.GREEN) {
                for (int f = 0; f < linkCount; f++) {
                    if (f != l && model.conflicts().conflicts(l, f)
                            && (SignalChar.isYellow(state.charAt(f))
                                || priorityEndS[f] > nowS - model.allRedS() + EPS_S)) {
                        added += violation(SafetyRule.CLEARANCE, nowS, l, f, state);
                        break;
                    }
                }
            }
            if (isGreen && !wasGreen) {
                greenSinceS[l] = nowS;
                for (int f = 0; f < linkCount; f++) {
                    double clearS = model.linkPedestrianClearanceS(f);
                    if (clearS > 0 && f != l && model.conflicts().conflicts(l, f)
                            && !SignalChar.isGreen(state.charAt(f)) && nowS - greenEndS[f] + EPS_S < clearS) {
                        added += violation(SafetyRule.PEDESTRIAN_CLEARANCE, nowS, l, f, state);
                        break;
                    }
                }
            }
            last[l] = now;
            stateSinceS[l] = nowS;
        }
        return added + checkConflicts(nowS, state);
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

    private int checkConflicts(double nowS, CharSequence state) {
        int added = 0;
        for (int a = 0; a < linkCount; a++) {
            if (state.charAt(a) != SignalChar.GREEN) {
                continue;
            }
            for (int b = a + 1; b < linkCount; b++) {
                if (state.charAt(b) == SignalChar.GREEN && model.conflicts().conflicts(a, b)) {
                    added += violation(SafetyRule.CONFLICT, nowS, a, b, state);
                }
            }
        }
        return added;
    }

    private int violation(SafetyRule rule, double nowS, int link, int other, CharSequence state) {
        counts[rule.ordinal()]++;
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(String.format("t=%.1f %s %s link %d%s state %s", nowS, model.id(), rule, link,
                    other >= 0 ? " vs " + other : "", state));
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
