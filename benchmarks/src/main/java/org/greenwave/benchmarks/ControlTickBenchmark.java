package org.greenwave.benchmarks;

import java.util.concurrent.TimeUnit;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
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
 * One control tick of one intersection: a baseline policy proposes, the safety interlock decides. The intersection
 * is a 4-leg junction with 20 signalled links and 4 green phases (the shape of RESCO's cologne1); detector readings
 * change every tick so that policies see moving data. Each invocation advances time by one second.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ControlTickBenchmark {
    @Param({Policies.WEBSTER, Policies.MAX_PRESSURE})
    public String policy;

    private IntersectionState state;
    private SafetyInterlock interlock;
    private SignalPolicy signalPolicy;
    private long nowMs;
    private int counter;

    /** A cologne1-shaped model: four approaches of five links, through movements of crossing roads conflict. */
    static IntersectionModel model() {
        int links = 20;
        ConflictMatrix.Builder c = ConflictMatrix.builder(links);
        for (int a = 0; a < links; a++) {
            for (int b = 0; b < links; b++) {
                int approachA = a / 5;
                int approachB = b / 5;
                if ((approachA + approachB) % 2 == 1) {
                    c.conflict(a, b);
                }
            }
        }
        IntersectionModel.Builder b = IntersectionModel.builder("bench", links).conflicts(c.build())
                .yellowS(3).allRedS(1);
        for (int l = 0; l < links; l++) {
            b.link(l, "in" + l / 2, 200, 13.9, "out" + l / 3);
        }
        b.greenPhase("GGGggrrrrrGGGggrrrrr", 0, 30, 5, 60);
        b.greenPhase("rrrGGrrrrrrrrGGrrrrr", 2, 8, 5, 60);
        b.greenPhase("rrrrrGGGggrrrrrGGGgg", 4, 30, 5, 60);
        b.greenPhase("rrrrrrrrGGrrrrrrrrGG", 6, 8, 5, 60);
        return b.build();
    }

    @Setup(Level.Trial)
    public void setUp() {
        IntersectionModel m = model();
        interlock = new SafetyInterlock(m);
        interlock.reset(0, 0);
        state = new IntersectionState(m, interlock);
        signalPolicy = Policies.create(policy, m);
    }

    @Benchmark
    public boolean tick() {
        nowMs += 1000;
        counter++;
        IntersectionModel m = state.model();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            int v = (counter * 7 + lane * 13) % 23;
            state.incomingArea(lane, v, v / 2, v * 7.5);
            state.addStopLineCount(lane, (counter + lane) % 3 == 0 ? 1 : 0);
        }
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            state.outgoingArea(lane, (counter * 3 + lane) % 11);
        }
        state.now(nowMs);
        return interlock.step(nowMs, signalPolicy.propose(state));
    }
}
