package org.greenwave.adapters.ntcip;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.time.Millis;

/**
 * Cycle and splits of an NTCIP pattern (mode {@code pattern}, docs/ntcip.md): a phase's split is its green and the
 * change interval that ends it, in whole seconds, as {@code splitTime} holds it; the phases run in program order, each
 * once a cycle, so the cycle is the sum of the splits.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * The change interval from green phase {@code from} to {@code to}, seconds: pedestrian clearance, yellow and
     * all-red, as the safety interlock ({@link SafetyInterlock#nextInterval}, {@link SafetyInterlock#intervalMs}) runs
     * them.
     */
    public static double changeS(IntersectionModel model, int from, int to) {
        long ms = 0;
        for (int iv = SafetyInterlock.nextInterval(model, from, to, SafetyInterlock.GREEN); iv != SafetyInterlock.GREEN;
             iv = SafetyInterlock.nextInterval(model, from, to, iv)) {
            ms += SafetyInterlock.intervalMs(model, from, to, iv);
        }
        return Millis.toSeconds(ms);
    }

    /** The shortest split phase {@code phase} may get, whole seconds: its minimum green and the change that ends it. */
    public static int leastSplitS(double minGreenS, double changeS) {
        return (int) Math.ceil(minGreenS + changeS - 1e-9);
    }

    /**
     * The splits for the greens wanted, in phase order: each green held between the phase's minimum and maximum green,
     * its change added, rounded up to whole seconds; when their sum exceeds {@code maxCycleS}, each green's time above
     * its minimum is cut in proportion, so that the cycle fits (never below the minima: when even they do not fit, the
     * minima are returned and the caller must refuse them).
     *
     * @param wantedGreenS per phase, the green wanted, seconds
     * @param minGreenS    per phase, the controller's minimum green, seconds
     * @param maxGreenS    per phase, the controller's maximum green, seconds
     * @param changeS      per phase, the change interval after its green, seconds
     * @return per phase, its split, whole seconds
     */
    public static int[] of(double[] wantedGreenS, double[] minGreenS, double[] maxGreenS, double[] changeS,
                           int maxCycleS) {
        int n = wantedGreenS.length;
        int[] split = new int[n];
        int[] least = new int[n];
        int cycle = 0;
        int leastCycle = 0;
        for (int p = 0; p < n; p++) {
            double green = Math.max(minGreenS[p], Math.min(maxGreenS[p], wantedGreenS[p]));
            least[p] = leastSplitS(minGreenS[p], changeS[p]);
            split[p] = Math.max(least[p], (int) Math.round(green + changeS[p]));
            cycle += split[p];
            leastCycle += least[p];
        }
        if (cycle <= maxCycleS) {
            return split;
        }
        if (leastCycle >= maxCycleS) {
            return least;
        }
        double keep = (double) (maxCycleS - leastCycle) / (cycle - leastCycle);
        int[] cut = new int[n];
        int total = 0;
        for (int p = 0; p < n; p++) {
            cut[p] = least[p] + (int) Math.floor((split[p] - least[p]) * keep);
            total += cut[p];
        }
        // Rounding down left fewer seconds than phases: one each back to the phases that were cut, in order.
        for (int p = 0; p < n && total < maxCycleS; p++) {
            if (cut[p] < split[p]) {
                cut[p]++;
                total++;
            }
        }
        return cut;
    }
}
