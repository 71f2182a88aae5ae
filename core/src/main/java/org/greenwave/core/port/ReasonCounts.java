package org.greenwave.core.port;

/**
 * Counts by reason, e.g. what a port rejected of the field's messages or what field controllers refused of the
 * engine's plans. Counted by the adapter's threads; read from any thread, lock-free: two reads are not a consistent
 * snapshot of each other.
 */
public interface ReasonCounts {

    /**
     * Reports every reason once, in a fixed order (the same on every call), zeros included. Codes are stable
     * kebab-case ASCII: they appear in metrics labels, status lines and the dashboard.
     */
    void forEach(ReasonSink sink);

    /** The sum over all reasons. */
    default long total() {
        long[] sum = new long[1];
        forEach((code, n) -> sum[0] += n);
        return sum[0];
    }

    /** Receives one reason's count. */
    @FunctionalInterface
    interface ReasonSink {
        void count(String code, long n);
    }
}
