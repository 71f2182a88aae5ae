package org.greenwave.core.forecast;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.state.IntersectionState;

/**
 * The last part of a forecast step: from the lanes' predicted queues, the totals of the intersection and of each
 * approach ({@link IntersectionState#groupCount() groups}) for every second ahead, their delay over the next
 * {@link IntersectionState#HORIZON_S} seconds, and, with calibrated {@link PredictionBands}, the bands of the queue at
 * each band horizon and of the delay.
 *
 * <p>Only the lanes given as counted take part: a lane without any detector has no measured queue to add.
 *
 * <p>Threading: the intersection's control thread, inside {@link IntersectionForecaster#update}. No allocation.
 */
public final class IntersectionTotals {
    private static final int H = IntersectionState.HORIZON_S;

    private final int lanes;
    private final int[] laneGroup;

    /**
     * @param model   the intersection
     * @param counted per incoming lane, whether it counts in the totals (walking areas never do)
     */
    public IntersectionTotals(IntersectionModel model, boolean[] counted) {
        this.lanes = model.incomingLaneCount();
        this.laneGroup = new int[lanes];
        for (int l = 0; l < lanes; l++) {
            int a = model.incomingLaneApproach(l);
            laneGroup[l] = counted[l] && a >= 0 ? 1 + a : -1;
        }
    }

    /**
     * Sums the lanes' {@link IntersectionState#predictedQueueArray()} into the state's group arrays and writes the
     * bands ({@code bands} null: NaN, no band).
     */
    public void update(IntersectionState state, PredictionBands bands) {
        double[] lane = state.predictedQueueArray();
        double[] group = state.groupQueueArray();
        java.util.Arrays.fill(group, 0);
        for (int l = 0; l < lanes; l++) {
            int g = laneGroup[l];
            if (g < 0) {
                continue;
            }
            int from = l * (H + 1);
            int whole = 0;
            int own = g * (H + 1);
            for (int s = 0; s <= H; s++) {
                double q = lane[from + s];
                group[whole + s] += q;
                group[own + s] += q;
            }
        }
        double[] delay = state.groupDelayArray();
        double[] low = state.groupBandLowArray();
        double[] high = state.groupBandHighArray();
        int groups = state.groupCount();
        for (int g = 0; g < groups; g++) {
            int base = g * (H + 1);
            double d = 0;
            for (int s = 1; s <= H; s++) {
                d += group[base + s];
            }
            delay[g] = d;
            int scope = g == 0 ? PredictionBands.INTERSECTION : PredictionBands.APPROACH;
            int at = g * PredictionBands.SLOTS;
            for (int slot = 0; slot < PredictionBands.SLOTS; slot++) {
                double predicted = slot == PredictionBands.SLOT_DELAY ? d
                        : group[base + PredictionBands.horizonS(slot)];
                low[at + slot] = bands == null ? Double.NaN : bands.lowerVeh(scope, slot, predicted);
                high[at + slot] = bands == null ? Double.NaN : bands.upperVeh(scope, slot, predicted);
            }
        }
    }
}
