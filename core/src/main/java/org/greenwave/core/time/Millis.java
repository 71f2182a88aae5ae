package org.greenwave.core.time;

/**
 * The one conversion between the seconds that networks, configuration and the policies' traffic models use and the
 * engine's integer milliseconds ({@link Clock}).
 */
public final class Millis {
    private Millis() {
    }

    /**
     * {@code seconds} as whole milliseconds, rounded to the nearest (halves up). Networks give their times in whole
     * milliseconds (SUMO's resolution), so for them this only drops the floating-point noise of decimal seconds
     * ({@code 2.3} is not exactly representable). Infinities saturate to {@link Long#MAX_VALUE} /
     * {@link Long#MIN_VALUE}.
     *
     * @throws IllegalArgumentException when {@code seconds} is NaN
     */
    public static long fromSeconds(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("not a time: NaN seconds");
        }
        return Math.round(seconds * 1000);
    }

    /** Each of {@code seconds} as {@link #fromSeconds(double)} converts it, in a new array. */
    public static long[] fromSeconds(double[] seconds) {
        long[] ms = new long[seconds.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = fromSeconds(seconds[i]);
        }
        return ms;
    }

    /** {@code ms} in seconds, for the traffic models and for display. */
    public static double toSeconds(long ms) {
        return ms / 1000.0;
    }
}
