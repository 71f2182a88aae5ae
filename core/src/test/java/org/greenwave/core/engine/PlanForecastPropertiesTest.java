package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.greenwave.core.engine.EngineFixtures.Plan;
import org.greenwave.core.engine.EngineFixtures.PlanLog;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.RandomIntersections;
import org.greenwave.core.safety.RandomIntersections.Intersection;
import org.greenwave.core.time.ManualClock;
import org.greenwave.core.time.Millis;

/**
 * The schedule a plan announces is what the interlock then shows, as long as the policy's proposal stands: on random
 * intersections, after random proposals, the proposal is frozen and every later plan's entries are compared with the
 * states shown at the following one-second ticks. An entry of {@code d} seconds lasts {@code ceil(d)} ticks, since
 * the interlock changes state only at ticks.
 */
class PlanForecastPropertiesTest {
    @Provide
    Arbitrary<Intersection> intersections() {
        return Arbitraries.oneOf(RandomIntersections.intersections(), RandomIntersections.intersectionsWithCrossings());
    }

    @Provide
    Arbitrary<List<Integer>> proposals() {
        return Arbitraries.integers().between(-1, RandomIntersections.MAX_PHASES).list().ofMinSize(0).ofMaxSize(40);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void aPlanForecastsTheStatesTheInterlockShowsWhileTheProposalStands(
            @ForAll("intersections") Intersection x, @ForAll("proposals") List<Integer> before,
            @ForAll @IntRange(min = 0, max = RandomIntersections.MAX_PHASES - 1) int frozen) {
        IntersectionModel m = x.model();
        ScriptedPolicy policy = new ScriptedPolicy();
        PlanLog log = new PlanLog();
        ManualClock clock = new ManualClock(0);
        EngineContext ctx = new EngineContext()
                .intersections(List.of(new EngineIntersection(m, "scripted", List.of())))
                .clock(clock).planSink(log).queueCapacity(2)
                .policyFactory((name, model) -> policy);
        int ticks = before.size() + 120;
        try (Engine engine = Engine.invoked(ctx)) {
            for (int t = 0; t < ticks; t++) {
                policy.next = t < before.size() ? before.get(t) : frozen % m.greenPhaseCount();
                clock.set(t * 1000L);
                engine.doWork();
            }
        }
        List<Plan> plans = log.plans;
        assertThat(plans).hasSize(ticks);
        for (int t = before.size(); t < ticks; t++) {
            Plan p = plans.get(t);
            int tick = t;
            for (int e = 0; e < p.states().size(); e++) {
                String expected = p.states().get(e);
                boolean last = e == p.states().size() - 1;
                // The entry's whole 1 s ticks, rounded up.
                int lasting = last ? 1 : (int) ((Millis.fromSeconds(p.durationsS().get(e)) + 999) / 1000);
                for (int k = 0; k < lasting && tick < ticks; k++, tick++) {
                    assertThat(plans.get(tick).states().get(0))
                            .as("%s: plan at t=%d, entry %d, tick %d: %s", x, t, e, tick, p)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
