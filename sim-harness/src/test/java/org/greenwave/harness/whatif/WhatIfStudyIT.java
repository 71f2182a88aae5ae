package org.greenwave.harness.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.greenwave.harness.run.DetectorFailures;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small what-if grid in SUMO: every run happens, demand and failures change the outcome, the report is complete. */
class WhatIfStudyIT {

    @Test
    void smallGridWritesTheResultsAndAReportWithItsPlotsAndTable(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario full = Scenario.load(TestPaths.own("intersection"));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), full.beginS(), full.beginS() + 900);
        List<WhatIfStudy.Cell> cells = new WhatIfStudy(s, List.of("fixed", "max-pressure"), List.of(0.8, 1.2),
                List.of(0.0, 0.5), List.of(1L), DetectorFailures.Mode.DEAD, out, List.of(), 2).run(null);

        assertThat(cells).hasSize(8);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(9);
        assertThat(csv.get(0)).startsWith("scenario,controller,demand,detector_failure,seed,");
        assertThat(csv.subList(1, 9)).allSatisfy(row -> assertThat(row).startsWith("intersection,"));

        WhatIfStudy.Cell low = cell(cells, "fixed", 0.8, 0.0);
        WhatIfStudy.Cell high = cell(cells, "fixed", 1.2, 0.0);
        assertThat(high.summary().trips().vehicles()).as("--scale 1.2 inserts more vehicles than 0.8")
                .isGreaterThan(low.summary().trips().vehicles() * 13 / 10);
        assertThat(cell(cells, "max-pressure", 1.2, 0.5).summary().trips().avgDelayS())
                .as("half the detectors dead changes what max-pressure does")
                .isNotEqualTo(cell(cells, "max-pressure", 1.2, 0.0).summary().trips().avgDelayS());
        assertThat(cells).allSatisfy(c -> assertThat(c.summary().safetyViolations()).isZero());
        assertThat(low.delaysS()).hasSize((int) low.summary().trips().vehicles());

        String html = Files.readString(out.resolve("report.html"));
        assertThat(count(html, "<svg")).as("the study area, 2 delay-vs-demand charts, the delay distribution, the "
                + "queue over time (or one panel per controller)").isBetween(5, 6);
        assertThat(html).contains("<p id=\"summary\">intersection, 8 runs").contains(">C</text>")
                .contains("<code id=\"command\">(not run from the command line)</code>");
        assertThat(html).contains("Average delay against demand", "Per-vehicle delay", "worst intersection: C",
                "<table>").doesNotContain("http://", "https://", "<script");
        // Results table: a header and one row per controller × demand × failure share.
        Matcher rows = Pattern.compile("<tr><td>(fixed|max-pressure)</td><td>×").matcher(html);
        int n = 0;
        while (rows.find()) {
            n++;
        }
        assertThat(n).isEqualTo(8);
    }

    @Test
    void pedestriansOfTheScenarioGetTheirDelayInTheReportAndBusesNone(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Path corpus = TestPaths.corpus(out.resolve("corpus"), "crossings-pedestrians-light");
        Scenario full = Scenario.load(corpus.resolve("crossings-pedestrians-light"));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), 0, 300);
        List<WhatIfStudy.Cell> cells = new WhatIfStudy(s, List.of("fixed", "max-pressure"), List.of(1.0),
                List.of(0.0), List.of(1L), DetectorFailures.Mode.DEAD, out.resolve("study"), List.of(), 2).run(null);

        WhatIfStudy.Cell fixed = cell(cells, "fixed", 1.0, 0.0);
        assertThat(fixed.summary().persons().avgDelayS()).as("pedestrians wait at red crossings").isPositive();
        String html = Files.readString(out.resolve("study/report.html"));
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "Pedestrians: %.1f s per person (n = 1, no "
                        + "interval; %,d finished, %,d unfinished) under fixed", fixed.summary().persons().avgDelayS(),
                fixed.summary().persons().arrived(), fixed.summary().persons().unfinished()))
                .contains("<th>delay per person s</th>")
                .as("the scenario has no buses").doesNotContain("per bus").doesNotContain("Buses:");
        assertThat(WhatIfSummary.of(s.name(), List.of("fixed", "max-pressure"), List.of(1.0), List.of(0.0), cells)
                .table()).contains("person delay s (95% CI)").doesNotContain("bus delay");
    }

    @Test
    void refusesABadGrid() {
        Scenario s = Scenario.load(TestPaths.own("intersection"));
        assertThatThrownBy(() -> new WhatIfStudy(s, List.of("fixed"), List.of(0.0), List.of(0.0), List.of(1L),
                DetectorFailures.Mode.DEAD, Path.of("x"), List.of(), 1))
                .hasMessageContaining("--demand factors must be positive");
        assertThatThrownBy(() -> new WhatIfStudy(s, List.of("fixed"), List.of(1.0), List.of(1.5), List.of(1L),
                DetectorFailures.Mode.DEAD, Path.of("x"), List.of(), 1))
                .hasMessageContaining("--detector-failure shares must be within 0..1");
    }

    private static WhatIfStudy.Cell cell(List<WhatIfStudy.Cell> cells, String controller, double demand, double share) {
        return cells.stream().filter(c -> c.controller().equals(controller) && c.demand() == demand
                && c.failureShare() == share).findFirst().orElseThrow();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
