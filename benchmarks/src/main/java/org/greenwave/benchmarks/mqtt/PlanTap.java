/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.util.concurrent.atomic.AtomicLongArray;

import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.engine.TimingPlan;

/**
 * The engine's plan sink: notes when each plan was issued, by intersection and sequence, then hands it to the
 * gateway (set once the gateway exists; plans before that are dropped). Called on shard threads; one writer per
 * intersection (its shard).
 */
final class PlanTap implements PlanSink {
    static final int SLOTS = 256;
    private final AtomicLongArray sequence;
    private final long[] issuedNs;
    volatile PlanSink target;

    PlanTap(int intersections) {
        sequence = new AtomicLongArray(intersections * SLOTS);
        issuedNs = new long[intersections * SLOTS];
        for (int i = 0; i < sequence.length(); i++) {
            sequence.set(i, -1);
        }
    }

    @Override
    public void onPlan(TimingPlan plan) {
        long nowNs = System.nanoTime();
        int slot = plan.intersection() * SLOTS + (int) (plan.sequence() & (SLOTS - 1));
        sequence.lazySet(slot, -1);
        issuedNs[slot] = nowNs;
        sequence.lazySet(slot, plan.sequence());
        PlanSink t = target;
        if (t != null) {
            t.onPlan(plan);
        }
    }

    /** When plan {@code seq} of {@code intersection} was issued, or -1 if unknown. Any thread. */
    long issuedNs(int intersection, long seq) {
        int slot = intersection * SLOTS + (int) (seq & (SLOTS - 1));
        if (sequence.get(slot) != seq) {
            return -1;
        }
        long t = issuedNs[slot];
        return sequence.get(slot) == seq ? t : -1;
    }
}
