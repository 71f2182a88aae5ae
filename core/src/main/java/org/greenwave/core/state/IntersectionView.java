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
    IntersectionModel model();

    /** Time of this tick. */
    double nowS();

    /** The green phase shown now, or the one being left during a transition. */
    int phase();

    /** The phase a running transition leads to; equal to {@link #phase()} while green. */
    int targetPhase();

    /** {@code SafetyInterlock.GREEN}, {@code YELLOW} or {@code ALL_RED}. */
    int interval();

    /** Seconds since the current green phase began. */
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
}
