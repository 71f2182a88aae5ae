package org.greenwave.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.LatencySnapshot;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One control tick of one intersection through the engine: the engine's duty cycle applies the second's detector
 * readings (one per detector, 37 for this junction, queued before the measured call), folds them into the
 * intersection state, asks the policy, steps the interlock, writes the timing plan and hands it to the sink. The
 * junction is {@link ControlTickBenchmark#model()} (20 links, 4 phases, cologne1's shape), so the difference to
 * that benchmark is what the engine adds. Time advances 1 s per call; readings change every call.
 *
 * <p>At the end of each fork the engine's own decision-latency histogram (tick start to sink return, measured inside
 * the engine) is printed as a cross-check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DecisionBenchmark {
    @Param({Policies.WEBSTER, Policies.MAX_PRESSURE})
    public String policy;

    private ManualClock clock;
    private Engine engine;
    private Ingest ingest;
    private DetectorKind[] kinds;
    private int second;

    @Setup(Level.Trial)
    public void setUp() {
        IntersectionModel m = ControlTickBenchmark.model();
        clock = new ManualClock(0);
        engine = Engine.invoked(new EngineContext()
                .intersections(List.of(new EngineIntersection(m, policy, EngineBench.detectors(m))))
                .clock(clock).planSink(p -> { }));
        ingest = engine.ingest();
        kinds = new DetectorKind[engine.directory().detectorCount()];
        for (int d = 0; d < kinds.length; d++) {
            kinds[d] = engine.directory().detectorKind(d);
        }
    }

    /** Queues the next second's readings and moves the clock; not measured. */
    @Setup(Level.Invocation)
    public void nextSecond() {
        second++;
        long ms = second * 1000L;
        for (int d = 0; d < kinds.length; d++) {
            int v = (second * 7 + d * 13) % 23;
            switch (kinds[d]) {
                case STOP_LINE:
                case ADVANCE:
                    ingest.detectorEdge(d, (second + d) % 3 != 0, ms);
                    break;
                case AREA_IN:
                    ingest.laneArea(d, ms, v, v / 2, v * 7.5);
                    break;
                default:
                    ingest.laneArea(d, ms, (second * 3 + d) % 11, 0, 0);
                    break;
            }
        }
        clock.set(ms);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LatencySnapshot l = engine.metrics().decisionLatency();
        System.out.printf("%nengine decision latency (%s, %d ticks): p50 %d ns, p99 %d ns, max %d ns%n", policy,
                l.count(), l.p50Ns(), l.p99Ns(), l.maxNs());
        engine.close();
    }

    @Benchmark
    public int tick() {
        return engine.doWork();
    }
}
