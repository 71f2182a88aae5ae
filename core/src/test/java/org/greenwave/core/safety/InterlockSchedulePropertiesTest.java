package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.policy.RollingHorizonPolicy;
import org.greenwave.core.safety.RandomIntersections.Intersection;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;

/**
 * The interlock against random networks with pedestrian crossings and random proposers: random schedules (phase
 * sequences with random durations, as a schedule-driven policy would publish), random per-tick proposals, and the
 * rolling-horizon policy itself under random detector readings and detector faults. Whatever is proposed, the states
 * shown are checked by the independent {@link SafetyMonitor} (min green incl. pedestrian minimums, amber, all-red
 * clearance, conflicts), and this test checks every crossing's green duration and the maximum green itself.
 */
class InterlockSchedulePropertiesTest {
    /** One entry of a random schedule: a phase (any int, out-of-range ones included) held for a duration. */
    record Entry(int phase, int durationDeciS) {
    }

    /** Random readings of one lane: vehicles, halting, fault bits. */
    record Reading(int vehicles, int halting, int faults) {
    }

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersectionsWithCrossings();
    }

    @Provide
    Arbitrary<List<Entry>> schedules() {
        Arbitrary<Integer> phase = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.integers().between(0, RandomIntersections.MAX_PHASES - 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-3, 20)));
        return Combinators.combine(phase, Arbitraries.integers().between(0, 600)).as(Entry::new)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Integer>> tickSteps() {
        // Tick spacing in tenths of a second: the 1 s control tick, SUMO's 0.1 s step, and irregular ones.
        return Arbitraries.integers().between(1, 25).list().ofMinSize(50).ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<Reading>> readings() {
        Arbitrary<Integer> faults = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 7)));
        return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40),
                faults).as(Reading::new).list().ofSize(RandomIntersections.MAX_LINKS);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void randomSchedulesNeverBreakARule(@ForAll("intersections") Intersection x, @ForAll("schedules") List<Entry> plan,
                                        @ForAll("tickSteps") List<Integer> steps) {
        IntersectionModel m = x.model();
        Checked c = new Checked(m);
        long now = 0;
        int entry = 0;
        long entryEndMs = plan.get(0).durationDeciS() * 100L;
        for (int i = 0; i < steps.size() * 3; i++) {
            now += steps.get(i % steps.size()) * 100L;
            while (now >= entryEndMs && entry + 1 < plan.size()) {
                entry++;
                entryEndMs += plan.get(entry).durationDeciS() * 100L;
            }
            c.step(now, plan.get(entry).phase());
        }
        c.assertClean();
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void randomProposalsNeverBreakARule(@ForAll("intersections") Intersection x,
                                        @ForAll("tickSteps") List<Integer> steps,
                                        @ForAll("tickSteps") List<Integer> proposals) {
        IntersectionModel m = x.model();
        Checked c = new Checked(m);
        long now = 0;
        for (int i = 0; i < steps.size(); i++) {
            now += steps.get(i) * 100L;
            c.step(now, proposals.get(i % proposals.size()) % (m.greenPhaseCount() + 1));
        }
        c.assertClean();
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void theRollingHorizonPolicyNeverBreaksARule(@ForAll("intersections") Intersection x,
                                                 @ForAll("readings") List<Reading> first,
                                                 @ForAll("readings") List<Reading> second) {
        IntersectionModel m = x.model();
        Checked c = new Checked(m);
        IntersectionState state = new IntersectionState(m, c.interlock);
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        for (int s = 1; s <= 400; s++) {
            List<Reading> r = (s / 50) % 2 == 0 ? first : second;
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                Reading reading = r.get(lane);
                int halting = Math.min(reading.halting(), reading.vehicles());
                state.incomingArea(lane, reading.vehicles(), halting, 7.5 * halting);
                state.queueEstimate(lane, halting, 0, false);
                state.detectorFaults(lane, reading.faults());
            }
            state.now(s * 1000L);
            int proposal = policy.propose(state);
            assertThat(proposal).as("proposal at t=%d", s).isBetween(0, m.greenPhaseCount() - 1);
            c.step(s * 1000L, proposal);
        }
        c.assertClean();
        assertThat(c.interlock.invalidProposals()).isZero();
    }

    /** An interlock with its monitor, plus this test's own checks of crossing greens and maximum green. */
    private static final class Checked {
        final IntersectionModel m;
        final SafetyInterlock interlock;
        final SafetyMonitor monitor;
        final long[] greenSinceMs;
        /** When each link last lost its green; {@link Long#MIN_VALUE} if it never did. */
        final long[] redSinceMs;
        long phaseGreenSinceMs;
        String failure;

        Checked(IntersectionModel m) {
            this.m = m;
            this.interlock = new SafetyInterlock(m);
            this.monitor = new SafetyMonitor(m);
            this.greenSinceMs = new long[m.linkCount()];
            this.redSinceMs = new long[m.linkCount()];
            java.util.Arrays.fill(redSinceMs, Long.MIN_VALUE);
            interlock.reset(0, 0);
            monitor.observe(0, interlock.shownString());
        }

        void step(long now, int proposal) {
            long prevMs = lastMs;
            int before = interlock.interval();
            char[] old = new char[m.linkCount()];
            interlock.copyShown(old);
            interlock.step(now, proposal);
            monitor.observe(now, interlock.shownString());
            for (int l = 0; l < m.linkCount(); l++) {
                char was = old[l];
                char is = interlock.shown(l);
                if (SignalChar.isGreen(was) && !SignalChar.isGreen(is)
                        && now - greenSinceMs[l] < Millis.fromSeconds(m.linkPedestrianMinGreenS(l)) && failure == null) {
                    failure = "crossing link " + l + " green for " + (now - greenSinceMs[l]) + " ms < "
                            + m.linkPedestrianMinGreenS(l) + " s at t=" + now + " ms";
                }
                if (!SignalChar.isGreen(was) && SignalChar.isGreen(is)) {
                    greenSinceMs[l] = now;
                    for (int c = 0; c < m.linkCount(); c++) {
                        long clearMs = m.linkPedestrianClearanceMs(c);
                        if (clearMs > 0 && m.conflicts().conflicts(l, c) && !SignalChar.isGreen(interlock.shown(c))
                                && redSinceMs[c] != Long.MIN_VALUE && now - redSinceMs[c] < clearMs
                                && failure == null) {
                            failure = "link " + l + " green " + (now - redSinceMs[c]) + " ms after crossing " + c
                                    + " turned red, < its clearance " + clearMs + " ms at t=" + now + " ms";
                        }
                    }
                }
                if (SignalChar.isGreen(was) && !SignalChar.isGreen(is)) {
                    redSinceMs[l] = now;
                }
            }
            if (before != SafetyInterlock.GREEN && interlock.interval() == SafetyInterlock.GREEN) {
                phaseGreenSinceMs = now;
            }
            if (before == SafetyInterlock.GREEN && interlock.interval() != SafetyInterlock.GREEN && failure == null) {
                long greenMs = now - phaseGreenSinceMs;
                if (greenMs < m.effectiveMinGreenMs(interlock.phase())) {
                    failure = "phase " + interlock.phase() + " left after " + greenMs + " ms at t=" + now + " ms";
                }
                if (m.greenPhaseCount() > 1 && greenMs > m.maxGreenMs(interlock.phase()) + (now - prevMs)) {
                    failure = "phase " + interlock.phase() + " held " + greenMs + " ms past max green at t=" + now
                            + " ms";
                }
            }
            lastMs = now;
        }

        long lastMs;

        void assertClean() {
            assertThat(monitor.total()).as("monitor: %s", monitor.examples()).isZero();
            assertThat(failure).isNull();
            assertThat(interlock.conflictsBlocked()).isZero();
        }
    }
}
