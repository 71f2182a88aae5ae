/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Rejections are all counted but logged at most once per reason per interval, on a clock the test moves. */
class RejectLogTest {

    /** Records lines; optionally throws to prove a broken logger cannot hurt. */
    static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();
        boolean explode;

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            record(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            record(format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            record(msgSupplier.get());
        }

        private void record(String line) {
            if (explode) {
                throw new IllegalStateException("logger broken");
            }
            lines.add(line);
        }
    }

    @Test
    void oneLinePerReasonPerIntervalWithSuppressedCounts() {
        GatewayCounters counters = new GatewayCounters();
        RecordingLogger logger = new RecordingLogger();
        AtomicLong nowNs = new AtomicLong(-5);
        RejectLog log = new RejectLog(counters, logger, 10_000_000_000L, nowNs::get);

        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isTrue();
        for (int i = 0; i < 99; i++) {
            assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isFalse();
        }
        assertThat(log.rejected(RejectReason.MALFORMED_JSON, "bad", -1, "t/2")).as("own budget").isTrue();
        nowNs.addAndGet(9_999_999_999L);
        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isFalse();
        nowNs.addAndGet(1);
        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isTrue();

        assertThat(counters.rejects(RejectReason.DUPLICATE)).isEqualTo(102);
        assertThat(counters.rejects(RejectReason.MALFORMED_JSON)).isEqualTo(1);
        assertThat(counters.rejectsTotal()).isEqualTo(103);
        assertThat(logger.lines).hasSize(3);
        assertThat(logger.lines.get(0)).contains("duplicate", "entry 3", "t/1", "0 more", "1 in total");
        assertThat(logger.lines.get(2)).contains("100 more since the last report", "102 in total");
    }

    @Test
    void aThrowingLoggerIsIgnored() {
        GatewayCounters counters = new GatewayCounters();
        RecordingLogger logger = new RecordingLogger();
        logger.explode = true;
        RejectLog log = new RejectLog(counters, logger, 1, System::nanoTime);
        assertThat(log.rejected(RejectReason.OVERSIZE, "big", -1, "t")).isFalse();
        assertThat(counters.rejects(RejectReason.OVERSIZE)).isEqualTo(1);
    }

    /** A decoder whose rejections go to a reject log that writes every line. */
    private static final class Harness {
        final RecordingLogger logger = new RecordingLogger();
        final RejectLog log = new RejectLog(new GatewayCounters(), logger, 0, System::nanoTime);
        final org.greenwave.core.ingest.DetectorDirectory dir = Fixtures.directory();
        final DetectorPayloadDecoder decoder = new DetectorPayloadDecoder(dir, new DetectorTracker(dir.detectorCount()),
                new RecordingIngest(), IngestLimits.DEFAULTS, new DetectorPayloadDecoder.Listener() {
                    @Override
                    public void rejected(RejectReason reason, String detail, int entry) {
                        log.rejected(reason, detail, entry, TOPIC);
                    }

                    @Override
                    public void rejected(RejectReason reason, String detail, int entry, String what, byte[] value,
                                         int off, int len) {
                        log.rejected(reason, detail, entry, TOPIC, what, value, off, len);
                    }

                    @Override
                    public void ingestRefused(int detector) {
                    }
                });

        String line(DetectorPayloadKind kind, byte[] payload) {
            logger.lines.clear();
            decoder.decode(kind, dir.intersectionIndex(Fixtures.A0), payload, 0, payload.length, NOW);
            assertThat(logger.lines).hasSize(1);
            return logger.lines.get(0);
        }

        String line(DetectorPayloadKind kind, String json) {
            return line(kind, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final String TOPIC = "greenwave/v1/intersections/A0/detectors/events";
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void everyRejectionNamesWhatWasWrong() {
        Harness h = new Harness();
        String event = "{\"detector\":\"%s\",\"timeMs\":" + NOW + ",\"on\":true}";
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[" + String.format(event, "A0_n_stop") + ","
                + String.format(event, "A0_x_stop") + "]}"))
                .contains("unknown-detector: detector id is not configured (entry 1, detector \"A0_x_stop\") on " + TOPIC);
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[" + String.format(event, "A0_n_stop") + "]}"))
                .contains("duplicate", "(entry 0, detector \"A0_n_stop\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[" + String.format(event, "B1_w_stop") + "]}"))
                .contains("detector-not-of-intersection", "detector \"B1_w_stop\"");
        assertThat(h.line(DetectorPayloadKind.LANE_AREA, "{\"v\":1,\"readings\":[{\"detector\":\"A0_n_cam\",\"timeMs\":"
                + NOW + ",\"vehicles\":2,\"halting\":3,\"jamM\":1}]}"))
                .contains("value-out-of-range: halting not in 0..vehicles (entry 0, detector \"A0_n_cam\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[{\"detector\":\"A0_n_adv\",\"timeMs\":"
                + NOW + ",\"on\":true,\"quality\":0.9}]}"))
                .contains("unknown-field: unknown field in entry (field \"quality\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[],\"intersection\":\"A0\"}"))
                .contains("unknown-field: unknown top-level field (field \"intersection\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[{\"detector\":\"A0_n_adv\",\"timeMs\":\"soon\","
                + "\"on\":true}]}"))
                .contains("wrong-type: \"timeMs\" must be an integer (value \"\\\"soon\\\"\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":2,\"events\":[]}"))
                .contains("unsupported-version: \"v\" is not 1 (value \"2\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[}"))
                .contains("malformed-json: value expected (near \"}\")");
        assertThat(h.line(DetectorPayloadKind.EVENTS, "{\"v\":1}"))
                .contains("missing-field: payload without \"events\" on " + TOPIC);
    }

    @Test
    void hostileValuesAreCutAndEscaped() {
        Harness h = new Harness();
        String longId = "x".repeat(10_000);
        String line = h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[{\"detector\":\"" + longId
                + "\",\"timeMs\":" + NOW + ",\"on\":true}]}");
        assertThat(line).contains("detector \"" + "x".repeat(LogText.MAX_VALUE_CHARS) + "\"… (10000 bytes)")
                .hasSizeLessThan(400);

        // A right-to-left override and a line separator are valid in a JSON string; in the log they are escapes.
        line = h.line(DetectorPayloadKind.EVENTS, "{\"v\":1,\"events\":[{\"detector\":\"A0\u202e\u2028pots\\\"\",\"timeMs\":"
                + NOW + ",\"on\":true}]}");
        assertThat(line).contains("detector \"A0\\u202e\\u2028pots\\\\\\\"\")").doesNotContain("\u202e", "\u2028");

        // Raw control bytes and bytes that are not UTF-8 make the JSON malformed; the quote of it escapes them.
        byte[] payload = "{\"v\":1,\"events\":[{\"detector\":\"A0\n\u0007\"}]}".getBytes(StandardCharsets.UTF_8);
        line = h.line(DetectorPayloadKind.EVENTS, payload);
        assertThat(line).contains("malformed-json: control character in string (near \"\\n\\u0007").doesNotContain("\n", "\u0007");
        payload[payload.length - 3] = (byte) 0xFF;
        payload[payload.length - 4] = (byte) 0xC3;
        line = h.line(DetectorPayloadKind.EVENTS, payload);
        assertThat(line).contains("near \"").contains("\\x").doesNotContain("\n");
    }

    @Test
    void theTopicAndTheDetailAreEscapedAndBounded() {
        GatewayCounters counters = new GatewayCounters();
        RecordingLogger logger = new RecordingLogger();
        RejectLog log = new RejectLog(counters, logger, 0, System::nanoTime);
        log.rejected(RejectReason.UNKNOWN_TOPIC, "not a topic the engine reads", -1,
                "greenwave/v1/x\nMQTT input accepted\u001b[2J" + "y".repeat(1000));
        assertThat(logger.lines).singleElement().asString()
                .contains("greenwave/v1/x\\nMQTT input accepted\\u001b[2J")
                .contains("… (1038 chars)").doesNotContain("\n", "\u001b").hasSizeLessThan(500);
    }
}
