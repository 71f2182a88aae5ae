package org.greenwave.benchmarks;

import java.util.concurrent.TimeUnit;

import org.greenwave.core.forecast.DirectForecaster;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.state.IntersectionView;
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
 * One decision of the schedule-driven policy ({@code greenwave}) for one intersection: the policy forms clusters,
 * searches the schedule and proposes, then the interlock decides. Two shapes: cologne1's (20 links, 4 phases) and
 * grid4x4's (36 links, 8 overlapping phases, the largest search among the benchmark networks). With
 * {@code arrivals = zone} the policy derives arrivals from the moving vehicles in the detection zones; with
 * {@code forecast} every lane is planned on a predicted arrival profile over the whole 60 s horizon (as for lanes
 * whose camera failed while their loops work), which gives the most clusters. Readings change every tick; each invocation advances time by one second.
 * The measured work (the forecast step excepted) is what the engine's tick adds for this policy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class AdaptiveDecisionBenchmark {
    @Param({"cologne1", "grid4x4"})
    public String shape;

    @Param({"zone", "forecast"})
    public String arrivals;

    private IntersectionState state;
    private SafetyInterlock interlock;
    private SignalPolicy policy;
    private DirectForecaster forecaster;
    private long nowMs;
    private int counter;

    /** grid4x4's signal: 36 links (12 lanes of 3), eight phases in which through and turning movements overlap. */
    static IntersectionModel gridModel() {
        String[] phases = {
            "GGGGGGrrrsssrrrrrrGGGGGGrrrsssrrrrrr", "sssrrrGGGsssrrrrrrsssrrrGGGsssrrrrrr",
            "GGGGGGGGGsssrrrrrrsssrrrrrrsssrrrrrr", "sssrrrrrrsssrrrrrrGGGGGGGGGsssrrrrrr",
            "sssrrrrrrGGGGGGrrrsssrrrrrrGGGGGGrrr", "sssrrrrrrsssrrrGGGsssrrrrrrsssrrrGGG",
            "sssrrrrrrsssrrrrrrsssrrrrrrGGGGGGGGG", "sssrrrrrrGGGGGGGGGsssrrrrrrsssrrrrrr",
        };
        int links = phases[0].length();
        // Two links conflict when no phase gives both a protected green.
        ConflictMatrix.Builder c = ConflictMatrix.builder(links);
        for (int a = 0; a < links; a++) {
            for (int b = a + 1; b < links; b++) {
                boolean together = false;
                for (String p : phases) {
                    together |= p.charAt(a) == SignalChar.GREEN && p.charAt(b) == SignalChar.GREEN;
                }
                if (!together) {
                    c.conflict(a, b);
                }
            }
        }
        IntersectionModel.Builder b = IntersectionModel.builder("grid", links).conflicts(c.build()).yellowS(3);
        for (int l = 0; l < links; l++) {
            b.link(l, "in" + l / 3, 273, 13.9, "out" + (l + 9) % links / 3);
        }
        for (int p = 0; p < phases.length; p++) {
            b.greenPhase(phases[p], p, 10, 5, 120);
        }
        return b.build();
    }

    @Setup(Level.Trial)
    public void setUp() {
        IntersectionModel m = "grid4x4".equals(shape) ? gridModel() : ControlTickBenchmark.model();
        interlock = new SafetyInterlock(m);
        interlock.reset(0, 0);
        state = new IntersectionState(m, interlock);
        policy = Policies.create(Policies.GREENWAVE, m);
        forecaster = new DirectForecaster();
    }

    /** Moves the readings and runs the forecast step; not measured. */
    @Setup(Level.Invocation)
    public void nextSecond() {
        nowMs += 1000;
        counter++;
        IntersectionModel m = state.model();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            int v = (counter * 7 + lane * 13) % 23;
            state.incomingArea(lane, v, v / 2, v / 2 * 7.5);
            state.addStopLineCount(lane, (counter + lane) % 3 == 0 ? 1 : 0);
        }
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            state.outgoingArea(lane, (counter * 3 + lane) % 11);
        }
        state.now(nowMs);
        forecaster.update(state);
        if ("forecast".equals(arrivals)) {
            double[] a = state.predictedArrivalsArray();
            for (int i = 0; i < a.length; i++) {
                // Platoons: a few seconds of arrivals, then gaps, different per lane and tick.
                a[i] = ((i + counter) % 11 < 4) ? 0.4 : 0;
            }
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                // The policy plans on the forecaster's arrivals for a lane whose camera failed and whose loops work.
                state.detectorFaults(lane, IntersectionView.FAULT_AREA);
            }
        }
    }

    @Benchmark
    public boolean decide() {
        return interlock.step(nowMs, policy.propose(state));
    }
}
