package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.greenwave.core.engine.EngineFixtures.crossing;
import static org.greenwave.core.engine.EngineFixtures.intersection;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * After start-up the engine allocates nothing on its data path: ingest, queue, drain, detector state, and the control
 * tick of the baseline policies (fold, propose, interlock, plan, sink, snapshot publication). Measured with the JVM's
 * per-thread allocation counter over an invoked engine, so everything runs on the test thread.
 *
 * <p>The JVM itself now and then allocates a few hundred bytes (up to ~4 KB seen) on the running thread around JIT
 * compilation; interpreted ({@code -Xint}) the same run allocates nothing at all. So the run is cut into windows and
 * one window without any allocation is required: an allocation per reading or per tick would show in every window.
 */
class EngineAllocationTest {
    private static final int WARM_UP_TICKS = 3_000;
    private static final int WINDOWS = 10;
    private static final int WINDOW_TICKS = 300;

    @Test
    void theDataPathAndTheControlTickAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        ManualClock clock = new ManualClock(0);
        EngineContext ctx = new EngineContext()
                .intersections(List.of(intersection(crossing("mp"), Policies.MAX_PRESSURE),
                        intersection(crossing("w"), Policies.WEBSTER),
                        intersection(crossing("f"), Policies.FIXED),
                        intersection(crossing("gw"), Policies.GREENWAVE)))
                .shards(2).clock(clock).planSink(p -> { }).queueCapacity(1024);
        try (Engine engine = Engine.invoked(ctx)) {
            Ingest in = engine.ingest();
            int detectors = engine.directory().detectorCount();
            run(engine, in, clock, detectors, 0, WARM_UP_TICKS);
            List<Long> windows = new ArrayList<>();
            for (int w = 0; w < WINDOWS; w++) {
                int from = WARM_UP_TICKS + w * WINDOW_TICKS;
                long before = threads.getCurrentThreadAllocatedBytes();
                run(engine, in, clock, detectors, from, from + WINDOW_TICKS);
                windows.add(threads.getCurrentThreadAllocatedBytes() - before);
            }

            assertThat(windows).as("bytes allocated per window of %d ticks", WINDOW_TICKS).contains(0L);
            assertThat(engine.metrics().eventsIgnored()).isPositive();
            assertThat(engine.metrics().plansIssued()).isEqualTo(4L * (WARM_UP_TICKS + WINDOWS * WINDOW_TICKS));
        }
    }

    /** Ticks {@code from..to-1}: before each, every detector gets an edge, an aggregate and an area reading. */
    private static void run(Engine engine, Ingest in, ManualClock clock, int detectors, int from, int to) {
        for (int t = from; t < to; t++) {
            long ms = t * 1000L;
            for (int d = 0; d < detectors; d++) {
                in.detectorEdge(d, (t & 1) == 0, ms);
                in.detectorAggregate(d, ms, 1000, t % 3, 0.2, 10);
                in.laneArea(d, ms, (t + d) % 17, (t + d) % 5, (t % 7) * 7.5);
            }
            clock.set(ms);
            engine.doWork();
        }
    }
}
