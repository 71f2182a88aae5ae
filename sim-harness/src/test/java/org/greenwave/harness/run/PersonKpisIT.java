package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Person delay from a generated network whose pedestrians cross at signals. */
@Tag("sumo")
class PersonKpisIT {

    @Test
    void pedestriansWaitingAtSignalledCrossingsHaveADelayOfTheirOwn(@TempDir Path tmp) throws Exception {
        Sumo.requireInstalled();
        Path corpus = TestPaths.corpus(tmp.resolve("corpus"), "crossings-pedestrians-light");
        Scenario full = Scenario.load(corpus.resolve("crossings-pedestrians-light"));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), 0, 300);

        List<RunSummary> runs = new Study(s, List.of(Policies.FIXED), List.of(1L), tmp.resolve("out"), List.of(), 1,
                List.of()).run(null);

        RunSummary r = runs.get(0);
        assertThat(r.persons().persons()).isPositive();
        assertThat(r.persons().arrived()).isPositive();
        assertThat(r.persons().arrived() + r.persons().unfinished()).isEqualTo(r.persons().persons());
        assertThat(r.persons().avgDelayS()).as("pedestrians wait at red crossings").isPositive();
        assertThat(r.persons().avgRideWaitingS()).as("nobody rides here").isZero();
        assertThat(r.persons().avgDelayS()).isEqualTo(r.persons().avgWalkTimeLossS());
        assertThat(r.buses().buses()).isZero();
        assertThat(r.buses().avgDelayS()).isNull();
        String table = ComparisonTable.render(runs);
        assertThat(table.split("\n")[2]).contains(String.format(java.util.Locale.ROOT, "%.1f ± 0.0",
                r.persons().avgDelayS())).contains(ComparisonTable.NONE);
    }
}
