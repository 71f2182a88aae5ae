/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.Objects;

/**
 * Builds inbound detector payloads, for bridges and field gateways that publish to the engine (and for tests):
 *
 * <pre>
 * enc.begin(DetectorPayloadKind.EVENTS).event("e1_west", 1700000000123L, true).event(...);
 * byte[] payload = enc.finish();
 * </pre>
 *
 * Entries must match the kind begun. Doubles are written in their shortest exact form, which allocates a String each;
 * integers and ids do not allocate.
 *
 * <p>Not thread-safe: one encoder per thread.
 */
public final class DetectorPayloadEncoder {

    private final JsonWriter out = new JsonWriter(1024);
    private DetectorPayloadKind kind;
    private int entries;

    /** Starts a payload of {@code kind}, discarding any unfinished one. */
    public DetectorPayloadEncoder begin(DetectorPayloadKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        entries = 0;
        out.reset().raw("{\"v\":1,\"").raw(kind.batchKey()).raw("\":[");
        return this;
    }

    /** An actuation: the detector turned on (vehicle entered) or off (vehicle left) at {@code timeMs}. */
    public DetectorPayloadEncoder event(String detectorId, long timeMs, boolean on) {
        entry(DetectorPayloadKind.EVENTS, detectorId);
        out.raw(",\"timeMs\":").number(timeMs).raw(",\"on\":").bool(on).raw('}');
        return this;
    }

    /**
     * An aggregate over {@code [endMs - intervalMs, endMs)}.
     *
     * @param speedMps mean speed, or negative when unknown (written as {@code null})
     */
    public DetectorPayloadEncoder aggregate(String detectorId, long endMs, int intervalMs, int count,
                                            double occupancy, double speedMps) {
        entry(DetectorPayloadKind.AGGREGATES, detectorId);
        out.raw(",\"endMs\":").number(endMs).raw(",\"intervalMs\":").number(intervalMs)
                .raw(",\"count\":").number(count).raw(",\"occupancy\":").number(occupancy)
                .raw(",\"speedMps\":");
        if (speedMps < 0) {
            out.nul();
        } else {
            out.number(speedMps);
        }
        out.raw('}');
        return this;
    }

    /** A lane-area reading at {@code timeMs}. */
    public DetectorPayloadEncoder laneArea(String detectorId, long timeMs, int vehicles, int halting, double jamM) {
        entry(DetectorPayloadKind.LANE_AREA, detectorId);
        out.raw(",\"timeMs\":").number(timeMs).raw(",\"vehicles\":").number(vehicles)
                .raw(",\"halting\":").number(halting).raw(",\"jamM\":").number(jamM).raw('}');
        return this;
    }

    private void entry(DetectorPayloadKind expected, String detectorId) {
        if (kind != expected) {
            throw new IllegalStateException("a " + expected + " entry in a " + kind + " payload");
        }
        if (entries++ > 0) {
            out.comma();
        }
        out.raw("{\"detector\":").string(detectorId);
    }

    /** Entries added since {@link #begin}. */
    public int entries() {
        return entries;
    }

    /** Closes the payload and returns a copy of it; {@link #begin} starts the next. */
    public byte[] finish() {
        if (kind == null) {
            throw new IllegalStateException("begin() first");
        }
        out.raw("]}");
        kind = null;
        return out.toByteArray();
    }
}
