package org.greenwave.adapters.ntcip.virtual;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The phase control a central system set on a controller (NTCIP 1202 {@code phaseControlGroup*}), as sets of the
 * controller's engine-phase indexes (bit {@code p} for green phase {@code p}).
 *
 * <p>It also holds the pattern the central system selected ({@code systemPatternControl} resolved through the pattern
 * and split tables, see {@link #selectPattern}): the controller runs it at its next cycle boundary.
 *
 * <p>Threading: written by the agent's SNMP thread, read by the controller's step thread once per step; every field
 * is a single volatile word (a pattern is immutable and replaced whole), and {@link #sets()} counts the sets so the
 * step thread can time the backup timer. {@link #backupReset} is the step thread's only write.
 */
public final class PhaseControl {
    private volatile long hold;
    private volatile long forceOff;
    private volatile long omit;
    private volatile long vehCall;
    private final AtomicLong sets = new AtomicLong();
    private volatile int systemPattern;
    private volatile CoordPattern pattern;
    private volatile int freeStatus = org.greenwave.adapters.ntcip.NtcipObjects.LOCAL_FREE_COORD_FREE;

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

    /** The last {@code systemPatternControl} set (0 after the backup time without a set). */
    public int systemPattern() {
        return systemPattern;
    }

    /** The pattern selected and valid, or null: the controller runs free. */
    public CoordPattern pattern() {
        return pattern;
    }

    /** With no pattern: why the controller runs free ({@code localFreeStatus}). */
    public int freeStatus() {
        return freeStatus;
    }

    /**
     * A set of {@code systemPatternControl}, or of the tables behind it: the selection, the pattern it resolves to (null
     * when it selects none or an invalid one) and, with none, why ({@code localFreeStatus}).
     */
    public void selectPattern(int systemPattern, CoordPattern pattern, int freeStatus) {
        this.systemPattern = systemPattern;
        this.pattern = pattern;
        this.freeStatus = freeStatus;
        sets.incrementAndGet();
    }

    /**
     * The controller's backup time passed without a set: as NTCIP 1202 has it, {@code systemPatternControl} returns to
     * 0 (standby) and the controller runs its own selection (free). Not a set. Step thread.
     */
    void backupReset() {
        systemPattern = 0;
        pattern = null;
        freeStatus = org.greenwave.adapters.ntcip.NtcipObjects.LOCAL_FREE_COORD_FREE;
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
