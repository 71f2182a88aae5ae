package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.greenwave.core.safety.SafetyInterlock.ALL_RED;
import static org.greenwave.core.safety.SafetyInterlock.GREEN;
import static org.greenwave.core.safety.SafetyInterlock.YELLOW;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.RandomIntersections.Intersection;

/**
 * The safety contract of the interlock: on any valid intersection, for any sequence of proposals at any tick spacing,
 * no state it emits breaks minimum green, amber, all-red or the conflict matrix, exactly, on integer milliseconds. Checked twice: by an independent
 * {@link SafetyMonitor} fed every emitted state, and by direct assertions on the intervals.
 */
class SafetyInterlockPropertiesTest {
    /**
     * One control tick: the time since the previous tick in centiseconds (used by the irregular tick modes), and two
     * numbers from which the proposal is made (see {@link #proposal}).
     */
    record Tick(int dtCentis, int kind, int value) {
    }

    /**
     * A sequence of ticks. {@code tickMode}: 0 every 1 s, 1 every 0.5 s, 2 irregular 0.50..3.00 s, 3 irregular in
     * half seconds 0.5..3 s. {@code holdPercent}: how often the policy simply asks to keep the current phase.
     */
    record Run(long startMs, int firstPhase, int tickMode, int holdPercent, List<Tick> ticks) {
        long dtMs(Tick t) {
            switch (tickMode) {
                case 0:
                    return 1000;
                case 1:
                    return 500;
                case 2:
                    return t.dtCentis() * 10L;
                default:
                    return Math.max(1, t.dtCentis() / 50) * 500L;
            }
        }
    }

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersections();
    }

    @Provide
    Arbitrary<Run> runs() {
        Arbitrary<Tick> tick = Combinators.combine(
                Arbitraries.integers().between(50, 300),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 10_000)).as(Tick::new);
        return Combinators.combine(
                Arbitraries.of(0L, 3_600_250L, 2_600_000_300L),
                Arbitraries.integers().between(0, RandomIntersections.MAX_PHASES - 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 50, 90, 98),
                tick.list().ofMinSize(1).ofMaxSize(400).withSizeDistribution(RandomDistribution.uniform()))
                .as(Run::new);
    }

    /**
     * What a misbehaving policy might propose: hold the current phase, any int (mostly in range, sometimes just out
     * of it), the next phase, flip-flop between two phases every tick, an extreme int, the running target, or a
     * random valid phase.
     */
    static int proposal(Run run, Tick t, int index, SafetyInterlock il) {
        int n = il.model().greenPhaseCount();
        if (t.kind() < run.holdPercent()) {
            return il.phase();
        }
        int v = t.value() / 7;
        switch (t.value() % 7) {
            case 0:
                return v % (n + 5) - 2;
            case 1:
                return (il.phase() + 1) % n;
            case 2:
                return index % 2 == 0 ? v % n : (v / n) % n;
            case 3:
                return v % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            case 4:
                return il.targetPhase();
            case 5:
                return v % n;
            default:
                return n;
        }
    }

    // Generator edge cases (one phase, one tick) would crowd out long runs; the ranges reach them anyway.
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @StatisticsReport(StatisticsReportMode.OFF)
    void theInterlockNeverEmitsAnUnsafeState(@ForAll("intersections") Intersection x, @ForAll("runs") Run run) {
        IntersectionModel m = x.model();
        int n = m.greenPhaseCount();
        SafetyInterlock il = new SafetyInterlock(m);
        SafetyMonitor monitor = new SafetyMonitor(m);
        long now = run.startMs();
        il.reset(run.firstPhase() % n, now);
        monitor.observe(now, il.shownString());

        long greenStartMs = now;
        long yellowStartMs = 0;
        long allRedStartMs = 0;
        long transitions = 0;
        for (int i = 0; i < run.ticks().size(); i++) {
            Tick tick = run.ticks().get(i);
            long prevMs = now;
            now += run.dtMs(tick);
            int before = il.interval();
            int phaseBefore = il.phase();
            int targetBefore = il.targetPhase();

            il.step(now, proposal(run, tick, i, il));
            String shown = il.shownString();
            monitor.observe(now, shown);

            int after = il.interval();
            String at = "tick " + i + " t=" + now + " ms shown " + shown;
            if (n == 1) {
                assertThat(after).as("single phase never leaves green, %s", at).isEqualTo(GREEN);
            }
            if (before == GREEN && after == GREEN) {
                assertThat(il.phase()).as(at).isEqualTo(phaseBefore);
                if (n > 1) {
                    assertThat(now - greenStartMs).as("still green past max green, %s", at)
                            .isLessThan(m.maxGreenMs(il.phase()));
                }
            } else if (before == GREEN && after == YELLOW) {
                long greenMs = now - greenStartMs;
                assertThat(greenMs).as("min green, %s", at).isGreaterThanOrEqualTo(m.minGreenMs(phaseBefore));
                assertThat(greenMs).as("max green exceeded by more than one tick, %s", at)
                        .isLessThanOrEqualTo(m.maxGreenMs(phaseBefore) + (now - prevMs));
                assertThat(il.phase()).as(at).isEqualTo(phaseBefore);
                assertThat(il.targetPhase()).as(at).isBetween(0, n - 1).isNotEqualTo(phaseBefore);
                yellowStartMs = now;
                transitions++;
            } else if (before == YELLOW && after == YELLOW) {
                assertThat(now - yellowStartMs).as("amber held too long, %s", at).isLessThan(m.yellowMs());
            } else if (before == YELLOW && after == ALL_RED) {
                assertThat(m.allRedMs()).as("all-red without all-red time, %s", at).isPositive();
                assertThat(now - yellowStartMs).as("amber, %s", at).isGreaterThanOrEqualTo(m.yellowMs());
                allRedStartMs = now;
            } else if (before == YELLOW && after == GREEN) {
                assertThat(m.allRedMs()).as("all-red skipped, %s", at).isZero();
                assertThat(now - yellowStartMs).as("amber, %s", at).isGreaterThanOrEqualTo(m.yellowMs());
                assertThat(il.phase()).as(at).isEqualTo(targetBefore);
                greenStartMs = now;
            } else if (before == ALL_RED && after == ALL_RED) {
                assertThat(now - allRedStartMs).as("all-red held too long, %s", at).isLessThan(m.allRedMs());
            } else if (before == ALL_RED && after == GREEN) {
                assertThat(now - allRedStartMs).as("all-red, %s", at).isGreaterThanOrEqualTo(m.allRedMs());
                assertThat(il.phase()).as(at).isEqualTo(targetBefore);
                greenStartMs = now;
            } else {
                fail("interval went from %d to %d, %s", before, after, at);
            }

            if (after == GREEN) {
                assertThat(shown).as("green interval shows its phase, %s", at)
                        .isEqualTo(m.greenPhaseString(il.phase()));
                assertThat(il.targetPhase()).as(at).isEqualTo(il.phase());
                assertThat(il.phaseStartMs()).as(at).isEqualTo(greenStartMs);
            } else {
                assertTransitionState(m, il, shown, at);
            }
        }

        assertThat(monitor.total()).as("monitor: %s", monitor.examples()).isZero();
        assertThat(il.conflictsBlocked()).isZero();

        // Guards the generator: enough runs must reach the interesting cases.
        Statistics.label("phase changes").collect(transitions > 0);
        Statistics.label("max green forced").collect(il.maxGreenForced() > 0);
        Statistics.label("min green held").collect(il.heldForMinGreen() > 0);
        Statistics.label("invalid proposals").collect(il.invalidProposals() > 0);
        Statistics.label("phase changes").coverage(c -> c.check(true).percentage(p -> p >= 50));
        Statistics.label("max green forced").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("min green held").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("invalid proposals").coverage(c -> c.check(true).percentage(p -> p >= 30));
    }

    /**
     * During amber and all-red no link gains a protected green; during amber exactly the links that lose their green
     * show amber; during all-red none does.
     */
    private static void assertTransitionState(IntersectionModel m, SafetyInterlock il, String shown, String at) {
        int from = il.phase();
        int to = il.targetPhase();
        for (int l = 0; l < m.linkCount(); l++) {
            char was = m.greenState(from, l);
            char will = m.greenState(to, l);
            char c = shown.charAt(l);
            if (c == SignalChar.GREEN) {
                assertThat(was == SignalChar.GREEN && will == SignalChar.GREEN)
                        .as("link %d protected green in transition %d->%d, %s", l, from, to, at).isTrue();
            }
            boolean losesGreen = SignalChar.isGreen(was) && !SignalChar.isGreen(will);
            if (il.interval() == YELLOW) {
                assertThat(c == SignalChar.YELLOW).as("link %d amber iff it loses its green, %s", l, at)
                        .isEqualTo(losesGreen);
            } else {
                assertThat(c).as("link %d amber during all-red, %s", l, at).isNotEqualTo(SignalChar.YELLOW);
            }
        }
    }
}
