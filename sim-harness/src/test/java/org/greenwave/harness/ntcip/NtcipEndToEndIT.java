package org.greenwave.harness.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.adapters.ntcip.NtcipEngineGateway;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.NtcipObjects;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.port.FieldPort;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.RunObserver;
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
 * SUMO ↔ virtual NTCIP controllers ↔ real SNMPv3 over loopback ↔ the engine ({@link Transport#ntcip()}, the cameras
 * beside the controllers), on the corridor and on RESCO's cologne1: no unsafe state, every poll answered, the
 * controllers commanded; the delay beside the in-process run's.
 */
@Tag("sumo")
class NtcipEndToEndIT {
    /** Links figures of the gateway, summed over the controllers. */
    record Link(long polls, long answers, long timeouts, long commands, long errors, double meanRoundTripMs) {
        static Link of(NtcipEngineGateway g, List<ControlledIntersection> signals) {
            long polls = 0;
            long answers = 0;
            long timeouts = 0;
            long commands = 0;
            long errors = 0;
            long rttNs = 0;
            for (ControlledIntersection ci : signals) {
                NtcipEngineGateway.Counters c = g.counters(ci.id());
                polls += c.polls();
                answers += c.answers();
                timeouts += c.timeouts();
                commands += c.commands();
                errors += c.errors() + c.wrongTypes() + c.refusals();
                rttNs += c.roundTripNs();
            }
            return new Link(polls, answers, timeouts, commands, errors,
                    answers == 0 ? Double.NaN : rttNs / 1e6 / answers);
        }
    }

    /** Keeps the run's field port. */
    static final class PortWatch implements RunObserver {
        NtcipEngineGateway gateway;

        @Override
        public void fieldPort(FieldPort port) {
            gateway = (NtcipEngineGateway) port;
        }
    }

    @Test
    void greenwaveCommandsVirtualControllersOverSnmp(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(600);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());

        PortWatch watch = new PortWatch();
        RunSummary ntcip = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip"), List.of(),
                Transport.ntcip()).observer(watch).run(f -> { });
        RunSummary inProcess = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("in-process"),
                List.of(), Transport.inProcess()).run(f -> { });
        Link link = Link.of(watch.gateway, signals);

        System.out.printf("via ntcip %.1f s, in process %.1f s mean delay (ratio %.3f); polls %d, answers %d, "
                        + "commands %d, timeouts %d, errors %d, mean round trip %.2f ms; held for min green %d, "
                        + "max-outs %d%n", ntcip.trips().avgDelayS(), inProcess.trips().avgDelayS(),
                ntcip.trips().avgDelayS() / inProcess.trips().avgDelayS(), link.polls(), link.answers(),
                link.commands(), link.timeouts(), link.errors(), link.meanRoundTripMs(), ntcip.interlockHeld(),
                ntcip.interlockForced());
        assertThat(ntcip.transport()).isEqualTo("ntcip");
        assertThat(ntcip.trips().avgDelayS() / inProcess.trips().avgDelayS()).as("delay within 5 %% of the "
                + "in-process run's").isBetween(0.95, 1.05);
        assertThat(ntcip.safetyViolations()).as("%s", ntcip.violationExamples()).isZero();
        assertThat(link.answers() + link.timeouts()).isEqualTo(link.polls());
        // Only the first SNMPv3 exchange with a controller (discovery, key localisation, cold code) may outlast the
        // time-out, on a loaded machine.
        assertThat(link.timeouts()).isLessThanOrEqualTo(signals.size());
        assertThat(link.errors()).isZero();
        assertThat(link.commands()).isGreaterThan(link.polls() / 2);
        assertThat(ntcip.field().fallbacksEntered()).as("no controller fell back to its own timing").isZero();
        assertThat(Files.readString(dir.resolve("ntcip").resolve("ntcip.map"))).contains("signal " + signals.get(0).id());
    }

    /**
     * RESCO's cologne1 (one signal, 4 green phases, SUMO lane ids with '#'), where the approaches' cameras matter: over
     * NTCIP with the cameras through their own feed the delay is the in-process run's, within 5 %; without them
     * ({@code ntcip-loops}) it is the in-process run's with the same detection, the loops only, within 5 %.
     */
    @Test
    void onRescoCologne1TheDelayIsTheInProcessRunsWithTheSameDetection(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario full = Scenario.load(TestPaths.resco("cologne1"));
        Scenario s = full.firstSeconds(900);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());

        PortWatch watch = new PortWatch();
        RunSummary ntcip = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip"), List.of(),
                Transport.ntcip()).observer(watch).run(f -> { });
        RunSummary inProcess = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("in-process"),
                List.of(), Transport.inProcess()).run(f -> { });
        RunSummary ntcipLoops = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip-loops"),
                List.of(), Transport.ntcipLoopsOnly()).run(f -> { });
        RunSummary loops = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("loops"), List.of(),
                Transport.inProcessLoopsOnly()).run(f -> { });
        Link link = Link.of(watch.gateway, signals);

        System.out.printf("cologne1 900 s: via ntcip with cameras %.2f s, in process %.2f s (ratio %.3f); via ntcip on "
                        + "loops %.2f s, in process on loops %.2f s (ratio %.3f); polls %d, commands %d, timeouts %d%n",
                ntcip.trips().avgDelayS(), inProcess.trips().avgDelayS(),
                ntcip.trips().avgDelayS() / inProcess.trips().avgDelayS(), ntcipLoops.trips().avgDelayS(),
                loops.trips().avgDelayS(), ntcipLoops.trips().avgDelayS() / loops.trips().avgDelayS(), link.polls(),
                link.commands(), link.timeouts());
        assertThat(ntcip.transport()).isEqualTo("ntcip");
        assertThat(ntcipLoops.transport()).isEqualTo("ntcip-loops");
        assertThat(ntcip.trips().avgDelayS() / inProcess.trips().avgDelayS())
                .as("with the cameras, delay within 5 %% of the in-process run's").isBetween(0.95, 1.05);
        assertThat(ntcipLoops.trips().avgDelayS() / loops.trips().avgDelayS())
                .as("on loops only, delay within 5 %% of the in-process run with the same detection")
                .isBetween(0.95, 1.05);
        assertThat(ntcip.safetyViolations()).as("%s", ntcip.violationExamples()).isZero();
        assertThat(ntcipLoops.safetyViolations()).as("%s", ntcipLoops.violationExamples()).isZero();
        assertThat(ntcip.ingestDrops()).as("every camera and loop reading taken").isZero();
        assertThat(link.errors()).isZero();
        assertThat(link.commands()).isGreaterThan(link.polls() / 2);
        assertThat(ntcip.field().fallbacksEntered()).isZero();
    }

    @Test
    void inModePatternEveryControllerRunsAPatternOfTheEnginesSafely(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(300);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());

        PortWatch watch = new PortWatch();
        RunSummary r = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("pattern"), List.of(),
                Transport.ntcip(NtcipMapping.Mode.PATTERN)).observer(watch).run(f -> { });
        Link link = Link.of(watch.gateway, signals);

        assertThat(r.transport()).isEqualTo("ntcip-pattern");
        assertThat(r.safetyViolations()).as("%s", r.violationExamples()).isZero();
        assertThat(link.errors()).isZero();
        for (ControlledIntersection ci : signals) {
            NtcipEngineGateway.Counters c = watch.gateway.counters(ci.id());
            int[] patterns = watch.gateway.patterns(ci.id());
            System.out.printf("%s: %d pattern(s) written, running %d, selected %s%n", ci.id(), c.patternsWritten(),
                    patterns[0], watch.gateway.selectedPattern(ci.id()));
            assertThat(c.patternsWritten()).as(ci.id()).isPositive();
            assertThat(c.patternsRefused()).as(ci.id()).isZero();
            assertThat(patterns[1]).as(ci.id() + ": a pattern selected").isIn(1, 2);
            assertThat(watch.gateway.localFreeStatus(ci.id())).as(ci.id()).isEqualTo(NtcipObjects.LOCAL_FREE_NOT_FREE);
        }
        assertThat(r.field().fallbacksEntered()).isZero();
    }

    @Test
    void whenTheEngineDiesTheControllersRunTheirOwnTimingSafely(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("corridor")).firstSeconds(300);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());

        PortWatch watch = new PortWatch();
        RunSummary r = new SimulationRun(s, net, signals, Policies.GREENWAVE, 1, dir.resolve("ntcip"), List.of(),
                Transport.ntcip(150)).observer(watch).run(f -> { });
        Link link = Link.of(watch.gateway, signals);

        assertThat(r.safetyViolations()).as("%s", r.violationExamples()).isZero();
        assertThat(r.ingestDrops()).as("no camera reading offered to the stopped engine").isZero();
        assertThat(link.polls()).as("reads stop with the engine").isBetween(signals.size() * 148L,
                signals.size() * 152L);
        assertThat(r.field().fallbacksEntered()).as("every controller dropped central control").isEqualTo(signals.size());
        double backupS = VirtualSignals.DEFAULT_BACKUP_S;
        assertThat(r.field().fallbackS()).as("each ran on its own from its backup time on")
                .isBetween(signals.size() * (150 - backupS - 2), signals.size() * (150 - backupS + 2));
    }
}
