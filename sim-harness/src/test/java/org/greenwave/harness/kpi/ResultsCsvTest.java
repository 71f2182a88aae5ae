package org.greenwave.harness.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResultsCsvTest {

    private static List<String> cells(String line) {
        return Arrays.asList(line.split(",", -1));
    }

    @Test
    void oneRowPerRunWithStudyColumnsAfterTheControllerAndEveryKpi() {
        RunSummary run = ModeKpisTest.summary("max-pressure", new PersonStats(10, 8, 2, 12.5, 10.0, 2.5),
                new BusStats(4, 3, 1, 0, 33.25));
        String[] lines = ResultsCsv.render(List.of("demand", "detector_failure"),
                List.of(new ResultsCsv.Row(run, List.of("1.2", "0.5")))).split("\n");

        assertThat(lines).hasSize(2);
        List<String> header = cells(lines[0]);
        List<String> row = cells(lines[1]);
        assertThat(header).startsWith("scenario", "controller", "demand", "detector_failure", "seed");
        assertThat(header).contains("avg_delay_s", "throughput_veh_per_h", "avg_person_delay_s", "avg_bus_delay_s",
                "persons_unfinished", "buses", "safety_violations", "max_wait_s", "watchdog_trips", "sumo_version");
        assertThat(row).hasSameSizeAs(header);
        assertThat(row).startsWith("s", "max-pressure", "1.2", "0.5", "1");
        assertThat(row.get(header.indexOf("avg_delay_s"))).isEqualTo("20");
        assertThat(row.get(header.indexOf("avg_person_delay_s"))).isEqualTo("12.5");
        assertThat(row.get(header.indexOf("avg_ride_waiting_s"))).isEqualTo("2.5");
        assertThat(row.get(header.indexOf("avg_bus_delay_s"))).isEqualTo("33.25");
        assertThat(row.get(header.indexOf("buses_unfinished"))).isEqualTo("1");
        assertThat(row.get(header.indexOf("gridlock_from_s"))).as("NaN is an empty field").isEmpty();
        assertThat(row.get(header.indexOf("sumo_version"))).isEqualTo("SUMO 1.15.0");
    }

    @Test
    void kpisARunDidNotMeasureAreEmptyFieldsNeverZero() {
        RunSummary run = ModeKpisTest.summary("fixed", null, new BusStats(0, 0, 0, 0, null));
        String[] lines = ResultsCsv.render(List.of(), List.of(new ResultsCsv.Row(run, List.of()))).split("\n");
        List<String> header = cells(lines[0]);
        List<String> row = cells(lines[1]);
        assertThat(header).startsWith("scenario", "controller", "seed");
        for (String c : List.of("persons", "avg_person_delay_s", "avg_walk_time_loss_s", "avg_bus_delay_s")) {
            assertThat(row.get(header.indexOf(c))).as(c).isEmpty();
        }
        assertThat(row.get(header.indexOf("buses"))).isEqualTo("0");
    }

    @Test
    void quotesFieldsHoldingCommas() {
        RunSummary run = ModeKpisTest.summary("greenwave,tuned", null, null);
        String line = ResultsCsv.render(List.of(), List.of(new ResultsCsv.Row(run, List.of()))).split("\n")[1];
        assertThat(line).startsWith("s,\"greenwave,tuned\",1,");
    }

    @Test
    void refusesARowWhoseStudyValuesDoNotMatchTheColumns() {
        RunSummary run = ModeKpisTest.summary("fixed", null, null);
        assertThatThrownBy(() -> ResultsCsv.render(List.of("demand"), List.of(new ResultsCsv.Row(run, List.of()))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
