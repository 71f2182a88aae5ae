package org.greenwave.core.forecast;

import org.greenwave.core.state.IntersectionState;

/**
 * The forecaster the engine uses when none is configured: the queue is what the lane-area detector sees halting,
 * with no uncertainty model, and nothing is predicted to arrive, so the predicted queue only drains at the lane's
 * saturation flow while the lane has green in the signal's present state. Enough for policies that
 * need no forecast; the forecast module provides the real one. The totals of the intersection and its approaches are
 * those of its vehicle lanes, without bands (nothing calibrates them).
 */
public final class DirectForecaster implements IntersectionForecaster {
    private org.greenwave.core.model.IntersectionModel totalsModel;
    private IntersectionTotals totals;

    @Override
    public void update(IntersectionState state) {
        int lanes = state.model().incomingLaneCount();
        if (totalsModel != state.model()) {
            // Once, at the first tick: the forecaster is made without its intersection.
            totalsModel = state.model();
            boolean[] counted = new boolean[lanes];
            java.util.Arrays.fill(counted, true);
            totals = new IntersectionTotals(totalsModel, counted);
        }
        for (int lane = 0; lane < lanes; lane++) {
            double q = state.incomingHalting(lane);
            state.queueEstimate(lane, q, 0, false);
            boolean green = state.laneGreen(lane);
            double saturation = state.model().incomingLaneSaturationVehPerS(lane);
            double[] predicted = state.predictedQueueArray();
            int base = lane * (IntersectionState.HORIZON_S + 1);
            predicted[base] = q;
            for (int s = 1; s <= IntersectionState.HORIZON_S; s++) {
                predicted[base + s] = green ? Math.max(0, predicted[base + s - 1] - saturation)
                        : predicted[base + s - 1];
            }
            double[] arrivals = state.predictedArrivalsArray();
            int aBase = lane * IntersectionState.HORIZON_S;
            for (int k = 0; k < IntersectionState.HORIZON_S; k++) {
                arrivals[aBase + k] = 0;
            }
        }
        totals.update(state, null);
    }
}
