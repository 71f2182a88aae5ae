package org.greenwave.adapters.ntcip.virtual;

import java.util.Arrays;

/**
 * A coordination pattern as a controller runs it, resolved from its NTCIP pattern and split tables: a fixed cycle, a
 * split per green phase (its green and the change that ends it), the coordinated phase, and the offset of the
 * pattern's local zero from the system reference (the controller clock's zero). The phases run in program order once a
 * cycle; the coordinated phase's split window begins at local zero and each later phase's where the one before ends.
 *
 * @param number     the pattern's number (1..253)
 * @param cycleS     cycle, seconds
 * @param offsetS    offset, seconds, {@code 0 <= offsetS < cycleS}
 * @param splitS     per engine green phase, its split, seconds (their sum at most the cycle; the coordinated phase
 *                   takes what is left)
 * @param coordPhase the coordinated engine green phase
 * @param maxRecall  per engine green phase, whether it is on maximum recall (it never gaps out before its force-off)
 */
public record CoordPattern(int number, int cycleS, int offsetS, int[] splitS, int coordPhase, boolean[] maxRecall) {
    public CoordPattern {
        splitS = splitS.clone();
        maxRecall = maxRecall.clone();
    }

    /** Seconds since the pattern's last local zero at {@code nowS}, in {@code [0, cycleS)}. */
    public double positionS(double nowS) {
        double p = (nowS - offsetS) % cycleS;
        return p < 0 ? p + cycleS : p;
    }

    /** Where phase {@code phase}'s split window begins, seconds after local zero. */
    public int windowStartS(int phase) {
        int n = splitS.length;
        int t = 0;
        for (int p = coordPhase; p != phase; p = (p + 1) % n) {
            t += splitS[p];
        }
        return t;
    }

    /** Whether the two run the same timing (cycle, offset, splits, coordinated phase, recalls), whatever their numbers. */
    public boolean sameTiming(CoordPattern o) {
        return o != null && cycleS == o.cycleS && offsetS == o.offsetS && coordPhase == o.coordPhase
                && Arrays.equals(splitS, o.splitS) && Arrays.equals(maxRecall, o.maxRecall);
    }

    @Override
    public String toString() {
        return "pattern " + number + " (cycle " + cycleS + " s, offset " + offsetS + " s, splits "
                + Arrays.toString(splitS) + ", coordinated phase " + coordPhase + ")";
    }
}
