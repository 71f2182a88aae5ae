package org.greenwave.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.EngineMetrics;
import org.greenwave.core.engine.LatencySnapshot;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.Clock;

/**
 * A synthetic city on the real-time clock: does a threaded engine hold real time, and at what CPU cost?
 *
 * <p>{@code N} intersections (default 20,000) of {@link EngineBench#sixteenLinks} with 16 detectors each (4 incoming
 * lanes × stop-line, advance, area; 4 outgoing areas), alternately Webster and max-pressure, 1 s control period, on
 * {@code S} shards (default 2). One producer thread sends one reading per detector per second (loops: an on or off
 * edge, areas: a lane-area reading), spread evenly over the second in 10 ms slices: 320,000 readings/s by default.
 * After a warm-up the run is measured for a while of wall time; the report says whether every intersection got its
 * tick every second (ticks run = intersections × seconds, none skipped, largest lag under a second), whether any
 * reading was refused, and the CPU used: process, shard threads and producer, as a share of wall time × cores.
 *
 * <p>JMH fits badly: the question is sustained real-time behaviour and CPU share, not the cost of one call. Run:
 * <pre>java -cp benchmarks/target/benchmarks.jar org.greenwave.benchmarks.CityScale [N] [S] [measureS] [warmupS]
 *     [queueCapacity]</pre>
 * The queue capacity per shard (default 65,536) is how long a shard may stall (host scheduling, GC) before readings
 * are refused: at 160,000 readings/s per shard, 65,536 last 0.4 s.
 */
public final class CityScale {
    private static final int SLICES_PER_S = 100;

    private CityScale() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int measureS = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int warmupS = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int queueCapacity = args.length > 4 ? Integer.parseInt(args[4]) : EngineContext.DEFAULT_QUEUE_CAPACITY;
        int cores = Runtime.getRuntime().availableProcessors();

        List<EngineIntersection> xs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IntersectionModel m = EngineBench.sixteenLinks("j" + i);
            xs.add(new EngineIntersection(m, i % 2 == 0 ? Policies.WEBSTER : Policies.MAX_PRESSURE,
                    EngineBench.detectors(m)));
        }
        long originNs = System.nanoTime();
        Clock wall = () -> (System.nanoTime() - originNs) / 1_000_000;
        long[] lastSequence = new long[n];
        EngineContext ctx = new EngineContext().intersections(xs).shards(shards).clock(wall).queueCapacity(queueCapacity)
                .planSink(p -> lastSequence[p.intersection()] = p.sequence());

        try (Engine engine = Engine.launch(ctx)) {
            Producer producer = new Producer(engine, originNs);
            Thread producerThread = new Thread(producer, "city-producer");
            producerThread.setDaemon(true);
            producerThread.start();

            sleepUntil(originNs + warmupS * 1_000_000_000L);
            Sample start = Sample.take(engine, producer, producerThread);
            for (int s = 0; s < engine.metrics().shardCount(); s++) {
                System.out.printf(Locale.ROOT, "  warm-up, shard %d: max duty cycle %.1f ms, max tick lag %.1f ms%n", s,
                        engine.metrics().maxDutyCycleNs(s) / 1e6, engine.metrics().maxTickLagNs(s) / 1e6);
            }
            engine.metrics().decisionLatency();
            watch(engine, originNs, warmupS, measureS);
            Sample end = Sample.take(engine, producer, producerThread);
            LatencySnapshot latency = engine.metrics().decisionLatency();
            producer.running = false;
            producerThread.join();

            EngineMetrics m = engine.metrics();
            double wallS = (end.wallNs - start.wallNs) / 1e9;
            long ticks = end.ticks - start.ticks;
            long maxDutyNs = 0;
            long maxLagNs = 0;
            for (int s = 0; s < m.shardCount(); s++) {
                maxDutyNs = Math.max(maxDutyNs, m.maxDutyCycleNs(s));
                maxLagNs = Math.max(maxLagNs, m.maxTickLagNs(s));
            }
            long lowestSequence = Long.MAX_VALUE;
            for (long seq : lastSequence) {
                lowestSequence = Math.min(lowestSequence, seq);
            }
            System.out.printf(Locale.ROOT, "CityScale: %,d intersections x 16 detectors, %d shards, %d cores, "
                    + "tick 1 s, queue %,d/shard, warm-up %d s, measured %.1f s of wall time%n", n, m.shardCount(), cores,
                    queueCapacity, warmupS, wallS);
            System.out.printf(Locale.ROOT, "readings offered        %,d (%.0f/s), refused by producer-side full queue %,d%n",
                    end.offered - start.offered, (end.offered - start.offered) / wallS, end.drops - start.drops);
            System.out.printf(Locale.ROOT, "readings applied        %,d (%.0f/s), ignored %,d%n",
                    end.applied - start.applied, (end.applied - start.applied) / wallS, end.ignored - start.ignored);
            System.out.printf(Locale.ROOT, "control ticks           %,d = %.4f x intersections x seconds; skipped %,d; "
                    + "errors %,d%n", ticks, ticks / (double) n / wallS, end.skipped - start.skipped,
                    end.errors - start.errors);
            System.out.printf(Locale.ROOT, "largest tick lag        %.1f ms (whole run, warm-up included)%n",
                    maxLagNs / 1e6);
            System.out.printf(Locale.ROOT, "largest duty cycle      %.1f ms (whole run)%n", maxDutyNs / 1e6);
            System.out.printf(Locale.ROOT, "lowest plan sequence    %,d (intersection that got the fewest plans)%n",
                    lowestSequence);
            System.out.printf(Locale.ROOT, "decision latency        p50 %.1f us, p99 %.1f us, max %.1f us (%,d ticks)%n",
                    latency.p50Ns() / 1e3, latency.p99Ns() / 1e3, latency.maxNs() / 1e3, latency.count());
            System.out.printf(Locale.ROOT, "CPU share of %d cores   process %.1f %%, shard threads %.1f %%, producer %.1f %%%n",
                    cores, 100.0 * (end.processCpuNs - start.processCpuNs) / (wallS * 1e9 * cores),
                    100.0 * (end.shardCpuNs - start.shardCpuNs) / (wallS * 1e9 * cores),
                    100.0 * (end.producerCpuNs - start.producerCpuNs) / (wallS * 1e9 * cores));
            boolean realTime = end.drops == start.drops && end.skipped == start.skipped && maxLagNs < 1_000_000_000L
                    && ticks >= (long) n * ((long) Math.floor(wallS) - 1);
            System.out.println("holds real time         " + (realTime ? "yes" : "NO"));
        }
    }

    /**
     * Waits out the measurement, checking every second and printing a line whenever the largest duty cycle or tick
     * lag grew, or readings were refused, so that a stall can be placed in time.
     */
    private static void watch(Engine engine, long originNs, int warmupS, int measureS) {
        EngineMetrics m = engine.metrics();
        long drops = m.queueFullDrops();
        long[] duty = new long[m.shardCount()];
        long[] lag = new long[m.shardCount()];
        for (int s = 0; s < duty.length; s++) {
            duty[s] = m.maxDutyCycleNs(s);
            lag[s] = m.maxTickLagNs(s);
        }
        for (int t = 1; t <= measureS; t++) {
            sleepUntil(originNs + (warmupS + t) * 1_000_000_000L);
            StringBuilder line = new StringBuilder();
            long d = m.queueFullDrops();
            if (d != drops) {
                line.append(String.format(Locale.ROOT, " refused +%,d", d - drops));
                drops = d;
            }
            for (int s = 0; s < duty.length; s++) {
                if (m.maxDutyCycleNs(s) != duty[s] || m.maxTickLagNs(s) != lag[s]) {
                    duty[s] = m.maxDutyCycleNs(s);
                    lag[s] = m.maxTickLagNs(s);
                    line.append(String.format(Locale.ROOT, " shard %d: max duty cycle %.1f ms, max tick lag %.1f ms",
                            s, duty[s] / 1e6, lag[s] / 1e6));
                }
            }
            if (line.length() > 0) {
                System.out.printf(Locale.ROOT, "  at %d s of %d:%s%n", t, measureS, line);
            }
        }
    }

    private static void sleepUntil(long deadlineNs) {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Sends one reading per detector per second, in 10 ms slices, on the engine's time line. */
    private static final class Producer implements Runnable {
        private final Ingest ingest;
        private final long originNs;
        private final boolean[] loop;
        volatile boolean running = true;
        volatile long offered;

        Producer(Engine engine, long originNs) {
            this.ingest = engine.ingest();
            this.originNs = originNs;
            int detectors = engine.directory().detectorCount();
            this.loop = new boolean[detectors];
            for (int d = 0; d < detectors; d++) {
                DetectorKind k = engine.directory().detectorKind(d);
                loop[d] = k == DetectorKind.STOP_LINE || k == DetectorKind.ADVANCE;
            }
        }

        @Override
        public void run() {
            int detectors = loop.length;
            long sliceNs = 1_000_000_000L / SLICES_PER_S;
            long count = 0;
            for (long slice = 0; running; slice++) {
                sleepUntil(originNs + slice * sliceNs);
                long second = slice / SLICES_PER_S;
                int part = (int) (slice % SLICES_PER_S);
                int from = (int) ((long) detectors * part / SLICES_PER_S);
                int to = (int) ((long) detectors * (part + 1) / SLICES_PER_S);
                long ms = (slice * sliceNs) / 1_000_000L;
                for (int d = from; d < to; d++) {
                    if (loop[d]) {
                        ingest.detectorEdge(d, ((second + d) & 1) == 0, ms);
                    } else {
                        int v = (int) ((second * 7 + d) % 23);
                        ingest.laneArea(d, ms, v, v / 2, v * 7.5);
                    }
                }
                count += to - from;
                offered = count;
            }
        }
    }

    /** Counters and CPU clocks at one moment. */
    private record Sample(long wallNs, long offered, long applied, long ignored, long drops, long ticks, long skipped,
                          long errors, long processCpuNs, long shardCpuNs, long producerCpuNs) {
        static Sample take(Engine engine, Producer producer, Thread producerThread) {
            EngineMetrics m = engine.metrics();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long shardCpu = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("greenwave-shard-")) {
                    shardCpu += threads.getThreadCpuTime(t.getId());
                }
            }
            return new Sample(System.nanoTime(), producer.offered, m.eventsApplied(),
                    m.eventsIgnored(), m.queueFullDrops(), m.ticks(), m.ticksSkipped(), m.errors(),
                    os.getProcessCpuTime(), shardCpu, threads.getThreadCpuTime(producerThread.getId()));
        }
    }
}
