/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * Why an inbound MQTT message, or one entry of its batch, was not applied.
 *
 * <p>Message-level reasons ({@link #messageLevel()}) reject the whole message and are counted once per message;
 * entry-level reasons reject one entry of a batch (the rest of the batch is still applied) and are counted once per
 * entry.
 *
 * <p>When several reasons apply, one is reported: first the payload size, the topic and the intersection (checked
 * before parsing); then {@link #MALFORMED_JSON} anywhere in the payload; then {@link #UNSUPPORTED_VERSION}; then the
 * first of {@link #WRONG_TYPE}, {@link #MISSING_FIELD}, {@link #UNKNOWN_FIELD} in document order; then a batch longer
 * than allowed ({@link #OVERSIZE}). Each entry of a well-formed batch is then checked against the entry-level reasons
 * in declaration order.
 */
public enum RejectReason {
    /** The payload is longer than {@link IngestLimits#maxPayloadBytes()}, or its batch has too many entries. */
    OVERSIZE("oversize", true),
    /** The topic matched a subscription but is not one of the documented topics. */
    UNKNOWN_TOPIC("unknown-topic", true),
    /** The intersection id in the topic is not configured. */
    UNKNOWN_INTERSECTION("unknown-intersection", true),
    /** Not valid JSON (RFC 8259), a duplicate key, trailing bytes, or nesting deeper than the scanner allows. */
    MALFORMED_JSON("malformed-json", true),
    /** The payload's {@code "v"} is not a version this adapter speaks. */
    UNSUPPORTED_VERSION("unsupported-version", true),
    /** A field has the wrong JSON type (e.g. a string count, a fractional timestamp, an object instead of a batch). */
    WRONG_TYPE("wrong-type", true),
    /** A required field is absent. */
    MISSING_FIELD("missing-field", true),
    /** A field the schema does not define. */
    UNKNOWN_FIELD("unknown-field", true),
    /** The detector id is not configured. */
    UNKNOWN_DETECTOR("unknown-detector", false),
    /** The detector exists but reports to another intersection than the one in the topic. */
    DETECTOR_NOT_OF_INTERSECTION("detector-not-of-intersection", false),
    /** An actuation or aggregate for a lane-area detector, or a lane-area reading for an induction loop. */
    WRONG_DETECTOR_KIND("wrong-detector-kind", false),
    /** A value outside its range: negative count or time, occupancy outside 0..1, absurd speed, negative jam, ... */
    VALUE_OUT_OF_RANGE("value-out-of-range", false),
    /** The timestamp lies further behind the engine clock than {@link IngestLimits#maxAgeMs()}. */
    TIMESTAMP_TOO_OLD("timestamp-too-old", false),
    /** The timestamp lies further ahead of the engine clock than {@link IngestLimits#maxAheadMs()}. */
    TIMESTAMP_IN_FUTURE("timestamp-in-future", false),
    /** Same detector, same timestamp (and, for actuations, same state) as the last value applied. */
    DUPLICATE("duplicate", false),
    /** Older than the last value applied for that detector. */
    OUT_OF_ORDER("out-of-order", false);

    private static final RejectReason[] VALUES = values();

    private final String code;
    private final boolean messageLevel;

    RejectReason(String code, boolean messageLevel) {
        this.code = code;
        this.messageLevel = messageLevel;
    }

    /** Stable lower-case name, used in health payloads and log lines. */
    public String code() {
        return code;
    }

    /** True when the reason rejects a whole message, false when it rejects one entry of a batch. */
    public boolean messageLevel() {
        return messageLevel;
    }

    /** All reasons by ordinal, without the copy {@code values()} makes. Do not modify. */
    static RejectReason[] all() {
        return VALUES;
    }
}
