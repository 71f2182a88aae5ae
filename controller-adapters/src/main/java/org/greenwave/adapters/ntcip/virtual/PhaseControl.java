package org.greenwave.adapters.ntcip.virtual;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The phase control a central system set on a controller (NTCIP 1202 {@code phaseControlGroup*}), as sets of the
 * controller's engine-phase indexes (bit {@code p} for green phase {@code p}).
 *
 * <p>Threading: written by the agent's SNMP thread, read by the controller's step thread once per step; every field
 * is a single volatile word, and {@link #sets()} counts the sets so the step thread can time the backup timer.
 */
public final class PhaseControl {
    private volatile long hold;
    private volatile long forceOff;
    private volatile long omit;
    private volatile long vehCall;
    private final AtomicLong sets = new AtomicLong();

    public long hold() {
        return hold;
    }

    public long forceOff() {
        return forceOff;
    }

    public long omit() {
        return omit;
    }

    public long vehCall() {
        return vehCall;
    }

    /** Sets received so far; the controller restarts its backup timer whenever this changes. */
    public long sets() {
        return sets.get();
    }

    public void hold(long phases) {
        hold = phases;
        sets.incrementAndGet();
    }

    public void forceOff(long phases) {
        forceOff = phases;
        sets.incrementAndGet();
    }

    public void omit(long phases) {
        omit = phases;
        sets.incrementAndGet();
    }

    public void vehCall(long phases) {
        vehCall = phases;
        sets.incrementAndGet();
    }
}
