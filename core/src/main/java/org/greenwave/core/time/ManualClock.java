package org.greenwave.core.time;

/**
 * A clock advanced by its owner: the simulation harness sets it to SUMO's time after every step, tests set it by
 * hand. Single writer; readers on other threads see a recent value.
 */
public final class ManualClock implements Clock {
    private volatile long nowMs;

    public ManualClock(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    /** Moves the clock to {@code nowMs}; time never goes back. */
    public void set(long nowMs) {
        if (nowMs - this.nowMs < 0) {
            throw new IllegalArgumentException("time went back from " + this.nowMs + " ms to " + nowMs + " ms");
        }
        this.nowMs = nowMs;
    }
}
