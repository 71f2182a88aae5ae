package org.greenwave.core.engine;

import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OverrideStatus;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;

/**
 * A consistent copy of one intersection as of its last control tick, for dashboards and monitoring: the signal's
 * interval and state, the plan issued, and the detector measurements the policy saw. Filled by
 * {@link Engine#snapshot(int, IntersectionSnapshot)} on any thread; reusable, so a monitor polling many intersections
 * allocates nothing per poll.
 *
 * <p>Before the first tick every value is 0 (and {@link #ticks()} is 0). Threading: not thread-safe; one owner.
 */
public final class IntersectionSnapshot {
    private final IntersectionModel model;
    private final char[] shown;
    private final int[] incomingVehicles;
    private final int[] incomingHalting;
    private final double[] incomingJamM;
    private final long[] stopLineCount;
    private final long[] advanceCount;
    private final int[] outgoingVehicles;
    private final double[] queueVeh;
    private final double[] queueVarianceVeh2;
    private final boolean[] spilledBack;
    private final int[] detectorFaults;
    private final double[] predictedQueueVeh;
    private final double[] groupQueueVeh;
    private final double[] groupDelayVehS;
    private final double[] groupBandLow;
    private final double[] groupBandHigh;
    private int intersection;
    private long ticks;
    private long readings;
    private double nowS;
    private int interval;
    private int phase;
    private int targetPhase;
    private double phaseElapsedS;
    private long planSequence;
    private String deviceProgram;
    private long watchdogTrips;
    private double watchdogSuspendedS;
    private boolean watchdogSuspended;
    private String watchdogReason = "";
    private OverrideStatus override;
    private boolean operatorFlash;

    /** An empty snapshot sized for {@code model}. */
    public IntersectionSnapshot(IntersectionModel model) {
        this.model = model;
        this.shown = new char[model.linkCount()];
        int in = model.incomingLaneCount();
        this.incomingVehicles = new int[in];
        this.incomingHalting = new int[in];
        this.incomingJamM = new double[in];
        this.stopLineCount = new long[in];
        this.advanceCount = new long[in];
        this.outgoingVehicles = new int[model.outgoingLaneCount()];
        this.queueVeh = new double[in];
        this.queueVarianceVeh2 = new double[in];
        this.spilledBack = new boolean[in];
        this.detectorFaults = new int[in];
        this.predictedQueueVeh = new double[in * (IntersectionState.HORIZON_S + 1)];
        int groups = 1 + model.approachCount();
        this.groupQueueVeh = new double[groups * (IntersectionState.HORIZON_S + 1)];
        this.groupDelayVehS = new double[groups];
        this.groupBandLow = new double[groups * PredictionBands.SLOTS];
        this.groupBandHigh = new double[groups * PredictionBands.SLOTS];
    }

    public IntersectionModel model() {
        return model;
    }

    /** Dense index of the intersection in the engine. */
    public int intersection() {
        return intersection;
    }

    /** Control ticks run so far; 0 before the first. */
    public long ticks() {
        return ticks;
    }

    /**
     * Detector readings applied to this intersection's detectors up to the last tick: loop edges, loop aggregates and
     * area readings, a zero count included. 0 while no detector of the signal has reported.
     */
    public long readings() {
        return readings;
    }

    /** Engine-clock time of the last tick, seconds. */
    public double nowS() {
        return nowS;
    }

    /** {@link SafetyInterlock#GREEN}, {@code YELLOW} or {@code ALL_RED}. */
    public int interval() {
        return interval;
    }

    public int phase() {
        return phase;
    }

    public int targetPhase() {
        return targetPhase;
    }

    public double phaseElapsedS() {
        return phaseElapsedS;
    }

    /** Sequence number of the last plan issued. */
    public long planSequence() {
        return planSequence;
    }

    /** The device program of the last plan, or null when the engine drives the signal. */
    public String deviceProgram() {
        return deviceProgram;
    }

    /** State of {@code link} the interlock showed after the last tick (meaningless for device programs). */
    public char shown(int link) {
        return shown[link];
    }

    /** The shown state as a new string (allocates). */
    public String shownString() {
        return new String(shown);
    }

    public int incomingVehicles(int lane) {
        return incomingVehicles[lane];
    }

    public int incomingHalting(int lane) {
        return incomingHalting[lane];
    }

    public double incomingJamM(int lane) {
        return incomingJamM[lane];
    }

    public long stopLineCount(int lane) {
        return stopLineCount[lane];
    }

    public long advanceCount(int lane) {
        return advanceCount[lane];
    }

    public int outgoingVehicles(int lane) {
        return outgoingVehicles[lane];
    }

    /** The forecast step's queue estimate of an incoming lane, vehicles. */
    public double queueVeh(int lane) {
        return queueVeh[lane];
    }

    public double queueVarianceVeh2(int lane) {
        return queueVarianceVeh2[lane];
    }

    public boolean spilledBack(int lane) {
        return spilledBack[lane];
    }

    /** The lane's detector fault bits, see {@link org.greenwave.core.state.IntersectionView#FAULT_STOP_LINE}. */
    public int detectorFaults(int lane) {
        return detectorFaults[lane];
    }

    /** Predicted queue {@code secondsAhead} (0..{@link IntersectionState#HORIZON_S}) after {@link #nowS()}. */
    public double predictedQueueVeh(int lane, int secondsAhead) {
        return predictedQueueVeh[lane * (IntersectionState.HORIZON_S + 1) + secondsAhead];
    }

    /** Groups predicted as a whole: 0 the intersection, {@code 1 + a} approach a (see {@link IntersectionState#groupCount()}). */
    public int groupCount() {
        return groupDelayVehS.length;
    }

    /** See {@link IntersectionState#predictedGroupQueueVeh(int, int)}. */
    public double predictedGroupQueueVeh(int group, int secondsAhead) {
        return groupQueueVeh[group * (IntersectionState.HORIZON_S + 1) + secondsAhead];
    }

    /** See {@link IntersectionState#predictedGroupDelayVehS(int)}. */
    public double predictedGroupDelayVehS(int group) {
        return groupDelayVehS[group];
    }

    /** See {@link IntersectionState#groupBandLow(int, int)}; NaN without a band. */
    public double groupBandLow(int group, int slot) {
        return groupBandLow[group * PredictionBands.SLOTS + slot];
    }

    /** See {@link IntersectionState#groupBandHigh(int, int)}; NaN without a band. */
    public double groupBandHigh(int group, int slot) {
        return groupBandHigh[group * PredictionBands.SLOTS + slot];
    }

    /** Times the signal's watchdog handed it back to its own program (0 without a watchdog). */
    public long watchdogTrips() {
        return watchdogTrips;
    }

    /** Seconds the signal spent under its own program because of the watchdog. */
    public double watchdogSuspendedS() {
        return watchdogSuspendedS;
    }

    /** Whether the watchdog has the signal on its own program now. */
    public boolean watchdogSuspended() {
        return watchdogSuspended;
    }

    /** Why the watchdog last tripped, for a person; empty if it never did. */
    public String watchdogReason() {
        return watchdogReason;
    }

    /** The operator override in force after the last tick, or null under the policy's control. */
    public OverrideStatus override() {
        return override;
    }

    /** Whether the last plan was an operator's all-red flash. */
    public boolean operatorFlash() {
        return operatorFlash;
    }

    // Writer side: the engine only.

    void capture(int intersection, long ticks, long readings, TimingPlan plan, IntersectionState state,
                 org.greenwave.core.policy.Watchdog watchdog, OverrideStatus override) {
        this.override = override;
        this.operatorFlash = plan.operatorFlash();
        if (watchdog != null) {
            this.watchdogTrips = watchdog.trips();
            this.watchdogSuspendedS = watchdog.suspendedS();
            this.watchdogSuspended = watchdog.isSuspended();
            this.watchdogReason = watchdog.reason();
        }
        SafetyInterlock il = state.interlock();
        this.intersection = intersection;
        this.ticks = ticks;
        this.readings = readings;
        this.nowS = state.nowS();
        this.interval = il.interval();
        this.phase = il.phase();
        this.targetPhase = il.targetPhase();
        this.phaseElapsedS = state.phaseElapsedS();
        this.planSequence = plan.sequence();
        this.deviceProgram = plan.deviceProgram();
        il.copyShown(shown);
        for (int l = 0; l < incomingVehicles.length; l++) {
            incomingVehicles[l] = state.incomingVehicles(l);
            incomingHalting[l] = state.incomingHalting(l);
            incomingJamM[l] = state.incomingJamM(l);
            stopLineCount[l] = state.stopLineCount(l);
            advanceCount[l] = state.advanceCount(l);
            queueVeh[l] = state.queueVeh(l);
            queueVarianceVeh2[l] = state.queueVarianceVeh2(l);
            spilledBack[l] = state.spilledBack(l);
            detectorFaults[l] = state.detectorFaults(l);
        }
        System.arraycopy(state.predictedQueueArray(), 0, predictedQueueVeh, 0, predictedQueueVeh.length);
        System.arraycopy(state.groupQueueArray(), 0, groupQueueVeh, 0, groupQueueVeh.length);
        System.arraycopy(state.groupDelayArray(), 0, groupDelayVehS, 0, groupDelayVehS.length);
        System.arraycopy(state.groupBandLowArray(), 0, groupBandLow, 0, groupBandLow.length);
        System.arraycopy(state.groupBandHighArray(), 0, groupBandHigh, 0, groupBandHigh.length);
        for (int l = 0; l < outgoingVehicles.length; l++) {
            outgoingVehicles[l] = state.outgoingVehicles(l);
        }
    }

    void copyFrom(IntersectionSnapshot s) {
        intersection = s.intersection;
        ticks = s.ticks;
        readings = s.readings;
        nowS = s.nowS;
        interval = s.interval;
        phase = s.phase;
        targetPhase = s.targetPhase;
        phaseElapsedS = s.phaseElapsedS;
        planSequence = s.planSequence;
        deviceProgram = s.deviceProgram;
        watchdogTrips = s.watchdogTrips;
        watchdogSuspendedS = s.watchdogSuspendedS;
        watchdogSuspended = s.watchdogSuspended;
        watchdogReason = s.watchdogReason;
        override = s.override;
        operatorFlash = s.operatorFlash;
        System.arraycopy(s.shown, 0, shown, 0, shown.length);
        System.arraycopy(s.incomingVehicles, 0, incomingVehicles, 0, incomingVehicles.length);
        System.arraycopy(s.incomingHalting, 0, incomingHalting, 0, incomingHalting.length);
        System.arraycopy(s.incomingJamM, 0, incomingJamM, 0, incomingJamM.length);
        System.arraycopy(s.stopLineCount, 0, stopLineCount, 0, stopLineCount.length);
        System.arraycopy(s.advanceCount, 0, advanceCount, 0, advanceCount.length);
        System.arraycopy(s.outgoingVehicles, 0, outgoingVehicles, 0, outgoingVehicles.length);
        System.arraycopy(s.queueVeh, 0, queueVeh, 0, queueVeh.length);
        System.arraycopy(s.queueVarianceVeh2, 0, queueVarianceVeh2, 0, queueVarianceVeh2.length);
        System.arraycopy(s.spilledBack, 0, spilledBack, 0, spilledBack.length);
        System.arraycopy(s.detectorFaults, 0, detectorFaults, 0, detectorFaults.length);
        System.arraycopy(s.predictedQueueVeh, 0, predictedQueueVeh, 0, predictedQueueVeh.length);
        System.arraycopy(s.groupQueueVeh, 0, groupQueueVeh, 0, groupQueueVeh.length);
        System.arraycopy(s.groupDelayVehS, 0, groupDelayVehS, 0, groupDelayVehS.length);
        System.arraycopy(s.groupBandLow, 0, groupBandLow, 0, groupBandLow.length);
        System.arraycopy(s.groupBandHigh, 0, groupBandHigh, 0, groupBandHigh.length);
    }
}
