package org.greenwave.harness.run;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.greenwave.adapters.ntcip.NtcipEngineGateway;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.sumo.DetectorFeed;
import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.time.ManualClock;
import org.greenwave.core.time.Millis;
import org.greenwave.harness.ntcip.VirtualControllerSite;
import org.greenwave.harness.ntcip.VirtualSignals;
import org.greenwave.netimport.ControlledIntersection;

/**
 * Runs a simulation as a central system runs NTCIP 1202 controllers in the field: each signal's cabinet is a virtual
 * actuated controller ({@link ActuatedController}, set up as {@link VirtualSignals} says) that reads SUMO's loops as
 * its vehicle detectors and drives the signal, with an SNMPv3 agent on loopback ({@link NtcipAgent}); the engine's field
 * port is the phase-control gateway ({@link NtcipEngineGateway}), which reaches the controllers only over SNMP. The
 * engine sees what a central system sees: each controller's phase status and its detectors' volume and occupancy per
 * second, and, with cameras, the approaches' lane-area zones through the cameras' own feed ({@link Cameras}): NTCIP
 * 1202 carries no lane-area reading, so a central system reads its cameras beside the controllers, as the engine's
 * port takes them from any adapter. Every state SUMO shows is the controllers' and is watched by the run's monitors.
 *
 * <p>Lock-step with simulated time, once a simulated second: the cabinets take the second's detector occupancy, the
 * gateway reads every controller and waits for the answers (at most {@link #ANSWER_WAIT_MS} of wall time), the engine
 * ticks on what was read, the gateway commands every controller from the engine's plan and waits for the sets'
 * answers, and the controllers step (every SUMO step), following the sets. So a decision reaches the signal in the
 * second it was taken, as in process, and a run repeats.
 *
 * <p>In mode {@code pattern} the gateway writes and selects a pattern for each controller once a cycle (and re-selects
 * it each second) instead of phase control; the controllers run it as coordinated controllers do.
 *
 * <p>The agents listen on free loopback ports with an SNMPv3 user and passphrases made for the run; the mapping file
 * the gateway reads ({@link #MAPPING_FILE}) is written into the run's folder.
 *
 * <p>Threading: the run's thread; SNMP answers on SNMP4J's threads (the gateway's and the agents').
 */
final class NtcipTransport implements Transport.Open {
    /** The mapping file the run writes, in the run's folder. */
    static final String MAPPING_FILE = "ntcip.map";
    /** Longest wall-clock wait for a second's reads or sets to be answered, ms. */
    static final long ANSWER_WAIT_MS = 5_000;
    /** Polls in a row without an answer after which the gateway reports a controller lost. */
    private static final int LOSS_AFTER_POLLS = 3;
    /** The gateway's time-out per request (ms) and retries. */
    private static final long TIMEOUT_MS = 1_000;
    private static final int RETRIES = 2;

    private final ManualClock clock;
    private final Engine engine;
    private final NtcipEngineGateway gateway;
    private final List<NtcipAgent> agents;
    private final List<ActuatedController> controllers = new ArrayList<>();
    private final double engineStopsAtS;
    private final Cabinets cabinets;
    /** The cameras' feed into the engine, or null when the engine sees the loops only. */
    private final Cameras cameras;
    /** The field's readings: loop edges to the cabinets, lane-area readings to the cameras. */
    private final DetectorFeed feed;
    /** Per signal: the controller ran its own timing at its last step (or has not stepped yet). */
    private final boolean[] onOwn;
    private long ownSteps;
    private long ownEntered;
    private double ownS;
    private long lastStepMs;
    /** When the controllers were last read and commanded, engine ms; set by {@link #begin}. */
    private long lastPollMs;

    NtcipTransport(Transport.Setup setup, NtcipMapping.Mode mode, boolean withCameras, double engineStopsAtS)
            throws IOException {
        this.clock = setup.clock();
        this.engineStopsAtS = engineStopsAtS;
        this.lastStepMs = clock.nowMs();
        List<ControlledIntersection> signals = setup.signals();
        for (ControlledIntersection ci : signals) {
            if (Policies.create(setup.controller(), ci.model()).deviceProgram() != null) {
                throw new IllegalArgumentException("controller '" + setup.controller() + "' runs SUMO's own signal "
                        + "program, which no NTCIP controller has: run it in process (an NTCIP controller released by "
                        + "the engine runs its own actuated timing)");
            }
        }
        PlanSink[] sink = new PlanSink[1];
        PlanSink forward = plan -> sink[0].onPlan(plan);
        Engine eng = Engine.invoked(setup.engineSetup().apply(new EngineContext()
                .intersections(setup.intersections()).shards(1).clock(clock).planSink(forward)
                .forecasterFactory(SimulationRun.defaultForecaster())));
        List<NtcipAgent> started = List.of();
        NtcipEngineGateway g = null;
        try {
            VirtualSignals.Cabinets cabinets = VirtualSignals.cabinets(signals, VirtualSignals.DEFAULT_BACKUP_S);
            controllers.addAll(cabinets.controllers());
            SnmpV3User user = new SnmpV3User("greenwave", passphrase(), passphrase());
            Path mappingFile = setup.outDir().resolve(MAPPING_FILE);
            started = VirtualControllerSite.startAgents(signals, controllers, cabinets.controls(), "127.0.0.1", 0,
                    user, VirtualSignals.DEFAULT_BACKUP_S, mappingFile, mode);
            DetectorDirectory directory = eng.directory();
            Map<String, IntersectionModel> models = new HashMap<>();
            for (ControlledIntersection ci : signals) {
                models.put(ci.id(), ci.model());
            }
            NtcipMapping mapping = NtcipMapping.read(mappingFile);
            mapping.check(models, (s, d) -> {
                int det = directory.detectorIndex(d);
                return det >= 0 && directory.detectorIntersection(det) == directory.intersectionIndex(s);
            });
            g = (NtcipEngineGateway) NtcipEngineGateway.factory(mapping, models,
                    SnmpSession.v3(user, TIMEOUT_MS, RETRIES), LOSS_AFTER_POLLS, false)
                    .start(new EngineEdge(directory, eng.ingest(), clock, eng.status(), null));
        } catch (IOException | RuntimeException e) {
            VirtualControllerSite.closeAll(started);
            eng.close();
            throw e;
        }
        sink[0] = g;
        this.engine = eng;
        this.gateway = g;
        this.agents = started;
        this.cabinets = new Cabinets(signals, engine.directory(), Millis.toSeconds(clock.nowMs()));
        this.cameras = withCameras ? new Cameras(engine.ingest(), engineStopsAtS) : null;
        this.feed = new DetectorFeed() {
            @Override
            public void detectorEdge(int intersection, int detector, boolean on, long timeMs) {
                cabinets.detectorEdge(detector, on, timeMs);
            }

            @Override
            public void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM) {
                if (cameras != null) {
                    cameras.laneArea(detector, timeMs, vehicles, halting, jamM);
                }
            }
        };
        // A controller starts on its own timing; that start is not counted as entering it.
        this.onOwn = new boolean[signals.size()];
        java.util.Arrays.fill(onOwn, true);
    }

    /** A passphrase for the run's SNMPv3 user: both ends live in this process. */
    private static String passphrase() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public Engine engine() {
        return engine;
    }

    /**
     * SUMO's loops to the cabinets' detector inputs; its lane-area readings, which reach no NTCIP controller, to the
     * cameras' feed, or nowhere without cameras.
     */
    @Override
    public DetectorFeed feed() {
        return feed;
    }

    /**
     * Starts each controller in the green phase the field shows, reads every controller once and runs the engine's first
     * tick on what it read.
     */
    @Override
    public void begin(RunObserver observer, SumoField field) throws Exception {
        for (int i = 0; i < controllers.size(); i++) {
            ActuatedController c = controllers.get(i);
            c.reset(field.signal(i).field().interlock().phase(), clock.nowMs());
            field.show(i, c.shownString());
        }
        observer.fieldPort(gateway);
        long nowMs = clock.nowMs();
        gateway.read(nowMs);
        awaitAnswers();
        engine.doWork();
        gateway.command(nowMs);
        awaitAnswers();
        lastPollMs = nowMs;
    }

    @Override
    public void afterStep(long nowMs) throws InterruptedException {
        cabinets.endStep();
        if (nowMs - lastPollMs < 1000) {
            return;
        }
        lastPollMs = nowMs;
        cabinets.endSecond(agents, nowMs);
        if (Millis.toSeconds(nowMs) >= engineStopsAtS) {
            // The central system is gone: no more ticks, reads or sets.
            return;
        }
        gateway.read(nowMs);
        awaitAnswers();
        clock.set(nowMs);
        engine.doWork();
        gateway.command(nowMs);
        awaitAnswers();
    }

    /** The controllers step and show their state: they, not the field's plan followers, drive the signals. */
    @Override
    public void showField(SumoField field, long nowMs) {
        double dtS = Millis.toSeconds(nowMs - lastStepMs);
        lastStepMs = nowMs;
        for (int i = 0; i < controllers.size(); i++) {
            ActuatedController c = controllers.get(i);
            if (c.step(nowMs, cabinets.step(i))) {
                field.show(i, c.shownString());
            }
            boolean own = !c.centralInControl();
            if (own) {
                ownSteps++;
                ownS += dtS;
                ownEntered += onOwn[i] ? 0 : 1;
            }
            onOwn[i] = own;
        }
    }

    /**
     * The controllers' figures: sets sent to them, early force-offs held until minimum green, greens that maxed out,
     * and their own timing after central control ended (the start, before the first set, is not counted as entered).
     */
    @Override
    public FieldTotals fieldTotals(SumoField field) {
        long held = 0;
        long maxOuts = 0;
        long commands = 0;
        for (int i = 0; i < controllers.size(); i++) {
            held += controllers.get(i).heldForMinGreen();
            maxOuts += controllers.get(i).maxOuts();
            commands += gateway.counters(agents.get(i).signal().id()).commands();
        }
        return new FieldTotals(commands, held, maxOuts, ownSteps, ownEntered, Math.round(ownS * 1000));
    }

    /** Detector and camera readings the engine's queue refused. */
    @Override
    public long ingestDrops() {
        return gateway.counters().ingestRefused() + (cameras != null ? cameras.refused : 0);
    }

    private void awaitAnswers() throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_WAIT_MS * 1_000_000;
        while (gateway.pendingRequests() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(0, 200_000);
        }
    }

    @Override
    public void close() {
        gateway.close();
        try {
            VirtualControllerSite.closeAll(agents);
        } catch (IOException e) {
            System.getLogger(NtcipTransport.class.getName()).log(System.Logger.Level.WARNING,
                    "closing the virtual controllers' agents: " + e);
        }
        engine.close();
    }

    /**
     * The cabinets' detector inputs from SUMO's loops, as a cabinet's detector cards sample them: per signal and
     * controller detector, whether a vehicle was on the loop during the last step (the controller's calls and
     * extensions), and over each simulated second the vehicles that arrived, the time the loop was occupied and whether
     * it is occupied at the second's end (the agent's volume, occupancy and active status).
     */
    private static final class Cabinets {
        /** Per engine detector index: its signal and its place among the signal's controller detectors, or -1. */
        private final int[] signalOf;
        private final int[] slotOf;
        /** Per engine detector index: a vehicle is on the loop now, since when (ms). */
        private final boolean[] on;
        private final long[] onSinceMs;
        /** Per signal and slot. */
        private final int[][] detectorOfSlot;
        private final boolean[][] step;
        private final boolean[][] seenStep;
        private final boolean[][] activeNow;
        private final int[][] vehicles;
        private final int[][] occupiedMs;
        private long secondStartMs;

        Cabinets(List<ControlledIntersection> signals, DetectorDirectory directory, double startS) {
            int n = directory.detectorCount();
            signalOf = new int[n];
            slotOf = new int[n];
            on = new boolean[n];
            onSinceMs = new long[n];
            java.util.Arrays.fill(signalOf, -1);
            int s = signals.size();
            detectorOfSlot = new int[s][];
            step = new boolean[s][];
            seenStep = new boolean[s][];
            activeNow = new boolean[s][];
            vehicles = new int[s][];
            occupiedMs = new int[s][];
            for (int i = 0; i < s; i++) {
                List<String> ids = VirtualSignals.detectorIds(signals.get(i));
                int k = ids.size();
                detectorOfSlot[i] = new int[k];
                step[i] = new boolean[k];
                seenStep[i] = new boolean[k];
                activeNow[i] = new boolean[k];
                vehicles[i] = new int[k];
                occupiedMs[i] = new int[k];
                for (int slot = 0; slot < k; slot++) {
                    int d = directory.detectorIndex(ids.get(slot));
                    detectorOfSlot[i][slot] = d;
                    if (d >= 0) {
                        signalOf[d] = i;
                        slotOf[d] = slot;
                    }
                }
            }
            secondStartMs = Math.round(startS * 1000);
        }

        void detectorEdge(int detector, boolean on, long timeMs) {
            int i = signalOf[detector];
            if (i < 0 || on == this.on[detector]) {
                return;
            }
            int slot = slotOf[detector];
            this.on[detector] = on;
            if (on) {
                onSinceMs[detector] = timeMs;
                seenStep[i][slot] = true;
                vehicles[i][slot]++;
            } else {
                occupiedMs[i][slot] += (int) Math.max(0, timeMs - Math.max(onSinceMs[detector], secondStartMs));
            }
        }

        /** After a step's edges: the step's occupancy of every loop (one still occupied counts too). */
        void endStep() {
            for (int i = 0; i < step.length; i++) {
                for (int k = 0; k < step[i].length; k++) {
                    int d = detectorOfSlot[i][k];
                    step[i][k] = seenStep[i][k] || (d >= 0 && on[d]);
                    seenStep[i][k] = false;
                }
            }
        }

        boolean[] step(int signal) {
            return step[signal];
        }

        /** Hands every agent the second ending at {@code endMs} and starts the next. */
        void endSecond(List<NtcipAgent> agents, long endMs) {
            for (int i = 0; i < agents.size(); i++) {
                for (int k = 0; k < step[i].length; k++) {
                    int d = detectorOfSlot[i][k];
                    boolean now = d >= 0 && on[d];
                    activeNow[i][k] = now;
                    if (now) {
                        occupiedMs[i][k] += (int) Math.max(0, endMs - Math.max(onSinceMs[d], secondStartMs));
                    }
                }
                agents.get(i).detectors(activeNow[i], vehicles[i], occupiedMs[i]);
                for (int k = 0; k < step[i].length; k++) {
                    vehicles[i][k] = 0;
                    occupiedMs[i][k] = 0;
                }
            }
            secondStartMs = endMs;
        }
    }

    /**
     * The approaches' cameras, as a deployment has them beside its controllers: each lane-area reading goes, as it is
     * taken, into the engine's {@link Ingest}, the port every adapter's lane-area readings reach (in process, over MQTT
     * from a camera system publishing on the detectors' lane-area topics). The central system reads them on the
     * engine's side, so from the time the engine stops they reach it no more. Threading: the run's thread.
     */
    private static final class Cameras {
        private final Ingest ingest;
        /** The engine stops at this time (ms); {@link Long#MAX_VALUE} when it runs to the end. */
        private final long engineStopsAtMs;
        /** Readings the engine's queue refused. */
        long refused;

        Cameras(Ingest ingest, double engineStopsAtS) {
            this.ingest = ingest;
            this.engineStopsAtMs = Math.round(engineStopsAtS * 1000);
        }

        void laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            if (timeMs - engineStopsAtMs < 0 && !ingest.laneArea(detector, timeMs, vehicles, halting, jamM)) {
                refused++;
            }
        }
    }
}
