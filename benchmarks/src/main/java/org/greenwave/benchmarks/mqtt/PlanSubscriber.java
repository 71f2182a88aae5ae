/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.CONNECT_TIMEOUT_MS;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.MAX_LATENCY_NS;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.SUBSCRIBER_ID;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.greenwave.adapters.mqtt.DecodeResult;
import org.greenwave.adapters.mqtt.NoDelaySocketFactory;
import org.greenwave.adapters.mqtt.PlanDecoder;
import org.greenwave.adapters.mqtt.PlanMessage;
import org.greenwave.adapters.mqtt.Topics;

/**
 * The controllers' side: one Paho client on every plan topic (QoS 1), which records the time from the engine's
 * sink to here for each plan it can match by intersection and sequence; also reads the broker's dropped-message
 * count from {@code $SYS}. Paho calls back on one thread.
 */
final class PlanSubscriber implements MqttCallback, AutoCloseable {
    private static final String DROPPED = "$SYS/broker/publish/messages/dropped";
    private static final String HEAP = "$SYS/broker/heap/current";

    final Recorder planLeg = new Recorder(1, MAX_LATENCY_NS, 3);
    final AtomicLong received = new AtomicLong();
    final AtomicLong matched = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    volatile PlanTap tap;
    volatile long brokerDropped = -1;
    /** Largest broker heap seen since the last reset, bytes; 0 when none was seen. */
    final AtomicLong brokerHeapMax = new AtomicLong();
    private final Map<String, Integer> intersectionIndex;
    private final MqttAsyncClient client;

    PlanSubscriber(String url, Network network) throws MqttException {
        this.intersectionIndex = network.intersectionIndex();
        client = new MqttAsyncClient(url, SUBSCRIBER_ID, new MemoryPersistence());
        client.setCallback(this);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setSocketFactory(new NoDelaySocketFactory());
        o.setConnectionTimeout(10);
        client.connect(o).waitForCompletion(CONNECT_TIMEOUT_MS);
        client.subscribe(new String[] {Topics.defaults().planFilter(), DROPPED, HEAP}, new int[] {1, 0, 0})
                .waitForCompletion(CONNECT_TIMEOUT_MS);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long nowNs = System.nanoTime();
        if (topic.startsWith("$SYS/")) {
            long v;
            try {
                v = Long.parseLong(new String(message.getPayload(), StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (topic.equals(DROPPED)) {
                brokerDropped = v;
            } else {
                long heap = v;
                brokerHeapMax.accumulateAndGet(heap, Math::max);
            }
            return;
        }
        received.incrementAndGet();
        int from = topic.indexOf("/intersections/") + "/intersections/".length();
        int to = topic.lastIndexOf('/');
        String id = topic.substring(from, to);
        DecodeResult<PlanMessage> r = PlanDecoder.decode(id, message.getPayload());
        Integer index = intersectionIndex.get(id);
        PlanTap t = tap;
        if (!r.isOk() || index == null) {
            undecodable.incrementAndGet();
            return;
        }
        long issued = t == null ? -1 : t.issuedNs(index, r.value().sequence());
        if (issued >= 0) {
            matched.incrementAndGet();
            planLeg.recordValue(Math.min(Math.max(nowNs - issued, 1), MAX_LATENCY_NS));
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        System.err.println("plan subscriber disconnected: " + response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        System.err.println("plan subscriber error: " + exception);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() {
        try {
            client.disconnect(2_000).waitForCompletion(3_000);
        } catch (MqttException e) {
            // Closing anyway.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Nothing more to do.
        }
    }
}
