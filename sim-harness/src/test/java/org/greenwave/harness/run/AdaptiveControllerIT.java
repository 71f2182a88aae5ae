package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greenwave on the corridor's peak hour in SUMO: clearly less delay than the signals' own actuated logic, with all
 * detectors working and with a fifth of them dead, and never a safety violation.
 */
class AdaptiveControllerIT {

    @Test
    void beatsActuatedWithAndWithoutFailedDetectors(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor"));
        List<RunSummary> working = new Study(s, List.of("greenwave", "actuated"), List.of(1L), out.resolve("ok"),
                List.of(), 2, List.of()).run(null);
        List<RunSummary> failed = new Study(s, List.of("greenwave", "actuated"), List.of(1L), out.resolve("failed"),
                List.of(), 2, List.of()).detectorFailures(new DetectorFailures(0.2, DetectorFailures.Mode.DEAD, 1,
                s.beginS())).run(null);
        for (List<RunSummary> runs : List.of(working, failed)) {
            assertThat(runs).allSatisfy(r -> {
                assertThat(r.safetyViolations()).as("%s: %s", r.controller(), r.violationExamples()).isZero();
                assertThat(r.teleports()).isZero();
            });
        }
        assertThat(working.get(0).trips().avgDelayS()).as("greenwave vs actuated, all detectors working")
                .isLessThan(0.8 * working.get(1).trips().avgDelayS());
        assertThat(failed.get(0).trips().avgDelayS()).as("greenwave vs actuated, 20 % of detectors dead")
                .isLessThan(failed.get(1).trips().avgDelayS());
    }
}
