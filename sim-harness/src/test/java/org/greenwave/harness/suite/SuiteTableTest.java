package org.greenwave.harness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.junit.jupiter.api.Test;

class SuiteTableTest {
    private static RunSummary run(String scenario, String controller, long seed, double delayS, double maxWaitS,
                                  long starved, boolean gridlock) {
        TripStats trips = new TripStats(100, 100, 0, 0, delayS, 60, 10, 1, 0);
        RunMonitors m = new RunMonitors(maxWaitS, maxWaitS / 2, maxWaitS > 300 ? 0.01 : 0, 120, starved, 0, List.of(),
                gridlock, gridlock ? 900 : Double.NaN, 0, 0, 0, List.of());
        return new RunSummary(scenario, controller, seed, 0, 3600, 3, trips, 1000 + seed, 0, 0, Map.of(), List.of(),
                "in-process", 0, 0, 0, 0, 1, "1.15.0", m, "actuated");
    }

    private static Suite.Result result(String name, double gw, double device, double actuated, double mp) {
        List<RunSummary> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            double d = seed == 1 ? -1 : 1;
            runs.add(run(name, "greenwave", seed, gw + d, 100, 0, false));
            runs.add(run(name, "device", seed, device + d, 200, 0, false));
            runs.add(run(name, "actuated", seed, actuated + d, 150, 0, false));
            runs.add(run(name, "max-pressure", seed, mp + d, 400, 2, seed == 2));
        }
        return new Suite.Result(new SuiteScenarios.Entry(name, Path.of(name + ".sumocfg")), 3, runs, null);
    }

    private final List<Suite.Result> results = List.of(
            result("a", 20, 40, 30, 25),
            result("b", 33, 50, 30, 45),
            result("c", 10, 20, 20, 20),
            new Suite.Result(new SuiteScenarios.Entry("d", Path.of("d.sumocfg")), 0, List.of(), "d.net.xml:12: bad"));

    @Test
    void picksTheBestBaselineAndRatesGreenwaveAgainstIt() {
        List<SuiteTable.Row> rows = SuiteTable.rows(results);
        SuiteTable.Row a = SuiteTable.row(rows, "a");
        assertThat(a.bestBaseline()).isEqualTo("max-pressure");
        assertThat(a.bestBaselineDelayS()).isEqualTo(25);
        assertThat(a.ratio("greenwave")).isEqualTo(0.8);
        SuiteTable.Cell gw = a.cell("greenwave");
        assertThat(gw.delaySdS()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-9));
        SuiteTable.Cell mp = a.cell("max-pressure");
        assertThat(mp.maxWaitS()).isEqualTo(400);
        assertThat(mp.starvationEvents()).isEqualTo(4);
        assertThat(mp.gridlockRuns()).isEqualTo(1);
        assertThat(mp.shareWaitOver300()).isEqualTo(0.01);
        assertThat(SuiteTable.row(rows, "b").bestBaseline()).isEqualTo("actuated");
        assertThat(SuiteTable.row(rows, "d").failure()).contains("d.net.xml:12");
    }

    @Test
    void showsTheTypeOfTheSignalsOwnProgramBesideDevice() {
        List<SuiteTable.Row> rows = SuiteTable.rows(results);
        SuiteTable.Row c = SuiteTable.row(rows, "c");
        assertThat(c.bestBaseline()).isEqualTo("device");
        assertThat(c.label(c.bestBaseline())).isEqualTo("device (actuated)");
        assertThat(c.cell("actuated").label()).isEqualTo("actuated");
        String md = SuiteTable.markdown(rows, "# Suite\n");
        assertThat(md).contains("| c | 3 | 10.0 ± 1.4 | 20.0 ± 1.4 | 20.0 ± 1.4 | 20.0 ± 1.4 | device (actuated) |")
                .contains("| a | device (actuated) | 2 | 40.00 ± 1.41 |")
                .contains("| scenario | signals | greenwave | device | actuated | max-pressure | best baseline |");
        assertThat(SuiteTable.html(rows, "Suite", "header")).contains("<td>device (actuated)</td>");
    }

    @Test
    void summarisesMedianWorstAndMisses() {
        SuiteTable.Summary s = SuiteTable.summary(SuiteTable.rows(results), "greenwave");
        assertThat(s.scenarios()).isEqualTo(4);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.compared()).isEqualTo(3);
        assertThat(s.medianRatio()).isEqualTo(0.8);
        assertThat(s.worstRatio()).isEqualTo(1.1);
        assertThat(s.worstScenario()).isEqualTo("b");
        assertThat(s.atOrBelowBest()).isEqualTo(2);
        assertThat(s.misses()).singleElement().asString().contains("b: 33.0 s against actuated 30.0 s (+3.0 s, +10 %)");
        assertThat(s.gridlockRuns()).isZero();
    }

    @Test
    void rendersEveryScenarioInEveryFormat() {
        List<SuiteTable.Row> rows = SuiteTable.rows(results);
        String md = SuiteTable.markdown(rows, "# Suite\n");
        assertThat(md).contains("| a | 3 | 20.0 ± 1.4 | 40.0 ± 1.4 | 30.0 ± 1.4 | 25.0 ± 1.4 | max-pressure | 0.80 |  |")
                .contains("| b | 3 |").contains("+3.0 s").contains("**d** did not run: d.net.xml:12: bad")
                .contains("median ratio to the best baseline 0.800");
        String csv = SuiteTable.csv(rows);
        assertThat(csv.lines()).hasSize(1 + 3 * 4 + 1);
        assertThat(csv.lines().findFirst().orElseThrow())
                .startsWith("scenario,signals,controller,controller_label,runs,delay_mean_s");
        assertThat(csv).contains("a,3,greenwave,greenwave,2,20.000,1.414,max-pressure,0.8000,100.0")
                .contains("a,3,device,device (actuated),2,40.000,")
                .contains("d,0,,,,,,,,,,,,,,,,,d.net.xml:12: bad");
        assertThat(csv.lines().findFirst().orElseThrow())
                .endsWith(",watchdog_trips,person_delay_mean_s,bus_delay_mean_s,failed");
        csv.lines().forEach(line -> assertThat(line.split(",", -1)).as(line).hasSize(19));
        String html = SuiteTable.html(rows, "Suite", "header");
        assertThat(html).contains("<svg").contains("<table").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=")
                .contains("did not run: d.net.xml:12: bad");
    }

    @Test
    void personAndBusDelaysAreMeansOverTheRunsThatMeasuredThemAndEmptyWhereNone() {
        RunSummary base = run("p", "greenwave", 1, 20, 100, 0, false);
        List<RunSummary> runs = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            org.greenwave.harness.kpi.PersonStats persons = seed == 3
                    ? new org.greenwave.harness.kpi.PersonStats(5, 0, 5, null, null, null)
                    : new org.greenwave.harness.kpi.PersonStats(10, 8, 2, 10.0 * seed, 10.0 * seed, 0.0);
            runs.add(new RunSummary("p", "greenwave", seed, 0, 3600, 3, base.trips(), 1000, 0, 0, Map.of(), List.of(),
                    "in-process", 0, 0, 0, 0, 1, "1.15.0", base.monitors(), null, persons,
                    new org.greenwave.harness.kpi.BusStats(0, 0, 0, 0, null)));
        }
        SuiteTable.Cell c = SuiteTable.cell("greenwave", runs);
        assertThat(c.personDelayMeanS()).isEqualTo(15.0);
        assertThat(c.busDelayMeanS()).isNull();
        SuiteTable.Row row = new SuiteTable.Row("p", 3, null, List.of(c), null, Double.NaN);
        assertThat(SuiteTable.csv(List.of(row)).lines().skip(1).findFirst().orElseThrow()).endsWith(",15.000,,");
    }
}
