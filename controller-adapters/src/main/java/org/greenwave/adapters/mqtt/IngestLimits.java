/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * The bounds inbound detector data is checked against. Immutable.
 *
 * @param maxPayloadBytes longest payload decoded; longer ones are rejected unread ({@link RejectReason#OVERSIZE})
 * @param maxEntries      most entries in one batch ({@link RejectReason#OVERSIZE} above)
 * @param maxAgeMs        how far a timestamp may lie behind the engine clock ({@link RejectReason#TIMESTAMP_TOO_OLD})
 * @param maxAheadMs      how far a timestamp may lie ahead of the engine clock, to absorb clock skew between field
 *                        devices and the engine ({@link RejectReason#TIMESTAMP_IN_FUTURE})
 * @param maxCount        most vehicles one aggregate may count
 * @param maxIntervalMs   longest aggregation interval
 * @param maxSpeedMps     highest plausible mean speed, m/s
 * @param maxVehicles     most vehicles one lane-area reading may report
 * @param maxJamM         longest plausible standing queue, metres
 */
public record IngestLimits(int maxPayloadBytes, int maxEntries, long maxAgeMs, long maxAheadMs, int maxCount,
                           int maxIntervalMs, double maxSpeedMps, int maxVehicles, double maxJamM) {

    /** 64 KiB, 1024 entries, 5 min behind, 10 s ahead, 10,000 vehicles, 1 h, 100 m/s, 1,000 vehicles, 10 km. */
    public static final IngestLimits DEFAULTS =
            new IngestLimits(64 * 1024, 1024, 300_000, 10_000, 10_000, 3_600_000, 100.0, 1_000, 10_000.0);

    /** @throws IllegalArgumentException if a bound is not positive (or, for the doubles, not finite) */
    public IngestLimits {
        positive("maxPayloadBytes", maxPayloadBytes);
        positive("maxEntries", maxEntries);
        positive("maxAgeMs", maxAgeMs);
        if (maxAheadMs < 0) {
            throw new IllegalArgumentException("maxAheadMs must not be negative: " + maxAheadMs);
        }
        positive("maxCount", maxCount);
        positive("maxIntervalMs", maxIntervalMs);
        positive("maxVehicles", maxVehicles);
        if (!(maxSpeedMps > 0) || Double.isInfinite(maxSpeedMps)) {
            throw new IllegalArgumentException("maxSpeedMps must be positive and finite: " + maxSpeedMps);
        }
        if (!(maxJamM > 0) || Double.isInfinite(maxJamM)) {
            throw new IllegalArgumentException("maxJamM must be positive and finite: " + maxJamM);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public IngestLimits withMaxAgeMs(long ms) {
        return new IngestLimits(maxPayloadBytes, maxEntries, ms, maxAheadMs, maxCount, maxIntervalMs, maxSpeedMps,
                maxVehicles, maxJamM);
    }

    public IngestLimits withMaxAheadMs(long ms) {
        return new IngestLimits(maxPayloadBytes, maxEntries, maxAgeMs, ms, maxCount, maxIntervalMs, maxSpeedMps,
                maxVehicles, maxJamM);
    }

    public IngestLimits withMaxPayloadBytes(int bytes) {
        return new IngestLimits(bytes, maxEntries, maxAgeMs, maxAheadMs, maxCount, maxIntervalMs, maxSpeedMps,
                maxVehicles, maxJamM);
    }

    public IngestLimits withMaxEntries(int entries) {
        return new IngestLimits(maxPayloadBytes, entries, maxAgeMs, maxAheadMs, maxCount, maxIntervalMs, maxSpeedMps,
                maxVehicles, maxJamM);
    }
}
