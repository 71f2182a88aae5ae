package org.greenwave.core.state;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.time.Millis;

/**
 * The engine's measured state of one intersection, in primitive arrays indexed by the model's lane indexes, and the
 * {@link IntersectionView} policies read.
 *
 * <p>Threading: single writer, the intersection's control thread, which applies detector updates and runs the tick.
 */
public final class IntersectionState implements IntersectionView {
    /** Seconds ahead the forecast covers. */
    public static final int HORIZON_S = 60;

    private final IntersectionModel model;
    private final SafetyInterlock interlock;
    private final int[] incomingHalting;
    private final int[] incomingVehicles;
    private final double[] incomingJamM;
    private final long[] stopLineCount;
    private final long[] advanceCount;
    private final int[] outgoingVehicles;
    private final double[] stopLineOccupancy;
    private final double[] advanceOccupancy;
    private final boolean[] stopLineOccupied;
    private final boolean[] advanceOccupied;
    private final double[] queueVeh;
    private final double[] queueVarianceVeh2;
    private final boolean[] spilledBack;
    private final int[] detectorFaults;
    /** {@code [lane * (HORIZON_S + 1) + s]}: queue {@code s} seconds ahead, s = 0 the estimate now. */
    private final double[] predictedQueueVeh;
    /** {@code [lane * HORIZON_S + k]}: vehicles expected to join the lane during second k ahead. */
    private final double[] predictedArrivalsVeh;
    /** Engine time of the last fold with a fresh lane-area reading; -inf before the first. */
    private final double[] incomingAreaReportedS;
    private final int[] laneLinks;
    private final int[] laneLinkStart;
    /**
     * {@code [lane * HORIZON_S + k]}: share of second k after {@link #plannedFromS} the lane's signal is planned to
     * show green; NaN where the plan says nothing.
     */
    private final double[] plannedGreen;
    private double plannedFromS = Double.NaN;
    private long nowMs;
    /** {@link #nowMs} in seconds, for the traffic models. */
    private double nowS;
    /** The signal state the field controller last reported, one {@code SignalChar} per link. */
    private final char[] fieldState;
    /** Whether the field controller has reported a state since start. */
    private boolean fieldReported;
    /** Whether the device's own program, not the engine's interlock, decides what the signal shows. */
    private boolean fieldInCharge;
    private int fieldPhase = -1;
    private long fieldPhaseStartMs;
    /** Groups of lanes predicted as a whole: 0 the intersection, 1 + a approach a. */
    private final int groupCount;
    /** {@code [group * (HORIZON_S + 1) + s]}: the group's total queue {@code s} seconds ahead. */
    private final double[] groupQueueVeh;
    /** {@code [group]}: vehicle-seconds of queueing predicted over the next {@link #HORIZON_S} seconds. */
    private final double[] groupDelayVehS;
    /** {@code [group * PredictionBands.SLOTS + slot]}: lower and upper ends of the prediction's band; NaN: none. */
    private final double[] groupBandLow;
    private final double[] groupBandHigh;

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
        this.stopLineOccupancy = new double[in];
        this.advanceOccupancy = new double[in];
        this.stopLineOccupied = new boolean[in];
        this.advanceOccupied = new boolean[in];
        this.queueVeh = new double[in];
        this.queueVarianceVeh2 = new double[in];
        this.spilledBack = new boolean[in];
        this.detectorFaults = new int[in];
        this.predictedQueueVeh = new double[in * (HORIZON_S + 1)];
        this.predictedArrivalsVeh = new double[in * HORIZON_S];
        this.plannedGreen = new double[in * HORIZON_S];
        java.util.Arrays.fill(plannedGreen, Double.NaN);
        this.groupCount = 1 + model.approachCount();
        this.groupQueueVeh = new double[groupCount * (HORIZON_S + 1)];
        this.groupDelayVehS = new double[groupCount];
        int slots = org.greenwave.core.forecast.PredictionBands.SLOTS;
        this.groupBandLow = new double[groupCount * slots];
        this.groupBandHigh = new double[groupCount * slots];
        java.util.Arrays.fill(groupBandLow, Double.NaN);
        java.util.Arrays.fill(groupBandHigh, Double.NaN);
        this.fieldState = new char[model.linkCount()];
        this.incomingAreaReportedS = new double[in];
        java.util.Arrays.fill(incomingAreaReportedS, Double.NEGATIVE_INFINITY);
        this.laneLinkStart = new int[in + 1];
        this.laneLinks = new int[model.linkCount()];
        for (int l = 0; l < model.linkCount(); l++) {
            if (model.linkUsed(l)) {
                laneLinkStart[model.linkIncomingLane(l) + 1]++;
            }
        }
        for (int lane = 0; lane < in; lane++) {
            laneLinkStart[lane + 1] += laneLinkStart[lane];
        }
        int[] fill = new int[in];
        for (int l = 0; l < model.linkCount(); l++) {
            int lane = model.linkIncomingLane(l);
            if (lane >= 0) {
                laneLinks[laneLinkStart[lane] + fill[lane]++] = l;
            }
        }
    }

    /** A loop's share of the time since the last fold it was occupied (0..1), and whether it is occupied now. */
    public void stopLineOccupancy(int lane, double occupancy, boolean occupiedNow) {
        stopLineOccupancy[lane] = occupancy;
        stopLineOccupied[lane] = occupiedNow;
    }

    /** See {@link #stopLineOccupancy(int, double, boolean)}. */
    public void advanceOccupancy(int lane, double occupancy, boolean occupiedNow) {
        advanceOccupancy[lane] = occupancy;
        advanceOccupied[lane] = occupiedNow;
    }

    /** Forecaster: the queue estimate of an incoming lane. */
    public void queueEstimate(int lane, double queueVeh, double varianceVeh2, boolean spilledBack) {
        this.queueVeh[lane] = queueVeh;
        this.queueVarianceVeh2[lane] = varianceVeh2;
        this.spilledBack[lane] = spilledBack;
    }

    /** Forecaster: the lane's detector faults, a combination of the {@code FAULT_} bits. */
    public void detectorFaults(int lane, int faults) {
        detectorFaults[lane] = faults;
    }

    /** Forecaster: the array behind {@link #predictedQueueVeh(int, int)}, written in place. */
    public double[] predictedQueueArray() {
        return predictedQueueVeh;
    }

    /** Forecaster: the array behind {@link #predictedArrivalsVeh(int, int)}, written in place. */
    public double[] predictedArrivalsArray() {
        return predictedArrivalsVeh;
    }

    /**
     * Groups of lanes the forecast also predicts as a whole: group 0 is the intersection (its incoming lanes with
     * detectors), group {@code 1 + a} is approach {@code a} of the model ({@link IntersectionModel#approachCount()}).
     */
    public int groupCount() {
        return groupCount;
    }

    /** Forecaster: the array behind {@link #predictedGroupQueueVeh(int, int)}, written in place. */
    public double[] groupQueueArray() {
        return groupQueueVeh;
    }

    /** Forecaster: the array behind {@link #predictedGroupDelayVehS(int)}, written in place. */
    public double[] groupDelayArray() {
        return groupDelayVehS;
    }

    /** Forecaster: the array behind {@link #groupBandLow(int, int)}, written in place. */
    public double[] groupBandLowArray() {
        return groupBandLow;
    }

    /** Forecaster: the array behind {@link #groupBandHigh(int, int)}, written in place. */
    public double[] groupBandHighArray() {
        return groupBandHigh;
    }

    /**
     * The group's predicted total queue {@code secondsAhead} (0..{@link #HORIZON_S}) from now, vehicles: the sum of its
     * lanes' {@link #predictedQueueVeh}; at 0 the sum of the estimates. Not part of {@link IntersectionView}: no policy
     * decides on it.
     */
    public double predictedGroupQueueVeh(int group, int secondsAhead) {
        return groupQueueVeh[group * (HORIZON_S + 1) + secondsAhead];
    }

    /**
     * The group's predicted delay over the next {@link #HORIZON_S} seconds: the vehicle-seconds its lanes' vehicles
     * spend queued, the sum over seconds 1..{@code HORIZON_S} of {@link #predictedGroupQueueVeh}.
     */
    public double predictedGroupDelayVehS(int group) {
        return groupDelayVehS[group];
    }

    /**
     * Lower end of the band of the group's prediction in {@code slot} ({@link org.greenwave.core.forecast.PredictionBands}:
     * a horizon's total queue, vehicles, or the delay, vehicle-seconds); NaN when the forecaster has no calibrated band.
     */
    public double groupBandLow(int group, int slot) {
        return groupBandLow[group * org.greenwave.core.forecast.PredictionBands.SLOTS + slot];
    }

    /** Upper end of the band, see {@link #groupBandLow(int, int)}. */
    public double groupBandHigh(int group, int slot) {
        return groupBandHigh[group * org.greenwave.core.forecast.PredictionBands.SLOTS + slot];
    }

    /**
     * Engine: starts the signal plan published at {@code fromS} (the tick's time), forgetting the previous one; every
     * second is unknown until {@link #planState} covers it. Shard thread; no allocation.
     */
    public void planBegin(double fromS) {
        plannedFromS = fromS;
        java.util.Arrays.fill(plannedGreen, Double.NaN);
    }

    /**
     * Engine: the signal will show {@code linkStates} (one {@link org.greenwave.core.model.SignalChar} per link) from
     * {@code fromS} to {@code toS} seconds after the plan's start. Seconds covered in part add the part they cover.
     */
    public void planState(char[] linkStates, double fromS, double toS) {
        int first = (int) Math.max(0, Math.floor(fromS));
        int last = (int) Math.min(HORIZON_S, Math.ceil(toS));
        if (!(toS > fromS) || first >= last) {
            return;
        }
        for (int lane = 0; lane < laneLinkStart.length - 1; lane++) {
            boolean green = false;
            for (int i = laneLinkStart[lane]; i < laneLinkStart[lane + 1] && !green; i++) {
                green = org.greenwave.core.model.SignalChar.isGreen(linkStates[laneLinks[i]]);
            }
            for (int k = first; k < last; k++) {
                double part = Math.min(k + 1, toS) - Math.max(k, fromS);
                if (part > 0) {
                    int at = lane * HORIZON_S + k;
                    double was = Double.isNaN(plannedGreen[at]) ? 0 : plannedGreen[at];
                    plannedGreen[at] = Math.min(1, was + (green ? part : 0));
                }
            }
        }
    }

    /** When the current signal plan starts, engine seconds; NaN when none was published. */
    public double plannedFromS() {
        return plannedFromS;
    }

    /**
     * Share of second {@code k} (0 ≤ k < {@link #HORIZON_S}) after {@link #plannedFromS()} the lane's signal is
     * planned to show green, 0..1; NaN where the plan says nothing (beyond it, or no plan: a device's own program).
     */
    public double plannedGreenShare(int lane, int k) {
        return plannedGreen[lane * HORIZON_S + k];
    }

    /**
     * Engine: the status the signal's field controller reported last: the state it shows ({@code state}, one
     * {@link org.greenwave.core.model.SignalChar} per link), its phase in the program it runs and when that phase
     * began, engine milliseconds. Kept until the next report. Shard thread; no allocation.
     *
     * @return false (and nothing changed) when {@code state} does not hold one valid signal character per link
     */
    public boolean fieldStatus(CharSequence state, int phase, long phaseStartMs) {
        if (state.length() != fieldState.length) {
            return false;
        }
        for (int i = 0; i < fieldState.length; i++) {
            if (!org.greenwave.core.model.SignalChar.isValid(state.charAt(i))) {
                return false;
            }
        }
        for (int i = 0; i < fieldState.length; i++) {
            fieldState[i] = state.charAt(i);
        }
        fieldReported = true;
        fieldPhase = phase;
        fieldPhaseStartMs = phaseStartMs;
        return true;
    }

    /**
     * Engine: whether the device's own program (a device-program policy, an operator's program, or the signal's own
     * program while the watchdog holds it) decides what the signal shows, rather than the engine's interlock. While it
     * does, {@link #laneGreen} reads the field's last reported state where there is one.
     */
    public void fieldInCharge(boolean inCharge) {
        this.fieldInCharge = inCharge;
    }

    /**
     * Whether {@link #laneGreen} reads the field controller's reported state (its own program is in charge and it has
     * reported) rather than the engine's interlock.
     */
    public boolean signalFromField() {
        return fieldInCharge && fieldReported;
    }

    /**
     * What the link shows: as the engine's interlock shows it, or, while the device's own program is in charge
     * ({@link #signalFromField()}), as the field controller last reported.
     */
    public char signalShown(int link) {
        return signalFromField() ? fieldState[link] : interlock.shown(link);
    }

    /** The phase the field controller last reported, in the program it runs; -1 before any report. */
    public int fieldPhase() {
        return fieldPhase;
    }

    /** Seconds the field controller's reported phase has lasted at this tick; NaN before any report. */
    public double fieldPhaseElapsedS() {
        return fieldReported ? Millis.toSeconds(nowMs - fieldPhaseStartMs) : Double.NaN;
    }

    /** Sets the time of the tick about to run, engine milliseconds. */
    public void now(long nowMs) {
        this.nowMs = nowMs;
        this.nowS = Millis.toSeconds(nowMs);
    }

    /** Latest lane-area reading of an incoming lane. */
    public void incomingArea(int lane, int vehicles, int halting, double jamM) {
        incomingVehicles[lane] = vehicles;
        incomingHalting[lane] = halting;
        incomingJamM[lane] = jamM;
    }

    /** Notes that the incoming lane's lane-area detector reported since the last tick. */
    public void incomingAreaReported(int lane) {
        incomingAreaReportedS[lane] = nowS;
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
    public long nowMs() {
        return nowMs;
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
    public long phaseElapsedMs() {
        return nowMs - interlock.phaseStartMs();
    }

    @Override
    public double phaseElapsedS() {
        return Millis.toSeconds(phaseElapsedMs());
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

    @Override
    public double incomingAreaAgeS(int lane) {
        return nowS - incomingAreaReportedS[lane];
    }

    @Override
    public double stopLineOccupancy(int lane) {
        return stopLineOccupancy[lane];
    }

    @Override
    public double advanceOccupancy(int lane) {
        return advanceOccupancy[lane];
    }

    @Override
    public boolean stopLineOccupied(int lane) {
        return stopLineOccupied[lane];
    }

    @Override
    public boolean advanceOccupied(int lane) {
        return advanceOccupied[lane];
    }

    /**
     * Whether a link of the lane shows green: as the engine's interlock shows it, or, while the device's own program is
     * in charge ({@link #signalFromField()}), as the field controller last reported.
     */
    @Override
    public boolean laneGreen(int lane) {
        boolean field = signalFromField();
        for (int i = laneLinkStart[lane]; i < laneLinkStart[lane + 1]; i++) {
            int link = laneLinks[i];
            if (org.greenwave.core.model.SignalChar.isGreen(field ? fieldState[link] : interlock.shown(link))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public double queueVeh(int lane) {
        return queueVeh[lane];
    }

    @Override
    public double queueVarianceVeh2(int lane) {
        return queueVarianceVeh2[lane];
    }

    @Override
    public boolean spilledBack(int lane) {
        return spilledBack[lane];
    }

    @Override
    public int detectorFaults(int lane) {
        return detectorFaults[lane];
    }

    @Override
    public double predictedQueueVeh(int lane, int secondsAhead) {
        return predictedQueueVeh[lane * (HORIZON_S + 1) + secondsAhead];
    }

    @Override
    public double predictedArrivalsVeh(int lane, int secondAhead) {
        return predictedArrivalsVeh[lane * HORIZON_S + secondAhead];
    }
}
