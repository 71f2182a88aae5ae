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
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.RandomIntersections;
import org.greenwave.core.safety.RandomIntersections.Intersection;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.core.time.ManualClock;

/**
 * What the engine's plans tell a signal to show is safe: three random intersections (max-pressure, Webster, and a
 * policy proposing random phases) run for an hour of one-second ticks under random detector readings, and the state
 * of entry 0 of every plan is shown to an independent {@link SafetyMonitor}. No violation is allowed.
 */
class EngineSafetyPropertiesTest {
    private static final int TICKS = 3600;

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersections();
    }

    /** Proposes a random phase, sometimes one that does not exist. */
    private static final class RandomPolicy implements SignalPolicy {
        private final Random random;
        private final int phases;

        RandomPolicy(long seed, int phases) {
            this.random = new Random(seed);
            this.phases = phases;
        }

        @Override
        public int propose(IntersectionView view) {
            return random.nextInt(phases + 2) - 1;
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void plansFromTheEngineNeverBreakASafetyRule(@ForAll("intersections") Intersection mp,
                                                 @ForAll("intersections") Intersection webster,
                                                 @ForAll("intersections") Intersection random,
                                                 @ForAll long seed) {
        List<IntersectionModel> models = List.of(rename(mp.model(), "mp"), rename(webster.model(), "webster"),
                rename(random.model(), "random"));
        List<String> policies = List.of(Policies.MAX_PRESSURE, Policies.WEBSTER, "random");
        List<EngineIntersection> xs = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            xs.add(new EngineIntersection(models.get(i), policies.get(i), detectors(models.get(i))));
        }
        SafetyMonitor[] monitors = new SafetyMonitor[models.size()];
        for (int i = 0; i < monitors.length; i++) {
            monitors[i] = new SafetyMonitor(models.get(i));
        }
        ManualClock clock = new ManualClock(0);
        PlanSink sink = plan -> {
            char[] state = new char[plan.linkCount()];
            plan.copyEntryState(0, state);
            monitors[plan.intersection()].observe(plan.issuedAtMs(), new String(state));
        };
        EngineContext ctx = new EngineContext().intersections(xs).shards(2).clock(clock).planSink(sink)
                .queueCapacity(256)
                .policyFactory((name, m) -> "random".equals(name) ? new RandomPolicy(seed, m.greenPhaseCount())
                        : Policies.create(name, m));
        Random rnd = new Random(seed);
        try (Engine engine = Engine.invoked(ctx)) {
            Ingest in = engine.ingest();
            int detectors = engine.directory().detectorCount();
            for (int t = 0; t < TICKS; t++) {
                for (int k = 0; k < 8; k++) {
                    int d = rnd.nextInt(detectors);
                    DetectorKind kind = engine.directory().detectorKind(d);
                    if (kind == DetectorKind.AREA_IN || kind == DetectorKind.AREA_OUT) {
                        int v = rnd.nextInt(30);
                        in.laneArea(d, t * 1000L, v, rnd.nextInt(v + 1), rnd.nextDouble() * 100);
                    } else {
                        in.detectorEdge(d, rnd.nextBoolean(), t * 1000L + k);
                    }
                }
                clock.set(t * 1000L);
                engine.doWork();
            }
            assertThat(engine.metrics().errors()).isZero();
            assertThat(engine.metrics().plansIssued()).isEqualTo((long) TICKS * models.size());
        }
        for (SafetyMonitor m : monitors) {
            assertThat(m.observations()).isEqualTo(TICKS);
            assertThat(m.total()).as("%s: %s", m.model(), m.examples()).isZero();
        }
    }

    /** Every incoming lane: stop-line, advance and area detector; every outgoing lane: area detector. */
    private static List<DetectorSpec> detectors(IntersectionModel m) {
        return EngineFixtures.detectors(m);
    }

    private static IntersectionModel rename(IntersectionModel m, String id) {
        IntersectionModel.Builder b = IntersectionModel.builder(id, m.linkCount()).conflicts(m.conflicts())
                .yellowS(m.yellowS()).allRedS(m.allRedS());
        for (int l = 0; l < m.linkCount(); l++) {
            int in = m.linkIncomingLane(l);
            b.link(l, m.incomingLaneId(in), m.incomingLaneLengthM(in), m.incomingLaneSpeedMps(in),
                    m.outgoingLaneId(m.linkOutgoingLane(l)));
        }
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            b.greenPhase(m.greenPhaseString(p), m.greenPhaseSourceIndex(p), m.programGreenS(p), m.minGreenS(p),
                    m.maxGreenS(p));
        }
        return b.build();
    }
}
