package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Neighbourhood;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.Test;

/**
 * Two signals in a row: lane 0 of A leaves into lane {@code mid} (300 m at 10 m/s), which is lane 0 of B. A's
 * forecaster publishes the outflow its roll-out projects; B's takes it as the arrivals into {@code mid}.
 */
class NeighbourForecastTest {
    private static IntersectionModel model(String id, String in0, String out0) {
        return IntersectionModel.builder(id, 2).conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, in0, 300, 10, out0).link(1, id + "_in1", 300, 10, id + "_out1")
                .greenPhase("Gr", 0, 30, 5, 90).greenPhase("rG", 1, 30, 5, 90).build();
    }

    private static final class Signal {
        final IntersectionModel model;
        final IntersectionState state;
        final QueueForecaster forecaster;

        Signal(IntersectionModel model, int phase) {
            this.model = model;
            SafetyInterlock interlock = new SafetyInterlock(model);
            interlock.reset(phase, 0);
            this.state = new IntersectionState(model, interlock);
            this.forecaster = new QueueForecasterFactory(new QueueForecasterFactory.Config()).create(model,
                    List.of(new DetectorSpec(model.id() + "/a0", DetectorKind.AREA_IN, 0),
                            new DetectorSpec(model.id() + "/a1", DetectorKind.AREA_IN, 1)));
        }

        void tick(double t, int halting0) {
            state.now(Millis.fromSeconds(t));
            state.incomingArea(0, halting0, halting0, halting0 * 7.5);
            state.incomingAreaReported(0);
            state.incomingArea(1, 0, 0, 0);
            state.incomingAreaReported(1);
            forecaster.update(state);
        }

        double arrivals(int lane, int from, int to) {
            double sum = 0;
            for (int k = from; k < to; k++) {
                sum += state.predictedArrivalsVeh(lane, k);
            }
            return sum;
        }
    }

    /** A with 20 vehicles queued on green in lane 0, B with an empty lane 0; {@code joined}: on one neighbourhood. */
    private static Signal[] run(boolean joined) {
        Signal a = new Signal(model("A", "a_in0", "mid"), 0);
        Signal b = new Signal(model("B", "mid", "b_out0"), 1);
        if (joined) {
            Neighbourhood n = Neighbourhood.byLaneIds(List.of(a.model, b.model));
            a.forecaster.join(n, 0);
            b.forecaster.join(n, 1);
        }
        for (int t = 0; t <= 3; t++) {
            a.tick(t, 20);
            b.tick(t, 0);
        }
        return new Signal[] {a, b};
    }

    @Test
    void theDownstreamForecasterTakesTheUpstreamsProjectedOutflowAsItsArrivals() {
        Signal[] joined = run(true);
        Signal[] alone = run(false);
        Signal b = joined[1];

        // A's queue leaves at saturation flow (about 0.5 veh/s) for some 40 s; it needs 10 s to reach B's zone and
        // 20 s to cross it.
        assertThat(b.arrivals(0, 0, 25)).as("nothing from A reaches the back of B's queue yet").isLessThan(1);
        assertThat(b.arrivals(0, 35, 60)).isGreaterThan(8);
        assertThat(alone[1].arrivals(0, 35, 60)).as("without the neighbour: B's quiet lane's own rate").isLessThan(3);
        assertThat(b.arrivals(1, 35, 60)).as("lane 1 has no upstream signal").isLessThan(3);
    }

    @Test
    void aForecasterPublishesItsRollOutsDischargeIntoEachOutgoingLane() {
        Signal a = new Signal(model("A", "a_in0", "mid"), 0);
        Signal b = new Signal(model("B", "mid", "b_out0"), 1);
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a.model, b.model));
        a.forecaster.join(n, 0);
        b.forecaster.join(n, 1);
        a.tick(0, 20);
        a.tick(1, 20);

        double[] out = new double[Neighbourhood.HORIZON_S];
        assertThat(n.readOutflow(0, 0, out)).isEqualTo(1.0);
        double saturation = a.model.incomingLaneSaturationVehPerS(0);
        assertThat(out[0]).as("lane 0 green, queued: saturation flow").isEqualTo(saturation);
        double sum = 0;
        for (double v : out) {
            sum += v;
        }
        assertThat(sum).as("the queue and what joins it, at most").isBetween(10.0, 20 + 60 * 0.5);
        n.readOutflow(0, 1, out);
        assertThat(out[0]).as("lane 1 red and empty").isZero();
    }
}
