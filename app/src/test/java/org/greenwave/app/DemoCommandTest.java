package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    private static RunSummary run(String controller, long seed, double delayS) {
        TripStats trips = new TripStats(100, 100, 0, 0, delayS, 60, 10, 1, 0);
        return new RunSummary("corridor", controller, seed, 0, 3600, 5, trips, 100, 0, 0, Map.of(), List.of(), "mqtt",
                0, 0, 0, 0, 1, "1.15.0", org.greenwave.harness.kpi.RunMonitors.none(), "static");
    }

    @Test
    void comparesGreenwaveWithActuatedByDefault() {
        assertThat(DemoCommand.defaultControllers()).containsExactly("greenwave", "actuated");
        String line = DemoCommand.improvement(List.of(run("greenwave", 1, 30), run("greenwave", 2, 40),
                run("actuated", 1, 50), run("actuated", 2, 50), run("fixed", 1, 70)));
        assertThat(line).contains("35.0 s against 50.0 s", "30 % less", "15.0 s saved");
    }

    @Test
    void saysNothingWithoutBothControllers() {
        assertThat(DemoCommand.improvement(List.of(run("fixed", 1, 70)))).isEmpty();
    }
}
