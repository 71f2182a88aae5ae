/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.nio.charset.StandardCharsets;

/** The three kinds of inbound detector payload, each on its own topic (see {@link Topics}). */
public enum DetectorPayloadKind {
    /** High-resolution actuations of induction loops: {@code {"v":1,"events":[...]}}. */
    EVENTS("detectors/events", "events"),
    /** Per-interval aggregates of induction loops: {@code {"v":1,"aggregates":[...]}}. */
    AGGREGATES("detectors/aggregates", "aggregates"),
    /** Lane-area (camera-like) readings: {@code {"v":1,"readings":[...]}}. */
    LANE_AREA("detectors/lane-area", "readings");

    private final String topicSuffix;
    private final String batchKey;
    private final byte[] batchKeyUtf8;

    DetectorPayloadKind(String topicSuffix, String batchKey) {
        this.topicSuffix = topicSuffix;
        this.batchKey = batchKey;
        this.batchKeyUtf8 = batchKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The topic levels after the intersection id, e.g. {@code detectors/events}. */
    public String topicSuffix() {
        return topicSuffix;
    }

    /** The top-level key holding the batch. */
    public String batchKey() {
        return batchKey;
    }

    byte[] batchKeyUtf8() {
        return batchKeyUtf8;
    }
}
