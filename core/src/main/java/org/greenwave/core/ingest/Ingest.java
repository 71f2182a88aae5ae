package org.greenwave.core.ingest;

/**
 * The engine's inbound side: detector data, already mapped to dense detector indexes (see
 * {@link DetectorDirectory}), handed to the shard that owns the detector.
 *
 * <p>Threading: every method may be called from any number of producer threads at once (MQTT client threads, the
 * simulation harness). Methods never block and never allocate in steady state; a {@code false} return means the
 * shard's inbound queue was full and the reading was dropped (it is counted in the engine's metrics).
 *
 * <p>Times are milliseconds on the engine clock's time line ({@code Clock.nowMs()}).
 */
public interface Ingest {
    /** A high-resolution actuation: the detector turned on (vehicle entered) or off (vehicle left) at {@code timeMs}. */
    boolean detectorEdge(int detector, boolean on, long timeMs);

    /**
     * An aggregate over {@code [intervalEndMs - intervalMs, intervalEndMs)}: vehicles counted, occupancy (fraction of
     * the interval the detector was occupied, 0..1) and mean speed (m/s, negative when unknown).
     */
    boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                              double speedMps);

    /**
     * An aggregate as {@link #detectorAggregate(int, long, int, int, double, double)} from a detector that also reports
     * its presence: whether a vehicle is on it at the interval's end (NTCIP 1202's
     * {@code vehicleDetectorStatusGroupActive}). The engine takes that as the loop being occupied now, as it takes a
     * loop's unmatched "on" edge; the default drops the presence.
     */
    default boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                      double speedMps, boolean occupiedAtEnd) {
        return detectorAggregate(detector, intervalEndMs, intervalMs, count, occupancy, speedMps);
    }

    /**
     * A lane-area (camera-like) reading at {@code timeMs}: vehicles in the zone, of which halting, and the length of
     * the standing queue in metres.
     */
    boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM);
}
