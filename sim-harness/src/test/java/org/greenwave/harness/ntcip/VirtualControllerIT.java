package org.greenwave.harness.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.SimulationRun;
import org.greenwave.harness.run.Transport;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual NTCIP controller alone (no engine, no central system) on the corridor behaves as a sane actuated
 * controller: no unsafe state in what SUMO shows, greens that gap out and max out, and a delay within 15 % of SUMO's
 * own {@code actuated} logic run with the same phase table and detectors.
 */
@Tag("sumo")
class VirtualControllerIT {
    @Test
    void aloneOnTheCorridorItIsASaneActuatedController(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(900);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());

        VirtualControllerRun.Result virtual = new VirtualControllerRun(s, net, signals, 1, dir.resolve("virtual"),
                VirtualSignals.DEFAULT_BACKUP_S).run();
        RunSummary actuated = new SimulationRun(s, net, signals, Policies.ACTUATED, 1, dir.resolve("actuated"),
                List.of(), Transport.inProcess()).run(f -> { });

        assertThat(virtual.safetyViolations()).as("violations: %s", virtual.violationExamples()).isZero();
        assertThat(virtual.trips().arrived()).isGreaterThan(actuated.trips().arrived() * 9 / 10);
        assertThat(virtual.gapOuts()).as("greens that gapped out").isPositive();
        double ratio = virtual.trips().avgDelayS() / actuated.trips().avgDelayS();
        System.out.printf("virtual controller %.1f s, SUMO actuated %.1f s mean delay (ratio %.3f); gap-outs %d, "
                        + "max-outs %d%n", virtual.trips().avgDelayS(), actuated.trips().avgDelayS(), ratio,
                virtual.gapOuts(), virtual.maxOuts());
        assertThat(ratio).as("virtual %.1f s vs actuated %.1f s", virtual.trips().avgDelayS(),
                actuated.trips().avgDelayS()).isBetween(0.85, 1.15);
    }
}
