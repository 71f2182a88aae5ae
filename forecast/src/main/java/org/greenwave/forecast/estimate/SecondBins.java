package org.greenwave.forecast.estimate;

/**
 * A sliding window of one-second bins: amounts added at engine time {@code nowS} fall into the bin of
 * {@code floor(nowS)}; sums cover the last n whole seconds up to the newest bin. Works for any tick length: seconds
 * the caller skipped read as 0.
 *
 * <p>The sum over the whole window is kept running ({@link #sum()}, O(1)) and recomputed exactly whenever the
 * newest bin wraps to index 0, so rounding cannot drift.
 *
 * <p>Thread: single-threaded (the intersection's control thread). No allocation after construction.
 */
public final class SecondBins {
    private final double[] bins;
    private long newestSecond = Long.MIN_VALUE;
    private double total;

    /** @param seconds how far back sums may reach, ≥ 1 */
    public SecondBins(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds must be >= 1, was " + seconds);
        }
        this.bins = new double[seconds];
    }

    /** Window length, seconds. */
    public int seconds() {
        return bins.length;
    }

    /**
     * Adds {@code amount} to the bin of {@code nowS}, first clearing the bins of the seconds since the newest one.
     * A time before the newest bin (or not finite) adds to the newest bin.
     */
    public void add(double nowS, double amount) {
        long second = Double.isFinite(nowS) ? (long) Math.floor(nowS) : newestSecond;
        if (newestSecond == Long.MIN_VALUE) {
            newestSecond = second;
        } else if (second > newestSecond) {
            long gap = Math.min(second - newestSecond, bins.length);
            boolean wrapped = false;
            for (long s = 1; s <= gap; s++) {
                int i = index(newestSecond + s);
                total -= bins[i];
                bins[i] = 0;
                wrapped |= i == 0;
            }
            newestSecond = second;
            if (wrapped) {
                total = 0;
                for (double b : bins) {
                    total += b;
                }
            }
        }
        if (newestSecond != Long.MIN_VALUE) {
            bins[index(newestSecond)] += amount;
            total += amount;
        }
    }

    /** Sum over the whole window, O(1). */
    public double sum() {
        return total;
    }

    /** Sum over the newest {@code seconds} bins (at most the window), including the newest. */
    public double sumLast(int seconds) {
        if (newestSecond == Long.MIN_VALUE) {
            return 0;
        }
        int n = Math.min(seconds, bins.length);
        if (n == bins.length) {
            return total;
        }
        double sum = 0;
        for (int s = 0; s < n; s++) {
            sum += bins[index(newestSecond - s)];
        }
        return sum;
    }

    /** Empties every bin. */
    public void clear() {
        java.util.Arrays.fill(bins, 0);
        newestSecond = Long.MIN_VALUE;
        total = 0;
    }

    private int index(long second) {
        return (int) Math.floorMod(second, (long) bins.length);
    }
}
