package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OperatorCommand;
import org.greenwave.core.oversight.OperatorCommand.Kind;
import org.greenwave.core.oversight.OversightEvent;
import org.greenwave.core.safety.RandomIntersections;
import org.greenwave.core.safety.RandomIntersections.Intersection;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.time.ManualClock;

/**
 * Operators cannot make the engine unsafe: on random intersections, a policy proposing random phases and a stream of
 * random engine-driven commands (hold, advance to any phase, freeze, fixed plans with any greens, back to adaptive) at
 * random times for half an hour; every plan's present state goes to an independent {@link SafetyMonitor}, which must
 * see no violation (minimum green, amber, all-red, conflicts), and every command ends by expiry, completion,
 * replacement or clearing.
 */
class OperatorOverridePropertiesTest {
    private static final int TICKS = 1800;

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersections();
    }

    @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
    void operatorCommandsNeverBreakASafetyRule(@ForAll("intersections") Intersection x, @ForAll long seed) {
        IntersectionModel m = x.model();
        int phases = m.greenPhaseCount();
        Random rnd = new Random(seed);
        SafetyMonitor monitor = new SafetyMonitor(m);
        ManualClock clock = new ManualClock(0);
        List<OversightEvent> events = new ArrayList<>();
        ScriptedPolicy policy = new ScriptedPolicy();
        EngineContext ctx = new EngineContext().intersections(List.of(EngineFixtures.intersection(m, "random")))
                .clock(clock).queueCapacity(64).oversightListener(events::add)
                .policyFactory((n, model) -> policy)
                .planSink(p -> {
                    assertThat(p.deviceProgram()).isNull();
                    char[] s = new char[p.linkCount()];
                    p.copyEntryState(0, s);
                    monitor.observe(p.issuedAtMs(), new String(s));
                });
        int submitted = 0;
        try (Engine engine = Engine.invoked(ctx)) {
            for (int t = 0; t < TICKS; t++) {
                policy.next = rnd.nextInt(phases + 2) - 1;
                if (rnd.nextInt(20) == 0) {
                    engine.submit(randomCommand(rnd, phases));
                    submitted++;
                }
                clock.set(t * 1000L + rnd.nextInt(3) * 100L);
                engine.doWork();
            }
            assertThat(engine.metrics().errors()).isZero();
        }
        assertThat(monitor.total()).as("%s: %s", x, monitor.examples()).isZero();
        long applied = events.stream().filter(e -> e.type() == OversightEvent.Type.APPLIED).count();
        assertThat(applied).isEqualTo(submitted);
    }

    private static OperatorCommand randomCommand(Random rnd, int phases) {
        double durationS = 1 + rnd.nextInt(200);
        switch (rnd.nextInt(5)) {
            case 0:
                return OperatorCommand.of(Kind.HOLD, 0, durationS, "p", "");
            case 1:
                return OperatorCommand.advance(0, rnd.nextInt(phases), durationS, "p", "");
            case 2:
                return OperatorCommand.of(Kind.FREEZE, 0, durationS, "p", "");
            case 3: {
                double[] greens = new double[phases];
                for (int p = 0; p < phases; p++) {
                    greens[p] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(120);
                }
                greens[rnd.nextInt(phases)] = 1 + rnd.nextInt(60);
                return OperatorCommand.fixedPlan(0, greens, durationS, "p", "");
            }
            default:
                return OperatorCommand.adaptive(0, "p", "");
        }
    }
}
