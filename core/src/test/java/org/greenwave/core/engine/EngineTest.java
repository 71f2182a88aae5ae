package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.engine.EngineFixtures.crossing;
import static org.greenwave.core.engine.EngineFixtures.intersection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.core.engine.EngineFixtures.Plan;
import org.greenwave.core.engine.EngineFixtures.PlanLog;
import org.greenwave.core.engine.EngineFixtures.RecordingPolicy;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.DeviceProgramPolicy;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.time.ManualClock;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine in invoked mode on two crossings ({@code a}, index 0, and {@code b}, index 1), with a manual clock and a
 * recording policy: readings reach the intersection that owns the detector, plans come once per tick, the queue says
 * no when it is full.
 */
class EngineTest {
    private final IntersectionModel a = crossing("a");
    private final IntersectionModel b = crossing("b");
    private final ManualClock clock = new ManualClock(0);
    private final PlanLog plans = new PlanLog();
    private final Map<String, RecordingPolicy> policies = new HashMap<>();
    private final List<Throwable> errors = new ArrayList<>();
    private Engine engine;

    private EngineContext context(String policyA, String policyB) {
        return new EngineContext()
                .intersections(List.of(intersection(a, policyA), intersection(b, policyB)))
                .shards(2)
                .clock(clock)
                .planSink(plans)
                .errorHandler(errors::add)
                .queueCapacity(1024);
    }

    /** Both intersections run a {@link RecordingPolicy}. */
    private EngineContext recording() {
        return context("rec", "rec").policyFactory((name, m) -> {
            RecordingPolicy p = new RecordingPolicy(m);
            policies.put(m.id(), p);
            return p;
        });
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private int det(String id) {
        return engine.directory().detectorIndex(id);
    }

    /** Moves the clock to {@code nowS} seconds and runs a duty cycle. */
    private void at(double nowS) {
        clock.set(Millis.fromSeconds(nowS));
        engine.doWork();
    }

    @Test
    void routesEachDetectorsReadingsToItsOwnIntersection() {
        engine = Engine.invoked(recording());
        Ingest in = engine.ingest();
        assertThat(engine.shardOf(0)).isZero();
        assertThat(engine.shardOf(1)).isEqualTo(1);

        in.detectorEdge(det("a/sl0"), true, 0);
        in.detectorEdge(det("a/sl0"), false, 300);
        in.detectorEdge(det("a/sl0"), true, 500);
        in.laneArea(det("a/out1"), 0, 4, 0, 0);
        in.detectorEdge(det("b/sl2"), true, 100);
        in.detectorAggregate(det("b/sl2"), 1_000, 1_000, 4, 0.3, 8.0);
        in.detectorEdge(det("b/adv1"), true, 200);
        in.laneArea(det("b/in3"), 0, 5, 2, 12.5);
        at(0);

        RecordingPolicy pa = policies.get("a");
        RecordingPolicy pb = policies.get("b");
        assertThat(pa.calls).isEqualTo(1);
        assertThat(pb.calls).isEqualTo(1);
        assertThat(pa.stopLine).containsExactly(2, 0, 0, 0);
        assertThat(pa.advance).containsExactly(0, 0, 0, 0);
        assertThat(pa.vehicles).containsExactly(0, 0, 0, 0);
        assertThat(pa.outgoing).containsExactly(0, 4, 0, 0);
        assertThat(pb.stopLine).containsExactly(0, 0, 5, 0);
        assertThat(pb.advance).containsExactly(0, 1, 0, 0);
        assertThat(pb.vehicles).containsExactly(0, 0, 0, 5);
        assertThat(pb.halting).containsExactly(0, 0, 0, 2);
        assertThat(pb.jamM).containsExactly(0, 0, 0, 12.5);
        assertThat(pb.outgoing).containsExactly(0, 0, 0, 0);

        in.detectorEdge(det("b/sl2"), true, 1_100);
        in.laneArea(det("b/in3"), 1_000, 1, 0, 0);
        at(1);

        assertThat(pa.stopLine).as("counts are cumulative").containsExactly(2, 0, 0, 0);
        assertThat(pb.stopLine).containsExactly(0, 0, 6, 0);
        assertThat(pb.vehicles).as("areas: latest reading").containsExactly(0, 0, 0, 1);
        assertThat(pb.lastNowS).isEqualTo(1.0);
        assertThat(engine.metrics().eventsApplied()).isEqualTo(10);
        assertThat(engine.metrics().eventsApplied(0)).isEqualTo(4);
        assertThat(engine.metrics().eventsApplied(1)).isEqualTo(6);
    }

    @Test
    void aRestartedEngineNumbersItsPlansAboveEveryPlanOfTheOneBefore() {
        engine = Engine.invoked(recording());
        for (int t = 0; t <= 100; t++) {
            at(t);
        }
        long lastBefore = plans.of(0).get(plans.of(0).size() - 1).sequence();
        engine.close();
        // The engine restarts half a second later: a field controller that took lastBefore takes its plans at once.
        clock.set(100_500);
        int seen = plans.of(0).size();
        engine = Engine.invoked(recording());
        at(100.5);
        long firstAfter = plans.of(0).get(seen).sequence();
        assertThat(firstAfter).isGreaterThan(lastBefore).isEqualTo(100_500L * Shard.SEQUENCES_PER_MS + 1);
    }

    @Test
    void issuesOnePlanPerTickWithIncreasingSequenceAndExpiry() {
        engine = Engine.invoked(recording().planLifetimeMs(2500));

        at(10);
        engine.doWork();
        at(10.5);
        at(10.999);
        assertThat(plans.of(0)).hasSize(1);
        at(11);
        at(11.2);
        at(12.0);

        for (int i = 0; i < 2; i++) {
            List<Plan> p = plans.of(i);
            assertThat(p).extracting(Plan::sequence).containsExactly(1L, 2L, 3L);
            assertThat(p).extracting(Plan::issuedAtMs).containsExactly(10_000L, 11_000L, 12_000L);
            assertThat(p).extracting(Plan::expiresAtMs).containsExactly(12_500L, 13_500L, 14_500L);
            assertThat(p).extracting(Plan::id).containsOnly(i == 0 ? "a" : "b");
            assertThat(p).extracting(Plan::deviceProgram).containsOnlyNulls();
        }
        assertThat(engine.metrics().ticks()).isEqualTo(6);
        assertThat(engine.metrics().plansIssued()).isEqualTo(6);
        assertThat(engine.metrics().ticksSkipped()).isZero();
        LatencySnapshot latency = engine.metrics().decisionLatency();
        assertThat(latency.count()).isEqualTo(6);
        assertThat(latency.maxNs()).isGreaterThanOrEqualTo(latency.p99Ns()).isGreaterThanOrEqualTo(latency.p50Ns())
                .isPositive();
        assertThat(engine.metrics().decisionLatency().count()).as("an interval histogram").isZero();
    }

    @Test
    void devicePoliciesPublishTheirProgramAndNoEntries() {
        engine = Engine.invoked(context(Policies.DEVICE, Policies.ACTUATED));

        at(0);
        at(1);

        assertThat(plans.of(0)).extracting(Plan::deviceProgram).containsOnly(a.sourceProgramId());
        assertThat(plans.of(1)).extracting(Plan::deviceProgram).containsOnly(Policies.ACTUATED_PROGRAM_ID);
        assertThat(plans.plans).allSatisfy(p -> assertThat(p.states()).isEmpty());
        assertThat(plans.of(1)).extracting(Plan::sequence).containsExactly(1L, 2L);
    }

    @Test
    void whileItsOwnProgramRunsASignalItsStateReadsTheGreensItsControllerReports() {
        boolean[][] green = new boolean[2][4];
        double[] phaseElapsedS = new double[2];
        engine = Engine.invoked(context("dev", "rec")
                .policyFactory((name, m) -> name.equals("dev") ? new DeviceProgramPolicy("prog") : new RecordingPolicy(m))
                .forecasterFactory((m, detectors) -> state -> {
                    int i = m.id().equals("a") ? 0 : 1;
                    for (int lane = 0; lane < 4; lane++) {
                        green[i][lane] = state.laneGreen(lane);
                    }
                    phaseElapsedS[i] = state.fieldPhaseElapsedS();
                }));
        at(0);
        assertThat(green[0]).as("no status yet: the interlock's first green").containsExactly(true, true, false, false);

        engine.status().onStatus(new ControllerStatus("a", 900, 2, "rrGG", 4_000, "prog", -1));
        engine.status().onStatus(new ControllerStatus("b", 900, 2, "rrGG", 4_000, null, 7));
        at(1);
        assertThat(green[0]).as("a's own program shows its second green").containsExactly(false, false, true, true);
        assertThat(phaseElapsedS[0]).isEqualTo(4.0);
        assertThat(green[1]).as("the engine drives b: its interlock").containsExactly(true, true, false, false);

        at(2);
        assertThat(green[0]).as("the last report holds until the next").containsExactly(false, false, true, true);
        assertThat(phaseElapsedS[0]).isEqualTo(5.0);

        engine.status().onStatus(new ControllerStatus("zz", 2_900, 0, "GGrr", 0, "prog", -1));
        engine.status().onStatus(new ControllerStatus("a", 2_900, 0, "GGr", 0, "prog", -1));
        at(3);
        assertThat(green[0]).as("a state of another length is not taken").containsExactly(false, false, true, true);
        assertThat(engine.statusesIgnored()).isEqualTo(2);

        engine.status().onStatus(new ControllerStatus("a", 3_900, 1, "yyrr", 0, "prog", -1));
        engine.status().onStatus(new ControllerStatus("a", 3_950, 0, "GGrr", 50, "prog", -1));
        at(4);
        assertThat(green[0]).as("the newest status").containsExactly(true, true, false, false);
    }

    @Test
    void whileAPhaseIsKeptThePlanShowsItsGreenForTheRestOfTheMinimumGreenButAtLeastOneTick() {
        engine = Engine.invoked(recording());

        at(0);
        assertThat(plans.last(0).states()).containsExactly("GGrr");
        assertThat(plans.last(0).durationsS()).containsExactly(5.0);
        at(3);
        assertThat(plans.last(0).durationsS()).containsExactly(2.0);
        at(4);
        assertThat(plans.last(0).durationsS()).containsExactly(1.0);
        at(9);
        assertThat(plans.last(0).states()).containsExactly("GGrr");
        assertThat(plans.last(0).durationsS()).containsExactly(1.0);
    }

    @Test
    void aProposedChangeShowsTheRestOfTheGreenThenAmberAllRedAndTheNewGreen() {
        engine = Engine.invoked(recording());
        at(0);
        policies.get("a").propose = 1;

        at(2);
        assertThat(plans.last(0).states()).as("held for the minimum green")
                .containsExactly("GGrr", "yyrr", "rrrr", "rrGG");
        assertThat(plans.last(0).durationsS()).containsExactly(3.0, 3.0, 2.0, 5.0);
        at(3);
        at(4);
        at(5);
        assertThat(plans.last(0).states()).containsExactly("yyrr", "rrrr", "rrGG");
        assertThat(plans.last(0).durationsS()).containsExactly(3.0, 2.0, 5.0);
        at(7);
        assertThat(plans.last(0).durationsS()).containsExactly(1.0, 2.0, 5.0);
        at(8);
        assertThat(plans.last(0).states()).containsExactly("rrrr", "rrGG");
        assertThat(plans.last(0).durationsS()).containsExactly(2.0, 5.0);
        at(9);
        assertThat(plans.last(0).durationsS()).containsExactly(1.0, 5.0);
        at(10);
        assertThat(plans.last(0).states()).containsExactly("rrGG");
        assertThat(plans.last(0).durationsS()).containsExactly(5.0);
        assertThat(plans.last(1).states()).as("b kept its green").containsExactly("GGrr");
        clock.set(10_500);
        assertThat(engine.doWork()).as("no tick due, nothing queued").isZero();
    }

    @Test
    void skipsAndCountsTicksMissedWhenTheClockJumps() {
        engine = Engine.invoked(recording());

        at(0);
        at(5.5);
        at(5.9);
        at(6);

        assertThat(plans.of(0)).extracting(Plan::issuedAtMs).containsExactly(0L, 5_500L, 6_000L);
        assertThat(engine.metrics().ticksSkipped()).isEqualTo(8);
        assertThat(engine.metrics().ticksSkipped(0)).isEqualTo(4);
        assertThat(engine.metrics().maxTickLagNs(0)).isEqualTo(4_500_000_000L);
    }

    @Test
    void aFullQueueRefusesAndCountsTheReading() {
        engine = Engine.invoked(recording().queueCapacity(4));
        Ingest in = engine.ingest();
        int d = det("b/sl0");

        for (int i = 0; i < 4; i++) {
            assertThat(in.detectorEdge(d, true, i)).isTrue();
        }
        assertThat(in.detectorEdge(d, true, 4)).isFalse();
        assertThat(in.laneArea(det("b/in0"), 4, 1, 1, 1)).isFalse();
        assertThat(in.detectorAggregate(d, 4, 1, 1, 0.5, 1)).isFalse();
        assertThat(in.detectorEdge(det("a/sl0"), true, 4)).as("a's shard has room").isTrue();
        assertThat(engine.metrics().queueFullDrops(1)).isEqualTo(3);
        assertThat(engine.metrics().queueFullDrops(0)).isZero();
        assertThat(engine.metrics().queueDepth(1)).isEqualTo(4);

        at(0);

        assertThat(policies.get("b").stopLine[0]).isEqualTo(4);
        assertThat(engine.metrics().eventsApplied()).isEqualTo(5);
        assertThat(in.detectorEdge(d, true, 5)).as("room again").isTrue();
    }

    @Test
    void readingsOfTheWrongSortAreCountedAsIgnored() {
        engine = Engine.invoked(recording());

        engine.ingest().detectorEdge(det("a/in0"), true, 0);
        engine.ingest().laneArea(det("a/sl0"), 0, 1, 1, 1);
        at(0);

        assertThat(engine.metrics().eventsIgnored()).isEqualTo(2);
        assertThat(engine.metrics().eventsApplied()).isZero();
    }

    @Test
    void anErrorInAPolicyIsCountedAndReportedAndOnlyThatPlanIsMissing() {
        engine = Engine.invoked(context("boom", Policies.WEBSTER).policyFactory((name, m) ->
                "boom".equals(name) ? view -> {
                    throw new IllegalStateException("policy bug");
                } : Policies.create(name, m)));

        at(0);
        at(1);

        assertThat(errors).hasSize(2).allSatisfy(t -> assertThat(t).hasMessage("policy bug"));
        assertThat(engine.metrics().errors()).isEqualTo(2);
        assertThat(plans.of(0)).isEmpty();
        assertThat(plans.of(1)).hasSize(2);
    }

    @Test
    void aSnapshotCopiesTheLastTick() {
        engine = Engine.invoked(recording());
        IntersectionSnapshot s = engine.newSnapshot(1);
        engine.snapshot(1, s);
        assertThat(s.ticks()).isZero();

        engine.ingest().detectorEdge(det("b/sl3"), true, 0);
        engine.ingest().laneArea(det("b/in2"), 0, 7, 3, 20);
        engine.ingest().laneArea(det("b/out0"), 0, 2, 0, 0);
        at(0);
        policies.get("b").propose = 1;
        at(5);
        engine.snapshot(1, s);

        assertThat(s.intersection()).isEqualTo(1);
        assertThat(s.ticks()).isEqualTo(2);
        assertThat(s.planSequence()).isEqualTo(2);
        assertThat(s.nowS()).isEqualTo(5.0);
        assertThat(s.interval()).isEqualTo(SafetyInterlock.YELLOW);
        assertThat(s.phase()).isZero();
        assertThat(s.targetPhase()).isEqualTo(1);
        assertThat(s.phaseElapsedS()).isEqualTo(5.0);
        assertThat(s.shownString()).isEqualTo("yyrr");
        assertThat(s.deviceProgram()).isNull();
        assertThat(s.stopLineCount(3)).isEqualTo(1);
        assertThat(s.advanceCount(3)).isZero();
        assertThat(s.incomingVehicles(2)).isEqualTo(7);
        assertThat(s.incomingHalting(2)).isEqualTo(3);
        assertThat(s.incomingJamM(2)).isEqualTo(20.0);
        assertThat(s.outgoingVehicles(0)).isEqualTo(2);
        assertThat(s.readings()).as("one edge and two area readings").isEqualTo(3);
        assertThatThrownBy(() -> engine.snapshot(0, s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("made for b, not a");
    }

    @Test
    void aSnapshotCountsOnlyTheReadingsAppliedToItsOwnSignalsDetectors() {
        engine = Engine.invoked(recording());
        IntersectionSnapshot a = engine.newSnapshot(0);
        IntersectionSnapshot b = engine.newSnapshot(1);

        at(0);
        engine.snapshot(0, a);
        engine.snapshot(1, b);
        assertThat(a.ticks()).isEqualTo(1);
        assertThat(a.readings()).as("ticking without data").isZero();
        assertThat(b.readings()).isZero();

        engine.ingest().laneArea(det("b/in2"), 0, 0, 0, 0);
        engine.ingest().detectorEdge(det("b/in2"), true, 0);
        at(1);
        engine.snapshot(0, a);
        engine.snapshot(1, b);
        assertThat(a.readings()).isZero();
        assertThat(b.readings()).as("an empty area reading counts, an edge on an area detector does not").isEqualTo(1);
    }

    @Test
    void closeAppliesWhatIsQueuedAndEndsDoWork() {
        engine = Engine.invoked(recording());
        engine.ingest().detectorEdge(det("a/sl0"), true, 0);

        engine.close();
        engine.close();

        assertThat(engine.metrics().eventsApplied()).isEqualTo(1);
        assertThatThrownBy(engine::doWork).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
