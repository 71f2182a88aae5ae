/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The last value applied per detector, to reject duplicates (an MQTT QoS 1 redelivery, a bridge re-sending its
 * buffer) and values older than what the engine already has. Three {@code long[]} indexed by detector, one per kind
 * of data; nothing is allocated after construction.
 *
 * <p>Threading: any number of threads may call the {@code accept} methods at once. Each call is one compare-and-set
 * loop, so of two threads offering the same value exactly one wins, and a detector's applied timestamps never go
 * back. Two threads offering different values of one detector may still hand them to {@link
 * org.greenwave.core.ingest.Ingest} in either order; callers that need per-detector order deliver one detector's
 * messages on one thread (one Paho client does: it calls back on a single thread).
 */
public final class DetectorTracker {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** Nothing applied yet. */
    private static final long NONE = Long.MIN_VALUE;

    /** Actuations: {@code timeMs << 1 | on}, so one CAS covers time and state. */
    private final long[] lastEdge;
    private final long[] lastAggregateEndMs;
    private final long[] lastLaneAreaMs;

    public DetectorTracker(int detectorCount) {
        lastEdge = filled(detectorCount);
        lastAggregateEndMs = filled(detectorCount);
        lastLaneAreaMs = filled(detectorCount);
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, NONE);
        return a;
    }

    public int detectorCount() {
        return lastEdge.length;
    }

    /**
     * Records an actuation if it is new: returns null when accepted, {@link RejectReason#DUPLICATE} when the last
     * applied actuation had this time and state, {@link RejectReason#OUT_OF_ORDER} when it was later.
     *
     * @param timeMs must be in {@code [0, 2^62)}; the caller's range check guarantees it
     */
    public RejectReason acceptEdge(int detector, long timeMs, boolean on) {
        long key = (timeMs << 1) | (on ? 1L : 0L);
        while (true) {
            long last = (long) SLOT.getVolatile(lastEdge, detector);
            if (last != NONE) {
                if (key == last) {
                    return RejectReason.DUPLICATE;
                }
                if ((last >> 1) > timeMs) {
                    return RejectReason.OUT_OF_ORDER;
                }
            }
            if (SLOT.compareAndSet(lastEdge, detector, last, key)) {
                return null;
            }
        }
    }

    /** As {@link #acceptEdge}, for an aggregate ending at {@code endMs}. */
    public RejectReason acceptAggregate(int detector, long endMs) {
        return acceptTime(lastAggregateEndMs, detector, endMs);
    }

    /** As {@link #acceptEdge}, for a lane-area reading at {@code timeMs}. */
    public RejectReason acceptLaneArea(int detector, long timeMs) {
        return acceptTime(lastLaneAreaMs, detector, timeMs);
    }

    private static RejectReason acceptTime(long[] slots, int detector, long timeMs) {
        while (true) {
            long last = (long) SLOT.getVolatile(slots, detector);
            if (last != NONE) {
                if (timeMs == last) {
                    return RejectReason.DUPLICATE;
                }
                if (timeMs < last) {
                    return RejectReason.OUT_OF_ORDER;
                }
            }
            if (SLOT.compareAndSet(slots, detector, last, timeMs)) {
                return null;
            }
        }
    }

    /** Last applied actuation time of {@code detector}, or {@code Long.MIN_VALUE}. For tests and diagnostics. */
    public long lastEdgeTimeMs(int detector) {
        long last = (long) SLOT.getVolatile(lastEdge, detector);
        return last == NONE ? NONE : last >> 1;
    }
}
