package org.greenwave.core.time;

/**
 * A clock advanced by its owner: the simulation harness sets it to SUMO's time after every step, tests set it by
 * hand. Single writer; readers on other threads see a recent value.
 */
public final class ManualClock implements Clock {
    private volatile double nowS;

    public ManualClock(double startS) {
        this.nowS = startS;
    }

    @Override
    public double nowS() {
        return nowS;
    }

    /** Moves the clock to {@code nowS}; time never goes back. */
    public void set(double nowS) {
        if (nowS < this.nowS) {
            throw new IllegalArgumentException("time went back from " + this.nowS + " to " + nowS);
        }
        this.nowS = nowS;
    }
}
