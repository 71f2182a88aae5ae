/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.greenwave.adapters.mqtt.GatewayCounters.Counter;
import org.greenwave.adapters.mqtt.RecordingIngest.Call;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.time.Clock;
import org.greenwave.testsupport.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through a real Mosquitto: 5,000 good detector messages interleaved with 10,500 bad ones, 700 of every reason a
 * broker can route to the gateway, each crafted to fail exactly one check. Every good entry must reach Ingest exactly
 * once and in order, and every bad message must be counted once under its own reason. ({@link
 * RejectReason#UNKNOWN_TOPIC} cannot arrive through the gateway's subscriptions; {@link AbstractGatewayIT} covers it.)
 */
class BadInputCorpusIT {

    static final int GOOD = 5_000;
    static final int BAD_PER_REASON = 700;
    static final int MAX_PAYLOAD = 4096;
    static final int MAX_ENTRIES = 16;

    static MosquittoBroker broker;

    final DetectorDirectory dir = Fixtures.directory();
    final Clock clock = Fixtures.wallClock();
    final Topics topics = Topics.defaults();
    final Random rnd = new Random(20_240_611);

    /** One message to publish, and what it must do. */
    record Message(String topic, byte[] payload, RejectReason expected, List<Call> calls) {
    }

    /** An entry as key to raw JSON value, so generators can drop, retype or add fields. */
    record Entry(DetectorPayloadKind kind, Map<String, String> fields) {
        Entry copy() {
            return new Entry(kind, new LinkedHashMap<>(fields));
        }
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = MosquittoBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyGoodEntryOnceAndEveryBadMessageUnderItsReason() throws Exception {
        List<Message> corpus = corpus(clock.nowMs());
        RecordingIngest ingest = new RecordingIngest();
        List<Call> expectedCalls = new ArrayList<>();
        Map<RejectReason, Long> expectedRejects = new EnumMap<>(RejectReason.class);
        for (Message m : corpus) {
            expectedCalls.addAll(m.calls());
            if (m.expected() != null) {
                expectedRejects.merge(m.expected(), 1L, Long::sum);
            }
        }
        long bad = expectedRejects.values().stream().mapToLong(Long::longValue).sum();
        assertThat(bad).isGreaterThanOrEqualTo(10_000);

        try (MqttEngineGateway g = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(broker.url())
                .engineId("corpus").healthIntervalMs(0)
                .limits(IngestLimits.DEFAULTS.withMaxPayloadBytes(MAX_PAYLOAD).withMaxEntries(MAX_ENTRIES))
                .build(), dir, ingest, clock);
             TestClient field = new TestClient(broker.url())) {
            assertThat(g.awaitConnected(15_000)).isTrue();
            for (Message m : corpus) {
                field.publish(m.topic(), m.payload(), 1);
            }
            field.flush();
            Fixtures.await(60_000, () -> g.counters().get(Counter.MESSAGES_IN) >= corpus.size(),
                    () -> "messages in " + g.counters().get(Counter.MESSAGES_IN) + " of " + corpus.size());

            GatewayCounters c = g.counters();
            assertThat(c.get(Counter.MESSAGES_IN)).isEqualTo(corpus.size());
            assertThat(c.get(Counter.INTERNAL_ERRORS)).isZero();
            assertThat(c.get(Counter.INGEST_REFUSED)).isZero();
            for (RejectReason r : RejectReason.values()) {
                assertThat(c.rejects(r)).as("rejects for %s", r).isEqualTo(expectedRejects.getOrDefault(r, 0L));
            }
            assertThat(c.rejectsTotal()).isEqualTo(bad);
            assertThat(c.get(Counter.ENTRIES_APPLIED)).isEqualTo(expectedCalls.size());
            // One publisher, QoS 1: the broker keeps its order, so Ingest sees the good entries in publish order.
            assertThat(ingest.calls()).containsExactlyElementsOf(expectedCalls);
        }
    }

    // ---------------------------------------------------------------- the corpus

    private List<Message> corpus(long nowMs) {
        long[][] last = new long[3][dir.detectorCount()];
        for (long[] l : last) {
            java.util.Arrays.fill(l, nowMs - 120_000);
        }
        List<List<Message>> goodWithFollowers = new ArrayList<>();
        int duplicates = 0;
        int outOfOrder = 0;
        for (int i = 0; i < GOOD; i++) {
            List<Message> group = new ArrayList<>();
            Object[] good = goodMessage(last);
            group.add((Message) good[0]);
            Entry lastEntry = (Entry) good[1];
            String topic = ((Message) good[0]).topic();
            if (duplicates < BAD_PER_REASON && rnd.nextInt(GOOD - i) < BAD_PER_REASON - duplicates) {
                group.add(message(topic, List.of(lastEntry.copy()), RejectReason.DUPLICATE));
                duplicates++;
            }
            if (outOfOrder < BAD_PER_REASON && rnd.nextInt(GOOD - i) < BAD_PER_REASON - outOfOrder) {
                Entry older = lastEntry.copy();
                String timeKey = lastEntry.kind() == DetectorPayloadKind.AGGREGATES ? "endMs" : "timeMs";
                older.fields().put(timeKey, Long.toString(Long.parseLong(lastEntry.fields().get(timeKey)) - 1));
                group.add(message(topic, List.of(older), RejectReason.OUT_OF_ORDER));
                outOfOrder++;
            }
            goodWithFollowers.add(group);
        }
        List<Message> independent = new ArrayList<>();
        for (RejectReason reason : RejectReason.values()) {
            if (reason == RejectReason.DUPLICATE || reason == RejectReason.OUT_OF_ORDER
                    || reason == RejectReason.UNKNOWN_TOPIC) {
                continue;
            }
            for (int k = 0; k < BAD_PER_REASON; k++) {
                independent.add(bad(reason, k, nowMs));
            }
        }
        // Bad messages change no detector state, so they may go anywhere between the good ones.
        Collections.shuffle(independent, rnd);
        List<Message> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < goodWithFollowers.size(); i++) {
            int share = (independent.size() - next) / (goodWithFollowers.size() - i);
            share = rnd.nextInt(2 * share + 1);
            for (int k = 0; k < share && next < independent.size(); k++) {
                out.add(independent.get(next++));
            }
            out.addAll(goodWithFollowers.get(i));
        }
        out.addAll(independent.subList(next, independent.size()));
        return out;
    }

    /** A valid message of 1 to 3 entries with new times; returns it and its last entry. */
    private Object[] goodMessage(long[][] last) {
        DetectorPayloadKind kind = DetectorPayloadKind.values()[rnd.nextInt(3)];
        int ix = kind == DetectorPayloadKind.LANE_AREA ? rnd.nextInt(2) : rnd.nextInt(3);
        List<String> ids = (kind == DetectorPayloadKind.LANE_AREA ? Fixtures.AREAS : Fixtures.LOOPS).get(ix);
        List<Entry> entries = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int e = 0; e < n; e++) {
            String id = ids.get(rnd.nextInt(ids.size()));
            int d = dir.detectorIndex(id);
            long t = last[kind.ordinal()][d] += 1 + rnd.nextInt(20);
            Entry entry = validEntry(kind, id, t);
            entries.add(entry);
            calls.add(call(d, entry));
        }
        Message m = new Message(topics.detectors(dir.intersectionId(ix), kind), render(kind, entries, "1"), null,
                calls);
        return new Object[] {m, entries.get(entries.size() - 1)};
    }

    private Entry validEntry(DetectorPayloadKind kind, String id, long t) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("detector", quote(id));
        switch (kind) {
            case EVENTS -> {
                f.put("timeMs", Long.toString(t));
                f.put("on", Boolean.toString(rnd.nextBoolean()));
            }
            case AGGREGATES -> {
                f.put("endMs", Long.toString(t));
                f.put("intervalMs", Integer.toString(1 + rnd.nextInt(300_000)));
                f.put("count", Integer.toString(rnd.nextInt(60)));
                f.put("occupancy", Double.toString(rnd.nextInt(1001) / 1000.0));
                switch (rnd.nextInt(3)) {
                    case 0 -> f.put("speedMps", Double.toString(rnd.nextInt(4000) / 100.0));
                    case 1 -> f.put("speedMps", "null");
                    default -> {
                        // Absent: unknown speed.
                    }
                }
            }
            case LANE_AREA -> {
                int vehicles = rnd.nextInt(40);
                f.put("timeMs", Long.toString(t));
                f.put("vehicles", Integer.toString(vehicles));
                f.put("halting", Integer.toString(rnd.nextInt(vehicles + 1)));
                f.put("jamM", Double.toString(rnd.nextInt(30_000) / 100.0));
            }
        }
        return new Entry(kind, f);
    }

    private static Call call(int d, Entry e) {
        Map<String, String> f = e.fields();
        return switch (e.kind()) {
            case EVENTS -> Call.edge(d, Long.parseLong(f.get("timeMs")), Boolean.parseBoolean(f.get("on")));
            case AGGREGATES -> Call.aggregate(d, Long.parseLong(f.get("endMs")), Integer.parseInt(f.get("intervalMs")),
                    Integer.parseInt(f.get("count")), Double.parseDouble(f.get("occupancy")),
                    f.get("speedMps") == null || f.get("speedMps").equals("null") ? -1.0
                            : Double.parseDouble(f.get("speedMps")));
            case LANE_AREA -> Call.laneArea(d, Long.parseLong(f.get("timeMs")), Integer.parseInt(f.get("vehicles")),
                    Integer.parseInt(f.get("halting")), Double.parseDouble(f.get("jamM")));
        };
    }

    /** The {@code k}-th bad message for {@code reason}; variants rotate with {@code k}. */
    private Message bad(RejectReason reason, int k, long nowMs) {
        DetectorPayloadKind kind = DetectorPayloadKind.values()[k % 3];
        String loop = Fixtures.A0_STOP;
        String id = kind == DetectorPayloadKind.LANE_AREA ? Fixtures.A0_CAM : loop;
        String topic = topics.detectors(Fixtures.A0, kind);
        long t = nowMs - 30_000 - k;
        Entry e = validEntry(kind, id, t);
        String timeKey = kind == DetectorPayloadKind.AGGREGATES ? "endMs" : "timeMs";
        int variant = (k / 3) % 6;
        switch (reason) {
            case OVERSIZE -> {
                if (variant % 2 == 0) {
                    byte[] p = render(kind, List.of(e), "1");
                    byte[] padded = new byte[MAX_PAYLOAD + 1 + rnd.nextInt(1000)];
                    java.util.Arrays.fill(padded, (byte) ' ');
                    System.arraycopy(p, 0, padded, 0, p.length);
                    return new Message(topic, padded, reason, List.of());
                }
                List<Entry> many = new ArrayList<>();
                for (int i = 0; i <= MAX_ENTRIES + rnd.nextInt(3); i++) {
                    many.add(validEntry(kind, id, t + i));
                }
                return message(topic, many, reason);
            }
            case UNKNOWN_INTERSECTION -> {
                return message(topics.detectors("X" + k, kind), List.of(e), reason);
            }
            case MALFORMED_JSON -> {
                byte[] p = render(kind, List.of(e), "1");
                byte[] out = switch (variant) {
                    // Cut before the closing brace: trailing whitespace alone would leave valid JSON.
                    case 0 -> java.util.Arrays.copyOf(p, rnd.nextInt(Fixtures.text(p).lastIndexOf('}') + 1));
                    case 1 -> Fixtures.utf8(Fixtures.text(p) + (rnd.nextBoolean() ? "x" : ",{}"));
                    case 2 -> Fixtures.utf8(Fixtures.text(p).replaceFirst(":", ""));
                    case 3 -> Fixtures.utf8(Fixtures.text(p).replace("A0_", "A0\n"));
                    case 4 -> Fixtures.utf8("{\"v\":1," + Fixtures.text(p).substring(1));
                    default -> {
                        byte[] q = p.clone();
                        q[Fixtures.text(p).indexOf("A0_") + 1] = (byte) 0xC0;
                        yield q;
                    }
                };
                return new Message(topic, out, reason, List.of());
            }
            case UNSUPPORTED_VERSION -> {
                return new Message(topic, render(kind, List.of(e), Integer.toString(variant == 0 ? 0 : 1 + variant)),
                        reason, List.of());
            }
            case WRONG_TYPE -> {
                switch (variant) {
                    case 0 -> e.fields().put(timeKey, quote(Long.toString(t)));
                    case 1 -> e.fields().put("detector", "17");
                    case 2 -> e.fields().put(timeKey, t + ".5");
                    case 3 -> {
                        return new Message(topic, Fixtures.utf8("{\"v\":1,\"" + kind.batchKey() + "\":{}}"), reason,
                                List.of());
                    }
                    case 4 -> {
                        return new Message(topic, Fixtures.utf8("[" + Fixtures.text(render(kind, List.of(e), "1"))
                                + "]"), reason, List.of());
                    }
                    default -> e.fields().put("detector", "[\"" + id + "\"]");
                }
                return message(topic, List.of(e), reason);
            }
            case MISSING_FIELD -> {
                List<String> keys = new ArrayList<>(e.fields().keySet());
                keys.remove("speedMps");
                if (variant == 0) {
                    return new Message(topic, Fixtures.utf8("{\"" + kind.batchKey() + "\":[]}"), reason, List.of());
                }
                e.fields().remove(keys.get(rnd.nextInt(keys.size())));
                return message(topic, List.of(e), reason);
            }
            case UNKNOWN_FIELD -> {
                if (variant % 2 == 0) {
                    return new Message(topic, Fixtures.utf8("{\"v\":1,\"" + kind.batchKey() + "\":["
                            + renderEntry(e) + "],\"source\":\"cam-7\"}"), reason, List.of());
                }
                e.fields().put("quality", "0.9");
                return message(topic, List.of(e), reason);
            }
            case UNKNOWN_DETECTOR -> e.fields().put("detector", quote("ghost-" + k));
            case DETECTOR_NOT_OF_INTERSECTION -> e.fields().put("detector",
                    quote(kind == DetectorPayloadKind.LANE_AREA ? Fixtures.B1_CAM : Fixtures.B1_STOP));
            case WRONG_DETECTOR_KIND -> {
                Entry swapped = validEntry(kind, kind == DetectorPayloadKind.LANE_AREA ? Fixtures.A0_ADV
                        : Fixtures.A0_OUT, t);
                return message(topic, List.of(swapped), reason);
            }
            case VALUE_OUT_OF_RANGE -> {
                switch (kind) {
                    case EVENTS -> e.fields().put("timeMs", Long.toString(-1 - k));
                    case AGGREGATES -> {
                        switch (variant % 4) {
                            case 0 -> e.fields().put("occupancy", "1.5");
                            case 1 -> e.fields().put("count", "-3");
                            case 2 -> e.fields().put("speedMps", "150.0");
                            default -> e.fields().put("intervalMs", "0");
                        }
                    }
                    case LANE_AREA -> {
                        switch (variant % 3) {
                            case 0 -> e.fields().put("jamM", "-1");
                            case 1 -> {
                                e.fields().put("vehicles", "2");
                                e.fields().put("halting", "3");
                            }
                            default -> e.fields().put("vehicles", "5000");
                        }
                    }
                }
            }
            case TIMESTAMP_TOO_OLD -> e.fields().put(timeKey, Long.toString(nowMs - 400_000 - k));
            case TIMESTAMP_IN_FUTURE -> e.fields().put(timeKey, Long.toString(nowMs + 3_600_000 + k));
            default -> throw new IllegalArgumentException(reason.toString());
        }
        return message(topic, List.of(e), reason);
    }

    private Message message(String topic, List<Entry> entries, RejectReason reason) {
        return new Message(topic, render(entries.get(0).kind(), entries, "1"), reason, List.of());
    }

    // ---------------------------------------------------------------- rendering: any key order, any whitespace

    private byte[] render(DetectorPayloadKind kind, List<Entry> entries, String version) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            batch.append(i > 0 ? "," : "").append(ws()).append(renderEntry(entries.get(i))).append(ws());
        }
        batch.append("]");
        Map<String, String> top = new LinkedHashMap<>();
        top.put("v", version);
        top.put(kind.batchKey(), batch.toString());
        return renderObject(top).getBytes(StandardCharsets.UTF_8);
    }

    private String renderEntry(Entry e) {
        return renderObject(e.fields());
    }

    private String renderObject(Map<String, String> fields) {
        List<Map.Entry<String, String>> list = new ArrayList<>(fields.entrySet());
        Collections.shuffle(list, rnd);
        StringBuilder sb = new StringBuilder(ws()).append('{');
        for (int i = 0; i < list.size(); i++) {
            sb.append(i > 0 ? "," : "").append(ws()).append(quote(list.get(i).getKey())).append(ws()).append(':')
                    .append(ws()).append(list.get(i).getValue()).append(ws());
        }
        return sb.append('}').append(ws()).toString();
    }

    private String ws() {
        return rnd.nextInt(4) == 0 ? " \n\t\r".substring(rnd.nextInt(4)) : "";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
