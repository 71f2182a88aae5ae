package org.greenwave.core.forecast;

import org.greenwave.core.state.IntersectionState;

/**
 * The forecast step of the data path for one intersection: after the detectors are folded into the
 * {@link IntersectionState} and before the policy is asked, it writes the state's estimates (queue per incoming lane,
 * its variance, spill-back and detector faults) and predictions (arrivals per lane for each second of the next
 * {@link IntersectionState#HORIZON_S} seconds, and the queue each second ahead under the schedule the forecaster
 * expects the signal to run).
 *
 * <p>Threading: called only on the intersection's control thread, once per control tick. Must not allocate.
 */
public interface IntersectionForecaster {
    /**
     * Updates the estimates and predictions in {@code state} for the tick at {@code state.nowS()}. Reads the
     * detector measurements and signal state of {@code state}; writes its estimate and prediction arrays only.
     */
    void update(IntersectionState state);
}
