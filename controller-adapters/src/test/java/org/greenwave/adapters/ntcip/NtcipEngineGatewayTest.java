package org.greenwave.adapters.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.CoordPattern;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.adapters.ntcip.virtual.PhaseTiming;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The phase-control gateway against a virtual controller's agent, over real SNMPv3 (authPriv) on loopback. */
class NtcipEngineGatewayTest {
    private static final SnmpV3User USER = new SnmpV3User("central", "auth-pass-1", "priv-pass-1");


    private final IntersectionModel model = TestIntersections.crossing("J1");
    private final PhaseControl control = new PhaseControl();
    private final PhaseTiming[] timing = {new PhaseTiming(5, 3, 30, false), new PhaseTiming(5, 3, 30, false)};
    private final List<String> statuses = new CopyOnWriteArrayList<>();
    private final List<String> readings = new CopyOnWriteArrayList<>();
    private ActuatedController controller;
    private NtcipAgent agent;
    private NtcipEngineGateway gateway;
    private DetectorDirectory directory;

    private final Ingest ingest = new Ingest() {
        @Override
        public boolean detectorEdge(int detector, boolean on, long timeMs) {
            return true;
        }

        @Override
        public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                         double speedMps) {
            throw new AssertionError("the gateway reports each detector's presence with its aggregate");
        }

        @Override
        public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                         double speedMps, boolean occupiedAtEnd) {
            readings.add(directory.detectorId(detector) + " " + count + " " + occupancy + " " + intervalMs
                    + (occupiedAtEnd ? " present" : " absent"));
            return true;
        }

        @Override
        public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            return true;
        }
    };

    @BeforeEach
    void start() throws Exception {
        controller = new ActuatedController(model, timing, new int[] {0}, control, 5);
        controller.reset(0, 0);
        directory = new DetectorDirectory(List.of("J1"), List.of(List.of(new DetectorSpec("J1_n", DetectorKind.STOP_LINE, 0))));
        NtcipMapping agentSide = NtcipMapping.parse(Path.of("agent.map"),
                List.of("signal J1 127.0.0.1:1", "phase 0 2", "phase 1 6", "detector J1_n 1"));
        agent = NtcipAgent.start(agentSide.signal("J1"), controller, control, timing, 5, 1, "127.0.0.1", 0, USER);
        gateway = gateway(USER);
    }

    private NtcipEngineGateway gateway(SnmpV3User user, String... more) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "signal J1 127.0.0.1:" + agent.address().getPort(), "phase 0 2", "phase 1 6", "detector J1_n 1"));
        lines.addAll(List.of(more));
        NtcipMapping mapping = NtcipMapping.parse(Path.of("engine.map"), lines);
        mapping.check(Map.of("J1", model), (s, d) -> d.equals("J1_n"));
        return new NtcipEngineGateway(mapping, Map.of("J1", model), Map.of("J1", 0), directory, ingest,
                SnmpSession.v3(user, 1000, 1), st -> statuses.add(st.intersectionId() + " " + st.timeMs() + " "
                + st.phase() + " " + st.state() + " " + st.program() + " " + st.planSequence()), 2);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        agent.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Polls at {@code timeMs} until the controller answers: the very first SNMPv3 exchange of a JVM (engine discovery,
     * key localisation, cold code) may outlast the time-out on a loaded machine.
     */
    private void firstContact(long timeMs) throws InterruptedException {
        for (int i = 0; i < 10 && statuses.isEmpty(); i++) {
            long before = gateway.counters("J1").timeouts();
            gateway.poll(timeMs);
            await(() -> !statuses.isEmpty() || gateway.counters("J1").timeouts() > before);
        }
        assertThat(statuses).hasSize(1);
    }

    private TimingPlan plan(String state, long expiresMs) {
        TimingPlan p = new TimingPlan(0, "J1", 4);
        p.begin(1, 0, expiresMs, null);
        p.add(state.toCharArray(), 10);
        return p;
    }

    /**
     * The engine's state at second {@code t}: a cycle of {@code cycleS} seconds starting at {@code startS}, a 4 s change,
     * phase 0 green for 30 s, a 4 s change, phase 1 green for the rest.
     */
    private static String engineState(long t, long startS, int cycleS) {
        long u = Math.floorMod(t - startS, cycleS);
        return u < 4 ? "rryy" : u < 34 ? "GGrr" : u < 38 ? "yyrr" : "rrGG";
    }

    /** Each second: the engine's plan, a poll answered, a controller step. */
    private void drive(long fromS, long toS, java.util.function.LongFunction<String> engine) throws Exception {
        for (long t = fromS; t <= toS; t++) {
            TimingPlan p = new TimingPlan(0, "J1", 4);
            p.begin(t, t * 1000, t * 1000 + 5000, null);
            String state = engine.apply(t);
            p.add(state.toCharArray(), 1);
            if (state.contains("y")) {
                // As the engine's plans do, a change interval is followed by the green it leads to.
                p.add((state.equals("rryy") ? "GGrr" : "rrGG").toCharArray(), 5);
            }
            gateway.onPlan(p);
            gateway.poll(t * 1000);
            await(() -> gateway.pendingRequests() == 0);
            controller.step(t * 1000L, new boolean[] {false});
        }
    }

    @Test
    void modePatternWritesTheEnginesCycleSplitsAndOffsetAndSelectsIt() throws Exception {
        gateway.close();
        gateway = gateway(USER, "mode pattern", "max-cycle 120");
        firstContact(1000);
        assertThat(gateway.patterns("J1")).containsExactly(NtcipObjects.PATTERN_FREE, 0);

        // Engine: phase 0 green 30 s, phase 1 green 15 s, 4 s changes: a 53 s cycle, phase 0 first green at 4 s.
        drive(1, 52, t -> engineState(t, 0, 53));
        assertThat(control.pattern()).as("no pattern before the engine served every phase").isNull();
        drive(53, 105, t -> engineState(t, 0, 53));
        assertThat(control.pattern()).matches(p -> p.sameTiming(new CoordPattern(1, 53, 4, new int[] {34, 19}, 0,
                new boolean[] {false, false})), "pattern 1, 53 s, offset 4 s, splits 34 and 19 s");
        assertThat(gateway.counters("J1").patternsWritten()).isEqualTo(1);
        assertThat(gateway.patterns("J1")).as("coordPatternStatus read back").containsExactly(1, 1);
        assertThat(gateway.localFreeStatus("J1")).isEqualTo(NtcipObjects.LOCAL_FREE_NOT_FREE);
        assertThat(gateway.selectedPattern("J1")).isEqualTo("pattern 1: cycle 53 s, offset 4 s, splits [34, 19] s "
                + "(NTCIP phases [2, 6])");
        assertThat(controller.centralInControl()).as("systemPatternControl set again every poll").isTrue();

        // The engine gives phase 1 25 s from 106 s on: the next evaluation over a whole new cycle writes pattern 2.
        drive(106, 212, t -> engineState(t, 106, 63));
        assertThat(control.pattern()).matches(p -> p.number() == 2 && p.sameTiming(new CoordPattern(2, 63, 47,
                new int[] {34, 29}, 0, new boolean[] {false, false})), "pattern 2, 63 s, offset 173 mod 63");
        assertThat(gateway.counters("J1").patternsWritten()).as("unchanged cycles write nothing").isEqualTo(2);
        assertThat(gateway.counters("J1").patternsRefused()).isZero();
        assertThat(gateway.counters("J1").errors()).isZero();
        drive(213, 300, t -> engineState(t, 106, 63));
        assertThat(gateway.patterns("J1")).as("taken at pattern 1's local zero").containsExactly(2, 2);
        assertThat(controller.inStep()).isTrue();

        // A plan naming a device program gives the controller back its own timing: systemPatternControl 0.
        TimingPlan own = new TimingPlan(0, "J1", 4);
        own.begin(400, 301_000, 306_000, "device");
        gateway.onPlan(own);
        gateway.poll(301_000);
        await(() -> gateway.pendingRequests() == 0);
        assertThat(control.systemPattern()).isZero();
        assertThat(control.pattern()).isNull();
        controller.step(301_000, new boolean[] {false});
        assertThat(controller.runningPattern()).isNull();
    }

    @Test
    void aControllerWhoseOwnMinimaExceedTheMaxCycleGetsNoPatternAndRunsFree() throws Exception {
        // The mapping passed the check against the engine's model (5 s minimum greens), but this controller's own
        // phase table has 30 s minimum greens: 2 x (30 + 4) s do not fit a 40 s max-cycle.
        gateway.close();
        agent.close();
        PhaseTiming[] slow = {new PhaseTiming(30, 3, 60, false), new PhaseTiming(30, 3, 60, false)};
        controller = new ActuatedController(model, slow, new int[] {0}, control, 5);
        controller.reset(0, 0);
        agent = NtcipAgent.start(NtcipMapping.parse(Path.of("agent.map"), List.of("signal J1 127.0.0.1:1", "phase 0 2",
                "phase 1 6", "detector J1_n 1")).signal("J1"), controller, control, slow, 5, 1, "127.0.0.1", 0, USER);
        gateway = gateway(USER, "mode pattern", "max-cycle 40");
        firstContact(1000);
        drive(1, 120, t -> engineState(t, 0, 53));

        assertThat(gateway.counters("J1").patternsWritten()).isZero();
        assertThat(control.pattern()).isNull();
        assertThat(controller.runningPattern()).isNull();
        assertThat(gateway.patternProblem("J1")).isEqualTo("its phases' minimum greens and change intervals take "
                + "68 s, more than the max-cycle of 40 s (mapping line 6): no pattern written, it runs free");
    }

    @Test
    void inModePatternALostLinkLeavesTheControllerFreeAfterItsBackupTime() throws Exception {
        gateway.close();
        gateway = gateway(USER, "mode pattern");
        firstContact(1000);
        drive(1, 60, t -> engineState(t, 0, 53));
        assertThat(control.pattern()).isNotNull();
        // The link dies: no more sets. The controller keeps the pattern for its backup time (5 s), then runs free.
        for (long t = 61; t <= 64; t++) {
            controller.step(t * 1000L, new boolean[] {false});
        }
        assertThat(controller.runningPattern()).isNotNull();
        for (long t = 65; t <= 70; t++) {
            controller.step(t * 1000L, new boolean[] {false});
        }
        assertThat(controller.runningPattern()).isNull();
        assertThat(controller.patternStatus()).isEqualTo(NtcipObjects.PATTERN_FREE);
        assertThat(control.systemPattern()).as("reset to standby").isZero();
        // Back: the state is read first, then the engine's pattern is selected again.
        drive(71, 72, t -> engineState(t, 0, 53));
        assertThat(controller.runningPattern()).isNotNull();
    }

    @Test
    void readsStateAndDetectorsThenCommandsThePlan() throws Exception {
        firstContact(1000);
        assertThat(statuses.get(0)).isEqualTo("J1 1000 0 GGrr own -1");
        assertThat(gateway.controllerLink("J1")).isEqualTo(NtcipEngineGateway.ControllerLink.CONNECTED);
        assertThat(gateway.linkState()).isEqualTo(LinkState.CONNECTED);
        assertThat(gateway.protocol()).isEqualTo("ntcip");

        // A vehicle on the loop for one 1-s period: volume 1, occupancy 100 %, on the loop at the period's end.
        agent.detectors(new boolean[] {true});
        gateway.onPlan(plan("GGrr", 60_000));
        gateway.poll(2000);
        await(() -> statuses.size() == 2);
        assertThat(readings).containsExactly("J1_n 1 1.0 1000 present");
        assertThat(gateway.counters().entriesApplied()).isEqualTo(1);
        assertThat(gateway.counters().messagesIn()).isEqualTo(gateway.counters("J1").answers());
        await(() -> control.hold() == 0b01);
        assertThat(control.forceOff()).isZero();

        // The engine moves to its phase 1 (NTCIP 6): force-off, call on 6, nothing else to serve. The loop is empty.
        agent.detectors(new boolean[] {false}, new int[] {0}, new int[] {400});
        gateway.onPlan(plan("rrGG", 60_000));
        gateway.poll(3000);
        await(() -> control.forceOff() == 0b01);
        assertThat(control.vehCall()).isEqualTo(0b10);
        assertThat(control.hold()).isZero();
        assertThat(control.omit()).isZero();
        assertThat(gateway.counters("J1").commands()).isEqualTo(2);
        await(() -> statuses.size() == 3);
        assertThat(statuses.get(2)).as("commanded from the second poll on").endsWith(" null 1");
        assertThat(readings).containsExactly("J1_n 1 1.0 1000 present", "J1_n 0 0.4 1000 absent");

        // The plan expires: the controller is released once, then left alone.
        gateway.poll(61_000);
        await(() -> control.forceOff() == 0 && control.vehCall() == 0);
        gateway.poll(62_000);
        await(() -> statuses.size() == 5);
        assertThat(gateway.counters("J1").commands()).isEqualTo(3);
    }

    @Test
    void aSilentControllerIsReportedLostNotCommandedAndReadBeforeCommandingAgain() throws Exception {
        gateway.onPlan(plan("GGrr", 600_000));
        firstContact(1000);
        int port = agent.address().getPort();
        agent.close();
        gateway.poll(2000);
        gateway.poll(3000);
        await(() -> gateway.controllerLink("J1") == NtcipEngineGateway.ControllerLink.LOST);
        assertThat(gateway.counters("J1").losses()).isEqualTo(1);
        assertThat(gateway.linkState()).isEqualTo(LinkState.DISCONNECTED);
        assertThat(gateway.counters().connectionLosses()).isEqualTo(1);
        assertThat(gateway.counters("J1").timeouts()).isGreaterThanOrEqualTo(2);
        long commands = gateway.counters("J1").commands();
        gateway.poll(4000);
        Thread.sleep(400);
        assertThat(gateway.counters("J1").commands()).as("no command while lost").isEqualTo(commands);

        // The controller comes back: the first poll only reads, the next one commands.
        PhaseControl fresh = new PhaseControl();
        NtcipMapping agentSide = NtcipMapping.parse(Path.of("agent.map"),
                List.of("signal J1 127.0.0.1:1", "phase 0 2", "phase 1 6", "detector J1_n 1"));
        agent = NtcipAgent.start(agentSide.signal("J1"), controller, fresh, timing, 5, 1, "127.0.0.1", port, USER);
        // A new SNMP engine answers there: the first poll learns so and forgets the old one, a later one reads.
        long t = 5000;
        for (; gateway.controllerLink("J1") != NtcipEngineGateway.ControllerLink.CONNECTED && t < 10_000; t += 1000) {
            long answers = gateway.counters("J1").answers() + gateway.counters("J1").timeouts();
            gateway.poll(t);
            await(() -> gateway.counters("J1").answers() + gateway.counters("J1").timeouts() > answers);
        }
        assertThat(gateway.controllerLink("J1")).isEqualTo(NtcipEngineGateway.ControllerLink.CONNECTED);
        assertThat(gateway.counters("J1").commands()).as("read before commanding").isEqualTo(commands);
        assertThat(fresh.sets()).isZero();
        gateway.poll(t);
        await(() -> fresh.hold() == 0b01);
    }

    @Test
    void wrongCredentialsAreReportedAndNeverCommand() throws Exception {
        for (SnmpV3User wrong : List.of(new SnmpV3User("central", "wrong-auth-key", "priv-pass-1"),
                new SnmpV3User("central", "auth-pass-1", "wrong-priv-key"))) {
            gateway.close();
            gateway = gateway(wrong);
            gateway.onPlan(plan("GGrr", 600_000));
            gateway.poll(1000);
            gateway.poll(2000);
            await(() -> gateway.controllerLink("J1") != NtcipEngineGateway.ControllerLink.CONNECTING);
            // SNMP4J's agent drops a request with a wrong digest or key without a report: it looks like silence.
            assertThat(gateway.controllerLink("J1")).isIn(NtcipEngineGateway.ControllerLink.REFUSED,
                    NtcipEngineGateway.ControllerLink.LOST);
            assertThat(gateway.linkProblem("J1")).as("names the controller and what to check")
                    .contains("signal J1 at 127.0.0.1:" + agent.address().getPort())
                    .contains("SNMPv3 user, authentication and privacy keys");
            gateway.poll(3000);
            Thread.sleep(400);
            assertThat(gateway.counters("J1").polls()).as("still polling: nothing crashed").isEqualTo(3);
            assertThat(control.sets()).isZero();
            assertThat(statuses).isEmpty();
            assertThat(gateway.counters().rejects().total()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aControllerBeyondLoopbackIsReachable() throws Exception {
        // The documentation range (RFC 5737): nothing answers there, but a request must leave this host for it.
        java.net.InetSocketAddress remote = new java.net.InetSocketAddress("203.0.113.1", 161);
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket()) {
            probe.send(new java.net.DatagramPacket(new byte[1], 1, remote));
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no route beyond loopback here: " + e.getMessage());
        }
        gateway.close();
        NtcipMapping mapping = NtcipMapping.parse(Path.of("engine.map"), List.of("signal J1 203.0.113.1:161",
                "phase 0 2", "phase 1 6", "detector J1_n 1"));
        gateway = new NtcipEngineGateway(mapping, Map.of("J1", model), Map.of("J1", 0), directory, ingest,
                SnmpSession.v3(USER, 200, 0), st -> statuses.add(st.intersectionId()), 1);
        gateway.poll(1000);
        await(() -> gateway.controllerLink("J1") == NtcipEngineGateway.ControllerLink.LOST);
        assertThat(gateway.linkProblem("J1")).as("sent, and unanswered").contains("no answer within the time-out")
                .doesNotContain("could not send");
    }

    @Test
    void anEarlyForceOffIsHeldByTheControllerUntilItsMinimumGreen() throws Exception {
        firstContact(1000);
        // One second into phase 0 (minimum green 5 s) the engine wants phase 1.
        gateway.onPlan(plan("rrGG", 60_000));
        gateway.command(1000);
        await(() -> control.forceOff() == 0b01 && control.vehCall() == 0b10);
        boolean[] empty = {false};
        for (int t = 1; t <= 4; t++) {
            controller.step(t * 1000L, empty);
            assertThat(controller.shownString()).as("t=%d s: still the minimum green", t).isEqualTo("GGrr");
        }
        assertThat(controller.heldForMinGreen()).isPositive();
        controller.step(5_000, empty);
        assertThat(controller.shownString()).as("the force-off acts at the minimum green").isEqualTo("yyrr");
        assertThat(controller.centralInControl()).isTrue();
    }

    @Test
    void aControllerAnsweringTooSlowlyIsFlaggedCountedAndLeftToItsOwnTiming() throws Exception {
        gateway.close();
        try (UdpDelay link = new UdpDelay(agent.address().getPort())) {
            NtcipMapping mapping = NtcipMapping.parse(Path.of("engine.map"), List.of(
                    "signal J1 127.0.0.1:" + link.port(), "phase 0 2", "phase 1 6", "detector J1_n 1"));
            gateway = new NtcipEngineGateway(mapping, Map.of("J1", model), Map.of("J1", 0), directory, ingest,
                    SnmpSession.v3(USER, 300, 1), st -> statuses.add(st.intersectionId()), 2);
            link.delayMs = 50;
            gateway.onPlan(plan("GGrr", 600_000));
            firstContact(1000);
            gateway.poll(2000);
            await(() -> control.hold() == 0b01);
            controller.step(2_000, new boolean[] {false});
            assertThat(controller.centralInControl()).isTrue();

            // Answers now come after the time-out and its retry (2 x 300 ms).
            link.delayMs = 800;
            for (long t = 3000; t <= 4000; t += 1000) {
                long done = gateway.counters("J1").timeouts();
                gateway.poll(t);
                await(() -> gateway.counters("J1").timeouts() > done);
            }
            assertThat(gateway.controllerLink("J1")).isEqualTo(NtcipEngineGateway.ControllerLink.LOST);
            assertThat(gateway.linkProblem("J1")).contains("lost communication with the NTCIP controller of signal J1");
            assertThat(gateway.counters("J1").timeouts()).isEqualTo(2);
            assertThat(gateway.counters().rejects().total()).isEqualTo(2);
            long commands = gateway.counters("J1").commands();
            // The set of the first slow poll (and its retries) may still land late; none after it.
            Thread.sleep(1000);
            long settled = control.sets();
            gateway.poll(5000);
            Thread.sleep(1500);
            assertThat(gateway.counters("J1").commands()).as("not commanded while lost").isEqualTo(commands);
            assertThat(control.sets()).isEqualTo(settled);
            for (int t = 3; t <= 9; t++) {
                controller.step(t * 1000L, new boolean[] {false});
            }
            assertThat(controller.centralInControl()).as("its own timing after the 5 s backup time").isFalse();
        }
    }

    @Test
    void aControllerAnsweringWithWrongTypesIsFlaggedCountedAndNeverCommanded() throws Exception {
        gateway.close();
        try (WrongTypesAgent wrong = new WrongTypesAgent(USER)) {
            NtcipMapping mapping = NtcipMapping.parse(Path.of("engine.map"), List.of(
                    "signal J1 127.0.0.1:" + wrong.port(), "phase 0 2", "phase 1 6", "detector J1_n 1"));
            gateway = new NtcipEngineGateway(mapping, Map.of("J1", model), Map.of("J1", 0), directory, ingest,
                    SnmpSession.v3(USER, 1000, 1), st -> statuses.add(st.intersectionId()), 2);
            gateway.onPlan(plan("GGrr", 600_000));
            for (long t = 1000; t <= 3000; t += 1000) {
                long done = gateway.counters("J1").wrongTypes() + gateway.counters("J1").timeouts();
                gateway.poll(t);
                await(() -> gateway.counters("J1").wrongTypes() + gateway.counters("J1").timeouts() > done);
            }
            assertThat(gateway.controllerLink("J1")).isEqualTo(NtcipEngineGateway.ControllerLink.FAULTY);
            assertThat(gateway.linkState()).isEqualTo(LinkState.DISCONNECTED);
            assertThat(gateway.linkProblem("J1")).contains("signal J1 at 127.0.0.1:" + wrong.port())
                    .contains("OCTET STRING where NTCIP 1202 has an INTEGER");
            assertThat(gateway.counters("J1").wrongTypes()).isGreaterThanOrEqualTo(2);
            assertThat(gateway.counters().rejects().total()).isGreaterThanOrEqualTo(2);
            assertThat(wrong.sets.get()).as("never commanded").isZero();
            assertThat(statuses).as("no state taken from it").isEmpty();
            assertThat(readings).isEmpty();
        }
    }

    @Test
    void asTheEnginesFieldPortItPollsEverySecondOnItsOwn() throws Exception {
        NtcipMapping mapping = NtcipMapping.parse(Path.of("engine.map"), List.of(
                "signal J1 127.0.0.1:" + agent.address().getPort(), "phase 0 2", "phase 1 6", "detector J1_n 1"));
        EngineEdge edge = new EngineEdge(directory, ingest, new ManualClock(100_000), st -> statuses.add(st.intersectionId()
                + " " + st.timeMs()), null);
        FieldPort port = NtcipEngineGateway.factory(mapping, Map.of("J1", model),
                SnmpSession.v3(USER, 1000, 1), 2, true).start(edge);
        try {
            assertThat(port.awaitConnected(10_000)).isTrue();
            assertThat(port.runsDevicePrograms()).isTrue();
            await(() -> statuses.size() >= 2);
            assertThat(statuses.get(0)).isEqualTo("J1 100000");
        } finally {
            port.close();
        }
        assertThat(port.linkState()).isEqualTo(LinkState.CLOSED);

        NtcipMapping other = NtcipMapping.parse(Path.of("engine.map"), List.of("signal J9 127.0.0.1:1", "phase 0 2"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NtcipEngineGateway.factory(other, Map.of(),
                SnmpSession.v3(USER, 1000, 1), 2, false).start(edge))
                .hasMessage("engine.map:1: signal 'J9' is not one of the engine's");
    }
}
