package org.greenwave.adapters.sumo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.field.FieldController;
import org.greenwave.adapters.field.TwoPhaseModel;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.StatusListener;
import org.junit.jupiter.api.Test;

/** SUMO's field port in process: readings straight into the engine's ingest, plans straight to the field. */
class SumoPortTest {
    private static IntersectionModel model() {
        return TwoPhaseModel.model();
    }

    /** Records readings; refuses every third (a full queue). */
    private static final class ThirdRefused implements Ingest {
        final List<String> taken = new ArrayList<>();
        int calls;

        private boolean take(String what) {
            if (++calls % 3 == 0) {
                return false;
            }
            taken.add(what);
            return true;
        }

        @Override
        public boolean detectorEdge(int detector, boolean on, long timeMs) {
            return take("edge " + detector + " " + on + " " + timeMs);
        }

        @Override
        public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count,
                                         double occupancy, double speedMps) {
            return take("aggregate " + detector);
        }

        @Override
        public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            return take("area " + detector + " " + timeMs + " " + vehicles + " " + halting + " " + jamM);
        }
    }

    @Test
    void readingsGoToTheEnginesIngestAndRefusalsAreCounted() throws Exception {
        ThirdRefused ingest = new ThirdRefused();
        PlanBoard board = new PlanBoard(new int[] {4});
        FieldPort port = SumoPort.factory(board).start(new EngineEdge(new DetectorDirectory(List.of("x"), List.of(List.of())), ingest, () -> 0,
                StatusListener.NONE, null));
        DetectorFeed feed = (DetectorFeed) port;
        feed.detectorEdge(0, 3, true, 1_000);
        feed.laneArea(0, 5, 1_000, 4, 2, 15.0);
        feed.detectorEdge(0, 3, false, 1_400);
        feed.detectorEdge(0, 4, true, 1_500);
        assertThat(ingest.taken).containsExactly("edge 3 true 1000", "area 5 1000 4 2 15.0", "edge 4 true 1500");
        assertThat(port.counters().messagesIn()).isEqualTo(4);
        assertThat(port.counters().entriesApplied()).isEqualTo(3);
        assertThat(port.counters().ingestRefused()).isEqualTo(1);
        assertThat(port.counters().rejects().total()).isZero();
        assertThat(port.protocol()).isEqualTo("sumo");
        assertThat(port.linkState()).isEqualTo(LinkState.CONNECTED);
        assertThat(port.awaitConnected(0)).isTrue();
        port.close();
        assertThat(port.linkState()).isEqualTo(LinkState.CLOSED);
    }

    @Test
    void plansReachTheFieldControllerThroughTheBoard() throws Exception {
        PlanBoard board = new PlanBoard(new int[] {4});
        FieldPort port = SumoPort.factory(board).start(new EngineEdge(new DetectorDirectory(List.of("x"), List.of(List.of())), new ThirdRefused(),
                () -> 0, StatusListener.NONE, null));
        FieldController field = new FieldController(model());
        field.reset(0, 0);
        TimingPlan plan = new TimingPlan(0, "x", 4);
        plan.begin(1, 6_000, 12_000, null);
        plan.add("rrGG".toCharArray(), 10);
        port.onPlan(plan);
        assertThat(port.counters().plansSent()).isEqualTo(1);

        board.deliver(0, field, 6_000);
        assertThat(field.plansTaken()).isEqualTo(1);
        field.step(6_000);
        assertThat(field.shownString()).isEqualTo("yyrr");
        // Delivered once: the board hands a plan over only when it is new.
        board.deliver(0, field, 7_000);
        assertThat(field.plansTaken()).isEqualTo(1);
    }
}
