/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.greenwave.adapters.mqtt.GatewayCounters.Counter;
import org.greenwave.adapters.mqtt.RecordingIngest.Call;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.time.Clock;
import org.greenwave.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Test;

/**
 * Mosquitto goes away under a connected gateway and comes back on the same port: plans issued meanwhile are dropped
 * and counted, never queued; the gateway reconnects and resubscribes by itself; detector data flows again; and what
 * reaches a controller afterwards is only plans issued after the restart.
 */
class BrokerRestartIT {

    static final ObjectMapper JSON = new ObjectMapper();

    final DetectorDirectory dir = Fixtures.directory();
    final Clock clock = Fixtures.wallClock();
    final RecordingIngest ingest = new RecordingIngest();
    final int a0 = dir.intersectionIndex(Fixtures.A0);
    final int stop = dir.detectorIndex(Fixtures.A0_STOP);
    long seq;

    @Test
    void plansDuringAnOutageAreDroppedAndTheGatewayRecoversByItself() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start();
             MqttEngineGateway g = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(broker.url())
                     .engineId("restart").reconnectDelayMs(100, 400).healthIntervalMs(0).build(), dir, ingest,
                     clock)) {
            assertThat(g.awaitConnected(15_000)).isTrue();
            GatewayCounters c = g.counters();
            String eventsTopic = g.topics().detectors(Fixtures.A0, DetectorPayloadKind.EVENTS);
            List<JsonNode> delivered = new ArrayList<>();

            // Before: data in, a plan out.
            try (TestClient field = new TestClient(broker.url())) {
                field.subscribe(g.topics().planFilter(), 1);
                field.publish(eventsTopic, event(now() - 100, true), 1);
                Fixtures.await(15_000, () -> ingest.size() == 1, c::toString);
                g.onPlan(plan(now()));
                TestClient.Received r = field.poll(15_000);
                assertThat(r).as("plan before the outage; %s", c).isNotNull();
                delivered.add(JSON.readTree(r.payload()));
            }

            // Outage: every plan is dropped at once, none is queued.
            broker.stop();
            Fixtures.await(15_000, () -> !g.isConnected(), () -> "gateway still connected: " + g.state());
            long publishedBefore = c.get(Counter.PLANS_PUBLISHED);
            long droppedBefore = c.get(Counter.PLANS_DROPPED_DISCONNECTED);
            long firstOutageSeq = seq + 1;
            for (int i = 0; i < 5; i++) {
                g.onPlan(plan(now()));
            }
            long lastOutageSeq = seq;
            assertThat(c.get(Counter.PLANS_DROPPED_DISCONNECTED) - droppedBefore).isEqualTo(5);
            assertThat(c.get(Counter.PLANS_PUBLISHED)).isEqualTo(publishedBefore);
            assertThat(c.get(Counter.CONNECTION_LOSSES)).isEqualTo(1);
            // It keeps trying, with back-off, while the broker is away.
            Fixtures.await(15_000, () -> c.get(Counter.CONNECT_FAILURES) >= 2, c::toString);
            assertThat(g.state()).isIn(LinkState.DISCONNECTED, LinkState.CONNECTING);

            // Back on the same port. A controller subscribes at once, before the gateway is back: it would see any
            // plan the gateway had kept from the outage.
            broker.restart();
            long restartedAtMs = now();
            try (TestClient controller = new TestClient(broker.url())) {
                controller.subscribe(g.topics().planFilter(), 1);
                Fixtures.await(15_000, g::isConnected, () -> "gateway did not reconnect: " + g.state() + " " + c);
                assertThat(c.get(Counter.RECONNECTS)).isEqualTo(1);

                // Resubscribed by itself: detector data flows again.
                try (TestClient field = new TestClient(broker.url())) {
                    field.publish(eventsTopic, event(now() - 50, false), 1);
                    Fixtures.await(15_000, () -> ingest.size() == 2, c::toString);
                }
                assertThat(ingest.calls().get(1)).isEqualTo(Call.edge(stop, ingest.calls().get(1).timeMs(), false));

                long afterSeq = seq + 1;
                g.onPlan(plan(now()));
                TestClient.Received r = controller.poll(15_000);
                assertThat(r).as("plan after the reconnect; %s", c).isNotNull();
                JsonNode fresh = JSON.readTree(r.payload());
                delivered.add(fresh);
                assertThat(fresh.get("seq").longValue()).isEqualTo(afterSeq);
                assertThat(fresh.get("issuedAtMs").longValue()).isGreaterThanOrEqualTo(restartedAtMs);

                // Nothing else arrived: in particular no plan issued during the outage.
                Fixtures.await(15_000, () -> c.get(Counter.PLANS_ACKNOWLEDGED) == 2, c::toString);
                for (TestClient.Received extra : controller.drain()) {
                    delivered.add(JSON.readTree(extra.payload()));
                }
            }
            assertThat(delivered).extracting(n -> n.get("seq").longValue())
                    .doesNotContainAnyElementsOf(range(firstOutageSeq, lastOutageSeq))
                    .containsExactly(1L, lastOutageSeq + 1);
            assertThat(c.get(Counter.PLANS_PUBLISHED)).isEqualTo(2);
        }
    }

    private long now() {
        return clock.nowMs();
    }

    private TimingPlan plan(long issuedAtMs) {
        TimingPlan p = new TimingPlan(a0, Fixtures.A0, 4);
        // A long life: had any outage plan been kept, it would still be deliverable after the restart.
        p.begin(++seq, issuedAtMs, issuedAtMs + 120_000, null);
        p.add("GGrr".toCharArray(), 20);
        p.add("yyrr".toCharArray(), 3);
        return p;
    }

    private static byte[] event(long t, boolean on) {
        return new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS).event(Fixtures.A0_STOP, t, on).finish();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }
}
