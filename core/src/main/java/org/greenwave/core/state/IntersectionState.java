package org.greenwave.core.state;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;

/**
 * The engine's measured state of one intersection, in primitive arrays indexed by the model's lane indexes, and the
 * {@link IntersectionView} policies read.
 *
 * <p>Threading: single writer, the intersection's control thread, which applies detector updates and runs the tick.
 */
public final class IntersectionState implements IntersectionView {
    private final IntersectionModel model;
    private final SafetyInterlock interlock;
    private final int[] incomingHalting;
    private final int[] incomingVehicles;
    private final double[] incomingJamM;
    private final long[] stopLineCount;
    private final long[] advanceCount;
    private final int[] outgoingVehicles;
    private double nowS;

    public IntersectionState(IntersectionModel model, SafetyInterlock interlock) {
        this.model = model;
        this.interlock = interlock;
        int in = model.incomingLaneCount();
        this.incomingHalting = new int[in];
        this.incomingVehicles = new int[in];
        this.incomingJamM = new double[in];
        this.stopLineCount = new long[in];
        this.advanceCount = new long[in];
        this.outgoingVehicles = new int[model.outgoingLaneCount()];
    }

    /** Sets the time of the tick about to run. */
    public void now(double nowS) {
        this.nowS = nowS;
    }

    /** Latest lane-area reading of an incoming lane. */
    public void incomingArea(int lane, int vehicles, int halting, double jamM) {
        incomingVehicles[lane] = vehicles;
        incomingHalting[lane] = halting;
        incomingJamM[lane] = jamM;
    }

    /** Adds vehicles counted by an incoming lane's stop-line detector. */
    public void addStopLineCount(int lane, int vehicles) {
        stopLineCount[lane] += vehicles;
    }

    /** Adds vehicles counted by an incoming lane's advance detector. */
    public void addAdvanceCount(int lane, int vehicles) {
        advanceCount[lane] += vehicles;
    }

    /** Latest lane-area reading of an outgoing lane. */
    public void outgoingArea(int lane, int vehicles) {
        outgoingVehicles[lane] = vehicles;
    }

    public SafetyInterlock interlock() {
        return interlock;
    }

    @Override
    public IntersectionModel model() {
        return model;
    }

    @Override
    public double nowS() {
        return nowS;
    }

    @Override
    public int phase() {
        return interlock.phase();
    }

    @Override
    public int targetPhase() {
        return interlock.targetPhase();
    }

    @Override
    public int interval() {
        return interlock.interval();
    }

    @Override
    public double phaseElapsedS() {
        return nowS - interlock.phaseStartS();
    }

    @Override
    public int incomingHalting(int lane) {
        return incomingHalting[lane];
    }

    @Override
    public int incomingVehicles(int lane) {
        return incomingVehicles[lane];
    }

    @Override
    public double incomingJamM(int lane) {
        return incomingJamM[lane];
    }

    @Override
    public long stopLineCount(int lane) {
        return stopLineCount[lane];
    }

    @Override
    public long advanceCount(int lane) {
        return advanceCount[lane];
    }

    @Override
    public int outgoingVehicles(int lane) {
        return outgoingVehicles[lane];
    }
}
