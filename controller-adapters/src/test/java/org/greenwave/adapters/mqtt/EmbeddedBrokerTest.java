/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.greenwave.adapters.mqtt.BrokerCounters.Refusal;
import org.greenwave.testsupport.TestCertificates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("broker")
class EmbeddedBrokerTest {

    private static final Topics T = Topics.defaults();
    /** MQTT 5 CONNACK and PUBACK/SUBACK reason codes. */
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;

    @TempDir
    Path dir;

    private static TestClient engine(EmbeddedBroker broker) throws MqttException {
        EmbeddedBroker.Credentials c = broker.engineCredentials();
        return new TestClient(broker.engineUrl(), null, c.username(), new String(c.password()), null);
    }

    /**
     * Publishes at QoS 1 from a fresh client and says whether the broker refused: a PUBACK with "not authorised", on
     * which Paho 1.2.5 also drops its connection.
     */
    private static boolean refused(ThrowingClient connect, String topic, String payload) throws Exception {
        try (TestClient c = connect.open()) {
            int code = c.publishAcknowledged(topic, Fixtures.utf8(payload));
            assertThat(code).as("PUBACK or Paho's reason").isIn(0, NOT_AUTHORIZED,
                    (int) org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_SERVER_DISCONNECTED);
            return code != 0;
        }
    }

    private static int refusal(ThrowingClient connect) {
        try {
            connect.open().close();
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        throw new AssertionError("the broker accepted the connection");
    }

    private interface ThrowingClient {
        TestClient open() throws MqttException;
    }

    @Test
    void aLocalBrokerRelaysFieldDataToTheEngineButTakesNoPlanFromAnonymousClientsAndClosesIdempotently()
            throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start();
        try {
            assertThat(broker.host()).isEqualTo("127.0.0.1");
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            try (TestClient engine = engine(broker); TestClient field = new TestClient(broker.url());
                 TestClient controller = new TestClient(broker.url())) {
                engine.subscribe(T.detectorFilter(DetectorPayloadKind.EVENTS), 1);
                controller.subscribe(T.planFilter(), 1);
                assertThat(field.publishAcknowledged(T.detectors("A0", DetectorPayloadKind.EVENTS),
                        Fixtures.utf8("{}"))).isZero();
                TestClient.Received r = engine.poll(15_000);
                assertThat(r).isNotNull();
                assertThat(r.topic()).isEqualTo(T.detectors("A0", DetectorPayloadKind.EVENTS));

                assertThat(refused(() -> new TestClient(broker.url()), T.plan("A0"), "{\"forged\":1}")).isTrue();
                assertThat(refused(() -> new TestClient(broker.url()), T.health("greenwave"), "{\"online\":true}"))
                        .isTrue();
                assertThat(field.subscribeAcknowledged(T.detectorFilter(DetectorPayloadKind.EVENTS), 1))
                        .isEqualTo(NOT_AUTHORIZED);
                assertThat(controller.poll(500)).as("no forged plan delivered").isNull();
                assertThat(broker.counters().get(Refusal.PUBLISH_DENIED)).isEqualTo(2);
                assertThat(broker.counters().get(Refusal.SUBSCRIBE_DENIED)).isEqualTo(1);
                assertThat(broker.counters().publishesIn()).isGreaterThanOrEqualTo(1);
            }
        } finally {
            broker.close();
            broker.close();
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()), 1_000);
            }
        }).as("nothing listens after close").isInstanceOf(IOException.class);
    }

    @Test
    void bySettingsDefaultOnlyUsersWithTheirPasswordGetInAndEachRoleOnlyToItsTopics() throws Exception {
        Path passwords = dir.resolve("passwords");
        Files.write(passwords, List.of(PasswordFile.entry("A0", "a0-secret".toCharArray(), 1000),
                PasswordFile.entry("B1", "b1-secret".toCharArray(), 1000),
                PasswordFile.entry(AccessList.MONITOR_USER, "watch".toCharArray(), 1000)));
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.settings().passwordFile(passwords))) {
            BrokerCounters c = broker.counters();
            assertThat(refusal(() -> new TestClient(broker.url()))).isEqualTo(NOT_AUTHORIZED);
            assertThat(refusal(() -> new TestClient(broker.url(), "A0", "b1-secret")))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
            assertThat(refusal(() -> new TestClient(broker.url(), "nobody", "a0-secret")))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
            // The engine's way in takes only the engine's secret.
            assertThat(refusal(() -> new TestClient(broker.engineUrl(), "A0", "a0-secret")))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
            // Nobody else may use the engine's client ids, so nobody can take its session over.
            assertThat(refusal(() -> new TestClient(broker.url(), "greenwave-engine-greenwave-0123456789abcdef",
                    "A0", "a0-secret", null))).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(c.get(Refusal.ANONYMOUS)).isEqualTo(1);
            assertThat(c.get(Refusal.BAD_CREDENTIALS)).isEqualTo(3);
            assertThat(c.get(Refusal.RESERVED_CLIENT_ID)).isEqualTo(1);

            try (TestClient engine = engine(broker); TestClient a0 = new TestClient(broker.url(), "A0", "a0-secret");
                 TestClient monitor = new TestClient(broker.url(), AccessList.MONITOR_USER, "watch")) {
                engine.subscribe(T.detectorFilter(DetectorPayloadKind.EVENTS), 1);
                monitor.subscribe("greenwave/v1/#", 1);
                assertThat(a0.subscribeAcknowledged(T.plan("A0"), 1)).isEqualTo(1);
                assertThat(a0.subscribeAcknowledged(T.plan("B1"), 1)).isEqualTo(NOT_AUTHORIZED);
                ThrowingClient asA0 = () -> new TestClient(broker.url(), "A0", "a0-secret");
                assertThat(refused(asA0, T.detectors("B1", DetectorPayloadKind.EVENTS), "{\"forged\":1}")).isTrue();
                assertThat(refused(asA0, T.plan("A0"), "{\"forged\":1}")).isTrue();
                assertThat(refused(() -> new TestClient(broker.url(), AccessList.MONITOR_USER, "watch"), T.plan("A0"),
                        "{\"forged\":1}")).isTrue();
                assertThat(a0.publishAcknowledged(T.detectors("A0", DetectorPayloadKind.EVENTS),
                        Fixtures.utf8("{\"genuine\":1}"))).isZero();
                assertThat(engine.publishAcknowledged(T.plan("A0"), Fixtures.utf8("{\"plan\":1}"))).isZero();

                TestClient.Received got = engine.poll(15_000);
                assertThat(got.topic()).isEqualTo(T.detectors("A0", DetectorPayloadKind.EVENTS));
                assertThat(Fixtures.text(got.payload())).contains("genuine");
                assertThat(engine.poll(300)).as("nothing forged reached the engine").isNull();
                TestClient.Received plan = a0.poll(15_000);
                assertThat(plan.topic()).isEqualTo(T.plan("A0"));
                assertThat(Fixtures.text(plan.payload())).contains("\"plan\"");
                assertThat(a0.poll(300)).isNull();
                assertThat(c.get(Refusal.PUBLISH_DENIED)).isEqualTo(3);
                assertThat(c.get(Refusal.SUBSCRIBE_DENIED)).isEqualTo(1);
            }
        }
    }

    @Test
    void aPacketAboveTheLimitDisconnectsItsSenderAndIsCounted() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.settings().allowAnonymous(true)
                .maxPacketBytes(4096))) {
            try (TestClient engine = engine(broker); TestClient field = new TestClient(broker.url())) {
                engine.subscribe(T.detectorFilter(DetectorPayloadKind.EVENTS), 1);
                String topic = T.detectors("A0", DetectorPayloadKind.EVENTS);
                field.publishAcknowledged(topic, new byte[8192]);
                Fixtures.await(15_000, () -> broker.counters().get(Refusal.PACKET_TOO_LARGE) == 1,
                        () -> broker.counters().toString());
                assertThat(field.isConnected()).isFalse();
                assertThat(engine.poll(300)).isNull();
            }
        }
    }

    @Test
    void overMutualTlsADeviceNeedsItsCertificateAndItsPasswordWhileTheEngineNeedsNeither() throws Exception {
        TestCertificates.make(dir, "broker", "device");
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, PasswordFile.entry("A0", "a0-secret".toCharArray(), 1000) + "\n");
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.settings().passwordFile(passwords)
                .tls(dir.resolve("broker.pem"), dir.resolve("broker.key")).clientCa(dir.resolve("ca.pem")))) {
            assertThat(broker.url()).startsWith("ssl://127.0.0.1:");
            assertThat(broker.describe()).contains("(TLS, client certificates required)");
            javax.net.ssl.SSLSocketFactory withCert = new MqttTls(dir.resolve("ca.pem"), dir.resolve("device.pem"),
                    dir.resolve("device.key")).socketFactory();
            javax.net.ssl.SSLSocketFactory withoutCert = new MqttTls(dir.resolve("ca.pem"), null, null)
                    .socketFactory();
            assertThat(refusal(() -> new TestClient(broker.url(), null, "A0", "a0-secret", withoutCert)))
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(broker.counters().get(Refusal.NO_CLIENT_CERTIFICATE)).isEqualTo(1);
            assertThat(refusal(() -> new TestClient(broker.url(), null, "A0", "wrong", withCert)))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
            assertThatThrownBy(() -> new TestClient("tcp://127.0.0.1:" + broker.port(), null, "A0", "a0-secret", null))
                    .as("plain TCP on the TLS port").isInstanceOf(MqttException.class);
            try (TestClient engine = engine(broker);
                 TestClient a0 = new TestClient(broker.url(), null, "A0", "a0-secret", withCert)) {
                engine.subscribe(T.detectorFilter(DetectorPayloadKind.EVENTS), 1);
                assertThat(a0.publishAcknowledged(T.detectors("A0", DetectorPayloadKind.EVENTS),
                        Fixtures.utf8("{}"))).isZero();
                assertThat(engine.poll(15_000)).isNotNull();
            }
        }
    }

    @Test
    void badSettingsAreNamedBeforeAnythingStarts() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user x\ntopic read a/#/b\n");
        assertThatThrownBy(() -> EmbeddedBroker.start(EmbeddedBroker.settings().aclFile(acl)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(acl + " line 2");
        assertThatThrownBy(() -> EmbeddedBroker.start(EmbeddedBroker.settings().clientCa(acl)))
                .hasMessageContaining("need TLS");
        assertThatThrownBy(() -> EmbeddedBroker.start(EmbeddedBroker.settings().maxPacketBytes(10)))
                .hasMessageContaining("1024..");
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedBroker.start(EmbeddedBroker.settings().port(taken.getLocalPort())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("port");
        }
    }
}
