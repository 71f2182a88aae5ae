/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link AbstractGatewayIT} against the embedded HiveMQ CE broker. */
class GatewayEmbeddedIT extends AbstractGatewayIT {

    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    String brokerUrl() {
        return broker.url();
    }

    @Override
    MqttGatewayOptions.Builder engine(MqttGatewayOptions.Builder options) {
        EmbeddedBroker.Credentials c = broker.engineCredentials();
        return options.brokerUrl(broker.engineUrl()).credentials(c.username(), c.password());
    }

    /** HiveMQ tells the evicted client why (MQTT 5 reason 0x8E); Mosquitto 2.0 just closes its connection. */
    @org.junit.jupiter.api.Test
    void aClientThatTakesTheEnginesClientIdIsCountedAsATakeover() throws Exception {
        String id = "greenwave-it-takeover-" + System.nanoTime();
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0).clientId(id));
        assertThat(g.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS)).isZero();
        org.eclipse.paho.mqttv5.client.MqttClient intruder = new org.eclipse.paho.mqttv5.client.MqttClient(
                brokerUrl(), id, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            intruder.connect();
            Fixtures.await(15_000, () -> g.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS) >= 1,
                    () -> "no takeover counted; counters " + g.counters());
        } finally {
            try {
                intruder.disconnectForcibly(0, 1000, false);
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // the gateway's reconnect may have evicted it already
            }
            intruder.close(true);
        }
        assertThat(g.awaitConnected(15_000)).as("the gateway reconnects").isTrue();
    }

    /** Nobody but the engine may use a {@code greenwave-engine-…} client id, so its session cannot be taken over. */
    @org.junit.jupiter.api.Test
    void aClientThatTriesTheEnginesOwnClientIdIsRefusedAndTheEngineStaysConnected() throws Exception {
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0));
        long refusedBefore = broker.counters().get(BrokerCounters.Refusal.RESERVED_CLIENT_ID);
        assertThat(g.options().clientId()).startsWith("greenwave-engine-");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TestClient(brokerUrl(), g.options().clientId(),
                null, null, null).close()).isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class);
        assertThat(broker.counters().get(BrokerCounters.Refusal.RESERVED_CLIENT_ID)).isEqualTo(refusedBefore + 1);
        Thread.sleep(300);
        assertThat(g.isConnected()).isTrue();
        assertThat(g.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS)).isZero();
        assertThat(g.counters().get(GatewayCounters.Counter.CONNECTION_LOSSES)).isZero();
    }

    /**
     * With the engine's own credentials (leaked, or a second engine configured by mistake) a client can take the
     * session over. The engine counts it, comes back under a new random client id, so the two do not evict each other
     * in turn, and its retained health says online again after the will the broker published.
     */
    @org.junit.jupiter.api.Test
    void afterATakeoverTheEngineReconnectsUnderANewClientIdAndItsHealthIsOnlineAgain(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path passwords = tmp.resolve("passwords");
        java.nio.file.Files.writeString(passwords, PasswordFile.entry(AccessList.ENGINE_USER,
                "engine-pw".toCharArray(), 1000) + "\n");
        try (EmbeddedBroker own = EmbeddedBroker.start(EmbeddedBroker.settings().passwordFile(passwords))) {
            MqttEngineGateway g = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(own.url())
                    .credentials(AccessList.ENGINE_USER, "engine-pw".toCharArray()).engineId("taken")
                    .reconnectDelayMs(50, 500).healthIntervalMs(0).build(), dir, ingest, Fixtures.wallClock());
            closeAfter.add(g);
            assertThat(g.awaitConnected(15_000)).isTrue();
            String firstId = g.options().clientId();
            TestClient monitor = new TestClient(own.url(), AccessList.ENGINE_USER, "engine-pw");
            closeAfter.add(monitor);
            monitor.subscribe(g.topics().health("taken"), 1);
            TestClient intruder = new TestClient(own.url(), firstId, AccessList.ENGINE_USER, "engine-pw", null);
            closeAfter.add(intruder);
            Fixtures.await(15_000, () -> g.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS) == 1
                    && g.counters().get(GatewayCounters.Counter.RECONNECTS) == 1, g.counters()::toString);
            assertThat(own.counters().sessionsTakenOver()).isEqualTo(1);
            Thread.sleep(1_000);
            assertThat(intruder.isConnected()).as("no ping-pong: the engine left the old id to the intruder").isTrue();
            assertThat(g.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS)).isEqualTo(1);
            java.util.List<Boolean> online = new java.util.ArrayList<>();
            for (TestClient.Received r : monitor.drain()) {
                online.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.payload()).get("online")
                        .booleanValue());
            }
            // online (retained), offline (the will, published by the broker at the takeover), online again.
            assertThat(online).containsSubsequence(false, true);
            assertThat(online.get(online.size() - 1)).isTrue();
        }
    }
}
