package org.greenwave.core.engine;

import org.HdrHistogram.Histogram;

/**
 * Decision latencies recorded over one interval (between two calls of {@link EngineMetrics#decisionLatency()}), all
 * shards together: the time from the start of an intersection's control tick to the return of the plan sink,
 * nanoseconds of {@link System#nanoTime()}.
 *
 * @param histogram the interval's histogram; a new instance owned by the caller
 * @param count     ticks recorded
 * @param p50Ns     median, 0 when none
 * @param p99Ns     99th percentile, 0 when none
 * @param maxNs     largest, 0 when none
 */
public record LatencySnapshot(Histogram histogram, long count, long p50Ns, long p99Ns, long maxNs) {
}
