package org.greenwave.harness.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.greenwave.harness.kpi.BusStats;
import org.greenwave.harness.kpi.PersonStats;
import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

/** The report and its summary from runs whose numbers are known: what they say must be what the data says. */
class WhatIfReportTest {
    private static final List<String> CONTROLLERS = List.of("device", "max-pressure", "greenwave");
    private static final String[] SIGNALS = {"J1", "J2", "J3", "J4", "J5"};
    private static final Provenance PROVENANCE = new Provenance(Instant.parse("2026-03-04T05:06:07Z"), "9.9.9",
            "greenwave whatif --scenario scenarios/corridor --demand 0.8,1.0 --seeds 1,2,3");

    /** Delay per seed at demand 1.0: device 60/66/72, max-pressure 38/40/36, greenwave 35/36/34; 0.8: 20 s less. */
    private static List<WhatIfStudy.Cell> cells(double greenwaveExtraS, float fixedQueueAtJ4) {
        double[][] delay = {{60, 66, 72}, {38, 40, 36}, {35 + greenwaveExtraS, 36 + greenwaveExtraS,
            34 + greenwaveExtraS}};
        double[][] maxWait = {{190, 180, 170}, {210, 200, 190}, {150, 160, 140}};
        List<WhatIfStudy.Cell> out = new ArrayList<>();
        for (int c = 0; c < CONTROLLERS.size(); c++) {
            for (double demand : new double[] {0.8, 1.0}) {
                for (int seed = 1; seed <= 3; seed++) {
                    double d = delay[c][seed - 1] - (demand < 1 ? 20 : 0);
                    long starved = c == 0 && demand == 1.0 && seed == 2 ? 2 : 0;
                    TripStats trips = new TripStats(Math.round(1000 * demand), Math.round(990 * demand), 10, 0, d,
                            d + 100, d / 2, 1.5, 1);
                    RunMonitors monitors = new RunMonitors(maxWait[c][seed - 1], 100, 0, 120, starved, 0, List.of(),
                            false, Double.NaN, 0, 0, 0, List.of());
                    RunSummary s = new RunSummary("corridor", CONTROLLERS.get(c), seed, 0, 3600, 5, trips,
                            990 * demand, 0, 0, Map.of(), List.of(), "in-process", 0, 0, 0, 0, 10, "SUMO 1.15.0", monitors, "static", null, null);
                    float[][] halting = new float[SIGNALS.length][4];
                    for (float[] h : halting) {
                        java.util.Arrays.fill(h, 2);
                    }
                    java.util.Arrays.fill(halting[3], c == 0 ? fixedQueueAtJ4 : 6);
                    out.add(new WhatIfStudy.Cell(CONTROLLERS.get(c), demand, 0, seed, s, new double[] {d - 5, d, d + 5},
                            QueueTrace.of(0, SIGNALS, halting)));
                }
            }
        }
        return out;
    }

    /**
     * {@link #cells} with persons and buses, the same at both demands. Delay per person: device 20/22/24, max-pressure
     * 18/20 and none finished with seed 3, greenwave 12/14/16; 100 persons finished per run, 2 unfinished (device 5).
     * Delay per bus, 10 buses a run: device 30/33/36, greenwave 25/25/25, max-pressure no buses.
     */
    private static List<WhatIfStudy.Cell> cellsWithPersonsAndBuses() {
        double[][] person = {{20, 22, 24}, {18, 20, Double.NaN}, {12, 14, 16}};
        double[][] bus = {{30, 33, 36}, {Double.NaN, Double.NaN, Double.NaN}, {25, 25, 25}};
        List<WhatIfStudy.Cell> out = new ArrayList<>();
        for (WhatIfStudy.Cell c : cells(0, 8)) {
            int i = CONTROLLERS.indexOf(c.controller());
            int seed = (int) c.seed() - 1;
            long unfinished = i == 0 ? 5 : 2;
            double p = person[i][seed];
            PersonStats persons = Double.isNaN(p) ? new PersonStats(50, 0, 50, null, null, null)
                    : new PersonStats(100 + unfinished, 100, unfinished, p, p - 1, 1.0);
            double b = bus[i][seed];
            BusStats buses = Double.isNaN(b) ? null : new BusStats(10, 9, 1, 0, b);
            out.add(with(c, persons, buses));
        }
        return out;
    }

    /** {@code c} with these person and bus KPIs. */
    private static WhatIfStudy.Cell with(WhatIfStudy.Cell c, PersonStats persons, BusStats buses) {
        RunSummary s = c.summary();
        RunSummary with = new RunSummary(s.scenario(), s.controller(), s.seed(), s.beginS(), s.endS(), s.signals(),
                s.trips(), s.throughputVehPerH(), s.teleports(), s.safetyViolations(), s.violationsByRule(),
                s.violationExamples(), s.transport(), s.ingestDrops(), s.fallbackSteps(), s.interlockHeld(),
                s.interlockForced(), s.wallTimeS(), s.sumoVersion(), s.monitors(), s.ownProgramType(), persons, buses);
        return new WhatIfStudy.Cell(c.controller(), c.demand(), c.failureShare(), c.seed(), with, c.delaysS(),
                c.queues());
    }

    private static String html(List<WhatIfStudy.Cell> cells) {
        Scenario s = Scenario.load(TestPaths.own("corridor"));
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        return WhatIfReport.html(new WhatIfReport.Input(s, net, signals, CONTROLLERS, List.of(0.8, 1.0), List.of(0.0),
                List.of(1L, 2L, 3L), cells, PROVENANCE));
    }

    @Test
    void theSummaryStatesTheNumbersOfTheData() {
        WhatIfSummary summary = WhatIfSummary.of("corridor", CONTROLLERS, List.of(0.8, 1.0), List.of(0.0),
                cells(0, 8));
        assertThat(summary.baseDemand()).isEqualTo(1.0);
        assertThat(summary.vehPerH(1.0)).isEqualTo(1000.0);
        assertThat(summary.vehPerH(0.8)).isEqualTo(800.0);
        assertThat(summary.bestBaseline().controller()).isEqualTo("max-pressure");
        assertThat(summary.row("greenwave").delayS().mean()).isEqualTo(35.0);
        assertThat(summary.row("greenwave").maxWaitS()).isEqualTo(160.0);
        assertThat(summary.row("device").starvationEvents()).isEqualTo(2);

        String p = summary.paragraph();
        assertThat(p).contains("corridor, 18 runs (3 controllers × 2 demand levels × 1 detector-failure share × 3 seeds)")
                .contains("Base demand (×1.0): 1,000 veh/h")
                .contains("Greenwave's delay per vehicle was 35.0 s (95 % CI 32.5–37.5 s, n = 3)")
                .contains("66.0 s (95 % CI 51.1–80.9 s, n = 3) under the signals' own programs (device (static))")
                .contains("38.0 s (95 % CI 33.0–43.0 s, n = 3) under the best baseline, max-pressure")
                .contains("8 % lower than max-pressure")
                .contains("paired by seed the difference is -3.0 s (95 % CI -5.5 to -0.5 s, n = 3), larger than the "
                        + "run-to-run variation")
                .contains("The longest any vehicle waited was 160 s under Greenwave and 210 s under max-pressure")
                .contains("throughput was 990 against 990 veh/h")
                .contains("Over all 18 runs the safety monitor counted no violations; 2 starvation events (device 2); "
                        + "no run locked up.");

        String table = summary.table();
        assertThat(table).contains("At base demand ×1.0 (1,000 veh/h), with all detectors working")
                .contains("delay s (95% CI)").containsPattern("greenwave +3 +35\\.0 \\(32\\.5–37\\.5\\) +160")
                .containsPattern("device \\(static\\) +3 +66\\.0 \\(51\\.1–80\\.9\\)");
        assertThat(p).as("no run had persons or buses").doesNotContain("Pedestrians").doesNotContain("Buses");
        assertThat(table).doesNotContain("person").doesNotContain("bus");
    }

    @Test
    void personAndBusDelayAreStatedWhereRunsMeasuredThem() {
        WhatIfSummary summary = WhatIfSummary.of("corridor", CONTROLLERS, List.of(0.8, 1.0), List.of(0.0),
                cellsWithPersonsAndBuses());
        assertThat(summary.personsMeasured()).isTrue();
        assertThat(summary.busesMeasured()).isTrue();
        assertThat(summary.row("max-pressure").personDelayS().n()).isEqualTo(2);
        assertThat(summary.row("max-pressure").busDelayS().n()).isZero();

        assertThat(summary.paragraph()).contains("Pedestrians: 14.0 s per person (95 % CI 9.0–19.0 s, n = 3; 300 "
                + "finished, 6 unfinished) under Greenwave, against 22.0 s (95 % CI 17.0–27.0 s, n = 3; 300 finished, "
                + "15 unfinished) under device (static) and 19.0 s (95 % CI 6.3–31.7 s, n = 2; 200 finished, 54 "
                + "unfinished) under max-pressure.")
                .contains("Buses: 25.0 s per bus (95 % CI 25.0–25.0 s, n = 3; 30 buses) under Greenwave, against "
                        + "33.0 s (95 % CI 25.5–40.5 s, n = 3; 30 buses) under device (static).")
                .as("the vehicles' comparison is unchanged")
                .contains("Greenwave's delay per vehicle was 35.0 s (95 % CI 32.5–37.5 s, n = 3)");

        String table = summary.table();
        assertThat(table).containsPattern("controller +n +delay s \\(95% CI\\) +person delay s \\(95% CI\\) +bus delay "
                + "s \\(95% CI\\) +max wait s")
                .containsPattern("(?m)^greenwave +3 +35\\.0 \\(32\\.5–37\\.5\\) +14\\.0 \\(9\\.0–19\\.0\\) "
                        + "+25\\.0 \\(25\\.0–25\\.0\\) +160 ")
                .containsPattern("(?m)^device \\(static\\) +3 +66\\.0 \\(51\\.1–80\\.9\\) +22\\.0 "
                        + "\\(17\\.0–27\\.0\\) +33\\.0 \\(25\\.5–40\\.5\\) +190 ")
                .containsPattern("(?m)^max-pressure +3 +38\\.0 \\(33\\.0–43\\.0\\) +19\\.0 \\(6\\.3–31\\.7\\) "
                        + "\\(n=2\\) +— +210 ");
    }

    @Test
    void onlyTheGroupsSomeRunMeasuredGetAColumn() {
        List<WhatIfStudy.Cell> personsOnly = cellsWithPersonsAndBuses().stream()
                .map(c -> with(c, c.summary().persons(), new BusStats(0, 0, 0, 0, null))).toList();
        WhatIfSummary summary = WhatIfSummary.of("corridor", CONTROLLERS, List.of(0.8, 1.0), List.of(0.0),
                personsOnly);
        assertThat(summary.busesMeasured()).as("no run had a bus").isFalse();
        assertThat(summary.paragraph()).contains("Pedestrians: 14.0 s per person").doesNotContain("Buses");
        assertThat(summary.table()).contains("person delay s (95% CI)").doesNotContain("bus delay");
        String html = html(personsOnly);
        assertThat(html).contains("<th>delay per person s</th>").doesNotContain("per bus")
                .contains("Delay per person is the walks' <code>timeLoss</code>");
    }

    @Test
    void theReportTablesShowPersonAndBusDelayWithTheirIntervals() {
        String html = html(cellsWithPersonsAndBuses());
        String headline = html.substring(html.indexOf("<table id=\"headline\">"));
        headline = headline.substring(0, headline.indexOf("</table>"));
        assertThat(headline).contains("<th>delay per vehicle s</th><th>95 % CI s</th><th>delay per person s</th>"
                        + "<th>95 % CI s</th><th>delay per bus s</th><th>95 % CI s</th><th>longest wait s</th>")
                .contains("<tr><td>greenwave</td><td>3</td><td>35.0</td><td>32.5–37.5</td><td>14.0</td>"
                        + "<td>9.0–19.0</td><td>25.0</td><td>25.0–25.0</td><td>160</td>")
                .contains("<tr><td>max-pressure</td><td>3</td><td>38.0</td><td>33.0–43.0</td><td>19.0 (n=2)</td>"
                        + "<td>6.3–31.7</td><td>—</td><td>—</td><td>210</td>");
        String results = html.substring(html.indexOf("<table id=\"results\">"));
        results = results.substring(0, results.indexOf("</table>"));
        assertThat(results).contains("<th>95 % CI s</th><th>delay per person s</th><th>95 % CI s</th>"
                        + "<th>delay per bus s</th><th>95 % CI s</th><th>trip time s</th>")
                .contains("<tr><td>device</td><td>×1.0</td><td>1,000</td><td>0 %</td><td>3</td><td>66.00</td>"
                        + "<td>51.1–80.9</td><td>22.00</td><td>17.0–27.0</td><td>33.00</td><td>25.5–40.5</td>")
                .contains("<tr><td>max-pressure</td><td>×0.8</td><td>800</td><td>0 %</td><td>3</td><td>18.00</td>"
                        + "<td>13.0–23.0</td><td>19.00 (n=2)</td><td>6.3–31.7</td><td>—</td><td>—</td>");
        assertThat(html).contains("<p id=\"summary\">").contains("Pedestrians: 14.0 s per person")
                .contains("Delay per bus is the vehicles' definition over the buses only").doesNotContain("NaN");
    }

    @Test
    void aWorseGreenwaveIsReportedAsWorse() {
        String p = WhatIfSummary.of("corridor", CONTROLLERS, List.of(0.8, 1.0), List.of(0.0), cells(10, 8))
                .paragraph();
        assertThat(p).contains("Greenwave's delay per vehicle was 45.0 s").contains("18 % higher than max-pressure")
                .contains("+7.0 s (95 % CI +4.5 to +9.5 s, n = 3)");
    }

    @Test
    void theReportCarriesProvenanceSummaryAreaAndDefinedErrorBars() {
        String html = html(cells(0, 8));
        assertThat(html).contains("Run on <time datetime=\"2026-03-04T05:06:07Z\">2026-03-04 05:06 UTC</time>")
                .contains("by Greenwave 9.9.9 with SUMO 1.15.0")
                .contains("<code id=\"command\">greenwave whatif --scenario scenarios/corridor --demand 0.8,1.0 "
                        + "--seeds 1,2,3</code>")
                .contains("<p id=\"summary\">corridor, 18 runs")
                .contains("<table id=\"headline\">");
        String area = html.substring(html.indexOf("<svg class=\"study-area\""));
        area = area.substring(0, area.indexOf("</svg>"));
        for (String id : SIGNALS) {
            assertThat(area).contains(">" + id + "</text>");
            assertThat(html).contains("<tr><td>" + id + "</td>");
        }
        assertThat(html).contains("95 % confidence interval of that mean, Student's t with n − 1 degrees")
                .contains(">n=3</text>").contains("class=\"error-bar\"")
                .contains("<th>×0.8</th><th>×1.0</th></tr><tr><td>veh/h</td><td>800</td><td>1,000</td>")
                .contains("Queue over time at the worst intersection: J4</h2><p>Signal J4 (x = 1500 m, y = 300 m)")
                .doesNotContain("— log scale").doesNotContain("Log scale:").doesNotContain("One panel per controller")
                .doesNotContain("<script").doesNotContain("NaN")
                .as("no run had persons or buses").doesNotContain("per person").doesNotContain("per bus");
    }

    @Test
    void aControllerThatDwarfsTheOthersGetsALogScaleOrPanels() {
        String html = html(cells(2000, 200));
        String delay = html.substring(html.indexOf("<h2>Average delay against demand"), html.indexOf("<h2>Per-vehicle"));
        assertThat(delay).contains("Log scale: the controllers' delays differ up to")
                .contains("delay per vehicle (s) — log scale");
        String queue = html.substring(html.indexOf("<h2 id=\"worst\">"), html.indexOf("<h2>Results"));
        assertThat(queue).as("queues have zeros: no log scale, one panel per controller")
                .contains("One panel per controller").doesNotContain("— log scale");
        assertThat(queue.split("class=\"panel\"", -1)).hasSize(4);
    }
}
