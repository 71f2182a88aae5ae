package org.greenwave.harness.run;

import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every controller, on real multi-signal networks in SUMO, shows no state the safety monitor objects to, and every
 * signal is actually driven (engine controllers change phase; device programs run).
 */
class SafetyAllControllersIT {

    @ParameterizedTest
    @CsvSource({"ingolstadt7,1200", "grid4x4,900"})
    void noControllerEverViolatesASafetyRule(String name, double windowS, @TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario full = Scenario.load(TestPaths.resco(name));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), full.beginS(), full.beginS() + windowS);
        List<RunSummary> runs = new Study(s, Policies.names(), List.of(7L), out, List.of(), 2, List.of()).run(null);
        assertThat(runs).extracting(RunSummary::controller).containsExactlyElementsOf(Policies.names());
        for (RunSummary r : runs) {
            assertThat(r.safetyViolations()).as("%s on %s: %s", r.controller(), name, r.violationExamples()).isZero();
            assertThat(r.teleports()).isZero();
            assertThat(r.trips().arrived()).as("%s moves traffic", r.controller()).isPositive();
        }
    }
}
