/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.TestCertificates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Mosquitto 2 with the configuration Greenwave ships (deploy/mosquitto: TLS, password file, access list):
 * the engine and the devices get in with their passwords over TLS; a device's credentials can neither publish a plan
 * nor another intersection's detector data (Mosquitto 2 drops such publishes silently, so the test shows that no
 * subscriber ever receives them); a password file written by mosquitto_passwd and one written by Greenwave both work.
 */
@Tag("broker")
class ShippedMosquittoConfigIT {
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy/mosquitto");
    private static final Topics T = Topics.defaults();

    @TempDir
    Path dir;

    @Test
    void onlyTheEngineIsHeardOnPlansAndADeviceOnlyOnItsOwnIntersection() throws Exception {
        TestCertificates.make(dir, "broker");
        Files.copy(DEPLOY.resolve("acl"), dir.resolve("acl"));
        // The engine's line from Greenwave, the devices' from mosquitto_passwd: one file, both formats' writers.
        Files.writeString(dir.resolve("passwords"), PasswordFile.entry(AccessList.ENGINE_USER,
                "engine-pw".toCharArray(), PasswordFile.DEFAULT_ITERATIONS) + "\n");
        TestCertificates.run(dir, "mosquitto_passwd", "-b", "passwords", Fixtures.A0, "a0-pw");
        TestCertificates.run(dir, "mosquitto_passwd", "-b", "passwords", Fixtures.B1, "b1-pw");
        TestCertificates.run(dir, "mosquitto_passwd", "-b", "passwords", AccessList.MONITOR_USER, "watch");
        assertThat(PasswordFile.read(dir.resolve("passwords")).users()).hasSize(4);

        try (MosquittoBroker broker = MosquittoBroker.startWithConfig(DEPLOY.resolve("mosquitto.conf"),
                "/etc/mosquitto/greenwave/", dir)) {
            String url = "ssl://127.0.0.1:" + broker.port();
            SSLSocketFactory tls = new MqttTls(dir.resolve("ca.pem"), null, null).socketFactory();
            assertThatThrownBy(() -> new TestClient(url, null, null, null, tls)).as("anonymous")
                    .isInstanceOf(MqttException.class);
            assertThatThrownBy(() -> new TestClient(url, null, Fixtures.A0, "b1-pw", tls)).as("wrong password")
                    .isInstanceOf(MqttException.class);
            assertThatThrownBy(() -> new TestClient("tcp://127.0.0.1:" + broker.port(), null, Fixtures.A0, "a0-pw",
                    null)).as("without TLS").isInstanceOf(MqttException.class);

            RecordingIngest ingest = new RecordingIngest();
            try (MqttEngineGateway engine = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(url)
                    .tls(new MqttTls(dir.resolve("ca.pem"), null, null))
                    .credentials(AccessList.ENGINE_USER, "engine-pw".toCharArray()).healthIntervalMs(0).build(),
                    Fixtures.directory(), ingest, Fixtures.wallClock());
                 TestClient a0 = new TestClient(url, null, Fixtures.A0, "a0-pw", tls);
                 TestClient b1 = new TestClient(url, null, Fixtures.B1, "b1-pw", tls);
                 TestClient monitor = new TestClient(url, null, AccessList.MONITOR_USER, "watch", tls)) {
                assertThat(engine.awaitConnected(15_000)).as(broker.logTail()).isTrue();
                monitor.subscribe("greenwave/v1/#", 1);
                a0.subscribe(T.plan(Fixtures.A0), 1);
                b1.subscribe(T.plan(Fixtures.B1), 1);
                // The denied subscription is granted nothing, so A0 never sees B1's plan.
                a0.subscribeAcknowledged(T.plan(Fixtures.B1), 1);

                long now = System.currentTimeMillis();
                byte[] forged = Fixtures.utf8("{\"v\":1,\"seq\":9223372036854775806,\"issuedAtMs\":0,"
                        + "\"expiresAtMs\":9223372036854775807,\"deviceProgram\":\"off\",\"entries\":[]}");
                a0.publishAcknowledged(T.plan(Fixtures.A0), forged);
                a0.publishAcknowledged(T.plan(Fixtures.B1), forged);
                a0.publishAcknowledged(T.health("greenwave"), Fixtures.utf8("{\"v\":1,\"online\":true}"));
                a0.publishAcknowledged(T.detectors(Fixtures.B1, DetectorPayloadKind.EVENTS),
                        new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS)
                                .event(Fixtures.B1_STOP, now, true).finish());
                a0.publishAcknowledged(T.detectors(Fixtures.A0, DetectorPayloadKind.EVENTS),
                        new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS)
                                .event(Fixtures.A0_STOP, now, true).finish());
                TimingPlan plan = new TimingPlan(0, Fixtures.A0, 2);
                plan.begin(1, now, now + 60_000, null);
                plan.add("Gr".toCharArray(), 30);
                engine.onPlan(plan);

                TestClient.Received genuinePlan = a0.poll(15_000);
                assertThat(genuinePlan).as(broker.logTail()).isNotNull();
                assertThat(genuinePlan.topic()).isEqualTo(T.plan(Fixtures.A0));
                assertThat(Fixtures.text(genuinePlan.payload())).doesNotContain("\"off\"");
                Fixtures.await(15_000, () -> engine.counters().get(GatewayCounters.Counter.MESSAGES_IN) >= 1,
                        engine.counters()::toString);
                Thread.sleep(500);
                assertThat(a0.drain()).as("nothing forged reached A0's controller").isEmpty();
                assertThat(b1.drain()).as("nor B1's").isEmpty();
                // Mosquitto refused A0's publish to B1's detectors: the engine took A0's reading only.
                assertThat(engine.counters().get(GatewayCounters.Counter.MESSAGES_IN)).isEqualTo(1);
                assertThat(ingest.calls()).extracting(RecordingIngest.Call::detector)
                        .containsExactly(Fixtures.directory().detectorIndex(Fixtures.A0_STOP));
                // Besides the engine's own retained health, the monitor saw only what was allowed.
                List<String> seen = monitor.drain().stream().map(TestClient.Received::topic)
                        .filter(t -> !t.equals(T.health("greenwave"))).toList();
                assertThat(seen).containsExactlyInAnyOrder(T.detectors(Fixtures.A0, DetectorPayloadKind.EVENTS),
                        T.plan(Fixtures.A0));
            }
        }
    }
}
