package org.greenwave.harness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast subset of the scenario suite, as a regression guard: a few networks of the generated corpus (an arterial
 * with turn bays, short links between 16 signals, an irregular actuated spider net, a city-style program with
 * {@code Y}, {@code u}, {@code s} and an unused state index), one seed, the first 15 minutes, the watchdog off (the
 * controller must hold without it). Greenwave stays within 5 % of the best baseline on each, never starves a
 * movement nor locks the network, and no controller shows SUMO a state that breaks a safety rule.
 */
class SuiteRegressionIT {
    private static final List<String> SCENARIOS = List.of("arterial-opposites-near", "city-program-letters-light",
            "grid4x4-short-links-light", "spider-actuated-near");

    @Test
    void greenwaveHoldsItsGroundOnGeneratedNetworks(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Path corpus = dir.resolve("corpus");
        List<String> cmd = new ArrayList<>(List.of(
                TestPaths.projectRoot().resolve("scenarios/corpus/generate.sh").toString(), corpus.toString()));
        cmd.addAll(SCENARIOS);
        Process gen = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String genOut = new String(gen.getInputStream().readAllBytes());
        assertThat(gen.waitFor()).as(genOut).isZero();

        List<SuiteScenarios.Entry> entries = SuiteScenarios.find(List.of(new SuiteScenarios.Root("corpus", corpus)));
        assertThat(entries).hasSize(SCENARIOS.size());
        List<Suite.Result> results = new Suite(entries, List.of("greenwave", "fixed", "actuated", "max-pressure"),
                List.of(1L), dir.resolve("runs"), 900, 2, List.of(), Suite.Watchdog.OFF).run(null);
        List<SuiteTable.Row> rows = SuiteTable.rows(results);
        Files.writeString(dir.resolve("suite.md"), SuiteTable.markdown(rows, "# Regression subset\n"));

        for (SuiteTable.Row row : rows) {
            assertThat(row.failure()).as(row.scenario()).isNull();
            SuiteTable.Cell gw = row.cell("greenwave");
            assertThat(row.ratio("greenwave")).as("%s: greenwave %.1f s, best baseline %s %.1f s", row.scenario(),
                    gw.delayMeanS(), row.bestBaseline(), row.bestBaselineDelayS()).isLessThanOrEqualTo(1.05);
            assertThat(gw.starvationEvents()).as(row.scenario()).isZero();
            assertThat(gw.gridlockRuns()).as(row.scenario()).isZero();
            for (SuiteTable.Cell c : row.cells()) {
                assertThat(c.safetyViolations()).as("%s %s", row.scenario(), c.controller()).isZero();
            }
        }
    }
}
