/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.greenwave.adapters.mqtt.GatewayCounters.Counter;
import org.greenwave.adapters.mqtt.RecordingIngest.Call;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.FieldPortFactory;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a real broker: detector messages in become the right Ingest calls, plans out arrive at a plain
 * subscriber as documented, health is retained. Run against Mosquitto and against the embedded HiveMQ.
 */
abstract class AbstractGatewayIT {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ENGINES = new AtomicInteger();

    final DetectorDirectory dir = Fixtures.directory();
    final Clock clock = Fixtures.wallClock();
    final RecordingIngest ingest = new RecordingIngest();
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    /** The broker under test, started once per class. */
    abstract String brokerUrl();

    /** Where and as whom the engine connects; the broker's URL unless the broker gives the engine its own way in. */
    MqttGatewayOptions.Builder engine(MqttGatewayOptions.Builder options) {
        return options.brokerUrl(brokerUrl());
    }


    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    MqttEngineGateway gateway(MqttGatewayOptions.Builder options) throws InterruptedException {
        MqttEngineGateway g = MqttEngineGateway.start(engine(options)
                .engineId("it" + ENGINES.incrementAndGet()).reconnectDelayMs(50, 500).build(), dir, ingest, clock);
        closeAfter.add(g);
        assertThat(g.awaitConnected(15_000)).as("gateway connected to %s", brokerUrl()).isTrue();
        return g;
    }

    TestClient client() throws Exception {
        TestClient c = new TestClient(brokerUrl());
        closeAfter.add(c);
        return c;
    }

    long nowMs() {
        return clock.nowMs();
    }

    @Test
    void detectorMessagesBecomeIngestCalls() throws Exception {
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0));
        Topics topics = g.topics();
        TestClient field = client();
        long t = nowMs() - 1_000;
        DetectorPayloadEncoder enc = new DetectorPayloadEncoder();
        field.publish(topics.detectors(Fixtures.A0, DetectorPayloadKind.EVENTS), enc.begin(DetectorPayloadKind.EVENTS)
                .event(Fixtures.A0_STOP, t, true).event(Fixtures.A0_ADV, t + 1, true)
                .event(Fixtures.A0_STOP, t + 400, false).finish(), 1);
        field.publish(topics.detectors(Fixtures.B1, DetectorPayloadKind.AGGREGATES),
                enc.begin(DetectorPayloadKind.AGGREGATES).aggregate(Fixtures.B1_STOP, t, 60_000, 14, 0.125, 11.25)
                        .finish(), 1);
        field.publish(topics.detectors(Fixtures.A0, DetectorPayloadKind.LANE_AREA),
                enc.begin(DetectorPayloadKind.LANE_AREA).laneArea(Fixtures.A0_CAM, t, 6, 4, 27.5)
                        .laneArea(Fixtures.A0_OUT, t, 2, 0, 0).finish(), 0);
        field.publish(topics.detectors(Fixtures.C2, DetectorPayloadKind.EVENTS),
                enc.begin(DetectorPayloadKind.EVENTS).event(Fixtures.C2_STOP, t, true).finish(), 1);
        field.publish(topics.detectors("nowhere", DetectorPayloadKind.EVENTS),
                enc.begin(DetectorPayloadKind.EVENTS).event(Fixtures.C2_STOP, t, true).finish(), 1);
        field.flush();

        Fixtures.await(15_000, () -> g.counters().get(Counter.MESSAGES_IN) == 5, g.counters()::toString);
        assertThat(ingest.calls()).containsExactlyInAnyOrder(
                Call.edge(dir.detectorIndex(Fixtures.A0_STOP), t, true),
                Call.edge(dir.detectorIndex(Fixtures.A0_ADV), t + 1, true),
                Call.edge(dir.detectorIndex(Fixtures.A0_STOP), t + 400, false),
                Call.aggregate(dir.detectorIndex(Fixtures.B1_STOP), t, 60_000, 14, 0.125, 11.25),
                Call.laneArea(dir.detectorIndex(Fixtures.A0_CAM), t, 6, 4, 27.5),
                Call.laneArea(dir.detectorIndex(Fixtures.A0_OUT), t, 2, 0, 0),
                Call.edge(dir.detectorIndex(Fixtures.C2_STOP), t, true));
        assertThat(g.counters().get(Counter.ENTRIES_APPLIED)).isEqualTo(7);
        assertThat(g.counters().rejects(RejectReason.UNKNOWN_INTERSECTION)).isEqualTo(1);
        assertThat(g.counters().rejectsTotal()).isEqualTo(1);
    }

    @Test
    void retainedDetectorMessagesAreNotReplayed() throws Exception {
        TestClient field = client();
        String topic = Topics.defaults().detectors(Fixtures.A0, DetectorPayloadKind.EVENTS);
        field.publishRetained(topic, new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS)
                .event(Fixtures.A0_STOP, nowMs(), true).finish());
        MqttEngineGateway g = null;
        try {
            g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0));
            // A live message after the subscription proves the retained one would have come first.
            field.publish(topic, new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS)
                    .event(Fixtures.A0_ADV, nowMs(), true).finish(), 1);
            GatewayCounters c = g.counters();
            Fixtures.await(15_000, () -> c.get(Counter.MESSAGES_IN) >= 1, c::toString);
            assertThat(c.get(Counter.MESSAGES_IN)).isEqualTo(1);
            assertThat(ingest.calls()).extracting(Call::detector).containsExactly(dir.detectorIndex(Fixtures.A0_ADV));
        } finally {
            if (g != null) {
                g.close();
            }
            field.publishRetained(topic, new byte[0]);
        }
    }

    @Test
    void plansArriveAtAPlainSubscriberAsDocumented() throws Exception {
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0));
        TestClient controller = client();
        controller.subscribe(g.topics().planFilter(), 1);

        long now = nowMs();
        TimingPlan a0 = new TimingPlan(dir.intersectionIndex(Fixtures.A0), Fixtures.A0, 4);
        a0.begin(7, now, now + 30_000, null);
        a0.add("GGrr".toCharArray(), 12.0);
        a0.add("yyrr".toCharArray(), 3.0);
        a0.add("rrGG".toCharArray(), 10.4996);
        TimingPlan c2 = new TimingPlan(dir.intersectionIndex(Fixtures.C2), Fixtures.C2, 2);
        c2.begin(1, now, now + 30_000, "fallback-2");
        g.onPlan(a0);
        g.onPlan(c2);

        List<TestClient.Received> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TestClient.Received r = controller.poll(15_000);
            assertThat(r).as("plan %d of 2; %s", i + 1, g.counters()).isNotNull();
            got.add(r);
        }
        got.sort((x, y) -> x.topic().compareTo(y.topic()));
        TestClient.Received ra = got.get(0);
        assertThat(ra.topic()).isEqualTo("greenwave/v1/intersections/A0/plan");
        assertThat(ra.retained()).isFalse();
        assertThat(ra.qos()).isEqualTo(1);
        assertThat(ra.contentType()).isEqualTo("application/json");
        assertThat(ra.expiryS()).as("message expiry, whole seconds left").isBetween(1L, 30L);
        JsonNode pa = JSON.readTree(ra.payload());
        assertThat(pa.get("v").intValue()).isEqualTo(1);
        assertThat(pa.get("seq").longValue()).isEqualTo(7);
        assertThat(pa.get("issuedAtMs").longValue()).isEqualTo(now);
        assertThat(pa.get("expiresAtMs").longValue()).isEqualTo(now + 30_000);
        assertThat(pa.get("deviceProgram").isNull()).isTrue();
        assertThat(pa.get("entries").toString()).isEqualTo("[{\"state\":\"GGrr\",\"durationMs\":12000},"
                + "{\"state\":\"yyrr\",\"durationMs\":3000},{\"state\":\"rrGG\",\"durationMs\":10500}]");

        TestClient.Received rc = got.get(1);
        assertThat(rc.topic()).isEqualTo("greenwave/v1/intersections/Ä2/plan");
        PlanMessage pc = PlanDecoder.decode(Fixtures.C2, rc.payload()).value();
        assertThat(pc.deviceProgram()).isEqualTo("fallback-2");
        assertThat(pc.entries()).isEmpty();

        Fixtures.await(15_000, () -> g.counters().get(Counter.PLANS_ACKNOWLEDGED) == 2
                && g.counters().get(Counter.PLANS_PUBLISHED) == 2, g.counters()::toString);
    }

    /**
     * More plans at once than the broker may let a client have unacknowledged (Mosquitto's receive maximum is 20):
     * the sender waits for acknowledgements instead of dropping, and every plan arrives. (Whether it has to wait
     * depends on timing; {@link PlanPublisherTest} covers the waiting itself.)
     */
    @Test
    void aBurstOfPlansBeyondTheReceiveMaximumArrivesInFull() throws Exception {
        int n = 150;
        List<String> ids = new ArrayList<>();
        List<List<org.greenwave.core.ingest.DetectorSpec>> none = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("I" + i);
            none.add(List.of());
        }
        DetectorDirectory many = new DetectorDirectory(ids, none);
        MqttEngineGateway g = MqttEngineGateway.start(engine(MqttGatewayOptions.builder())
                .engineId("burst" + ENGINES.incrementAndGet()).healthIntervalMs(0).build(), many, ingest, clock);
        closeAfter.add(g);
        assertThat(g.awaitConnected(15_000)).isTrue();
        TestClient controller = client();
        controller.subscribe(g.topics().planFilter(), 1);
        long now = nowMs();
        for (int i = 0; i < n; i++) {
            TimingPlan p = new TimingPlan(i, ids.get(i), 2);
            p.begin(1, now, now + 60_000, null);
            p.add("Gr".toCharArray(), 30);
            g.onPlan(p);
        }
        java.util.Set<String> topics = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            TestClient.Received r = controller.poll(15_000);
            assertThat(r).as("plan %d of %d; %s", i + 1, n, g.counters()).isNotNull();
            topics.add(r.topic());
        }
        assertThat(topics).hasSize(n);
        Fixtures.await(15_000, () -> g.counters().get(Counter.PLANS_PUBLISHED) == n, g.counters()::toString);
        assertThat(g.counters().get(Counter.PLANS_DROPPED_STALE) + g.counters().get(Counter.PLANS_DROPPED_DISCONNECTED)
                + g.counters().get(Counter.PLANS_SUPERSEDED) + g.counters().get(Counter.PLANS_FAILED)).isZero();
    }

    /**
     * On a clock that stands still: an expired plan and one about to expire are dropped; one with less than a second
     * left goes out with the smallest MQTT expiry, 1 s; a long-lived one with the whole seconds it has left.
     */
    @Test
    void expiredOrNearlyExpiredPlansAreDroppedAndTheRestCarryTheirExpiry() throws Exception {
        long now = nowMs() / 1000 * 1000;   // whole seconds
        org.greenwave.core.time.ManualClock still = new org.greenwave.core.time.ManualClock(now);
        MqttEngineGateway g = MqttEngineGateway.start(engine(MqttGatewayOptions.builder())
                .engineId("expiry" + ENGINES.incrementAndGet()).healthIntervalMs(0).build(), dir, ingest, still);
        closeAfter.add(g);
        assertThat(g.awaitConnected(15_000)).isTrue();
        TestClient controller = client();
        controller.subscribe(g.topics().planFilter(), 1);
        TimingPlan p = new TimingPlan(0, Fixtures.A0, 2);
        long[][] lifetimes = {{-10_000, -1}, {0, 249}, {0, 600}, {0, 59_999}};
        for (int i = 0; i < lifetimes.length; i++) {
            p.begin(i + 1, now + lifetimes[i][0], now + lifetimes[i][1], null);
            p.add("Gr".toCharArray(), 5);
            g.onPlan(p);
            if (i >= 2) {
                TestClient.Received r = controller.poll(15_000);
                assertThat(r).as("plan %d; %s", i + 1, g.counters()).isNotNull();
                assertThat(JSON.readTree(r.payload()).get("seq").longValue()).isEqualTo(i + 1);
                assertThat(r.expiryS()).isEqualTo(i == 2 ? 1L : 59L);
            }
        }
        assertThat(g.counters().get(Counter.PLANS_DROPPED_STALE)).isEqualTo(2);
        Fixtures.await(15_000, () -> g.counters().get(Counter.PLANS_PUBLISHED) == 2, g.counters()::toString);
    }

    @Test
    void healthIsRetainedAndSaysOfflineAfterClose() throws Exception {
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(200)
                .healthSource(sink -> sink.counter("ticks", 42)));
        String topic = g.topics().health(g.options().engineId());
        Fixtures.await(15_000, () -> g.counters().get(Counter.HEALTH_PUBLISHED) >= 2, g.counters()::toString);
        TestClient monitor = client();
        monitor.subscribe(topic, 1);
        TestClient.Received r = monitor.poll(15_000);
        assertThat(r).isNotNull();
        assertThat(r.retained()).as("the first health a new subscriber gets is the retained one").isTrue();
        JsonNode health = JSON.readTree(r.payload());
        assertThat(health.get("online").booleanValue()).isTrue();
        assertThat(health.get("engine").get("ticks").longValue()).isEqualTo(42);
        assertThat(health.get("rejects").has("malformed-json")).isTrue();

        g.close();
        Fixtures.await(15_000, () -> {
            TestClient.Received last = null;
            for (TestClient.Received x : monitor.drain()) {
                last = x;
            }
            return last != null && !readQuietly(last.payload()).get("online").booleanValue();
        }, () -> "no offline health after close");
        assertThat(g.state()).isEqualTo(LinkState.CLOSED);
        g.close();
        // Its own threads and Paho's (named after the client id) are gone.
        String own = "greenwave-mqtt-" + g.options().engineId();
        String paho = g.options().clientId();
        Fixtures.await(15_000, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith(own) || t.getName().endsWith(paho))),
                () -> "threads left: " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> n.startsWith(own) || n.endsWith(paho)).toList());
    }

    @Test
    void statusGoesToTheListener() throws Exception {
        List<ControllerStatus> statuses = new CopyOnWriteArrayList<>();
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0).statusListener(statuses::add));
        TestClient controller = client();
        ControllerStatus s = new ControllerStatus(Fixtures.B1, nowMs(), 2, "GGrr", 12_300, null, 41);
        controller.publish(g.topics().status(Fixtures.B1), new StatusEncoder().encode(s), 1);
        controller.publish(g.topics().status("nowhere"), new StatusEncoder().encode(s), 1);
        controller.publish(g.topics().status(Fixtures.B1), Fixtures.utf8("{\"v\":1}"), 1);
        Fixtures.await(15_000, () -> g.counters().get(Counter.MESSAGES_IN) == 3, g.counters()::toString);
        assertThat(statuses).containsExactly(s);
        assertThat(g.counters().rejects(RejectReason.UNKNOWN_INTERSECTION)).isEqualTo(1);
        assertThat(g.counters().rejects(RejectReason.MISSING_FIELD)).isEqualTo(1);
    }

    @Test
    void startedThroughItsFactoryItIsTheEnginesFieldPort() throws Exception {
        List<ControllerStatus> statuses = new CopyOnWriteArrayList<>();
        FieldPortFactory factory = MqttEngineGateway.factory(engine(MqttGatewayOptions.builder())
                .engineId("it" + ENGINES.incrementAndGet()).reconnectDelayMs(50, 500).healthIntervalMs(200));
        FieldPort port = factory.start(new EngineEdge(dir, ingest, clock, statuses::add,
                sink -> sink.counter("ticks", 7)));
        closeAfter.add(port);
        assertThat(port.awaitConnected(15_000)).isTrue();
        assertThat(port.protocol()).isEqualTo("mqtt");
        assertThat(port.linkState()).isEqualTo(LinkState.CONNECTED);
        assertThat(port.runsDevicePrograms()).isTrue();

        Topics topics = Topics.defaults();
        TestClient field = client();
        TestClient monitor = client();
        monitor.subscribe(topics.health(((MqttEngineGateway) port).options().engineId()), 1);
        long t = nowMs() - 1_000;
        field.publish(topics.detectors(Fixtures.A0, DetectorPayloadKind.EVENTS), new DetectorPayloadEncoder()
                .begin(DetectorPayloadKind.EVENTS).event(Fixtures.A0_STOP, t, true).event("no-such-loop", t, true)
                .finish(), 1);
        ControllerStatus s = new ControllerStatus(Fixtures.B1, nowMs(), 1, "GGrr", 2_000, null, 3);
        field.publish(topics.status(Fixtures.B1), new StatusEncoder().encode(s), 1);
        FieldCounters c = port.counters();
        Fixtures.await(15_000, () -> c.messagesIn() == 2, c::toString);
        // The count goes up as a message arrives, before its status reaches the listener.
        Fixtures.await(15_000, () -> !statuses.isEmpty(), statuses::toString);
        // Detector data went to the edge's Ingest, status to the edge's listener, health carries the edge's figures.
        assertThat(ingest.calls()).containsExactly(Call.edge(dir.detectorIndex(Fixtures.A0_STOP), t, true));
        assertThat(statuses).containsExactly(s);
        assertThat(c.entriesApplied()).isEqualTo(1);
        Map<String, Long> rejects = new LinkedHashMap<>();
        c.rejects().forEach(rejects::put);
        assertThat(rejects).containsEntry("unknown-detector", 1L).hasSize(RejectReason.values().length);
        assertThat(c.rejects().total()).isEqualTo(1);
        TestClient.Received health = monitor.poll(15_000);
        assertThat(health).isNotNull();
        assertThat(JSON.readTree(health.payload()).get("engine").get("ticks").longValue()).isEqualTo(7);

        port.close();
        assertThat(port.linkState()).isEqualTo(LinkState.CLOSED);
    }

    @Test
    void messagesOnTopicsTheEngineDoesNotReadAreCounted() throws Exception {
        MqttEngineGateway g = gateway(MqttGatewayOptions.builder().healthIntervalMs(0));
        g.messageArrived("greenwave/v1/intersections/A0/plan", new MqttMessage(new byte[0]));
        g.messageArrived("elsewhere", new MqttMessage(new byte[0]));
        g.messageArrived(g.topics().status(Fixtures.A0), new MqttMessage(new byte[0]));
        assertThat(g.counters().rejects(RejectReason.UNKNOWN_TOPIC)).isEqualTo(3);
    }

    private static JsonNode readQuietly(byte[] b) {
        try {
            return JSON.readTree(b);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
