package org.greenwave.harness.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.greenwave.harness.TestPaths;
import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.harness.scenario.ControlledIntersection;
import org.greenwave.harness.scenario.Scenario;
import org.greenwave.harness.scenario.ScenarioImport;
import org.greenwave.harness.scenario.SumoNet;
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
                .doesNotContain("<script").doesNotContain("NaN");
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
