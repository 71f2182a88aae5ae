package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.RandomIntersections.Intersection;

/**
 * Deadlines over hours of 0.1 s steps, the run where double seconds drift: summed from an epoch start, 0.1 s steps are
 * 3.4 ms off after one hour ({@link #doubleSecondsDriftOverAnHour}), far more than any tolerance. On the engine's integer
 * milliseconds every interval the interlock times lasts exactly its length rounded up to the step, at the first hour as
 * at the last, and the monitor, on the same time line, finds nothing.
 */
class LongRunTimingPropertiesTest {
    /** Three hours. */
    private static final long RUN_MS = 3 * 3_600_000L;

    @Provide
    Arbitrary<Intersection> intersections() {
        return Arbitraries.oneOf(RandomIntersections.intersections(), RandomIntersections.intersectionsWithCrossings());
    }

    @Provide
    Arbitrary<Long> starts() {
        // Simulation time zero, a simulation's later start, and wall time (ms since the epoch) as a live engine has.
        return Arbitraries.of(0L, 57_600_000L, 1_733_580_000_000L);
    }

    @Provide
    Arbitrary<List<Boolean>> holds() {
        // Per green: whether the policy keeps asking for it (the maximum green ends it) or asks for the next phase.
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 12, edgeCases = EdgeCasesMode.NONE)
    void everyIntervalLastsExactlyItsLengthForHours(@ForAll("intersections") Intersection x,
                                                    @ForAll("starts") long startMs,
                                                    @ForAll("holds") List<Boolean> holds) {
        IntersectionModel m = x.model();
        int n = m.greenPhaseCount();
        long stepMs = 100;
        SafetyInterlock il = new SafetyInterlock(m);
        SafetyMonitor monitor = new SafetyMonitor(m);
        il.reset(0, startMs);
        monitor.observe(startMs, il.shownString());
        long intervalStartMs = startMs;
        int greens = 0;
        long checked = 0;
        for (long now = startMs + stepMs; now - (startMs + RUN_MS) <= 0; now += stepMs) {
            int before = il.interval();
            int from = il.phase();
            int to = il.targetPhase();
            boolean hold = holds.get(greens % holds.size());
            il.step(now, hold ? il.phase() : (il.phase() + 1) % n);
            monitor.observe(now, il.shownString());
            if (il.interval() == before && (before != SafetyInterlock.GREEN || il.phase() == from)) {
                continue;
            }
            long lastedMs = now - intervalStartMs;
            String at = x + " t=" + now + " ms, interval " + before + " " + from + "->" + to;
            if (before == SafetyInterlock.GREEN) {
                if (n > 1) {
                    // Asking for the next phase throughout, the green ends at the first step at or after its minimum;
                    // holding it, at the first step at or after its maximum.
                    long boundMs = hold ? m.maxGreenMs(from) : m.effectiveMinGreenMs(from);
                    assertThat(lastedMs).as(at).isEqualTo(roundUp(boundMs, stepMs));
                    checked++;
                }
                greens++;
            } else {
                assertThat(lastedMs).as(at).isEqualTo(roundUp(SafetyInterlock.intervalMs(m, from, to, before), stepMs));
                checked++;
            }
            intervalStartMs = now;
        }
        assertThat(monitor.total()).as("monitor: %s", monitor.examples()).isZero();
        if (n > 1) {
            assertThat(checked).as("intervals timed over the run").isGreaterThan(100);
        }
    }

    @Example
    void doubleSecondsDriftOverAnHour() {
        double t = 1_733_580_000.0;
        for (int i = 0; i < 36_000; i++) {
            t += 0.1;
        }
        assertThat(Math.abs(t - 1_733_583_600.0)).isGreaterThan(1e-3);
    }

    private static long roundUp(long ms, long stepMs) {
        return (ms + stepMs - 1) / stepMs * stepMs;
    }
}
