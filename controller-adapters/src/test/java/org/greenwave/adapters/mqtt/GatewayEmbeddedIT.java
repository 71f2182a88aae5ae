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
}
