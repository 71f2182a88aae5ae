/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greenwave.adapters.mqtt.DetectorPayloadKind.AGGREGATES;
import static org.greenwave.adapters.mqtt.DetectorPayloadKind.EVENTS;
import static org.greenwave.adapters.mqtt.DetectorPayloadKind.LANE_AREA;
import static org.greenwave.adapters.mqtt.Fixtures.utf8;

import java.util.List;
import org.greenwave.adapters.mqtt.RecordingIngest.Call;
import org.greenwave.core.ingest.DetectorDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written decoder: what it accepts, and the reason for each thing it rejects. */
class DetectorPayloadDecoderTest {

    static final long NOW = 1_700_000_000_000L;
    static final long T = NOW - 1_000;

    final DetectorDirectory dir = Fixtures.directory();
    final RecordingIngest ingest = new RecordingIngest();
    final Fixtures.RecordingListener listener = new Fixtures.RecordingListener();
    DetectorPayloadDecoder decoder;

    final int a0 = dir.intersectionIndex(Fixtures.A0);
    final int stop = dir.detectorIndex(Fixtures.A0_STOP);
    final int adv = dir.detectorIndex(Fixtures.A0_ADV);
    final int cam = dir.detectorIndex(Fixtures.A0_CAM);

    @BeforeEach
    void setUp() {
        decoder = new DetectorPayloadDecoder(dir, new DetectorTracker(dir.detectorCount()), ingest,
                IngestLimits.DEFAULTS.withMaxEntries(8).withMaxPayloadBytes(2048), listener);
    }

    private int decode(DetectorPayloadKind kind, String json) {
        return decode(kind, a0, json);
    }

    private int decode(DetectorPayloadKind kind, int intersection, String json) {
        byte[] b = utf8(json);
        return decoder.decode(kind, intersection, b, 0, b.length, NOW);
    }

    private void assertRejected(RejectReason reason) {
        assertThat(listener.reasons).as("rejections of the message; details %s", listener.details)
                .containsExactly(reason);
        assertThat(ingest.calls()).isEmpty();
    }

    @Test
    void eventsInAnyKeyOrderAndWhitespaceAreApplied() {
        String json = " \t\r\n{ \"events\" : [ {\"on\":true,\"timeMs\":" + T + ",\"detector\":\"A0_n_stop\"} ,\n"
                + "{\"detector\":\"A0_n_adv\",\"on\":false,\"timeMs\":" + (T + 5) + "}] ,\"v\":1 }\n";
        assertThat(decode(EVENTS, json)).isEqualTo(2);
        assertThat(listener.reasons).isEmpty();
        assertThat(ingest.calls()).containsExactly(Call.edge(stop, T, true), Call.edge(adv, T + 5, false));
    }

    @Test
    void aggregatesCarryEveryValueAndOptionalSpeed() {
        String json = "{\"v\":1,\"aggregates\":["
                + "{\"detector\":\"A0_n_stop\",\"endMs\":" + T + ",\"intervalMs\":60000,\"count\":12,"
                + "\"occupancy\":0.25,\"speedMps\":13.9},"
                + "{\"detector\":\"A0_n_adv\",\"endMs\":" + T + ",\"intervalMs\":60000,\"count\":0,"
                + "\"occupancy\":0,\"speedMps\":null},"
                + "{\"detector\":\"A0_n_adv\",\"endMs\":" + (T + 1) + ",\"intervalMs\":1,\"count\":1,"
                + "\"occupancy\":1E0}]}";
        assertThat(decode(AGGREGATES, json)).isEqualTo(3);
        assertThat(ingest.calls()).containsExactly(
                Call.aggregate(stop, T, 60_000, 12, 0.25, 13.9),
                Call.aggregate(adv, T, 60_000, 0, 0.0, -1.0),
                Call.aggregate(adv, T + 1, 1, 1, 1.0, -1.0));
    }

    @Test
    void laneAreaReadings() {
        String json = "{\"readings\":[{\"jamM\":21.5,\"halting\":3,\"vehicles\":5,\"timeMs\":" + T
                + ",\"detector\":\"A0_n_cam\"}],\"v\":1}";
        assertThat(decode(LANE_AREA, json)).isEqualTo(1);
        assertThat(ingest.calls()).containsExactly(Call.laneArea(cam, T, 5, 3, 21.5));
    }

    @Test
    void escapedAndNonAsciiIdsAreMapped() {
        int c2 = dir.intersectionIndex(Fixtures.C2);
        int c2stop = dir.detectorIndex(Fixtures.C2_STOP);
        String raw = "{\"v\":1,\"events\":[{\"detector\":\"Ä2_détecteur\",\"timeMs\":" + T + ",\"on\":true}]}";
        String escaped = "{\"\\u0076\":1,\"events\":[{\"detector\":\"\\u00c42_d\\u00e9tecteur\",\"timeMs\":"
                + (T + 1) + ",\"on\":false}]}";
        assertThat(decode(EVENTS, c2, raw)).isEqualTo(1);
        assertThat(decode(EVENTS, c2, escaped)).isEqualTo(1);
        assertThat(listener.reasons).isEmpty();
        assertThat(ingest.calls()).containsExactly(Call.edge(c2stop, T, true), Call.edge(c2stop, T + 1, false));
    }

    @Test
    void emptyBatchIsValid() {
        assertThat(decode(EVENTS, "{\"v\":1,\"events\":[]}")).isZero();
        assertThat(listener.reasons).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "{\"v\":1,\"events\":[]", "{\"v\":1,\"events\":[]}}", "{\"v\":1,\"events\":[],}",
        "{'v':1,\"events\":[]}", "{\"v\":01,\"events\":[]}", "{\"v\":1.,\"events\":[]}", "{\"v\":-,\"events\":[]}",
        "{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1,\"on\":tru}]}",
        "{\"v\":1,\"events\":[{\"detector\":\"A0\tn\",\"timeMs\":1,\"on\":true}]}",
        "{\"v\":1,\"events\":[{\"detector\":\"A0\\x\",\"timeMs\":1,\"on\":true}]}",
        "{\"v\":1,\"events\":[{\"detector\":\"\\ud800\",\"timeMs\":1,\"on\":true}]}",
        "{\"v\":1,\"v\":1,\"events\":[]}",
        "{\"v\":1,\"events\":[{\"on\":true,\"on\":true,\"detector\":\"A0_n_stop\",\"timeMs\":1}]}",
        "{\"v\":1,\"events\":[]} x", "{\"v\":1 \"events\":[]}", "{\"v\":NaN,\"events\":[]}",
        "{\"v\":1,\"events\":[],\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "// comment\n{\"v\":1,\"events\":[]}",
    })
    void malformed(String json) {
        decode(EVENTS, json);
        assertRejected(RejectReason.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] b = utf8("{\"v\":1,\"events\":[{\"detector\":\"A0_n_stopX\",\"timeMs\":1,\"on\":true}]}");
        int x = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('X');
        for (int bad : new int[] {0x80, 0xC0, 0xC1, 0xF5, 0xFF}) {
            listener.clear();
            b[x] = (byte) bad;
            decoder.decode(EVENTS, a0, b, 0, b.length, NOW);
            assertRejected(RejectReason.MALFORMED_JSON);
        }
        // Encoded surrogate U+D800 (ED A0 80) and an overlong '/' (C0 AF).
        for (String json : new String[] {"{\"v\":1,\"events\":[],\"\u00ed\u00a0\u0080\":1}",
            "{\"v\":1,\"events\":[],\"\u00c0\u00af\":1}"}) {
            listener.clear();
            byte[] latin = json.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            decoder.decode(EVENTS, a0, latin, 0, latin.length, NOW);
            assertRejected(RejectReason.MALFORMED_JSON);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WRONG_TYPE|[1,2]",
        "WRONG_TYPE|\"text\"",
        "WRONG_TYPE|{\"v\":\"1\",\"events\":[]}",
        "WRONG_TYPE|{\"v\":1.5,\"events\":[]}",
        "WRONG_TYPE|{\"v\":1,\"events\":{}}",
        "WRONG_TYPE|{\"v\":1,\"events\":[1]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":7,\"timeMs\":1,\"on\":true}]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":\"1\",\"on\":true}]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1.5,\"on\":true}]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1e3,\"on\":true}]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1,\"on\":1}]}",
        "WRONG_TYPE|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1,\"on\":null}]}",
        "MISSING_FIELD|{}",
        "MISSING_FIELD|{\"events\":[]}",
        "MISSING_FIELD|{\"v\":1}",
        "MISSING_FIELD|{\"v\":1,\"events\":[{\"timeMs\":1,\"on\":true}]}",
        "MISSING_FIELD|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"on\":true}]}",
        "MISSING_FIELD|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1}]}",
        "UNKNOWN_FIELD|{\"v\":1,\"events\":[],\"intersection\":\"A0\"}",
        "UNKNOWN_FIELD|{\"v\":1,\"events\":[{\"detector\":\"A0_n_stop\",\"timeMs\":1,\"on\":true,\"lane\":0}]}",
        "UNKNOWN_FIELD|{\"v\":1,\"aggregates\":[]}",
        "UNSUPPORTED_VERSION|{\"v\":2,\"events\":[]}",
        "UNSUPPORTED_VERSION|{\"foo\":{\"bar\":[1]},\"v\":0}",
        "UNSUPPORTED_VERSION|{\"events\":7,\"v\":99999999999999999999999}",
    })
    void schemaErrorsRejectTheWholeMessage(RejectReason reason, String json) {
        decode(EVENTS, json);
        assertRejected(reason);
        assertThat(listener.entries).containsExactly(-1);
    }

    @Test
    void malformedBeatsVersionAndVersionBeatsSchema() {
        decode(EVENTS, "{\"v\":2,\"events\":[}");
        assertRejected(RejectReason.MALFORMED_JSON);
        listener.clear();
        decode(EVENTS, "{\"x\":1,\"events\":\"no\",\"v\":2}");
        assertRejected(RejectReason.UNSUPPORTED_VERSION);
    }

    @Test
    void oversizePayloadAndOversizeBatch() {
        byte[] big = new byte[2049];
        java.util.Arrays.fill(big, (byte) ' ');
        decoder.decode(EVENTS, a0, big, 0, big.length, NOW);
        assertRejected(RejectReason.OVERSIZE);

        listener.clear();
        StringBuilder sb = new StringBuilder("{\"v\":1,\"events\":[");
        for (int i = 0; i < 9; i++) {
            sb.append(i > 0 ? "," : "").append("{\"detector\":\"A0_n_stop\",\"timeMs\":").append(T + i)
                    .append(",\"on\":true}");
        }
        decode(EVENTS, sb.append("]}").toString());
        assertRejected(RejectReason.OVERSIZE);
    }

    @Test
    void unknownIntersectionIsCheckedBeforeParsing() {
        decode(EVENTS, -1, "not even json");
        assertRejected(RejectReason.UNKNOWN_INTERSECTION);
    }

    @Test
    void entryLevelReasonsRejectOnlyTheirEntry() {
        long old = NOW - 300_001;
        long future = NOW + 10_001;
        String json = "{\"v\":1,\"events\":["
                + ev("A0_n_stop", T, true) + ","       // 0 good
                + ev("nope", T, true) + ","            // 1 unknown detector
                + ev("B1_w_stop", T, true) + ","       // 2 detector of B1
                + ev("A0_n_cam", T, true) + ","        // 3 lane-area detector
                + ev("A0_n_adv", -5, true) + ","       // 4 negative time
                + ev("A0_n_adv", old, true) + ","      // 5 too old
                + ev("A0_n_adv", future, true) + ","   // 6 in the future
                + ev("A0_n_stop", T, true)             // 7 duplicate of 0
                + "]}";
        assertThat(decode(EVENTS, json)).isEqualTo(1);
        assertThat(listener.reasons).containsExactly(RejectReason.UNKNOWN_DETECTOR,
                RejectReason.DETECTOR_NOT_OF_INTERSECTION, RejectReason.WRONG_DETECTOR_KIND,
                RejectReason.VALUE_OUT_OF_RANGE, RejectReason.TIMESTAMP_TOO_OLD, RejectReason.TIMESTAMP_IN_FUTURE,
                RejectReason.DUPLICATE);
        assertThat(listener.entries).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(ingest.calls()).containsExactly(Call.edge(stop, T, true));
    }

    @Test
    void timeWindowEdgesAreInclusive() {
        String json = "{\"v\":1,\"events\":[" + ev("A0_n_stop", NOW - 300_000, true) + ","
                + ev("A0_n_stop", NOW + 10_000, false) + "]}";
        assertThat(decode(EVENTS, json)).isEqualTo(2);
    }

    @Test
    void duplicatesAndOutOfOrderAcrossMessages() {
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", T, true) + "]}");
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", T, true) + "]}");
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", T, false) + "]}");
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", T - 1, true) + "]}");
        assertThat(listener.reasons).containsExactly(RejectReason.DUPLICATE, RejectReason.OUT_OF_ORDER);
        assertThat(ingest.calls()).containsExactly(Call.edge(stop, T, true), Call.edge(stop, T, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|1|0.5|1",
        "60000|-1|0.5|1",
        "60000|10001|0.5|1",
        "60000|1|-0.01|1",
        "60000|1|1.01|1",
        "60000|1|0.5|-1",
        "60000|1|0.5|100.5",
        "3600001|1|0.5|1",
    })
    void aggregateRanges(long intervalMs, long count, double occupancy, double speed) {
        decode(AGGREGATES, "{\"v\":1,\"aggregates\":[{\"detector\":\"A0_n_stop\",\"endMs\":" + T
                + ",\"intervalMs\":" + intervalMs + ",\"count\":" + count + ",\"occupancy\":" + occupancy
                + ",\"speedMps\":" + speed + "}]}");
        assertThat(listener.reasons).containsExactly(RejectReason.VALUE_OUT_OF_RANGE);
        assertThat(listener.entries).containsExactly(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-1|0|0", "1001|0|0", "3|4|0", "3|-1|0", "3|1|-0.5", "3|1|10000.5"})
    void laneAreaRanges(long vehicles, long halting, double jamM) {
        decode(LANE_AREA, "{\"v\":1,\"readings\":[{\"detector\":\"A0_n_cam\",\"timeMs\":" + T
                + ",\"vehicles\":" + vehicles + ",\"halting\":" + halting + ",\"jamM\":" + jamM + "}]}");
        assertThat(listener.reasons).containsExactly(RejectReason.VALUE_OUT_OF_RANGE);
    }

    @Test
    void loopDataForLaneAreaDetectorAndViceVersa() {
        decode(LANE_AREA, "{\"v\":1,\"readings\":[{\"detector\":\"A0_n_stop\",\"timeMs\":" + T
                + ",\"vehicles\":1,\"halting\":0,\"jamM\":0}]}");
        decode(AGGREGATES, "{\"v\":1,\"aggregates\":[{\"detector\":\"A0_e_out\",\"endMs\":" + T
                + ",\"intervalMs\":1000,\"count\":1,\"occupancy\":0.1}]}");
        assertThat(listener.reasons).containsExactly(RejectReason.WRONG_DETECTOR_KIND,
                RejectReason.WRONG_DETECTOR_KIND);
    }

    @Test
    void hugeIntegersSaturateIntoRangeChecks() {
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", 0, true).replace("\"timeMs\":0",
                "\"timeMs\":123456789012345678901234567890") + "]}");
        decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", 0, true).replace("\"timeMs\":0",
                "\"timeMs\":-123456789012345678901234567890") + "]}");
        assertThat(listener.reasons).containsExactly(RejectReason.TIMESTAMP_IN_FUTURE,
                RejectReason.VALUE_OUT_OF_RANGE);
    }

    @Test
    void ingestRefusalIsReportedNotRejected() {
        ingest.refuse(true);
        assertThat(decode(EVENTS, "{\"v\":1,\"events\":[" + ev("A0_n_stop", T, true) + "]}")).isZero();
        assertThat(listener.reasons).isEmpty();
        assertThat(listener.refused).isEqualTo(1);
    }

    @Test
    void decodesASliceOfALargerBuffer() {
        byte[] json = utf8("xx{\"v\":1,\"events\":[" + ev("A0_n_stop", T, true) + "]}yy");
        assertThat(decoder.decode(EVENTS, a0, json, 2, json.length - 4, NOW)).isEqualTo(1);
    }

    @Test
    void numbersParseExactly() {
        List<String> occupancies = List.of("0.1", "0.30000000000000004", "1e-1", "0.00000000000000000000000001",
                "0.123456789012345678901234567890", "1.0E-5", "0E0", "-0.0");
        long t = T;
        for (String o : occupancies) {
            decode(AGGREGATES, "{\"v\":1,\"aggregates\":[{\"detector\":\"A0_n_stop\",\"endMs\":" + (t++)
                    + ",\"intervalMs\":1000,\"count\":1,\"occupancy\":" + o + "}]}");
        }
        assertThat(listener.reasons).isEmpty();
        assertThat(ingest.calls()).extracting(Call::occupancy)
                .containsExactlyElementsOf(occupancies.stream().map(Double::parseDouble).toList());
    }

    private static String ev(String detector, long t, boolean on) {
        return "{\"detector\":\"" + detector + "\",\"timeMs\":" + t + ",\"on\":" + on + "}";
    }
}
