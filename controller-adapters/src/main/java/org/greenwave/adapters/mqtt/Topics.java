/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * The topic tree, version 1 (see {@code docs/mqtt.md}):
 *
 * <pre>
 * {prefix}/v1/intersections/{intersection}/detectors/events      field  → engine
 * {prefix}/v1/intersections/{intersection}/detectors/aggregates  field  → engine
 * {prefix}/v1/intersections/{intersection}/detectors/lane-area   field  → engine
 * {prefix}/v1/intersections/{intersection}/status                controller → engine, monitors
 * {prefix}/v1/intersections/{intersection}/plan                  engine → controller
 * {prefix}/v1/engines/{engine}/health                            engine → monitors (retained)
 * </pre>
 *
 * The intersection is named by the topic only; payloads do not repeat it. Ids must be valid single topic levels.
 *
 * <p>Immutable; safe to share.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "greenwave";
    public static final String VERSION = "v1";

    private final String root;
    private final String intersections;
    private final String engines;

    /** @param prefix one or more topic levels before the version, e.g. {@code greenwave} or {@code city/greenwave} */
    public Topics(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/")
                || prefix.contains("//")) {
            throw new IllegalArgumentException("topic prefix must be non-empty topic levels without a leading or "
                    + "trailing '/': '" + prefix + "'");
        }
        if (prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0 || prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic prefix must not contain '+', '#' or NUL: '" + prefix + "'");
        }
        if (prefix.startsWith("$")) {
            throw new IllegalArgumentException("topic prefix must not start with '$' (reserved by brokers): '"
                    + prefix + "'");
        }
        this.root = prefix + "/" + VERSION;
        this.intersections = root + "/intersections/";
        this.engines = root + "/engines/";
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** {@code {prefix}/v1}. */
    public String root() {
        return root;
    }

    public String detectors(String intersectionId, DetectorPayloadKind kind) {
        return intersection(intersectionId) + kind.topicSuffix();
    }

    public String status(String intersectionId) {
        return intersection(intersectionId) + "status";
    }

    public String plan(String intersectionId) {
        return intersection(intersectionId) + "plan";
    }

    public String health(String engineId) {
        checkLevel(engineId, "engine id");
        return engines + engineId + "/health";
    }

    /** The subscription filter for one kind of detector payload of every intersection. */
    public String detectorFilter(DetectorPayloadKind kind) {
        return intersections + "+/" + kind.topicSuffix();
    }

    public String statusFilter() {
        return intersections + "+/status";
    }

    public String planFilter() {
        return intersections + "+/plan";
    }

    private String intersection(String intersectionId) {
        checkLevel(intersectionId, "intersection id");
        return intersections + intersectionId + "/";
    }

    /**
     * Checks that {@code id} can be one topic level.
     *
     * @throws IllegalArgumentException naming the id and the offending character
     */
    public static void checkLevel(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                throw new IllegalArgumentException(what + " '" + id + "' cannot be an MQTT topic level: it contains '"
                        + (c == '\0' ? "NUL" : String.valueOf(c)) + "'");
            }
        }
    }

    /**
     * Splits inbound topics without allocating: which documented topic it is and where its intersection id lies.
     * Not thread-safe; one per callback thread.
     */
    static final class Parser {
        static final int UNKNOWN = -1;
        static final int EVENTS = 0;
        static final int AGGREGATES = 1;
        static final int LANE_AREA = 2;
        static final int STATUS = 3;
        static final int PLAN = 4;

        private static final DetectorPayloadKind[] KINDS = DetectorPayloadKind.values();
        private static final String[] SUFFIXES = {
            "/" + KINDS[0].topicSuffix(), "/" + KINDS[1].topicSuffix(), "/" + KINDS[2].topicSuffix(), "/status",
            "/plan"};

        private final String intersections;
        private byte[] idUtf8 = new byte[128];
        private String topic;
        private int idStart;
        private int idEnd;

        Parser(Topics topics) {
            this.intersections = topics.intersections;
        }

        /** One of the constants above; for a known kind, the id is then available. */
        int parse(String topic) {
            this.topic = topic;
            if (!topic.startsWith(intersections)) {
                return UNKNOWN;
            }
            idStart = intersections.length();
            idEnd = topic.indexOf('/', idStart);
            if (idEnd < 0) {
                return UNKNOWN;
            }
            int rest = topic.length() - idEnd;
            for (int k = 0; k < SUFFIXES.length; k++) {
                String s = SUFFIXES[k];
                if (rest == s.length() && topic.regionMatches(idEnd, s, 0, s.length())) {
                    return k;
                }
            }
            return UNKNOWN;
        }

        static DetectorPayloadKind detectorKind(int parsed) {
            return parsed >= EVENTS && parsed <= LANE_AREA ? KINDS[parsed] : null;
        }

        /** The intersection id of the last parsed topic, as a new String (for the allocating paths). */
        String intersectionId() {
            return topic.substring(idStart, idEnd);
        }

        /** Index of the last parsed topic's intersection in {@code directory}, or -1; allocation-free. */
        int intersectionIndex(org.greenwave.core.ingest.DetectorDirectory directory) {
            int n = 0;
            for (int i = idStart; i < idEnd; i++) {
                if (n + 4 > idUtf8.length) {
                    idUtf8 = java.util.Arrays.copyOf(idUtf8, idUtf8.length * 2);
                }
                char c = topic.charAt(i);
                if (c < 0x80) {
                    idUtf8[n++] = (byte) c;
                } else if (c < 0x800) {
                    idUtf8[n++] = (byte) (0xC0 | (c >> 6));
                    idUtf8[n++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < idEnd
                        && Character.isLowSurrogate(topic.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, topic.charAt(++i));
                    idUtf8[n++] = (byte) (0xF0 | (cp >> 18));
                    idUtf8[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    idUtf8[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    idUtf8[n++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    return -1;
                } else {
                    idUtf8[n++] = (byte) (0xE0 | (c >> 12));
                    idUtf8[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    idUtf8[n++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return directory.intersectionIndex(idUtf8, 0, n);
        }
    }
}
