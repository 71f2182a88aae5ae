package org.greenwave.app.dashboard;

import org.HdrHistogram.Histogram;
import org.greenwave.core.engine.EngineMetrics;
import org.greenwave.core.engine.LatencySnapshot;

/**
 * The engine's decision latency over a sliding window of about one minute, for every reader of the process (the
 * dashboard, {@code /metrics}, the MQTT health topic, the status line). {@link EngineMetrics#decisionLatency()} hands
 * each interval to one caller only, so this class is its one caller: it drains the engine at most once a second and
 * keeps the last two half-minute histograms.
 *
 * <p>Threading: any thread; calls are serialised.
 */
public final class DecisionLatencyWindow {
    private static final long POLL_NS = 1_000_000_000L;
    private static final long HALF_WINDOW_NS = 30_000_000_000L;

    private final EngineMetrics metrics;
    private Histogram current;
    private Histogram previous;
    private long currentStartNs;
    private long lastPollNs;
    private boolean polled;
    private long count;
    private long p50Ns;
    private long p99Ns;
    private long maxNs;

    public DecisionLatencyWindow(EngineMetrics metrics) {
        this.metrics = metrics;
    }

    /** Decisions recorded in the window. */
    public synchronized long count() {
        refresh();
        return count;
    }

    /** Median over the window, nanoseconds; 0 when none. */
    public synchronized long p50Ns() {
        refresh();
        return p50Ns;
    }

    /** 99th percentile over the window, nanoseconds; 0 when none. */
    public synchronized long p99Ns() {
        refresh();
        return p99Ns;
    }

    /** Largest over the window, nanoseconds; 0 when none. */
    public synchronized long maxNs() {
        refresh();
        return maxNs;
    }

    private void refresh() {
        long now = System.nanoTime();
        if (polled && now - lastPollNs < POLL_NS) {
            return;
        }
        LatencySnapshot s = metrics.decisionLatency();
        if (!polled) {
            current = s.histogram();
            currentStartNs = now;
            polled = true;
        } else {
            current.add(s.histogram());
        }
        lastPollNs = now;
        if (now - currentStartNs >= HALF_WINDOW_NS) {
            previous = current;
            current = new Histogram(previous.getLowestDiscernibleValue(), previous.getHighestTrackableValue(),
                    previous.getNumberOfSignificantValueDigits());
            currentStartNs = now;
        }
        Histogram window = current.copy();
        if (previous != null) {
            window.add(previous);
        }
        count = window.getTotalCount();
        p50Ns = count == 0 ? 0 : window.getValueAtPercentile(50);
        p99Ns = count == 0 ? 0 : window.getValueAtPercentile(99);
        maxNs = count == 0 ? 0 : window.getMaxValue();
    }
}
