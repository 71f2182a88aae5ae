package org.greenwave.core.engine;

import org.greenwave.core.ingest.Ingest;

/**
 * The engine's {@link Ingest}: takes a free event from the owning shard's pool, fills it and queues it to that shard.
 * An empty pool means the shard's queue is full: the reading is dropped, counted, and {@code false} returned.
 *
 * <p>Aggregates' mean speed is not carried: nothing in the engine uses it yet.
 *
 * <p>Threading: any number of producer threads. No allocation, no locks, no waiting. A detector index outside the
 * directory is a bug in the caller and throws {@link ArrayIndexOutOfBoundsException}.
 */
final class EngineIngest implements Ingest {
    /** The shard owning each detector, by detector index. */
    private final Shard[] detectorShard;

    EngineIngest(Shard[] detectorShard) {
        this.detectorShard = detectorShard;
    }

    @Override
    public boolean detectorEdge(int detector, boolean on, long timeMs) {
        Shard s = detectorShard[detector];
        IngestEvent e = s.pool.relaxedPoll();
        if (e == null) {
            s.counters.queueFull();
            return false;
        }
        e.type = IngestEvent.EDGE;
        e.detector = detector;
        e.on = on;
        e.timeMs = timeMs;
        return s.offer(e);
    }

    @Override
    public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                     double speedMps) {
        return aggregate(detector, intervalEndMs, intervalMs, count, occupancy, false);
    }

    @Override
    public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                     double speedMps, boolean occupiedAtEnd) {
        return aggregate(detector, intervalEndMs, intervalMs, count, occupancy, occupiedAtEnd);
    }

    private boolean aggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                              boolean occupiedAtEnd) {
        Shard s = detectorShard[detector];
        IngestEvent e = s.pool.relaxedPoll();
        if (e == null) {
            s.counters.queueFull();
            return false;
        }
        e.type = IngestEvent.AGGREGATE;
        e.detector = detector;
        e.timeMs = intervalEndMs;
        e.intervalMs = intervalMs;
        e.count = count;
        e.occupancy = occupancy;
        e.on = occupiedAtEnd;
        return s.offer(e);
    }

    @Override
    public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
        Shard s = detectorShard[detector];
        IngestEvent e = s.pool.relaxedPoll();
        if (e == null) {
            s.counters.queueFull();
            return false;
        }
        e.type = IngestEvent.LANE_AREA;
        e.detector = detector;
        e.timeMs = timeMs;
        e.vehicles = vehicles;
        e.halting = halting;
        e.jamM = jamM;
        return s.offer(e);
    }
}
