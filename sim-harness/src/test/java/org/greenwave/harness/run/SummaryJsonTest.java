package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.greenwave.harness.kpi.BusStats;
import org.greenwave.harness.kpi.FieldStats;
import org.greenwave.harness.kpi.PersonStats;
import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @Test
    void personAndBusKpisSurviveSummaryJson(@TempDir Path dir) throws Exception {
        RunSummary s = new RunSummary("s", "fixed", 1, 0, 600, 1, new TripStats(10, 10, 0, 0, 20, 60, 5, 1, 0.5), 60,
                0, 0, Map.of(), List.of(), "in-process", 0, 0, 0, 0, 1.0, "SUMO 1.15.0", RunMonitors.none(),
                "static", new PersonStats(10, 8, 2, 12.5, 10.0, 2.5), new BusStats(0, 0, 0, 0, null));
        Path f = dir.resolve("summary.json");
        SimulationRun.writeSummary(f, s);
        String json = Files.readString(f);
        assertThat(json).contains("\"avgWalkTimeLossS\" : 10.0").contains("\"avgDelayS\" : null");
        assertThat(SimulationRun.readSummary(f)).isEqualTo(s);
    }

    @Test
    void aSummaryFromBeforePersonAndBusKpisReadsThemAsNotMeasured(@TempDir Path dir) throws Exception {
        RunSummary s = new RunSummary("s", "fixed", 1, 0, 600, 1, new TripStats(10, 10, 0, 0, 20, 60, 5, 1, 0.5), 60,
                0, 0, Map.of(), List.of(), "in-process", 0, 0, 0, 0, 1.0, "SUMO 1.15.0", RunMonitors.none(), "static");
        Path f = dir.resolve("summary.json");
        SimulationRun.writeSummary(f, s);
        Files.writeString(f, Files.readString(f).replaceAll(",\\s*\"persons\" : null,\\s*\"buses\" : null", ""));
        assertThat(Files.readString(f)).doesNotContain("persons");
        RunSummary read = SimulationRun.readSummary(f);
        assertThat(read.persons()).isNull();
        assertThat(read.buses()).isNull();
    }

    @Test
    void theFieldControllersFiguresSurviveSummaryJsonWithTheirReasonsInOrder(@TempDir Path dir) throws Exception {
        Map<String, Long> reasons = new java.util.LinkedHashMap<>();
        reasons.put("unsigned", 0L);
        reasons.put("forged", 2L);
        reasons.put("expired", 1L);
        FieldStats field = new FieldStats(118, 3, reasons, 2, 41.5);
        RunSummary s = new RunSummary("s", "max-pressure", 1, 0, 600, 1,
                new TripStats(10, 10, 0, 0, 20, 60, 5, 1, 0.5), 60, 0, 0, Map.of(), List.of(), "mqtt", 0, 40, 0, 0,
                1.0, "SUMO 1.15.0", RunMonitors.none(), "static", null, null, field);
        Path f = dir.resolve("summary.json");
        SimulationRun.writeSummary(f, s);
        assertThat(Files.readString(f)).contains("\"fallbacksEntered\" : 2").contains("\"fallbackS\" : 41.5")
                .containsPattern("\"unsigned\" : 0,\\s*\"forged\" : 2,\\s*\"expired\" : 1");
        RunSummary read = SimulationRun.readSummary(f);
        assertThat(read).isEqualTo(s);
        assertThat(read.field().refusedByReason().keySet()).containsExactly("unsigned", "forged", "expired");
        assertThat(read.field().refusalsText()).isEqualTo("forged 2, expired 1");
    }
}
