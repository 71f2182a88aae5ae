package org.greenwave.core.policy;

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
import org.greenwave.core.safety.RandomIntersections;
import org.greenwave.core.safety.RandomIntersections.Intersection;

/**
 * The baseline policies on random intersections with random detector readings: they only ever propose green phases
 * of the model, and what the interlock makes of their proposals is safe.
 */
class PolicySafetyPropertiesTest {

    /**
     * Detector readings for a stretch of time: per incoming lane the vehicles in its zone and the stop-line count added
     * each tick, per outgoing lane the vehicles in its zone. Lists are as long as the largest model has lanes.
     */
    record Readings(List<Integer> incoming, List<Integer> stopLine, List<Integer> outgoing) {
    }

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersections();
    }

    @Provide
    Arbitrary<List<Readings>> readings() {
        int lanesMax = RandomIntersections.MAX_LINKS;
        Arbitrary<List<Integer>> lanes = Arbitraries.integers().between(0, 30).list().ofSize(lanesMax);
        Arbitrary<List<Integer>> counts = Arbitraries.integers().between(0, 2).list().ofSize(lanesMax);
        return Combinators.combine(lanes, counts, lanes).as(Readings::new).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void maxPressureIsSafe(@ForAll("intersections") Intersection x, @ForAll("readings") List<Readings> readings) {
        IntersectionModel m = x.model();
        check(m, new MaxPressurePolicy(m, 1), readings);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void websterIsSafe(@ForAll("intersections") Intersection x, @ForAll("readings") List<Readings> readings) {
        IntersectionModel m = x.model();
        check(m, new WebsterPolicy(m, 30, 120), readings);
    }

    /** 600 one-second ticks; the readings change every 30 s, cycling through the list. */
    private static void check(IntersectionModel m, SignalPolicy policy, List<Readings> readings) {
        Ticker t = new Ticker(m, policy, 0, 0);
        for (int s = 1; s <= 600; s++) {
            Readings r = readings.get((s / 30) % readings.size());
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                int vehicles = r.incoming().get(lane);
                t.state.incomingArea(lane, vehicles, vehicles, 7.0 * vehicles);
                t.state.addStopLineCount(lane, r.stopLine().get(lane));
            }
            for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
                t.state.outgoingArea(lane, r.outgoing().get(lane));
            }
            int proposal = t.tick(s);
            assertThat(proposal).as("proposal at t=%d", s).isBetween(0, m.greenPhaseCount() - 1);
        }
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
        assertThat(t.interlock.invalidProposals()).isZero();
        assertThat(t.interlock.conflictsBlocked()).isZero();
    }
}
