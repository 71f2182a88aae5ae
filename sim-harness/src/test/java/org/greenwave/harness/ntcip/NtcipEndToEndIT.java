package org.greenwave.harness.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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
 * SUMO ↔ virtual NTCIP controllers ↔ real SNMPv3 over loopback ↔ the engine, on the corridor: no unsafe state, every
 * poll answered, the controllers commanded; the delay beside the in-process run's.
 */
@Tag("sumo")
class NtcipEndToEndIT {
    @Test
    void greenwaveCommandsVirtualControllersOverSnmp(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(600);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        int port = 20000 + ThreadLocalRandom.current().nextInt(30000);

        NtcipLoop.Result ntcip = NtcipLoop.run(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip"), port);
        RunSummary inProcess = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("in-process"),
                List.of(), Transport.inProcess()).run(f -> { });

        System.out.printf("via ntcip %.1f s, in process %.1f s mean delay (ratio %.3f); polls %d, answers %d, "
                        + "commands %d, timeouts %d, errors %d, mean round trip %.2f ms; force-offs %d, held for min "
                        + "green %d, gap-outs %d%n", ntcip.field().trips().avgDelayS(), inProcess.trips().avgDelayS(),
                ntcip.field().trips().avgDelayS() / inProcess.trips().avgDelayS(), ntcip.polls(), ntcip.answers(),
                ntcip.commands(), ntcip.timeouts(), ntcip.errors(), ntcip.meanRoundTripMs(), ntcip.field().forceOffs(),
                ntcip.field().heldForMinGreen(), ntcip.field().gapOuts());
        assertThat(ntcip.field().safetyViolations()).as("%s", ntcip.field().violationExamples()).isZero();
        assertThat(ntcip.answers() + ntcip.timeouts()).isEqualTo(ntcip.polls());
        // Only the first SNMPv3 exchange with a controller (discovery, key localisation, cold code) may outlast the
        // time-out, on a loaded machine.
        assertThat(ntcip.timeouts()).isLessThanOrEqualTo(signals.size());
        assertThat(ntcip.errors()).isZero();
        assertThat(ntcip.commands()).isGreaterThan(ntcip.polls() / 2);
        assertThat(ntcip.field().forceOffs()).as("the engine ends greens through force-offs").isPositive();
        assertThat(ntcip.centrallyControlledAtEnd()).isEqualTo(signals.size());
    }

    @Test
    void whenTheEngineDiesTheControllersRunTheirOwnTimingSafely(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(300);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        int port = 20000 + ThreadLocalRandom.current().nextInt(30000);

        NtcipLoop.Result r = NtcipLoop.run(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip"), port, 150);

        assertThat(r.field().safetyViolations()).as("%s", r.field().violationExamples()).isZero();
        assertThat(r.polls()).isBetween(5L * 148, 5L * 151);
        assertThat(r.centrallyControlledAtEnd()).as("every controller dropped central control").isZero();
        assertThat(r.field().gapOuts()).as("greens end on the controllers' own gap-outs again").isPositive();
    }
}
