package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.harness.kpi.FieldStats;
import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.junit.jupiter.api.Test;

class SimulateReportTest {
    private static RunSummary run(String transport, FieldStats field) {
        return new RunSummary("intersection", "max-pressure", 3, 0, 300, 1, new TripStats(100, 100, 0, 0, 30, 60, 10,
                1, 0), 100, 0, 0, Map.of(), List.of(), transport, 0, 0, 0, 0, 1, "1.15.0", RunMonitors.none(),
                "static", null, null, field);
    }

    @Test
    void theFooterShowsWhatTheFieldControllersDidWithThePlansOfEachRun() {
        Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put("unsigned", 0L);
        reasons.put("forged", 2L);
        reasons.put("expired", 1L);
        String footer = SimulateCommand.fieldFooter(List.of(run("mqtt", new FieldStats(290, 3, reasons, 1, 31.4))));
        assertThat(footer).contains("Field controllers (plans followed, refused by reason, fallbacks")
                .contains("max-pressure seed 3: 290 followed, 3 refused (forged 2, expired 1); fell back 1 time(s), "
                        + "31 signal-s without a valid plan");
        assertThat(SimulateCommand.fieldFooter(List.of(run("mqtt", new FieldStats(290, 0, Map.of("forged", 0L), 0,
                0))))).contains("290 followed, 0 refused; fell back 0 time(s)");
    }

    @Test
    void inProcessRunsWithoutRefusalsOrFallbacksAndOldSummariesShowNoFooter() {
        assertThat(SimulateCommand.fieldFooter(List.of(run("in-process", new FieldStats(290, 0, Map.of(), 0, 0)))))
                .isEmpty();
        assertThat(SimulateCommand.fieldFooter(List.of(run("mqtt", null)))).isEmpty();
        assertThat(SimulateCommand.fieldFooter(List.of(run("in-process", new FieldStats(200, 0, Map.of(), 2, 12)))))
                .contains("fell back 2 time(s), 12 signal-s");
    }
}
