package org.greenwave.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.junit.jupiter.api.Test;

class IntersectionTotalsTest {
    private static final int H = IntersectionState.HORIZON_S;

    /** Two lanes on road N, one on road E, and a walking area. */
    private static IntersectionModel model() {
        return IntersectionModel.builder("x", 4)
                .link(0, "N_0", 100, 13.9, "S_0").link(1, "N_1", 100, 13.9, "S_1")
                .link(2, "E_0", 100, 13.9, "W_0").link(3, ":x_w0_0", 10, 1.3, ":x_w1_0")
                .conflicts(ConflictMatrix.builder(4).conflict(0, 2).conflict(1, 2).build())
                .greenPhase("GGrG", 0, 20, 5, 30).greenPhase("rrGr", 1, 20, 5, 30).crossing(3)
                .yellowS(3).allRedS(1).build();
    }

    @Test
    void approachesAreTheRoadsOfTheVehicleLanes() {
        IntersectionModel m = model();
        assertThat(m.approachCount()).isEqualTo(2);
        assertThat(m.approachId(0)).isEqualTo("N");
        assertThat(m.approachId(1)).isEqualTo("E");
        assertThat(m.incomingLaneApproach(0)).isZero();
        assertThat(m.incomingLaneApproach(1)).isZero();
        assertThat(m.incomingLaneApproach(2)).isEqualTo(1);
        assertThat(m.incomingLaneApproach(3)).isEqualTo(-1);
        assertThat(IntersectionModel.approachOf("lane")).isEqualTo("lane");
        assertThat(IntersectionModel.approachOf("-E3_12")).isEqualTo("-E3");
    }

    @Test
    void sumsTheCountedLanesPerSecondWithTheirDelayAndBands() {
        IntersectionModel m = model();
        IntersectionState state = new IntersectionState(m, new SafetyInterlock(m));
        double[] q = state.predictedQueueArray();
        for (int s = 0; s <= H; s++) {
            q[s] = 2;                       // N_0: 2 throughout
            q[(H + 1) + s] = s;              // N_1: grows 1 veh/s
            q[2 * (H + 1) + s] = 100;        // E_0: not counted (no detector)
            q[3 * (H + 1) + s] = 50;         // walking area: never counted
        }
        int n = PredictionBands.SCOPES * PredictionBands.SLOTS * (PredictionBands.DEFAULT_BUCKET_EDGES_VEH.length + 1);
        double[] low = new double[n];
        double[] high = new double[n];
        Arrays.fill(low, -1);
        Arrays.fill(high, 4);
        PredictionBands bands = PredictionBands.of(0.1, 0.9, PredictionBands.DEFAULT_BUCKET_EDGES_VEH, low, high);

        IntersectionTotals totals = new IntersectionTotals(m, new boolean[]{true, true, false, true});
        totals.update(state, bands);

        assertThat(state.groupCount()).isEqualTo(3);
        assertThat(state.predictedGroupQueueVeh(0, 0)).isEqualTo(2);
        assertThat(state.predictedGroupQueueVeh(0, 30)).isEqualTo(32);
        assertThat(state.predictedGroupQueueVeh(1, 30)).isEqualTo(32);
        assertThat(state.predictedGroupQueueVeh(2, 30)).isZero();
        // Σ over seconds 1..60 of (2 + s) = 120 + 1830.
        assertThat(state.predictedGroupDelayVehS(0)).isCloseTo(1950, offset(1e-9));
        assertThat(state.predictedGroupDelayVehS(2)).isZero();
        assertThat(state.groupBandLow(0, 2)).isEqualTo(31);   // slot 2: 30 s
        assertThat(state.groupBandHigh(0, 2)).isEqualTo(36);
        assertThat(state.groupBandLow(0, 0)).isEqualTo(6);    // slot 0: 5 s, 7 veh
        assertThat(state.groupBandHigh(0, PredictionBands.SLOT_DELAY)).isEqualTo(1954);
        assertThat(state.groupBandLow(2, 3)).isZero();        // an empty approach's band stops at 0

        totals.update(state, null);
        assertThat(state.groupBandLow(0, 2)).isNaN();
        assertThat(state.groupBandHigh(1, PredictionBands.SLOT_DELAY)).isNaN();
        assertThat(state.predictedGroupQueueVeh(0, 60)).isEqualTo(62);
    }
}
