package org.greenwave.core.state;

import org.greenwave.core.model.IntersectionModel;

/**
 * What a policy may know about one intersection at a control tick: the model, the signal's present interval, and
 * the latest detector measurements. Read-only. Valid only during the {@code propose} call it is passed to, on the
 * intersection's control thread.
 *
 * <p>Lane indexes are the model's incoming and outgoing lane indexes. A lane without a working detector reads 0.
 */
public interface IntersectionView {
    /** Detector fault bit: the stop-line loop is dead, stuck on or chattering. */
    int FAULT_STOP_LINE = 1;
    /** Detector fault bit: the advance loop is dead, stuck on or chattering. */
    int FAULT_ADVANCE = 2;
    /** Detector fault bit: the lane-area detector is silent or implausible. */
    int FAULT_AREA = 4;

    IntersectionModel model();

    /** Time of this tick, engine milliseconds: what deadlines and the interlock's timing compare against. */
    long nowMs();

    /** {@link #nowMs()} in seconds, for traffic models. */
    double nowS();

    /** The green phase shown now, or the one being left during a transition. */
    int phase();

    /** The phase a running transition leads to; equal to {@link #phase()} while green. */
    int targetPhase();

    /** {@code SafetyInterlock.GREEN}, {@code YELLOW} or {@code ALL_RED}. */
    int interval();

    /**
     * Milliseconds since the current green phase began, on the interlock's own time line: compare it with the model's
     * millisecond bounds ({@link IntersectionModel#effectiveMinGreenMs}, {@link IntersectionModel#maxGreenMs}).
     */
    long phaseElapsedMs();

    /** {@link #phaseElapsedMs()} in seconds, for traffic models. */
    double phaseElapsedS();

    /** Vehicles standing (speed below 0.1 m/s) in the incoming lane's detection zone. */
    int incomingHalting(int lane);

    /** Vehicles in the incoming lane's detection zone. */
    int incomingVehicles(int lane);

    /** Length of the standing queue in the incoming lane's detection zone, in metres. */
    double incomingJamM(int lane);

    /** Vehicles counted by the incoming lane's stop-line detector since the engine started (monotonic). */
    long stopLineCount(int lane);

    /** Vehicles counted by the incoming lane's advance detector since the engine started (monotonic). */
    long advanceCount(int lane);

    /** Vehicles in the outgoing lane's detection zone (its first stretch after the junction). */
    int outgoingVehicles(int lane);

    /**
     * Seconds since the incoming lane's lane-area detector last reported, as of the tick it was folded in; infinite if
     * it never has (or the lane has none). A silent detector's reading is stale, not zero.
     */
    double incomingAreaAgeS(int lane);

    /** Share of the last control interval the lane's stop-line loop was occupied, 0..1. */
    double stopLineOccupancy(int lane);

    /** Share of the last control interval the lane's advance loop was occupied, 0..1. */
    double advanceOccupancy(int lane);

    /** Whether the stop-line loop is occupied now. */
    boolean stopLineOccupied(int lane);

    /** Whether the advance loop is occupied now. */
    boolean advanceOccupied(int lane);

    /** Whether any movement from the incoming lane shows green now. */
    boolean laneGreen(int lane);

    /** Estimated queue on the incoming lane, vehicles (the forecast step's estimate). */
    double queueVeh(int lane);

    /** Variance of {@link #queueVeh(int)}, vehicles². */
    double queueVarianceVeh2(int lane);

    /** Whether the lane's queue reaches back past its advance detector. */
    boolean spilledBack(int lane);

    /** The lane's detector faults: a combination of {@link #FAULT_STOP_LINE}, {@link #FAULT_ADVANCE}, {@link #FAULT_AREA}. */
    int detectorFaults(int lane);

    /**
     * Predicted queue on the lane {@code secondsAhead} seconds from now (0..{@link IntersectionState#HORIZON_S};
     * 0 is {@link #queueVeh(int)}), under the schedule the forecaster expects the signal to run.
     */
    double predictedQueueVeh(int lane, int secondsAhead);

    /**
     * Vehicles expected to join the lane's queue (or pass its stop line on green) during second {@code secondAhead}
     * from now (0..{@link IntersectionState#HORIZON_S} − 1).
     */
    double predictedArrivalsVeh(int lane, int secondAhead);
}
