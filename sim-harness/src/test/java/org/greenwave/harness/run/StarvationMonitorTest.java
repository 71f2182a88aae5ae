package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.junit.jupiter.api.Test;

class StarvationMonitorTest {
    /** One shared lane {@code in} with a through link 0 and a turn link 1; a second lane {@code x} with link 2. */
    private static IntersectionModel model() {
        return IntersectionModel.builder("J", 3)
                .link(0, "in", 100, 13.9, "ahead").link(1, "in", 100, 13.9, "left").link(2, "x", 100, 13.9, "ahead")
                .conflicts(ConflictMatrix.builder(3).conflict(0, 2).conflict(1, 2).build())
                .greenPhase("GGr", 0, 30, 5, 60).greenPhase("rGr", 1, 10, 5, 60).greenPhase("rrG", 2, 30, 5, 60)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<LoopVehicleData>[] loops(String headVehicle, double sinceS) {
        List<LoopVehicleData>[] l = new List[2];
        l[0] = headVehicle == null ? List.of() : List.of(new LoopVehicleData(headVehicle, 5, sinceS, -1, "car"));
        l[1] = List.of();
        return l;
    }

    @Test
    void aThroughVehicleHeldBehindAGreenTurnCountsOnce() {
        StarvationMonitor m = new StarvationMonitor(model(), 100);
        List<String> examples = new ArrayList<>();
        boolean[] room = {true, true};
        // The turn is green, the through link red: the through vehicle at the head cannot move.
        for (int t = 0; t <= 300; t++) {
            m.observe(t, "rGr", loops("v1", 0), room, v -> 0, examples, 5);
        }
        assertThat(m.events()).isEqualTo(1);
        assertThat(m.longestS()).isEqualTo(300);
        assertThat(examples).singleElement().asString().contains("vehicle v1").contains("link 0");
    }

    @Test
    void aRedWhoseExitIsFullOrAShortWaitIsNoStarvation() {
        StarvationMonitor m = new StarvationMonitor(model(), 100);
        List<String> examples = new ArrayList<>();
        for (int t = 0; t <= 300; t++) {
            m.observe(t, "rGr", loops("v1", 0), new boolean[] {false, true}, v -> 0, examples, 5);
        }
        StarvationMonitor n = new StarvationMonitor(model(), 100);
        for (int t = 0; t <= 300; t++) {
            // A new vehicle reaches the head every 50 s: each waits less than the bound.
            n.observe(t, t % 100 < 50 ? "rrG" : "GGr", loops("v" + t / 50, 50 * (t / 50)), new boolean[] {true, true},
                    v -> 0, examples, 5);
        }
        assertThat(m.events()).isZero();
        assertThat(n.events()).isZero();
        assertThat(examples).isEmpty();
    }
}
