/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.greenwave.adapters.mqtt.RecordingIngest.Call;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.port.ControllerStatus;

/**
 * Round trips through every codec, and the decoders' promise never to throw: random mutations and truncations of
 * valid payloads are rejected with a reason, and Jackson agrees with the hand-written scanner on what is JSON.
 */
class MqttCodecPropertiesTest {

    static final long NOW = 1_700_000_000_000L;
    static final DetectorDirectory DIR = Fixtures.directory();

    /** One generated detector entry of any kind; fields a kind does not use are ignored. */
    record Entry(int intersection, int detectorPick, int deltaMs, boolean on, int intervalMs, int count,
                 double occupancy, double speedMps, int vehicles, int halting, double jamM) {
    }

    /** A generated batch: one kind, one intersection, entries in time order. */
    record Batch(DetectorPayloadKind kind, int intersection, List<Entry> entries) {
    }

    record Mutation(int op, double at, int value) {
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Batch> batches() {
        Arbitrary<DetectorPayloadKind> kinds = Arbitraries.of(DetectorPayloadKind.class);
        return kinds.flatMap(kind -> {
            Arbitrary<Integer> intersections = kind == DetectorPayloadKind.LANE_AREA
                    ? Arbitraries.of(0, 1) : Arbitraries.integers().between(0, 2);
            return intersections.flatMap(ix -> entries().list().ofMaxSize(12)
                    .map(list -> new Batch(kind, ix, list)));
        });
    }

    private Arbitrary<Entry> entries() {
        Arbitrary<Double> unit = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1).ofScale(3),
                Arbitraries.doubles().between(0, 1).ofScale(17),
                Arbitraries.of(0.0, 1.0, Double.MIN_VALUE, Math.nextDown(1.0), 0.1, 1.0 / 3));
        Arbitrary<Double> speed = Arbitraries.oneOf(Arbitraries.just(-1.0),
                Arbitraries.doubles().between(0, 100).ofScale(6), Arbitraries.of(0.0, 100.0, 13.888888888888889));
        Arbitrary<Double> jam = Arbitraries.oneOf(Arbitraries.doubles().between(0, 10_000).ofScale(2),
                Arbitraries.doubles().between(0, 10_000).ofScale(15), Arbitraries.of(0.0, 10_000.0));
        Arbitrary<Integer> vehicles = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(1, 5000),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 3_600_000),
                Arbitraries.integers().between(0, 10_000),
                unit, speed,
                vehicles.flatMap(v -> Arbitraries.integers().between(0, v).map(h -> new int[] {v, h})))
                .flatAs((pick, delta, on, interval, count, occ, spd, vh) -> jam.map(j ->
                        new Entry(0, pick, delta, on, interval, count, occ, spd, vh[0], vh[1], j)));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers().between(0, 255),
                Arbitraries.of((int) '{', (int) '}', (int) '[', (int) ']', (int) '"', (int) ',', (int) ':',
                        (int) '\\', (int) '0', (int) '-', (int) '.', (int) 'e', (int) ' ', (int) 't', (int) 'n',
                        0x80, 0xC3, 0x00, 0x1F));
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                values).as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<TimingPlan> plans() {
        Arbitrary<Character> signal = Arbitraries.of('r', 'y', 'G', 'g', 'o', 'O', 's', 'u');
        return Arbitraries.integers().between(1, 40).flatMap(links -> {
            Arbitrary<char[]> state = signal.array(char[].class).ofSize(links);
            Arbitrary<List<Object[]>> entries = Combinators.combine(state,
                    Arbitraries.doubles().between(0, 600).ofScale(4))
                    .as((s, d) -> new Object[] {s, d}).list().ofMinSize(1).ofMaxSize(TimingPlan.MAX_ENTRIES);
            Arbitrary<String> program = Arbitraries.strings().alpha().numeric()
                    .withChars("-_ äé\"\\\n€".toCharArray()).ofMaxLength(20).injectNull(0.7)
                    .filter(p -> p == null || !p.isEmpty());
            return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 1L << 40),
                    Arbitraries.longs().between(0, 1L << 45), Arbitraries.longs().between(0, 3_600_000), program,
                    entries).as((ix, seq, issued, life, prog, list) -> {
                        TimingPlan p = new TimingPlan(ix, DIR.intersectionId(ix), links);
                        p.begin(seq, issued, issued + life, prog);
                        if (prog == null) {
                            for (Object[] e : list) {
                                p.add((char[]) e[0], (Double) e[1]);
                            }
                        }
                        return p;
                    });
        });
    }

    @Provide
    Arbitrary<ControllerStatus> statuses() {
        return Combinators.combine(Arbitraries.of(Fixtures.A0, Fixtures.B1, Fixtures.C2),
                Arbitraries.longs().between(0, 1L << 45), Arbitraries.integers().between(-1, 64),
                Arbitraries.of('r', 'y', 'G', 'g', 'u').array(char[].class).ofMinSize(1).ofMaxSize(30)
                        .map(String::new),
                Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.strings().alpha().numeric().withChars("-_ äé".toCharArray()).ofMaxLength(10)
                        .injectNull(0.5),
                Arbitraries.longs().between(-1, 1L << 40))
                .as(ControllerStatus::new);
    }

    // ---------------------------------------------------------------- detector payloads

    /** The payload of a batch, and the Ingest calls it must produce. */
    private static Object[] encode(Batch b) {
        DetectorPayloadEncoder enc = new DetectorPayloadEncoder().begin(b.kind());
        List<Call> expected = new ArrayList<>();
        long t = NOW - 200_000;
        List<String> ids = (b.kind() == DetectorPayloadKind.LANE_AREA ? Fixtures.AREAS : Fixtures.LOOPS)
                .get(b.intersection());
        for (Entry e : b.entries()) {
            t += e.deltaMs();
            String id = ids.get(e.detectorPick() % ids.size());
            int d = DIR.detectorIndex(id);
            switch (b.kind()) {
                case EVENTS -> {
                    enc.event(id, t, e.on());
                    expected.add(Call.edge(d, t, e.on()));
                }
                case AGGREGATES -> {
                    enc.aggregate(id, t, e.intervalMs(), e.count(), e.occupancy(), e.speedMps());
                    expected.add(Call.aggregate(d, t, e.intervalMs(), e.count(), e.occupancy(), e.speedMps()));
                }
                case LANE_AREA -> {
                    enc.laneArea(id, t, e.vehicles(), e.halting(), e.jamM());
                    expected.add(Call.laneArea(d, t, e.vehicles(), e.halting(), e.jamM()));
                }
            }
        }
        return new Object[] {enc.finish(), expected};
    }

    private static final class Harness {
        final RecordingIngest ingest = new RecordingIngest();
        final Fixtures.RecordingListener listener = new Fixtures.RecordingListener();
        final DetectorPayloadDecoder decoder = new DetectorPayloadDecoder(DIR, new DetectorTracker(DIR.detectorCount()),
                ingest, IngestLimits.DEFAULTS, listener);

        int decode(Batch b, byte[] payload) {
            return decoder.decode(b.kind(), b.intersection(), payload, 0, payload.length, NOW);
        }
    }

    @SuppressWarnings("unchecked")
    @Property
    void detectorPayloadsRoundTrip(@ForAll("batches") Batch batch) {
        Object[] enc = encode(batch);
        Harness h = new Harness();
        int applied = h.decode(batch, (byte[]) enc[0]);
        assertThat(h.listener.reasons).as(Fixtures.text((byte[]) enc[0])).isEmpty();
        assertThat(h.ingest.calls()).containsExactlyElementsOf((List<Call>) enc[1]);
        assertThat(applied).isEqualTo(batch.entries().size());
    }

    @SuppressWarnings("unchecked")
    @Property
    void anyKeyOrderAndWhitespaceDecodeTheSame(@ForAll("batches") Batch batch, @ForAll long seed) throws IOException {
        Object[] enc = encode(batch);
        String reformatted = reformat(LENIENT.readTree((byte[]) enc[0]), new Random(seed));
        Harness h = new Harness();
        h.decode(batch, Fixtures.utf8(reformatted));
        assertThat(h.listener.reasons).as(reformatted).isEmpty();
        assertThat(h.ingest.calls()).containsExactlyElementsOf((List<Call>) enc[1]);
    }

    @Property(tries = 2000)
    void mutatedPayloadsAreRejectedWithAReasonNeverAnException(@ForAll("batches") Batch batch,
                                                               @ForAll("mutations") List<Mutation> mutations) {
        byte[] payload = mutate((byte[]) encode(batch)[0], mutations);
        Harness h = new Harness();
        h.decode(batch, payload);
        checkAccounting(batch, payload, h);
    }

    @Property(tries = 300)
    void randomBytesAreRejectedWithAReason(@ForAll @Size(max = 300) byte[] payload) {
        Batch batch = new Batch(DetectorPayloadKind.EVENTS, 0, List.of());
        Harness h = new Harness();
        h.decode(batch, payload);
        checkAccounting(batch, payload, h);
    }

    @Property(tries = 200)
    void everyTruncationIsMalformed(@ForAll("batches") Batch batch) {
        byte[] full = (byte[]) encode(batch)[0];
        Harness h = new Harness();
        for (int len = 0; len < full.length; len++) {
            h.listener.clear();
            h.decoder.decode(batch.kind(), batch.intersection(), full, 0, len, NOW);
            assertThat(h.listener.reasons).as("prefix of %d bytes", len).containsExactly(RejectReason.MALFORMED_JSON);
        }
        assertThat(h.ingest.calls()).isEmpty();
    }

    /**
     * Whatever the decoder made of a payload: exactly one message-level rejection and nothing applied, or every entry
     * of the batch either applied or rejected on its own. Jackson is the oracle for what is JSON.
     */
    private static void checkAccounting(Batch batch, byte[] payload, Harness h) {
        List<RejectReason> reasons = h.listener.reasons;
        boolean messageRejected = reasons.stream().anyMatch(RejectReason::messageLevel);
        boolean jacksonFails = fails(LENIENT, payload);
        String shown = Fixtures.text(payload);
        if (messageRejected) {
            assertThat(reasons).as(shown).hasSize(1);
            assertThat(h.ingest.calls()).isEmpty();
        }
        if (jacksonFails) {
            assertThat(reasons).as("Jackson rejects %s", shown).containsExactly(RejectReason.MALFORMED_JSON);
        }
        if (!isUtf8(payload)) {
            // JSON text is UTF-8. Jackson does not check that in object keys, nor for encoded surrogates; we do.
            assertThat(reasons).as("not UTF-8: %s", shown).containsExactly(RejectReason.MALFORMED_JSON);
        } else if (reasons.contains(RejectReason.MALFORMED_JSON) && !hasSurrogateEscape(payload)) {
            assertThat(fails(STRICT, payload)).as("Jackson accepts %s; we said %s", shown, h.listener.details)
                    .isTrue();
        }
        if (!messageRejected) {
            JsonNode root = readOrNull(payload);
            assertThat(root).as(shown).isNotNull();
            int entries = root.get(batch.kind().batchKey()).size();
            assertThat(h.ingest.size() + reasons.size() + h.listener.refused).as(shown).isEqualTo(entries);
        }
    }

    /** Strict UTF-8, as RFC 8259 requires: no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
    private static boolean isUtf8(byte[] b) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Jackson accepts unpaired surrogate escapes such as {@code \ud800}; the scanner does not. */
    private static boolean hasSurrogateEscape(byte[] b) {
        String s = Fixtures.text(b).toLowerCase(java.util.Locale.ROOT);
        return s.contains("\\ud8") || s.contains("\\ud9") || s.contains("\\uda") || s.contains("\\udb")
                || s.contains("\\udc") || s.contains("\\udd") || s.contains("\\ude") || s.contains("\\udf");
    }

    private static byte[] mutate(byte[] in, List<Mutation> mutations) {
        List<Byte> b = new ArrayList<>();
        for (byte x : in) {
            b.add(x);
        }
        for (Mutation m : mutations) {
            int at = (int) (m.at() * b.size());
            int pos = Math.min(at, Math.max(0, b.size() - 1));
            switch (m.op()) {
                case 0 -> {
                    if (!b.isEmpty()) {
                        b.set(pos, (byte) m.value());
                    }
                }
                case 1 -> b.add(Math.min(at, b.size()), (byte) m.value());
                case 2 -> {
                    if (!b.isEmpty()) {
                        b.remove(pos);
                    }
                }
                case 3 -> b.subList(Math.min(at, b.size()), b.size()).clear();
                default -> {
                    int end = Math.min(b.size(), pos + (m.value() & 0x1F));
                    b.addAll(pos, new ArrayList<>(b.subList(pos, end)));
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- Jackson as the oracle

    static final ObjectMapper LENIENT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static boolean fails(ObjectMapper mapper, byte[] payload) {
        try {
            JsonNode n = readTree(mapper, payload);
            return n == null || n.isMissingNode();
        } catch (IOException e) {
            return true;
        }
    }

    private static JsonNode readOrNull(byte[] payload) {
        try {
            return readTree(STRICT, payload);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Jackson reading the payload as UTF-8 text, the only encoding JSON between systems may use (RFC 8259). From
     * bytes Jackson would guess the encoding: NUL bytes make it read {@code 00 22 00 22} as UTF-16 {@code ""}.
     */
    private static JsonNode readTree(ObjectMapper mapper, byte[] payload) throws IOException {
        if (!isUtf8(payload)) {
            return mapper.readTree(payload);
        }
        return mapper.readTree(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes {@code node} back with shuffled keys and random JSON whitespace. */
    private static String reformat(JsonNode node, Random rnd) {
        StringBuilder sb = new StringBuilder();
        write(node, rnd, sb);
        ws(rnd, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, Random rnd, StringBuilder sb) {
        ws(rnd, sb);
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            Collections.shuffle(fields, rnd);
            sb.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                ws(rnd, sb);
                sb.append(quote(fields.get(i).getKey()));
                ws(rnd, sb);
                sb.append(':');
                write(fields.get(i).getValue(), rnd, sb);
                ws(rnd, sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(node.get(i), rnd, sb);
                ws(rnd, sb);
            }
            sb.append(']');
        } else if (node.isTextual()) {
            sb.append(quote(node.textValue()));
        } else {
            sb.append(node.toString());
        }
    }

    private static String quote(String s) {
        try {
            return LENIENT.writeValueAsString(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void ws(Random rnd, StringBuilder sb) {
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append(" \t\r\n".charAt(rnd.nextInt(4)));
        }
    }

    // ---------------------------------------------------------------- plans, status, health

    @Property
    void plansRoundTrip(@ForAll("plans") TimingPlan plan) {
        PlanEncoder enc = new PlanEncoder();
        enc.encode(plan);
        DecodeResult<PlanMessage> r = PlanDecoder.decode(plan.intersectionId(), enc.toByteArray());
        assertThat(r.isOk()).as("%s: %s", r.reason(), r.detail()).isTrue();
        PlanMessage m = r.value();
        assertThat(m.intersectionId()).isEqualTo(plan.intersectionId());
        assertThat(m.sequence()).isEqualTo(plan.sequence());
        assertThat(m.issuedAtMs()).isEqualTo(plan.issuedAtMs());
        assertThat(m.expiresAtMs()).isEqualTo(plan.expiresAtMs());
        assertThat(m.deviceProgram()).isEqualTo(plan.deviceProgram());
        assertThat(m.entries()).hasSize(plan.entryCount());
        char[] state = new char[plan.linkCount()];
        for (int e = 0; e < plan.entryCount(); e++) {
            plan.copyEntryState(e, state);
            assertThat(m.entries().get(e).state()).isEqualTo(new String(state));
            assertThat(m.entries().get(e).durationMs()).isEqualTo(Math.round(plan.entryDurationS(e) * 1000));
        }
    }

    @Property(tries = 1000)
    void mutatedPlansAreRejectedWithAReasonNeverAnException(@ForAll("plans") TimingPlan plan,
                                                            @ForAll("mutations") List<Mutation> mutations) {
        PlanEncoder enc = new PlanEncoder();
        enc.encode(plan);
        byte[] payload = mutate(enc.toByteArray(), mutations);
        DecodeResult<PlanMessage> r = PlanDecoder.decode(plan.intersectionId(), payload);
        assertThat(r.isOk() || (r.reason() != null && r.detail() != null)).isTrue();
        if (fails(LENIENT, payload)) {
            assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        }
    }

    @Property
    void statusRoundTrips(@ForAll("statuses") ControllerStatus status) {
        byte[] payload = new StatusEncoder().encode(status);
        DecodeResult<ControllerStatus> r = StatusDecoder.decode(status.intersectionId(), payload);
        assertThat(r.isOk()).as("%s: %s", r.reason(), r.detail()).isTrue();
        assertThat(r.value()).isEqualTo(status);
    }

    @Property(tries = 1000)
    void mutatedStatusIsRejectedWithAReasonNeverAnException(@ForAll("statuses") ControllerStatus status,
                                                            @ForAll("mutations") List<Mutation> mutations) {
        byte[] payload = mutate(new StatusEncoder().encode(status), mutations);
        DecodeResult<ControllerStatus> r = StatusDecoder.decode(status.intersectionId(), payload);
        assertThat(r.isOk() || r.reason() != null).isTrue();
    }

    @Property(tries = 50)
    void healthIsJsonWithEveryCounter(@ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.constraints.LongRange(
            min = 0, max = Long.MAX_VALUE / 2) Long> values) throws IOException {
        GatewayCounters c = new GatewayCounters();
        for (GatewayCounters.Counter counter : GatewayCounters.Counter.values()) {
            c.add(counter, values.get(counter.ordinal() % values.size()));
        }
        c.reject(RejectReason.DUPLICATE);
        byte[] payload = new HealthEncoder().online(NOW, NOW - 5, c, sink -> {
            sink.counter("ticks", values.get(0));
            sink.counter("with \"quote\"", 1);
        });
        JsonNode root = STRICT.readTree(payload);
        assertThat(root.get("online").booleanValue()).isTrue();
        for (GatewayCounters.Counter counter : GatewayCounters.Counter.values()) {
            assertThat(root.get("mqtt").get(counter.code()).longValue()).isEqualTo(c.get(counter));
        }
        assertThat(root.get("rejects").get("duplicate").longValue()).isEqualTo(1);
        assertThat(root.get("engine").get("ticks").longValue()).isEqualTo(values.get(0));
        assertThat(root.get("engine").get("with \"quote\"").longValue()).isEqualTo(1);
        assertThat(STRICT.readTree(new HealthEncoder().offline(NOW)).get("online").booleanValue()).isFalse();
        assertThat(STRICT.readTree(HealthEncoder.will()).get("online").booleanValue()).isFalse();
    }
}
