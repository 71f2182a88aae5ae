package org.greenwave.harness.run;

import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.testsupport.Sumo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.adapters.mqtt.MqttTls;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.FieldStats;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
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
    private static final int OUTAGE_WINDOW_S = 300;
    private static final double OUTAGE_FROM_S = 60;
    /** Simulated seconds the broker stays away: ten times a plan's lifetime. */
    private static final double OUTAGE_S = 30;
    /** The harness engine's plan lifetime: three ticks of 1 s. */
    private static final double PLAN_LIFETIME_S = 3;
    private static final String PASSWORD = "s3cret-Pw";

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
                    .transport(Transport.mqtt(broker.url(), null, BrokerAccess.ANONYMOUS)).run(null);
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
                .transport(Transport.mqtt(null, null, BrokerAccess.ANONYMOUS)).run(null).get(0);
        assertThat(r.transport()).isEqualTo("mqtt");
        assertThat(r.safetyViolations()).isZero();
        assertThat(r.fallbackSteps()).isZero();
        assertThat(r.trips().arrived()).isPositive();
    }

    /**
     * A TLS Mosquitto with passwords and an access list (the engine and the simulated field devices each with a user
     * of their own) goes away mid-run for longer than a plan's lifetime and comes back on the same port: the run goes
     * on and completes with its summary.json; the field controllers run out their plans, fall back to their own
     * programs (counted in summary.json's {@code field}) and follow the engine's plans again once both sides have
     * reconnected; detector data that could not be sent is counted; no signal ever shows an unsafe state.
     */
    @Test
    void aBrokerOutageLongerThanAPlansLifeIsSurvivedWithFallbacksCountedAndNoUnsafeState(@TempDir Path out)
            throws Exception {
        Sumo.requireInstalled();
        Scenario s = Scenario.load(TestPaths.own("intersection"));
        Scenario window = new Scenario(s.name(), s.configFile(), s.netFile(), s.routeFiles(), s.additionalFiles(), 0,
                OUTAGE_WINDOW_S);
        SumoNet net = SumoNet.read(window.netFile(), window.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        SecureBrokerFiles files = new SecureBrokerFiles(Files.createDirectories(out.resolve("broker")));
        files.certificates().users(PASSWORD, "greenwave-engine", "field");
        files.simulationAcl("greenwave-engine", "field");
        BrokerAccess access = new BrokerAccess(new MqttTls(files.ca(), null, null), "greenwave-engine",
                PASSWORD.toCharArray(), "field", PASSWORD.toCharArray());
        Path runDir = out.resolve("run");
        try (MosquittoBroker broker = SecureBrokerFiles.start(files.passwordSettings(), files.tlsSettings())) {
            FieldPort[] gateway = new FieldPort[1];
            double[] outage = {Double.NaN, Double.NaN};
            RunSummary r = new SimulationRun(window, net, signals, Policies.MAX_PRESSURE, 3L, runDir, List.of(),
                    Transport.mqtt(SecureBrokerFiles.tlsUrl(broker), null, access)).observer(new RunObserver() {
                        @Override
                        public void fieldPort(FieldPort g) {
                            gateway[0] = g;
                        }

                        @Override
                        public void stepped(double nowS) throws Exception {
                            if (Double.isNaN(outage[0]) && nowS >= OUTAGE_FROM_S) {
                                outage[0] = nowS;
                                broker.stop();
                            } else if (Double.isNaN(outage[1]) && nowS >= OUTAGE_FROM_S + OUTAGE_S) {
                                outage[1] = nowS;
                                broker.restart();
                                // The engine's gateway reconnects within its back-off; meanwhile the run goes on.
                                long deadline = System.nanoTime() + 15_000_000_000L;
                                while (gateway[0].linkState() != LinkState.CONNECTED && System.nanoTime() - deadline < 0) {
                                    Thread.sleep(20);
                                }
                            }
                            // Paced, so that the field side's reconnect (1-2 s of wall time) spans few simulated
                            // seconds, as it would in a deployment.
                            Thread.sleep(20);
                        }
                    }).run(f -> { });
            assertThat(outage[1]).as("the broker went away and came back").isEqualTo(OUTAGE_FROM_S + OUTAGE_S);
            assertThat(r.transport()).isEqualTo("mqtt");
            assertThat(r.safetyViolations()).as("%s", r.violationExamples()).isZero();
            assertThat(r.trips().arrived()).isPositive();
            assertThat(r.ingestDrops()).as("detector data not sent or late is counted").isPositive();

            FieldStats field = r.field();
            assertThat(field.fallbacksEntered()).as("each signal fell back when its plan ran out: %s", field)
                    .isGreaterThanOrEqualTo(signals.size());
            assertThat(field.fallbackS()).as("%s", field)
                    .isGreaterThanOrEqualTo(signals.size() * (OUTAGE_S - PLAN_LIFETIME_S));
            // Plans were followed again after the outage: far less than the rest of the run was spent in fallback.
            assertThat(field.fallbackS()).as("%s", field)
                    .isLessThan(signals.size() * (OUTAGE_WINDOW_S - OUTAGE_FROM_S - 60));
            assertThat(field.plansRefused()).as("every plan was the engine's: %s", field).isZero();
            assertThat(field.plansAccepted()).isGreaterThan(OUTAGE_WINDOW_S / 2);
            assertThat(r.fallbackSteps()).isPositive();

            Path summary = runDir.resolve("summary.json");
            assertThat(summary).isRegularFile();
            JsonNode json = new ObjectMapper().readTree(summary.toFile());
            assertThat(json.at("/field/fallbacksEntered").asLong()).isEqualTo(field.fallbacksEntered());
            assertThat(json.at("/field/refusedByReason/forged").isNumber()).isTrue();
            assertThat(json.at("/safetyViolations").asLong()).isZero();
        }
    }
}
