package org.greenwave.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.learn.TrainingSet;
import org.greenwave.forecast.online.QueueForecaster;
import org.greenwave.forecast.online.QueueForecasterFactory;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forecast step of one intersection: {@link QueueForecaster#update} for a 4-arm junction with 12 incoming lanes
 * (left, through and right lane per arm, each with a stop-line loop, an advance loop and a lane-area detector) and 4
 * green phases run by the safety interlock on a fixed 30 s cycle. Each invocation is one 1 s control tick: it writes
 * the second's readings into the state (about 100 array stores), steps the interlock, then runs the forecaster —
 * health, queue estimate, arrivals and the 60 s queue prediction for every lane.
 *
 * <p>{@code variant}: {@code model-based} (roll-out only) or {@code learned}, with a {@link QueueModel} (4 horizons ×
 * 100 trees of depth ≤ 6) trained at set-up from the forecaster's own captured features. Its truth is the
 * forecaster's estimate plus 3 vehicles, so that every lane chooses the learned prediction, the costlier path; it
 * carries bands for every slot, so each tick also sums the intersection's and its 4 approaches' totals and looks up
 * their bands.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ForecastBenchmark {
    @Param({"model-based", "learned"})
    public String variant;

    private IntersectionState state;
    private SafetyInterlock interlock;
    private QueueForecaster forecaster;
    private int second;

    /** Four arms of three lanes (left, through, right), one signalled link per lane. */
    static IntersectionModel model() {
        int links = 12;
        ConflictMatrix.Builder c = ConflictMatrix.builder(links);
        for (int a = 0; a < links; a++) {
            for (int b = a + 1; b < links; b++) {
                int armA = a / 3;
                int armB = b / 3;
                boolean crossing = (armA + armB) % 2 == 1;
                boolean leftAcrossOpposing = (armA + 2) % 4 == armB && (a % 3 == 0) != (b % 3 == 0);
                if (crossing || leftAcrossOpposing) {
                    c.conflict(a, b);
                }
            }
        }
        IntersectionModel.Builder b = IntersectionModel.builder("bench", links).conflicts(c.build())
                .yellowS(3).allRedS(1);
        for (int l = 0; l < links; l++) {
            b.link(l, "arm" + l / 3 + "_" + l % 3, 250, 13.9, "out" + l);
        }
        b.greenPhase("rGGrrrrGGrrr", 0, 30, 5, 60);
        b.greenPhase("GrrrrrGrrrrr", 2, 30, 5, 60);
        b.greenPhase("rrrrGGrrrrGG", 4, 30, 5, 60);
        b.greenPhase("rrrGrrrrrGrr", 6, 30, 5, 60);
        return b.build();
    }

    static List<DetectorSpec> detectors(IntersectionModel m) {
        List<DetectorSpec> d = new ArrayList<>();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            d.add(new DetectorSpec("sl" + lane, DetectorKind.STOP_LINE, lane));
            d.add(new DetectorSpec("adv" + lane, DetectorKind.ADVANCE, lane));
            d.add(new DetectorSpec("ain" + lane, DetectorKind.AREA_IN, lane));
        }
        return d;
    }

    @Setup(Level.Trial)
    public void setUp() {
        IntersectionModel m = model();
        QueueModel learned = null;
        if (variant.equals("learned")) {
            learned = train(m);
        } else if (!variant.equals("model-based")) {
            throw new IllegalArgumentException("variant must be model-based or learned, was " + variant);
        }
        interlock = new SafetyInterlock(m);
        interlock.reset(0, 0);
        state = new IntersectionState(m, interlock);
        forecaster = new QueueForecasterFactory(new QueueForecasterFactory.Config(), learned, null)
                .create(m, detectors(m));
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            if (learned != null && !forecaster.usesLearned(lane)) {
                throw new IllegalStateException("lane " + lane + " did not choose the learned model");
            }
        }
        second = 0;
    }

    /** Captures an hour of features, pairs them with a truth of estimate + 3 vehicles, trains with the defaults. */
    private static QueueModel train(IntersectionModel m) {
        TrainingSet set = new TrainingSet();
        SafetyInterlock il = new SafetyInterlock(m);
        il.reset(0, 0);
        IntersectionState s = new IntersectionState(m, il);
        QueueForecaster capture = new QueueForecasterFactory(new QueueForecasterFactory.Config(), null, set)
                .create(m, detectors(m));
        for (int t = 0; t < 3_600; t++) {
            readings(s, il, t);
            capture.update(s);
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                set.trueQueue(m.id(), lane, t, s.queueVeh(lane) + 3);
            }
        }
        // Bands in every slot and size bucket, so that the totals' band look-ups run as with a calibrated model.
        PredictionBands.Calibrator bands = new PredictionBands.Calibrator();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 20_000; i++) {
            double predicted = 60 * r.nextDouble();
            for (int scope = 0; scope < PredictionBands.SCOPES; scope++) {
                for (int slot = 0; slot < PredictionBands.SLOTS; slot++) {
                    double p = slot == PredictionBands.SLOT_DELAY ? 60 * predicted : predicted;
                    bands.add(scope, slot, p, p * (1 + 0.3 * r.nextGaussian()));
                }
            }
        }
        return QueueModel.train(set.samples(), List.of(), 1).withBands(bands.build(0.1, 0.9));
    }

    /** The readings of second {@code t}: arrivals, departures on green, occupancies, area readings; the signal. */
    private static void readings(IntersectionState s, SafetyInterlock il, int t) {
        s.now(t * 1000L);
        il.step(t * 1000L, (t / 30) % 4);
        int lanes = s.model().incomingLaneCount();
        for (int lane = 0; lane < lanes; lane++) {
            boolean green = s.laneGreen(lane);
            int arrived = (t * 7 + lane * 13) % 5 == 0 ? 1 : 0;
            s.addAdvanceCount(lane, arrived);
            s.advanceOccupancy(lane, arrived * 0.3, false);
            int departed = green && (t + lane) % 2 == 0 ? 1 : 0;
            s.addStopLineCount(lane, departed);
            s.stopLineOccupancy(lane, green ? 0.5 : 1, !green);
            int v = (t * 3 + lane) % 17;
            s.incomingArea(lane, v, v / 2, v / 2 * 7.5);
            s.incomingAreaReported(lane);
        }
    }

    @Benchmark
    public double tick() {
        second++;
        readings(state, interlock, second);
        forecaster.update(state);
        return state.predictedQueueVeh(0, 60);
    }
}
