package org.greenwave.harness.run;

import org.greenwave.testsupport.Sumo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SUMO → MQTT → engine → MQTT → SUMO on the corridor: detector data published as a field device would, plans applied
 * by field controllers, through a real Mosquitto and through the embedded broker. The outcome must match the same run
 * in process, and no signal may ever show an unsafe state.
 */
class MqttEndToEndIT {
    private static final double WINDOW_S = 900;

    private static Scenario corridor() {
        Scenario full = Scenario.load(TestPaths.own("corridor"));
        return new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(), full.additionalFiles(),
                full.beginS(), full.beginS() + WINDOW_S);
    }

    @Test
    void corridorThroughMosquittoMatchesInProcess(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        List<String> controllers = List.of(Policies.MAX_PRESSURE, Policies.FIXED);
        List<RunSummary> local = new Study(corridor(), controllers, List.of(1L), out.resolve("local"), List.of(), 2,
                List.of()).run(null);
        List<RunSummary> viaMqtt;
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            viaMqtt = new Study(corridor(), controllers, List.of(1L), out.resolve("mqtt"), List.of(), 2, List.of())
                    .viaMqtt(broker.url()).run(null);
        }
        for (int i = 0; i < controllers.size(); i++) {
            RunSummary a = local.get(i);
            RunSummary b = viaMqtt.get(i);
            assertThat(b.transport()).isEqualTo("mqtt");
            assertThat(b.safetyViolations()).as("%s: %s", b.controller(), b.violationExamples()).isZero();
            assertThat(b.fallbackSteps()).as("%s ran without a valid plan", b.controller()).isZero();
            assertThat(b.ingestDrops()).as("%s lost or late detector data", b.controller()).isLessThanOrEqualTo(2);
            assertThat(b.trips().vehicles()).isEqualTo(a.trips().vehicles());
            // Same seed, same engine, same field logic: only message timing can differ.
            assertThat(Math.abs(b.trips().avgDelayS() - a.trips().avgDelayS()))
                    .as("%s delay in process %.2f s, over MQTT %.2f s", a.controller(), a.trips().avgDelayS(),
                            b.trips().avgDelayS())
                    .isLessThanOrEqualTo(Math.max(1.0, 0.03 * a.trips().avgDelayS()));
        }
    }

    @Test
    void corridorThroughTheEmbeddedBroker(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario s = corridor();
        Scenario shortWindow = new Scenario(s.name(), s.configFile(), s.netFile(), s.routeFiles(), s.additionalFiles(),
                s.beginS(), s.beginS() + 300);
        RunSummary r = new Study(shortWindow, List.of(Policies.WEBSTER), List.of(2L), out, List.of(), 1, List.of())
                .viaMqtt(null).run(null).get(0);
        assertThat(r.transport()).isEqualTo("mqtt");
        assertThat(r.safetyViolations()).isZero();
        assertThat(r.fallbackSteps()).isZero();
        assertThat(r.trips().arrived()).isPositive();
    }

    /**
     * The broker goes away for a few seconds mid-run: the run goes on and completes with its summary.json, detector
     * data that could not be sent or came late is counted, and no signal shows an unsafe state.
     */
    @Test
    void aBrokerRestartMidRunIsSurvivedWithFallbacksCountedAndNoUnsafeState(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario s = corridor();
        Scenario window = new Scenario(s.name(), s.configFile(), s.netFile(), s.routeFiles(), s.additionalFiles(),
                s.beginS(), s.beginS() + 420);
        org.greenwave.netimport.SumoNet net = org.greenwave.netimport.SumoNet.read(window.netFile(),
                window.additionalFiles());
        List<org.greenwave.netimport.ControlledIntersection> signals =
                org.greenwave.netimport.ScenarioImport.importSignals(net, List.of());
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            java.util.concurrent.atomic.AtomicReference<Thread> outage = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
            RunSummary r = new SimulationRun(window, net, signals, Policies.WEBSTER, 3L, out, List.of(), true,
                    broker.url()).run(f -> {
                        if (f >= 0.25 && outage.get() == null) {
                            Thread t = new Thread(() -> {
                                try {
                                    broker.outage(3_000);
                                } catch (Exception e) {
                                    failed.set(e);
                                }
                            }, "broker-outage");
                            outage.set(t);
                            t.start();
                        }
                    });
            assertThat(outage.get()).as("the outage began").isNotNull();
            outage.get().join();
            assertThat(failed.get()).isNull();
            assertThat(r.transport()).isEqualTo("mqtt");
            assertThat(r.safetyViolations()).as("%s", r.violationExamples()).isZero();
            // An outage shorter in simulated time than a plan's lifetime leaves the field controllers on their last
            // plan: fallback steps (counted in the summary) need not occur here.
            assertThat(r.ingestDrops()).as("detector data not sent or late is counted").isPositive();
            assertThat(r.trips().arrived()).isPositive();
            assertThat(out.resolve("summary.json")).isRegularFile();
        }
    }
}
