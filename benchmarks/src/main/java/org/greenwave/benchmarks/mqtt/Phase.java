/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.CONNECT_TIMEOUT_MS;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.WALL;

import org.greenwave.adapters.mqtt.GatewayCounters;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.mqtt.MqttGatewayOptions;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.time.Millis;
import org.greenwave.testsupport.MosquittoBroker;

/** One engine and its gateway, connected to the broker; the subscriber matches plans against its tap. */
final class Phase implements AutoCloseable {
    final Engine engine;
    final MqttEngineGateway gateway;
    final RecordingIngest ingest;
    private final PlanSubscriber subscriber;

    private Phase(Engine engine, MqttEngineGateway gateway, RecordingIngest ingest, PlanSubscriber subscriber) {
        this.engine = engine;
        this.gateway = gateway;
        this.ingest = ingest;
        this.subscriber = subscriber;
    }

    static Phase open(String name, double tickS, Network network, MosquittoBroker broker, SendTable table,
                      PlanSubscriber subscriber, Options options) throws InterruptedException {
        PlanTap tap = new PlanTap(network.intersectionCount());
        EngineContext ctx = new EngineContext().intersections(network.intersections()).shards(options.shards)
                .tickMs(Millis.fromSeconds(tickS)).planLifetimeMs(Millis.fromSeconds(planLifetimeS(tickS)))
                .clock(WALL).planSink(tap);
        Engine engine = Engine.launch(ctx);
        MqttEngineGateway gateway = null;
        try {
            RecordingIngest ingest = new RecordingIngest(engine.ingest(), engine.directory(), network, table);
            gateway = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(broker.url())
                    .engineId("e2e-" + name).build(), engine.directory(), ingest, WALL);
            tap.target = gateway;
            subscriber.tap = tap;
            if (!gateway.awaitConnected(CONNECT_TIMEOUT_MS)) {
                throw new IllegalStateException("the gateway did not connect to " + broker.url() + " within "
                        + CONNECT_TIMEOUT_MS + " ms: " + gateway.state());
            }
            return new Phase(engine, gateway, ingest, subscriber);
        } catch (RuntimeException | InterruptedException e) {
            if (gateway != null) {
                gateway.close();
            }
            engine.close();
            throw e;
        }
    }

    /** Three periods (the engine's default), but at least 1 s, so plans outlive the gateway's 250 ms send margin. */
    static double planLifetimeS(double tickS) {
        return Math.max(3 * tickS, 1.0);
    }

    long messagesIn() {
        return gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN);
    }

    /**
     * Plans published, acknowledged, superseded, dropped stale, deferred; messages in; rejects; ingest refused.
     */
    long[] gatewaySnapshot() {
        GatewayCounters c = gateway.counters();
        return new long[] {c.get(GatewayCounters.Counter.PLANS_PUBLISHED),
            c.get(GatewayCounters.Counter.PLANS_ACKNOWLEDGED), c.get(GatewayCounters.Counter.PLANS_SUPERSEDED),
            c.get(GatewayCounters.Counter.PLANS_DROPPED_STALE), c.get(GatewayCounters.Counter.PLAN_SENDS_DEFERRED),
            c.get(GatewayCounters.Counter.MESSAGES_IN), c.rejectsTotal(),
            c.get(GatewayCounters.Counter.INGEST_REFUSED)};
    }

    @Override
    public void close() {
        subscriber.tap = null;
        gateway.close();
        engine.close();
    }
}
