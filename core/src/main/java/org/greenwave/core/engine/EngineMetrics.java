package org.greenwave.core.engine;

import org.HdrHistogram.Histogram;

/**
 * What the engine has done, per shard and in total; readable from any thread while the engine runs. Counters are
 * written by their shard with ordered stores, so a reader sees recent, never torn, values; totals add shards read one
 * after the other, not an atomic snapshot.
 *
 * <ul>
 *   <li>events applied: readings taken off the queue and applied to detector state;</li>
 *   <li>events ignored: readings taken off the queue but not applied (wrong sort for the detector's kind, or values
 *       out of range), so applied + ignored + dropped = offered;</li>
 *   <li>queue-full drops: readings refused by {@link org.greenwave.core.ingest.Ingest} because the shard's queue was
 *       full;</li>
 *   <li>duty cycles, last and largest duty-cycle time (ns of {@link System#nanoTime()});</li>
 *   <li>ticks run, ticks skipped because the shard fell behind, largest lag of a tick behind its deadline (ns of the
 *       engine clock);</li>
 *   <li>plans issued (handed to the sink), errors (thrown by policies or the sink);</li>
 *   <li>decision latency: see {@link #decisionLatency()}.</li>
 * </ul>
 */
public final class EngineMetrics {
    private final Shard[] shards;

    EngineMetrics(Shard[] shards) {
        this.shards = shards;
    }

    public int shardCount() {
        return shards.length;
    }

    public long eventsApplied(int shard) {
        return shards[shard].counters.get(ShardCounters.EVENTS_APPLIED);
    }

    public long eventsIgnored(int shard) {
        return shards[shard].counters.get(ShardCounters.EVENTS_IGNORED);
    }

    public long queueFullDrops(int shard) {
        return shards[shard].counters.queueFullDrops();
    }

    public long dutyCycles(int shard) {
        return shards[shard].counters.get(ShardCounters.DUTY_CYCLES);
    }

    public long lastDutyCycleNs(int shard) {
        return shards[shard].counters.get(ShardCounters.LAST_DUTY_CYCLE_NS);
    }

    public long maxDutyCycleNs(int shard) {
        return shards[shard].counters.get(ShardCounters.MAX_DUTY_CYCLE_NS);
    }

    public long ticks(int shard) {
        return shards[shard].counters.get(ShardCounters.TICKS);
    }

    public long ticksSkipped(int shard) {
        return shards[shard].counters.get(ShardCounters.TICKS_SKIPPED);
    }

    /** Largest lag of a tick behind its deadline, nanoseconds of the engine clock. */
    public long maxTickLagNs(int shard) {
        return shards[shard].counters.get(ShardCounters.MAX_TICK_LAG_NS);
    }

    public long plansIssued(int shard) {
        return shards[shard].counters.get(ShardCounters.PLANS_ISSUED);
    }

    public long errors(int shard) {
        return shards[shard].counters.get(ShardCounters.ERRORS);
    }

    /** Events waiting in the shard's queue; an estimate. */
    public int queueDepth(int shard) {
        return shards[shard].inbound.size();
    }

    public long eventsApplied() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += eventsApplied(s);
        }
        return sum;
    }

    public long eventsIgnored() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += eventsIgnored(s);
        }
        return sum;
    }

    public long queueFullDrops() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += queueFullDrops(s);
        }
        return sum;
    }

    public long ticks() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += ticks(s);
        }
        return sum;
    }

    public long ticksSkipped() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += ticksSkipped(s);
        }
        return sum;
    }

    public long plansIssued() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += plansIssued(s);
        }
        return sum;
    }

    public long errors() {
        long sum = 0;
        for (int s = 0; s < shards.length; s++) {
            sum += errors(s);
        }
        return sum;
    }

    /**
     * The decision latencies recorded since the previous call (or since start), all shards merged. Allocates; for a
     * monitoring thread. Calls are serialised.
     */
    public synchronized LatencySnapshot decisionLatency() {
        Histogram merged = new Histogram(1, Shard.MAX_LATENCY_NS, 3);
        for (Shard s : shards) {
            Histogram interval = s.decisionLatency.getIntervalHistogram(s.recycledLatency);
            merged.add(interval);
            s.recycledLatency = interval;
        }
        long count = merged.getTotalCount();
        if (count == 0) {
            return new LatencySnapshot(merged, 0, 0, 0, 0);
        }
        return new LatencySnapshot(merged, count, merged.getValueAtPercentile(50), merged.getValueAtPercentile(99),
                merged.getMaxValue());
    }
}
