package org.greenwave.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detector edges through the engine's inbound path: {@code Ingest.detectorEdge} → pooled event → shard queue → drain →
 * detector state. 64 intersections of 16 detectors (1,024 detectors, 512 loops), 2 shards; the clock stands still, so
 * no control tick runs after the first and only the inbound path is measured. One operation is one edge.
 * <ul>
 *   <li>{@code invoked}: one thread offers a batch of 1,024 edges, then runs the engine's duty cycle
 *       ({@code doWork()}) that applies them: the whole path on one core.</li>
 *   <li>{@code threaded}: the benchmark thread offers edges to a launched engine whose shard thread applies them
 *       (one shard, so producer and consumer are one thread each); an edge refused by a full queue is offered again,
 *       so the rate is what the shard sustains. {@code refused} counts the refusals.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class IngestBenchmark {
    static final int BATCH = 1024;
    static final int INTERSECTIONS = 64;

    /** The loops of the benchmark's intersections, as detector indexes. */
    static int[] loops(Engine engine) {
        int[] loops = new int[engine.directory().detectorCount()];
        int n = 0;
        for (int d = 0; d < loops.length; d++) {
            DetectorKind k = engine.directory().detectorKind(d);
            if (k == DetectorKind.STOP_LINE || k == DetectorKind.ADVANCE) {
                loops[n++] = d;
            }
        }
        return Arrays.copyOf(loops, Integer.highestOneBit(n));
    }

    static EngineContext context(int shards) {
        List<EngineIntersection> xs = new ArrayList<>();
        for (int i = 0; i < INTERSECTIONS; i++) {
            IntersectionModel m = EngineBench.sixteenLinks("x" + i);
            xs.add(new EngineIntersection(m, Policies.MAX_PRESSURE, EngineBench.detectors(m)));
        }
        return new EngineContext().intersections(xs).shards(shards).clock(new ManualClock(0)).planSink(p -> { });
    }

    @State(Scope.Thread)
    public static class Invoked {
        Engine engine;
        Ingest ingest;
        int[] loops;
        long timeMs;

        @Setup(Level.Trial)
        public void setUp() {
            engine = Engine.invoked(context(2));
            ingest = engine.ingest();
            loops = loops(engine);
            engine.doWork();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    @State(Scope.Thread)
    public static class Threaded {
        Engine engine;
        Ingest ingest;
        int[] loops;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            engine = Engine.launch(context(1));
            ingest = engine.ingest();
            loops = loops(engine);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    /** Refusals by a full queue, per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Refusals {
        public long refused;

        @Setup(Level.Iteration)
        public void clear() {
            refused = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int invoked(Invoked s) {
        Ingest in = s.ingest;
        int[] loops = s.loops;
        int mask = loops.length - 1;
        long t = s.timeMs++;
        for (int i = 0; i < BATCH; i++) {
            in.detectorEdge(loops[i & mask], (i & 2) == 0, t);
        }
        return s.engine.doWork();
    }

    @Benchmark
    public void threaded(Threaded s, Refusals r) {
        int k = s.next++;
        int d = s.loops[k & (s.loops.length - 1)];
        while (!s.ingest.detectorEdge(d, (k & 2) == 0, k)) {
            r.refused++;
            Thread.onSpinWait();
        }
    }
}
