/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.junit.jupiter.api.Test;

/**
 * The decoder's good path and the plan encoder allocate nothing, measured with the JVM's per-thread allocation
 * counter (bytes, not time). The bound is less than one byte per message: the smallest object takes 16, so any
 * per-message allocation fails it, while a few hundred bytes of one-off JVM bookkeeping during the measurement do
 * not.
 */
class ZeroAllocationTest {

    static final long NOW = 1_700_000_000_000L;
    static final int MESSAGES = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Counts calls without recording them, so the fake allocates nothing either. */
    static final class CountingIngest implements Ingest {
        long calls;

        @Override
        public boolean detectorEdge(int detector, boolean on, long timeMs) {
            calls++;
            return true;
        }

        @Override
        public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count,
                                         double occupancy, double speedMps) {
            calls++;
            return true;
        }

        @Override
        public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            calls++;
            return true;
        }
    }

    @Test
    void decodingGoodMessagesAllocatesNothing() {
        DetectorDirectory dir = Fixtures.directory();
        CountingIngest ingest = new CountingIngest();
        long[] rejects = new long[1];
        DetectorPayloadDecoder decoder = new DetectorPayloadDecoder(dir, new DetectorTracker(dir.detectorCount()),
                ingest, IngestLimits.DEFAULTS, new DetectorPayloadDecoder.Listener() {
                    @Override
                    public void rejected(RejectReason reason, String detail, int entry) {
                        rejects[0]++;
                    }

                    @Override
                    public void ingestRefused(int detector) {
                        rejects[0]++;
                    }
                });
        int a0 = dir.intersectionIndex(Fixtures.A0);
        // Distinct timestamps per message, prepared up front: the decoder would rightly reject repeats.
        byte[][] events = new byte[MESSAGES][];
        byte[][] aggregates = new byte[MESSAGES][];
        byte[][] areas = new byte[MESSAGES][];
        DetectorPayloadEncoder enc = new DetectorPayloadEncoder();
        long t = NOW - 250_000;
        for (int i = 0; i < MESSAGES; i++, t += 10) {
            events[i] = enc.begin(DetectorPayloadKind.EVENTS).event(Fixtures.A0_STOP, t, true)
                    .event(Fixtures.A0_ADV, t + 1, false).event(Fixtures.A0_STOP, t + 2, false).finish();
            aggregates[i] = enc.begin(DetectorPayloadKind.AGGREGATES)
                    .aggregate(Fixtures.A0_STOP, t, 60_000, 17, 0.25, 13.5).finish();
            areas[i] = enc.begin(DetectorPayloadKind.LANE_AREA).laneArea(Fixtures.A0_CAM, t, 7, 3, 21.75).finish();
        }
        int half = MESSAGES / 2;
        run(decoder, a0, events, aggregates, areas, 0, half);
        long before = allocatedBytes();
        run(decoder, a0, events, aggregates, areas, half, MESSAGES);
        long allocated = allocatedBytes() - before;
        assertThat(rejects[0]).isZero();
        assertThat(ingest.calls).isEqualTo(MESSAGES * 5L);
        assertThat(allocated).as("bytes allocated by %d decodes", half * 3).isLessThan(half);
    }

    private static void run(DetectorPayloadDecoder decoder, int a0, byte[][] events, byte[][] aggregates,
                            byte[][] areas, int from, int to) {
        for (int i = from; i < to; i++) {
            decoder.decode(DetectorPayloadKind.EVENTS, a0, events[i], 0, events[i].length, NOW);
            decoder.decode(DetectorPayloadKind.AGGREGATES, a0, aggregates[i], 0, aggregates[i].length, NOW);
            decoder.decode(DetectorPayloadKind.LANE_AREA, a0, areas[i], 0, areas[i].length, NOW);
        }
    }

    @Test
    void encodingPlansAllocatesNothing() {
        TimingPlan plan = new TimingPlan(0, Fixtures.A0, 12);
        char[] green = "GGGrrrGGGrrr".toCharArray();
        char[] yellow = "yyyrrryyyrrr".toCharArray();
        PlanEncoder enc = new PlanEncoder();
        long length = 0;
        for (int i = 0; i < 2 * MESSAGES; i++) {
            if (i == MESSAGES) {
                length = allocatedBytes();
            }
            plan.begin(i, NOW + i, NOW + i + 5_000, null);
            plan.add(green, 12.5);
            plan.add(yellow, 3.0);
            enc.encode(plan);
        }
        long allocated = allocatedBytes() - length;
        assertThat(allocated).as("bytes allocated by %d encodes", MESSAGES).isLessThan(MESSAGES);
    }

    /**
     * Why the detector payloads have a decoder of their own rather than Jackson's streaming parser: read as frugally as
     * Jackson allows (numbers as primitives, strings as the parser's own characters, names as its canonical strings,
     * no tree, no objects bound), the same good messages allocate on every message, whether with a parser per message
     * or with one non-blocking parser fed message after message; the budget above is less than one byte per message.
     */
    @Test
    void jacksonsStreamingParserCannotMeetTheBudget() throws IOException {
        DetectorPayloadEncoder enc = new DetectorPayloadEncoder();
        byte[][] messages = new byte[3 * MESSAGES][];
        long t = NOW - 250_000;
        for (int i = 0; i < MESSAGES; i++, t += 10) {
            messages[3 * i] = enc.begin(DetectorPayloadKind.EVENTS).event(Fixtures.A0_STOP, t, true)
                    .event(Fixtures.A0_ADV, t + 1, false).event(Fixtures.A0_STOP, t + 2, false).finish();
            messages[3 * i + 1] = enc.begin(DetectorPayloadKind.AGGREGATES)
                    .aggregate(Fixtures.A0_STOP, t, 60_000, 17, 0.25, 13.5).finish();
            messages[3 * i + 2] = enc.begin(DetectorPayloadKind.LANE_AREA).laneArea(Fixtures.A0_CAM, t, 7, 3, 21.75)
                    .finish();
        }
        JsonFactory factory = new JsonFactory();
        int half = messages.length / 2;

        double[] sink = new double[1];
        for (int i = 0; i < half; i++) {
            try (JsonParser p = factory.createParser(messages[i])) {
                walk(p, sink);
            }
        }
        long before = allocatedBytes();
        for (int i = half; i < messages.length; i++) {
            try (JsonParser p = factory.createParser(messages[i])) {
                walk(p, sink);
            }
        }
        long perMessageParser = allocatedBytes() - before;

        JsonParser stream = factory.createNonBlockingByteArrayParser();
        ByteArrayFeeder feeder = (ByteArrayFeeder) stream.getNonBlockingInputFeeder();
        for (int i = 0; i < half; i++) {
            feeder.feedInput(messages[i], 0, messages[i].length);
            walk(stream, sink);
        }
        before = allocatedBytes();
        for (int i = half; i < messages.length; i++) {
            feeder.feedInput(messages[i], 0, messages[i].length);
            walk(stream, sink);
        }
        long oneParser = allocatedBytes() - before;

        int measured = messages.length - half;
        assertThat(sink[0]).isPositive();
        assertThat(perMessageParser).as("bytes allocated by %d parses with a parser each", measured)
                .isGreaterThanOrEqualTo(measured);
        assertThat(oneParser).as("bytes allocated by %d parses with one non-blocking parser", measured)
                .isGreaterThanOrEqualTo(measured);
    }

    /** Reads every token of the input fed so far, keeping numbers and text lengths in {@code sink}. */
    private static void walk(JsonParser p, double[] sink) throws IOException {
        JsonToken token;
        while ((token = p.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            switch (token) {
                case VALUE_NUMBER_INT -> sink[0] += p.getLongValue();
                case VALUE_NUMBER_FLOAT -> sink[0] += p.getDoubleValue();
                case VALUE_STRING -> sink[0] += p.getTextLength() + p.getTextCharacters()[p.getTextOffset()];
                case FIELD_NAME -> sink[0] += p.currentName().length();
                default -> {
                }
            }
        }
    }
}
