package org.greenwave.harness.run;

import java.util.concurrent.locks.LockSupport;

import org.greenwave.core.engine.BackoffIdleStrategy;
import org.greenwave.core.engine.IdleStrategy;

/**
 * A shard's back-off that the simulation thread can cut short. Between two steps a launched engine's shard has
 * nothing to do and parks for up to its back-off's longest park (a millisecond by default); over MQTT each step's
 * plans wait for its ticks, so the simulation thread wakes the shard as soon as it has moved the clock.
 *
 * <p>Threading: {@link #idle} and {@link #reset} on the one shard thread that uses it; {@link #wake} on any thread.
 */
final class WakeableIdle implements IdleStrategy {
    private final BackoffIdleStrategy backoff;
    private volatile Thread shard;

    WakeableIdle() {
        this(new BackoffIdleStrategy());
    }

    WakeableIdle(BackoffIdleStrategy backoff) {
        this.backoff = backoff;
    }

    @Override
    public void idle(int workCount) {
        if (shard == null) {
            shard = Thread.currentThread();
        }
        backoff.idle(workCount);
    }

    @Override
    public void reset() {
        backoff.reset();
    }

    /** Ends the shard's current park at once, or its next one if it is not parked. */
    void wake() {
        Thread t = shard;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
