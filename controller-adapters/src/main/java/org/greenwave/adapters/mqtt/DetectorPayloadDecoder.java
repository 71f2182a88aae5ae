/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.Ingest;

/**
 * Decodes the three inbound detector payloads ({@link DetectorPayloadKind}) straight from the MQTT payload bytes,
 * validates every entry and hands the good ones to {@link Ingest}. On the good path it allocates nothing: ids are
 * looked up from the bytes ({@link DetectorDirectory#detectorIndex(byte[], int, int)}), numbers are parsed in place,
 * and the batch goes through preallocated arrays.
 *
 * <p>A message is decoded in two passes. The first checks the whole payload against the schema (any key order, any
 * JSON whitespace, nothing else) and collects the entries; a message that fails it is rejected as a whole and nothing
 * of it reaches Ingest. The second checks each entry (detector, kind, ranges, time window, duplicate and order, in
 * that order), applies the good ones in batch order and reports each bad one. See {@link RejectReason} for which
 * reason wins when several apply.
 *
 * <p>Nothing escapes as an exception for any input bytes; every outcome goes to the {@link Listener} or into the
 * return value.
 *
 * <p>Threading: one decoder per thread (it owns scratch arrays). Several decoders may share one {@link
 * DetectorTracker}, which is thread-safe.
 */
public final class DetectorPayloadDecoder {

    /** Receives what the decoder did not apply. Called on the decoding thread; must not throw. */
    public interface Listener {
        /**
         * @param reason why
         * @param detail a constant phrase saying what exactly, e.g. {@code "occupancy outside 0..1"}
         * @param entry  index of the entry in its batch, or -1 for a message-level reason
         */
        void rejected(RejectReason reason, String detail, int entry);

        /**
         * The same, naming the offending value: the bytes {@code value[off, off+len)} exactly as they came in the
         * payload (for a string, its contents between the quotes, escapes as sent; untrusted, possibly not UTF-8).
         * The array is the decoder's or the caller's and is reused: read it before returning, never keep it. The
         * decoder always calls this method; by default it forgets the value.
         *
         * @param what  what the value is: {@code "detector"} (the entry's detector id, for every entry-level reason),
         *              {@code "field"} (an unknown key), {@code "value"} (a value of the wrong type or version) or
         *              {@code "near"} (the bytes where the JSON stops being valid); null when there is none
         * @param value null when {@code what} is null
         */
        default void rejected(RejectReason reason, String detail, int entry, String what, byte[] value, int off,
                              int len) {
            rejected(reason, detail, entry);
        }

        /** A valid entry for {@code detector} was refused by {@link Ingest} (its shard queue was full). */
        void ingestRefused(int detector);
    }

    private static final byte[] KEY_V = utf8("v");

    // Field numbers per kind; bit i of a "seen" mask is field i.
    private static final int F_DETECTOR = 0;
    private static final int F_TIME = 1;
    private static final String[][] FIELD_NAMES = {
        {"detector", "timeMs", "on"},
        {"detector", "endMs", "intervalMs", "count", "occupancy", "speedMps"},
        {"detector", "timeMs", "vehicles", "halting", "jamM"}};
    private static final int[] REQUIRED = {0b111, 0b11111, 0b11111};
    private static final byte[][][] FIELD_KEYS = new byte[3][][];
    private static final String[][] MISSING_DETAIL = new String[3][];
    private static final String[][] WRONG_TYPE_DETAIL = new String[3][];

    static {
        for (int k = 0; k < 3; k++) {
            String[] names = FIELD_NAMES[k];
            FIELD_KEYS[k] = new byte[names.length][];
            MISSING_DETAIL[k] = new String[names.length];
            WRONG_TYPE_DETAIL[k] = new String[names.length];
            for (int f = 0; f < names.length; f++) {
                FIELD_KEYS[k][f] = utf8(names[f]);
                MISSING_DETAIL[k][f] = "entry without \"" + names[f] + "\"";
            }
        }
        WRONG_TYPE_DETAIL[0] = new String[] {"\"detector\" must be a string", "\"timeMs\" must be an integer",
            "\"on\" must be true or false"};
        WRONG_TYPE_DETAIL[1] = new String[] {"\"detector\" must be a string", "\"endMs\" must be an integer",
            "\"intervalMs\" must be an integer", "\"count\" must be an integer", "\"occupancy\" must be a number",
            "\"speedMps\" must be a number or null"};
        WRONG_TYPE_DETAIL[2] = new String[] {"\"detector\" must be a string", "\"timeMs\" must be an integer",
            "\"vehicles\" must be an integer", "\"halting\" must be an integer", "\"jamM\" must be a number"};
    }

    private static final int DETECTOR_UNKNOWN = -1;
    /** Longest offending value the decoder keeps for a report, bytes; the log shows fewer characters still. */
    private static final int MAX_REPORTED_VALUE_BYTES = 256;
    /** How much of the payload a malformed-JSON report quotes from where the error was found, bytes. */
    private static final int NEAR_BYTES = 32;

    private final DetectorDirectory directory;
    private final DetectorTracker tracker;
    private final Ingest ingest;
    private final IngestLimits limits;
    private final Listener listener;
    private final JsonScanner scanner;

    // The batch of the current message, by entry.
    private final int[] detector;
    private final long[] timeMs;
    private final long[] int1;
    private final long[] int2;
    private final long[] int3;
    private final double[] real1;
    private final double[] real2;
    private final boolean[] flag;
    /** Where each entry's detector id lies in the payload: the string's contents between the quotes. */
    private final int[] detectorOff;
    private final int[] detectorLen;

    // The current message.
    private byte[] payload;
    private int payloadEnd;

    // Schema outcome of the current message.
    private RejectReason schemaReason;
    private String schemaDetail;
    private String schemaWhat;
    private final byte[] schemaValue = new byte[MAX_REPORTED_VALUE_BYTES];
    private int schemaValueLen;
    private int versionOff;
    private int versionLen;
    private boolean versionUnsupported;
    private boolean tooManyEntries;
    private int entryCount;

    public DetectorPayloadDecoder(DetectorDirectory directory, DetectorTracker tracker, Ingest ingest,
                                  IngestLimits limits, Listener listener) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (tracker.detectorCount() != directory.detectorCount()) {
            throw new IllegalArgumentException("tracker has " + tracker.detectorCount() + " detectors, directory "
                    + directory.detectorCount());
        }
        this.scanner = new JsonScanner(limits.maxPayloadBytes());
        int n = limits.maxEntries();
        detector = new int[n];
        timeMs = new long[n];
        int1 = new long[n];
        int2 = new long[n];
        int3 = new long[n];
        real1 = new double[n];
        real2 = new double[n];
        flag = new boolean[n];
        detectorOff = new int[n];
        detectorLen = new int[n];
    }

    /**
     * Decodes one message and applies its good entries.
     *
     * @param kind         which payload (from the topic)
     * @param intersection the topic's intersection index in the directory, or -1 when the topic named an unknown one
     * @param payload      the message bytes {@code [off, off+len)}
     * @param nowMs        the engine clock now, milliseconds, for the time window
     * @return the number of entries Ingest accepted
     * @throws IllegalArgumentException if {@code [off, off+len)} is not inside {@code payload} (a caller bug)
     */
    public int decode(DetectorPayloadKind kind, int intersection, byte[] payload, int off, int len, long nowMs) {
        if (off < 0 || len < 0 || off > payload.length - len) {
            throw new IllegalArgumentException("range [" + off + ", " + off + "+" + len + ") outside a payload of "
                    + payload.length + " bytes");
        }
        if (len > limits.maxPayloadBytes()) {
            listener.rejected(RejectReason.OVERSIZE, "payload longer than the limit", -1);
            return 0;
        }
        if (intersection < 0 || intersection >= directory.intersectionCount()) {
            listener.rejected(RejectReason.UNKNOWN_INTERSECTION, "intersection in the topic is not configured", -1);
            return 0;
        }
        this.payload = payload;
        this.payloadEnd = off + len;
        if (!parse(kind.ordinal(), payload, off, len)) {
            return 0;
        }
        return apply(kind, intersection, nowMs);
    }

    // ---------------------------------------------------------------- pass 1: schema

    private boolean parse(int k, byte[] payload, int off, int len) {
        JsonScanner s = scanner;
        s.reset(payload, off, len);
        schemaReason = null;
        schemaDetail = null;
        schemaWhat = null;
        versionUnsupported = false;
        tooManyEntries = false;
        entryCount = 0;
        boolean sawVersion = false;
        boolean sawBatch = false;
        byte[] batchKey = BATCH_KEYS[k];

        if (s.peekKind() != JsonScanner.OBJECT) {
            int start = s.pos();
            if (s.skipValue() && s.atEnd()) {
                schema(RejectReason.WRONG_TYPE, "payload is not a JSON object", "value", payload, start, s.pos() - start);
                return rejectSchema();
            }
            return malformed();
        }
        s.consume('{');
        if (!s.consume('}')) {
            do {
                if (!s.readKey()) {
                    return malformed();
                }
                if (s.stringIs(KEY_V)) {
                    if (sawVersion) {
                        s.fail("duplicate key \"v\"");
                        return malformed();
                    }
                    sawVersion = true;
                    int start = s.pos();
                    if (s.peekKind() == JsonScanner.NUMBER) {
                        start = s.pos();
                        if (!s.readNumber()) {
                            return malformed();
                        }
                        if (!s.numberIsInteger()) {
                            schema(RejectReason.WRONG_TYPE, "\"v\" must be an integer", "value", payload, start,
                                    s.pos() - start);
                        } else if (s.numberLong() != 1) {
                            versionUnsupported = true;
                            versionOff = start;
                            versionLen = s.pos() - start;
                        }
                    } else {
                        start = s.pos();
                        if (!s.skipValue()) {
                            return malformed();
                        }
                        schema(RejectReason.WRONG_TYPE, "\"v\" must be an integer", "value", payload, start,
                                s.pos() - start);
                    }
                } else if (s.stringIs(batchKey)) {
                    if (sawBatch) {
                        s.fail("duplicate batch key");
                        return malformed();
                    }
                    sawBatch = true;
                    if (s.peekKind() == JsonScanner.ARRAY) {
                        if (!parseBatch(k)) {
                            return malformed();
                        }
                    } else {
                        int start = s.pos();
                        if (!s.skipValue()) {
                            return malformed();
                        }
                        schema(RejectReason.WRONG_TYPE, BATCH_NOT_ARRAY[k], "value", payload, start, s.pos() - start);
                    }
                } else {
                    schema(RejectReason.UNKNOWN_FIELD, "unknown top-level field", "field", s.stringBuf(),
                            s.stringOff(), s.stringLen());
                    if (!s.skipValue()) {
                        return malformed();
                    }
                }
            } while (s.consume(','));
            if (!s.consume('}')) {
                s.fail("',' or '}' expected");
                return malformed();
            }
        }
        if (!s.atEnd()) {
            s.fail("trailing bytes after the JSON object");
            return malformed();
        }
        if (versionUnsupported) {
            listener.rejected(RejectReason.UNSUPPORTED_VERSION, "\"v\" is not 1", -1, "value", payload, versionOff,
                    versionLen);
            return false;
        }
        if (schemaReason != null) {
            return rejectSchema();
        }
        if (!sawVersion) {
            return reject(RejectReason.MISSING_FIELD, "payload without \"v\"");
        }
        if (!sawBatch) {
            return reject(RejectReason.MISSING_FIELD, BATCH_MISSING[k]);
        }
        if (tooManyEntries) {
            return reject(RejectReason.OVERSIZE, "more entries than the limit");
        }
        return true;
    }

    private static final byte[][] BATCH_KEYS = new byte[3][];
    private static final String[] BATCH_NOT_ARRAY = new String[3];
    private static final String[] BATCH_MISSING = new String[3];

    static {
        for (DetectorPayloadKind kind : DetectorPayloadKind.values()) {
            BATCH_KEYS[kind.ordinal()] = kind.batchKeyUtf8();
            BATCH_NOT_ARRAY[kind.ordinal()] = "\"" + kind.batchKey() + "\" must be an array";
            BATCH_MISSING[kind.ordinal()] = "payload without \"" + kind.batchKey() + "\"";
        }
    }

    private boolean parseBatch(int k) {
        JsonScanner s = scanner;
        s.consume('[');
        if (s.consume(']')) {
            return true;
        }
        do {
            if (s.peekKind() != JsonScanner.OBJECT) {
                int start = s.pos();
                if (!s.skipValue()) {
                    return false;
                }
                schema(RejectReason.WRONG_TYPE, "batch entries must be objects", "value", payload, start,
                        s.pos() - start);
                continue;
            }
            int i = entryCount < detector.length ? entryCount : -1;
            if (i < 0) {
                tooManyEntries = true;
            }
            if (!parseEntry(k, i)) {
                return false;
            }
            if (i >= 0) {
                entryCount++;
            }
        } while (s.consume(','));
        return s.consume(']') || s.fail("',' or ']' expected");
    }

    /** Parses one entry object into slot {@code i} (or nowhere when {@code i < 0}). False on a syntax error. */
    private boolean parseEntry(int k, int i) {
        JsonScanner s = scanner;
        s.consume('{');
        byte[][] keys = FIELD_KEYS[k];
        int seen = 0;
        if (i >= 0) {
            detector[i] = DETECTOR_UNKNOWN;
            real2[i] = Double.NaN;
        }
        if (!s.consume('}')) {
            do {
                if (!s.readKey()) {
                    return false;
                }
                int f = -1;
                for (int j = 0; j < keys.length; j++) {
                    if (s.stringIs(keys[j])) {
                        f = j;
                        break;
                    }
                }
                if (f < 0) {
                    schema(RejectReason.UNKNOWN_FIELD, "unknown field in entry", "field", s.stringBuf(), s.stringOff(),
                            s.stringLen());
                    if (!s.skipValue()) {
                        return false;
                    }
                    continue;
                }
                if ((seen & (1 << f)) != 0) {
                    return s.fail("duplicate key in entry");
                }
                seen |= 1 << f;
                if (!readField(k, f, i)) {
                    return false;
                }
            } while (s.consume(','));
            if (!s.consume('}')) {
                return s.fail("',' or '}' expected");
            }
        }
        int missing = REQUIRED[k] & ~seen;
        if (missing != 0) {
            schema(RejectReason.MISSING_FIELD, MISSING_DETAIL[k][Integer.numberOfTrailingZeros(missing)]);
        }
        return true;
    }

    /** Reads the value of field {@code f}; a wrong type is a schema error, not a syntax error. */
    private boolean readField(int k, int f, int i) {
        JsonScanner s = scanner;
        int type = s.peekKind();
        int start = s.pos();
        if (f == F_DETECTOR) {
            if (type == JsonScanner.STRING) {
                if (!s.readString()) {
                    return false;
                }
                if (i >= 0) {
                    int d = directory.detectorIndex(s.stringBuf(), s.stringOff(), s.stringLen());
                    detector[i] = d < 0 ? DETECTOR_UNKNOWN : d;
                    detectorOff[i] = start + 1;
                    detectorLen[i] = s.pos() - start - 2;
                }
                return true;
            }
        } else if (k == 0 && f == 2) {
            if (type == JsonScanner.TRUE || type == JsonScanner.FALSE) {
                if (!s.readLiteral(type)) {
                    return false;
                }
                if (i >= 0) {
                    flag[i] = type == JsonScanner.TRUE;
                }
                return true;
            }
        } else if (type == JsonScanner.NUMBER) {
            if (!s.readNumber()) {
                return false;
            }
            if (isReal(k, f) || s.numberIsInteger()) {
                if (i >= 0) {
                    store(k, f, i, s);
                }
            } else {
                schema(RejectReason.WRONG_TYPE, WRONG_TYPE_DETAIL[k][f], "value", payload, start, s.pos() - start);
            }
            return true;
        } else if (k == 1 && f == 5 && type == JsonScanner.NULL) {
            return s.readLiteral(type);
        }
        if (!s.skipValue()) {
            return false;
        }
        schema(RejectReason.WRONG_TYPE, WRONG_TYPE_DETAIL[k][f], "value", payload, start, s.pos() - start);
        return true;
    }

    private static boolean isReal(int k, int f) {
        return (k == 1 && f >= 4) || (k == 2 && f == 4);
    }

    private void store(int k, int f, int i, JsonScanner s) {
        if (f == F_TIME) {
            timeMs[i] = s.numberLong();
            return;
        }
        if (k == 1) {
            switch (f) {
                case 2 -> int1[i] = s.numberLong();
                case 3 -> int2[i] = s.numberLong();
                case 4 -> real1[i] = s.numberDouble();
                default -> real2[i] = s.numberDouble();
            }
        } else {
            switch (f) {
                case 2 -> int1[i] = s.numberLong();
                case 3 -> int2[i] = s.numberLong();
                default -> real1[i] = s.numberDouble();
            }
        }
    }

    private void schema(RejectReason reason, String detail) {
        schema(reason, detail, null, null, 0, 0);
    }

    /** Records the first schema error, with a copy of (at most the first bytes of) the value it is about. */
    private void schema(RejectReason reason, String detail, String what, byte[] value, int off, int len) {
        if (schemaReason == null) {
            schemaReason = reason;
            schemaDetail = detail;
            schemaWhat = what;
            schemaValueLen = value == null ? 0 : Math.min(len, schemaValue.length);
            if (value != null) {
                System.arraycopy(value, off, schemaValue, 0, schemaValueLen);
            }
        }
    }

    private boolean malformed() {
        String e = scanner.error();
        int at = scanner.errorPos();
        if (at < 0 || at > payloadEnd) {
            listener.rejected(RejectReason.MALFORMED_JSON, e == null ? "malformed JSON" : e, -1);
        } else {
            listener.rejected(RejectReason.MALFORMED_JSON, e == null ? "malformed JSON" : e, -1, "near", payload, at,
                    Math.min(NEAR_BYTES, payloadEnd - at));
        }
        return false;
    }

    /** Reports a message-level reason that has no single offending value (the field is in the detail). */
    private boolean reject(RejectReason reason, String detail) {
        listener.rejected(reason, detail, -1);
        return false;
    }

    /** Reports the message's first schema error with the value it is about. */
    private boolean rejectSchema() {
        if (schemaWhat != null) {
            listener.rejected(schemaReason, schemaDetail, -1, schemaWhat, schemaValue, 0, schemaValueLen);
        } else {
            listener.rejected(schemaReason, schemaDetail, -1);
        }
        return false;
    }

    /** Reports an entry-level reason, naming the entry's detector id as it came. */
    private void rejectEntry(RejectReason reason, String detail, int i) {
        listener.rejected(reason, detail, i, "detector", payload, detectorOff[i], detectorLen[i]);
    }

    // ---------------------------------------------------------------- pass 2: entries

    private int apply(DetectorPayloadKind kind, int intersection, long nowMs) {
        int applied = 0;
        long oldestMs = nowMs - limits.maxAgeMs();
        long latestMs = nowMs + limits.maxAheadMs();
        for (int i = 0; i < entryCount; i++) {
            int d = detector[i];
            if (d < 0) {
                rejectEntry(RejectReason.UNKNOWN_DETECTOR, "detector id is not configured", i);
                continue;
            }
            if (directory.detectorIntersection(d) != intersection) {
                rejectEntry(RejectReason.DETECTOR_NOT_OF_INTERSECTION, "detector belongs to another intersection", i);
                continue;
            }
            DetectorKind dk = directory.detectorKind(d);
            boolean loop = dk == DetectorKind.STOP_LINE || dk == DetectorKind.ADVANCE;
            if (loop != (kind != DetectorPayloadKind.LANE_AREA)) {
                rejectEntry(RejectReason.WRONG_DETECTOR_KIND, loop
                        ? "lane-area reading for an induction loop" : "loop data for a lane-area detector", i);
                continue;
            }
            String outOfRange = outOfRange(kind, i);
            if (outOfRange != null) {
                rejectEntry(RejectReason.VALUE_OUT_OF_RANGE, outOfRange, i);
                continue;
            }
            long t = timeMs[i];
            if (t < oldestMs) {
                rejectEntry(RejectReason.TIMESTAMP_TOO_OLD, "timestamp too far behind the engine clock", i);
                continue;
            }
            if (t > latestMs) {
                rejectEntry(RejectReason.TIMESTAMP_IN_FUTURE, "timestamp too far ahead of the engine clock", i);
                continue;
            }
            RejectReason order = switch (kind) {
                case EVENTS -> tracker.acceptEdge(d, t, flag[i]);
                case AGGREGATES -> tracker.acceptAggregate(d, t);
                case LANE_AREA -> tracker.acceptLaneArea(d, t);
            };
            if (order != null) {
                rejectEntry(order, order == RejectReason.DUPLICATE
                        ? "same time (and state) as the last value applied" : "older than the last value applied", i);
                continue;
            }
            boolean accepted = switch (kind) {
                case EVENTS -> ingest.detectorEdge(d, flag[i], t);
                case AGGREGATES -> ingest.detectorAggregate(d, t, (int) int1[i], (int) int2[i], real1[i],
                        Double.isNaN(real2[i]) ? -1.0 : real2[i]);
                case LANE_AREA -> ingest.laneArea(d, t, (int) int1[i], (int) int2[i], real1[i]);
            };
            if (accepted) {
                applied++;
            } else {
                listener.ingestRefused(d);
            }
        }
        return applied;
    }

    /** The range violation of entry {@code i}, or null. */
    private String outOfRange(DetectorPayloadKind kind, int i) {
        if (timeMs[i] < 0) {
            return "negative timestamp";
        }
        switch (kind) {
            case AGGREGATES: {
                long intervalMs = int1[i];
                if (intervalMs <= 0 || intervalMs > limits.maxIntervalMs()) {
                    return "intervalMs not in 1..maxIntervalMs";
                }
                long count = int2[i];
                if (count < 0 || count > limits.maxCount()) {
                    return "count not in 0..maxCount";
                }
                double occupancy = real1[i];
                if (!(occupancy >= 0.0 && occupancy <= 1.0)) {
                    return "occupancy outside 0..1";
                }
                double speed = real2[i];
                if (!Double.isNaN(speed) && !(speed >= 0.0 && speed <= limits.maxSpeedMps())) {
                    return "speedMps not in 0..maxSpeedMps";
                }
                return null;
            }
            case LANE_AREA: {
                long vehicles = int1[i];
                if (vehicles < 0 || vehicles > limits.maxVehicles()) {
                    return "vehicles not in 0..maxVehicles";
                }
                long halting = int2[i];
                if (halting < 0 || halting > vehicles) {
                    return "halting not in 0..vehicles";
                }
                double jam = real1[i];
                if (!(jam >= 0.0 && jam <= limits.maxJamM())) {
                    return "jamM not in 0..maxJamM";
                }
                return null;
            }
            default:
                return null;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
