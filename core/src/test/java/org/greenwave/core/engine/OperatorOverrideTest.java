package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.engine.EngineFixtures.crossing;
import static org.greenwave.core.engine.EngineFixtures.intersection;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.engine.EngineFixtures.Plan;
import org.greenwave.core.engine.EngineFixtures.PlanLog;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OperatorCommand;
import org.greenwave.core.oversight.OperatorCommand.Kind;
import org.greenwave.core.oversight.OperatorOverride;
import org.greenwave.core.oversight.OversightEvent;
import org.greenwave.core.oversight.OverrideStatus;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Operator overrides through the engine, on the two-phase crossing (3 s amber, 2 s all-red, 5..30 s green; phase 0
 * {@code GGrr}, phase 1 {@code rrGG}) under a scripted policy: every command passes the interlock, ends at its expiry
 * (reported), and leaves the policy in charge again.
 */
class OperatorOverrideTest {
    private final IntersectionModel a = crossing("a");
    private final ManualClock clock = new ManualClock(0);
    private final PlanLog plans = new PlanLog();
    private final List<OversightEvent> events = new ArrayList<>();
    private final ScriptedPolicy policy = new ScriptedPolicy();
    private final SafetyMonitor monitor = new SafetyMonitor(a);
    private Engine engine;

    private Engine start(String policyName) {
        EngineContext ctx = new EngineContext().intersections(List.of(intersection(a, policyName))).clock(clock)
                .planSink(p -> {
                    plans.onPlan(p);
                    if (p.deviceProgram() == null) {
                        char[] s = new char[p.linkCount()];
                        p.copyEntryState(0, s);
                        monitor.observe(p.issuedAtMs(), new String(s));
                    }
                })
                .oversightListener(events::add).queueCapacity(64).errorHandler(e -> {
                    throw new AssertionError(e);
                });
        if (!Policies.names().contains(policyName)) {
            ctx.policyFactory((name, m) -> policy);
        }
        engine = Engine.invoked(ctx);
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Duty cycles every second from {@code fromS} to {@code toS}, whole seconds. */
    private void runTo(int fromS, int toS) {
        for (int t = fromS; t <= toS; t++) {
            clock.set(t * 1000L);
            engine.doWork();
        }
    }

    private String shown() {
        return plans.last(0).states().get(0);
    }

    private OverrideStatus status() {
        IntersectionSnapshot s = engine.newSnapshot(0);
        engine.snapshot(0, s);
        return s.override();
    }

    private List<OversightEvent.Type> types() {
        List<OversightEvent.Type> r = new ArrayList<>();
        for (OversightEvent e : events) {
            r.add(e.type());
        }
        return r;
    }

    @Test
    void anAdvanceKeepsTheMinimumGreenAmberAndAllRedThenHandsBackToThePolicy() {
        start("scripted");
        policy.next = 0;
        runTo(0, 1);
        assertThat(engine.submit(OperatorCommand.advance(0, 1, 600, "olga", "clear the side street"))).isTrue();
        List<String> seen = new ArrayList<>();
        for (int t = 2; t <= 12; t++) {
            runTo(t, t);
            seen.add(shown());
        }
        // Phase 0 began at 0 s: its 5 s minimum green holds (2..4 s), then 3 s amber, 2 s all-red, then phase 1.
        assertThat(seen).containsExactly("GGrr", "GGrr", "GGrr", "yyrr", "yyrr", "yyrr", "rrrr", "rrrr",
                "rrGG", "rrGG", "rrGG");
        assertThat(types()).containsExactly(OversightEvent.Type.APPLIED, OversightEvent.Type.COMPLETED);
        assertThat(events.get(1).engineTimeS()).isEqualTo(10.0);
        assertThat(status()).isNull();
        // The policy is in charge again: it asks for phase 0, which comes after phase 1's minimum green.
        runTo(13, 30);
        assertThat(shown()).isEqualTo("GGrr");
        assertThat(monitor.total()).as(monitor.examples().toString()).isZero();
    }

    @Test
    void aHoldKeepsThePhaseAgainstThePolicyWithinMaximumGreenAndExpires() {
        start("scripted");
        policy.next = 0;
        runTo(0, 3);
        engine.submit(OperatorCommand.of(Kind.HOLD, 0, 60, "olga", ""));
        policy.next = 1;
        runTo(4, 29);
        assertThat(shown()).isEqualTo("GGrr");
        OverrideStatus s = status();
        assertThat(s.command().kind()).isEqualTo(Kind.HOLD);
        assertThat(s.command().setBy()).isEqualTo("olga");
        assertThat(s.heldPhase()).isZero();
        assertThat(s.expiresAtS()).isEqualTo(64.0);
        // The interlock's maximum green (30 s) still ends the phase; the hold asks for phase 0 again.
        runTo(30, 45);
        assertThat(plans.of(0).stream().anyMatch(p -> p.states().get(0).equals("rrGG"))).isTrue();
        runTo(46, 63);
        assertThat(status()).isNotNull();
        runTo(64, 64);
        assertThat(status()).isNull();
        assertThat(types()).containsExactly(OversightEvent.Type.APPLIED, OversightEvent.Type.EXPIRED);
        assertThat(events.get(1).message()).contains("hold").contains("olga").contains("adaptive control resumed");
        // Adaptive again: phase 0 has had its minimum green, so amber, all-red and the policy's phase 1 follow.
        runTo(65, 70);
        assertThat(shown()).isEqualTo("rrGG");
        assertThat(monitor.total()).as(monitor.examples().toString()).isZero();
    }

    @Test
    void aFixedPlanRunsItsGreensRaisedToTheMinimumGreen() {
        start("scripted");
        policy.next = 0;
        runTo(0, 0);
        engine.submit(OperatorCommand.fixedPlan(0, new double[] {12, 2}, 600, "olga", ""));
        runTo(1, 200);
        List<Double> greens = new ArrayList<>();
        String last = null;
        double since = 0;
        for (Plan p : plans.of(0)) {
            String s = p.states().get(0);
            double t = p.issuedAtMs() / 1000.0;
            if (!s.equals(last)) {
                if ("GGrr".equals(last) || "rrGG".equals(last)) {
                    greens.add(t - since);
                }
                last = s;
                since = t;
            }
        }
        // 12 s for phase 0 (its first green started at 0 s), phase 1's 2 s raised to its 5 s minimum green.
        assertThat(greens.subList(0, 6)).containsExactly(12.0, 5.0, 12.0, 5.0, 12.0, 5.0);
        assertThat(monitor.total()).as(monitor.examples().toString()).isZero();
    }

    @Test
    void aFreezeFollowsTheScheduleThePolicyHadPlanned() {
        PlanningPolicy planning = new PlanningPolicy();
        EngineContext ctx = new EngineContext().intersections(List.of(intersection(a, "planning"))).clock(clock)
                .planSink(plans).oversightListener(events::add).policyFactory((n, m) -> planning);
        engine = Engine.invoked(ctx);
        runTo(0, 1);
        // Planned at 1 s: phase 0 until 11 s, then phase 1 until 31 s. Afterwards the policy only wants phase 0.
        engine.submit(OperatorCommand.of(Kind.FREEZE, 0, 600, "olga", ""));
        runTo(2, 10);
        assertThat(shown()).isEqualTo("GGrr");
        runTo(11, 20);
        assertThat(shown()).isEqualTo("rrGG");
        runTo(21, 40);
        // The schedule's last segment is held after it ends.
        assertThat(shown()).isEqualTo("rrGG");
    }

    @Test
    void ownProgramAndFlashNameDeviceProgramsAndFlashWaitsForTheMinimumGreen() {
        start("scripted");
        policy.next = 0;
        runTo(0, 0);
        engine.submit(OperatorCommand.of(Kind.OWN_PROGRAM, 0, 30, "olga", ""));
        runTo(1, 1);
        assertThat(plans.last(0).deviceProgram()).isEqualTo(a.sourceProgramId());
        assertThat(engine.newSnapshot(0)).isNotNull();
        runTo(2, 31);
        assertThat(plans.last(0).deviceProgram()).isNull();
        assertThat(types()).containsExactly(OversightEvent.Type.APPLIED, OversightEvent.Type.EXPIRED);

        // Flash asked 1 s into a green: the engine keeps that green until its 5 s minimum green is over.
        policy.next = 1;
        runTo(32, 38);
        double greenStartS = 0;
        for (Plan p : plans.of(0)) {
            if (p.deviceProgram() == null && p.states().get(0).equals("rrGG") && greenStartS == 0) {
                greenStartS = p.issuedAtMs() / 1000.0;
            }
        }
        assertThat(greenStartS).isBetween(35.0, 38.0);
        engine.submit(OperatorCommand.of(Kind.FLASH, 0, 120, "olga", "police at the junction"));
        int askedS = 39;
        List<Plan> flashPlans = new ArrayList<>();
        int before = plans.plans.size();
        runTo(askedS, askedS + 10);
        for (Plan p : plans.plans.subList(before, plans.plans.size())) {
            if (OperatorOverride.FLASH_PROGRAM.equals(p.deviceProgram())) {
                flashPlans.add(p);
            }
        }
        assertThat(flashPlans).isNotEmpty();
        assertThat(flashPlans).as("each flash plan names its operator, for the field controllers")
                .allSatisfy(p -> assertThat(p.flashOperator()).isEqualTo("olga"));
        assertThat(flashPlans.get(0).issuedAtMs() / 1000.0).isGreaterThanOrEqualTo(greenStartS + 5);
        assertThat(lastPlanFlash()).isTrue();
        assertThat(types()).contains(OversightEvent.Type.FLASHING);
        engine.submit(OperatorCommand.adaptive(0, "olga", "police gone"));
        runTo(askedS + 11, askedS + 11);
        assertThat(plans.last(0).deviceProgram()).isNull();
        assertThat(lastPlanFlash()).isFalse();
        assertThat(types()).endsWith(OversightEvent.Type.CLEARED, OversightEvent.Type.APPLIED);
        assertThat(events.get(events.size() - 2).message()).contains("olga ended flash");
    }

    private boolean lastPlanFlash() {
        IntersectionSnapshot s = engine.newSnapshot(0);
        engine.snapshot(0, s);
        return s.operatorFlash();
    }

    @Test
    void onlyAnOperatorsFlashEverNamesTheOffProgramAndOnADeviceProgramItFlashesAtOnce() {
        start(Policies.DEVICE);
        runTo(0, 50);
        assertThat(plans.plans).allSatisfy(p -> assertThat(p.deviceProgram()).isEqualTo(a.sourceProgramId()));
        engine.submit(OperatorCommand.of(Kind.FLASH, 0, 10, "olga", ""));
        runTo(51, 70);
        assertThat(plans.plans.stream().filter(p -> "off".equals(p.deviceProgram())).count()).isEqualTo(10L);
        assertThat(plans.last(0).deviceProgram()).isEqualTo(a.sourceProgramId());
    }

    @Test
    void commandsThatDoNotFitTheSignalAreRefusedWithTheReason() {
        start(Policies.DEVICE);
        assertThatThrownBy(() -> engine.submit(OperatorCommand.of(Kind.HOLD, 0, 60, "olga", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signal a").hasMessageContaining("device program");
        assertThatThrownBy(() -> engine.submit(OperatorCommand.advance(0, 2, 60, "olga", "")))
                .hasMessageContaining("no green phase 2; it has 0..1");
        assertThatThrownBy(() -> engine.submit(OperatorCommand.of(Kind.OWN_PROGRAM, 3, 60, "olga", "")))
                .hasMessageContaining("no signal with index 3");
        assertThatThrownBy(() -> engine.submit(OperatorCommand.fixedPlan(0, new double[] {10}, 60, "olga", "")))
                .hasMessageContaining("one green per phase (2), got 1");
        assertThatThrownBy(() -> OperatorCommand.of(Kind.HOLD, 0, 0, "olga", ""))
                .hasMessageContaining("duration of 'hold' must be more than 0");
        assertThatThrownBy(() -> OperatorCommand.of(Kind.HOLD, 0, 1e9, "olga", ""))
                .hasMessageContaining("at most 86400 s");
        assertThatThrownBy(() -> OperatorCommand.of(Kind.HOLD, 0, 10, " ", ""))
                .hasMessageContaining("who sets it");
        assertThatThrownBy(() -> OperatorCommand.fixedPlan(0, new double[] {0, 0}, 60, "olga", ""))
                .hasMessageContaining("at least one phase");
        assertThatThrownBy(() -> OperatorCommand.fixedPlan(0, new double[] {Double.NaN, 5}, 60, "olga", ""))
                .hasMessageContaining("green of phase 0");
        assertThatThrownBy(() -> Kind.of("dark")).hasMessageContaining("unknown operator command 'dark'")
                .hasMessageContaining("own-program");
    }

    @Test
    void aNewCommandReplacesTheOneInForce() {
        start("scripted");
        runTo(0, 0);
        engine.submit(OperatorCommand.of(Kind.HOLD, 0, 60, "olga", ""));
        runTo(1, 1);
        engine.submit(OperatorCommand.of(Kind.OWN_PROGRAM, 0, 60, "piet", ""));
        runTo(2, 2);
        assertThat(types()).containsExactly(OversightEvent.Type.APPLIED, OversightEvent.Type.REPLACED,
                OversightEvent.Type.APPLIED);
        assertThat(events.get(1).command().setBy()).isEqualTo("olga");
        assertThat(status().command().setBy()).isEqualTo("piet");
    }

    @Test
    void theWatchdogDoesNotJudgeWhatAnOperatorDidAndStartsAfreshAfterwards() {
        org.greenwave.core.policy.SignalPolicy supervised = new org.greenwave.core.policy.SignalPolicy() {
            @Override
            public boolean supervised() {
                return true;
            }

            @Override
            public int propose(IntersectionView view) {
                return 0;
            }
        };
        engine = Engine.invoked(new EngineContext().intersections(List.of(new EngineIntersection(a, "supervised",
                        List.of(new org.greenwave.core.ingest.DetectorSpec("a/in2",
                                org.greenwave.core.ingest.DetectorKind.AREA_IN, 2)))))
                .clock(clock).planSink(plans).oversightListener(events::add).policyFactory((n, m) -> supervised));
        int eastIn = engine.directory().detectorIndex("a/in2");
        // Vehicles wait on the east approach throughout; the engine shows north-south when the signal's own program
        // takes over for 300 s, and its (idle) interlock still does when adaptive control resumes.
        for (int t = 0; t <= 320; t++) {
            engine.ingest().laneArea(eastIn, t * 1000L, 6, 6, 45);
            if (t == 1) {
                engine.submit(OperatorCommand.of(Kind.OWN_PROGRAM, 0, 300, "olga", ""));
            }
            clock.set(t * 1000L);
            engine.doWork();
        }
        IntersectionSnapshot s = engine.newSnapshot(0);
        engine.snapshot(0, s);
        assertThat(types()).containsExactly(OversightEvent.Type.APPLIED, OversightEvent.Type.EXPIRED);
        assertThat(s.watchdogTrips()).as(s.watchdogReason()).isZero();
        assertThat(plans.last(0).deviceProgram()).isNull();
    }

    /** Plans phase 0 for 10 s, then phase 1 for 20 s, at its first ticks; afterwards it wants phase 0 only. */
    private static final class PlanningPolicy implements org.greenwave.core.policy.SignalPolicy, PlannedSchedule {
        int count;

        @Override
        public int propose(IntersectionView view) {
            count++;
            return 0;
        }

        @Override
        public int plannedCount() {
            return count <= 2 ? 2 : 0;
        }

        @Override
        public int plannedPhase(int i) {
            return i;
        }

        @Override
        public double plannedEndS(int i) {
            return i == 0 ? 10 : 30;
        }
    }

    static {
        // The interlock's interval names, used by the messages above.
        assertThat(SafetyInterlock.GREEN).isZero();
    }
}
