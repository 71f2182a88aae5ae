/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per loop, the timestamp and intended send time of its last {@value #RING} messages, filled by the publisher
 * that owns the loop before it publishes, read by the gateway's callback thread to find a reading's intended send
 * time. One writer per loop: the owning publisher thread; {@code written} is published with a release store
 * after the slot is filled.
 */
final class SendTable {
    static final int RING = 2048;
    private static final int MASK = RING - 1;

    final long[] timeMs;
    final long[] intendedNs;
    final AtomicLongArray written;

    SendTable(int loops) {
        timeMs = new long[loops * RING];
        intendedNs = new long[loops * RING];
        written = new AtomicLongArray(loops);
    }

    /** Publisher thread owning {@code loop}. */
    void put(int loop, long ms, long intended) {
        long w = written.get(loop);
        int slot = loop * RING + (int) (w & MASK);
        timeMs[slot] = ms;
        intendedNs[slot] = intended;
        written.lazySet(loop, w + 1);
    }

    /**
     * The intended send time of the message of {@code loop} stamped {@code ms}, searching from
     * {@code readPos[loop]} (advanced past it), or -1 when it is not in the table (lost, or too old). Reader
     * thread only.
     */
    long find(int loop, long ms, long[] readPos) {
        long w = written.get(loop);
        long r = Math.max(readPos[loop], w - RING);
        long found = -1;
        while (r < w) {
            int slot = loop * RING + (int) (r & MASK);
            long t = timeMs[slot];
            if (t < ms) {
                r++;
                continue;
            }
            if (t == ms) {
                found = intendedNs[slot];
                r++;
            }
            break;
        }
        readPos[loop] = r;
        return found;
    }
}
