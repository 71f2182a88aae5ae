package org.greenwave.core.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shard's counters. The shard thread is the single writer of all but {@link #QUEUE_FULL_DROPS}, which producer
 * threads add to atomically; any thread may read. Writes are ordered stores (no fence), reads are acquire loads.
 * The values sit in the middle of a padded array so that no other object shares their cache lines.
 */
final class ShardCounters {
    static final int EVENTS_APPLIED = 0;
    static final int EVENTS_IGNORED = 1;
    static final int DUTY_CYCLES = 2;
    static final int LAST_DUTY_CYCLE_NS = 3;
    static final int MAX_DUTY_CYCLE_NS = 4;
    static final int TICKS = 5;
    static final int TICKS_SKIPPED = 6;
    static final int PLANS_ISSUED = 7;
    static final int ERRORS = 8;
    static final int MAX_TICK_LAG_NS = 9;
    static final int COUNT = 10;

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 16;

    private final long[] values = new long[PAD + COUNT + PAD];
    private final AtomicLong queueFullDrops = new AtomicLong();

    /** Shard thread only. */
    void add(int counter, long delta) {
        int i = PAD + counter;
        VALUES.setRelease(values, i, values[i] + delta);
    }

    /** Shard thread only. */
    void set(int counter, long value) {
        VALUES.setRelease(values, PAD + counter, value);
    }

    /** Shard thread only: raises the counter to {@code value} if it is larger. */
    void max(int counter, long value) {
        int i = PAD + counter;
        if (value > values[i]) {
            VALUES.setRelease(values, i, value);
        }
    }

    /** Any thread. */
    long get(int counter) {
        return (long) VALUES.getAcquire(values, PAD + counter);
    }

    /** Any thread: a producer found the queue full or the pool empty. */
    void queueFull() {
        queueFullDrops.incrementAndGet();
    }

    /** Any thread. */
    long queueFullDrops() {
        return queueFullDrops.get();
    }
}
