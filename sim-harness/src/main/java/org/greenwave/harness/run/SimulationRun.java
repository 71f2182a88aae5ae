package org.greenwave.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.adapters.traci.SumoOptions;
import org.greenwave.adapters.traci.SumoProcess;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.adapters.field.FieldController;
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.safety.SafetyRule;
import org.greenwave.core.time.ManualClock;
import org.greenwave.forecast.online.QueueForecasterFactory;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.RollingHorizonPolicy;
import org.greenwave.harness.kpi.BusStats;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.FieldStats;
import org.greenwave.harness.kpi.PersonStats;
import org.greenwave.harness.kpi.RunMonitors;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.harness.scenario.AdditionalFiles;
import org.greenwave.harness.scenario.ScenarioOutputs;
import org.greenwave.harness.scenario.VehicleTypes;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * One controller × seed run of a scenario in SUMO: starts SUMO with the generated detectors, sends their readings to
 * the engine every step (in process, or over MQTT as a field device would), hands the engine's timing plans to a
 * {@link FieldController} per signal, applies what the field controllers show through TraCI, and watches every
 * state SUMO shows with an independent {@link SafetyMonitor}. Writes SUMO's {@code tripinfo.xml}
 * (unfinished and undeparted vehicles included), {@code sumo.log} and {@code summary.json} into the run's folder, and
 * every output the scenario names there too ({@link ScenarioOutputs}): the scenario's folder is only read.
 *
 * <p>Threading: a run owns its SUMO process and runs on the calling thread; runs share nothing but the read-only
 * network model, so several may run at once.
 */
public final class SimulationRun {
    /** simulation variable: vehicles that started a teleport in the last step (TraCIConstants.h). */
    private static final int VAR_TELEPORT_STARTING_VEHICLES_NUMBER = 0x75;
    private static final int MAX_EXAMPLES = 20;
    /** The run's SUMO command line without the TraCI connection, one argument per line. */
    public static final String SUMO_COMMAND_FILE = "sumo-command.txt";
    /** What a stuck lane-area detector reports: its 200 m zone full of standing vehicles (7.5 m each). */
    private static final int STUCK_AREA_VEHICLES = (int) (ScenarioImport.AREA_LENGTH_M / 7.5);
    private static final double STUCK_AREA_JAM_M = ScenarioImport.AREA_LENGTH_M;
    /** Road space a standing vehicle takes (length plus gap), for the starvation monitor's "exit has room", metres. */
    private static final double STANDING_SPACING_M = 7.5;
    /** TraCI vehicle variable: seconds since the vehicle last moved faster than 0.1 m/s (TraCIConstants.h). */
    private static final int VAR_WAITING_TIME = 0x7a;
    /** TraCI vehicle variable: the signals ahead of the vehicle with their link indexes (TraCIConstants.h). */
    private static final int VAR_NEXT_TLS = 0x70;
    /** Time since detection a dead loop shows the device's actuated logic, seconds. */
    private static final double DEAD_LOOP_SILENCE_S = 1e6;

    private final Scenario scenario;
    private final SumoNet net;
    private final List<ControlledIntersection> signals;
    private final String controller;
    private final long seed;
    private final Path outDir;
    private final List<String> extraSumoArgs;
    private final boolean viaMqtt;
    private final String brokerUrl;
    private RunObserver observer = new RunObserver() {
    };
    private DetectorFailures failures = DetectorFailures.none();
    private PlanSigning signing;
    private BrokerAccess brokerAccess = BrokerAccess.ANONYMOUS;
    private UnaryOperator<EngineContext> engineSetup = UnaryOperator.identity();
    private List<Path> extraAdditionalFiles = List.of();
    private String label;

    /**
     * @param viaMqtt   send detector data and plans over MQTT instead of in process
     * @param brokerUrl with {@code viaMqtt}: the broker to use, or null for an embedded one per run
     */
    public SimulationRun(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, String controller,
                         long seed, Path outDir, List<String> extraSumoArgs, boolean viaMqtt, String brokerUrl) {
        this.viaMqtt = viaMqtt;
        this.brokerUrl = brokerUrl;
        this.scenario = scenario;
        this.net = net;
        this.signals = signals;
        this.controller = controller;
        this.seed = seed;
        this.outDir = outDir;
        this.extraSumoArgs = List.copyOf(extraSumoArgs);
        Policies.create(controller, signals.get(0).model());
    }

    /** The forecast step every engine of the harness runs unless its set-up names another: the forecast module's. */
    static QueueForecasterFactory defaultForecaster() {
        return new QueueForecasterFactory(new QueueForecasterFactory.Config());
    }

    /** Over MQTT: the keys plans are signed and checked with; default (null) a key pair made for the run. */
    public SimulationRun planSigning(PlanSigning signing) {
        this.signing = signing;
        return this;
    }

    /** Over MQTT with an external broker: how the engine and the field side log in to it; default anonymously. */
    public SimulationRun brokerAccess(BrokerAccess access) {
        this.brokerAccess = java.util.Objects.requireNonNull(access, "access");
        return this;
    }

    /** Watches the run; see {@link RunObserver}. */
    public SimulationRun observer(RunObserver observer) {
        this.observer = observer;
        return this;
    }

    /** Detector failures to inject; default none. */
    public SimulationRun detectorFailures(DetectorFailures failures) {
        this.failures = failures;
        return this;
    }

    /** Adjusts the engine's context before the engine starts (e.g. its forecaster); default unchanged. */
    public SimulationRun engineSetup(UnaryOperator<EngineContext> engineSetup) {
        this.engineSetup = engineSetup;
        return this;
    }

    /** More SUMO additional files to load, e.g. an evaluator's own detectors; default none. */
    public SimulationRun additionalFiles(List<Path> files) {
        this.extraAdditionalFiles = List.copyOf(files);
        return this;
    }

    /**
     * The name the run's summary gives its controller, e.g. to tell two set-ups of one controller apart; default the
     * controller's name.
     */
    public SimulationRun label(String label) {
        this.label = label;
        return this;
    }

    /** The run's output folder. */
    public Path outDir() {
        return outDir;
    }

    /** Per-signal wiring between SUMO's subscriptions and the engine. Single-threaded. */
    private static final class Binding {
        final ControlledIntersection ci;
        final int index;
        final FieldController field;
        final SafetyMonitor monitor;
        final StarvationMonitor starvation;
        /** Scratch: per incoming lane, the vehicles on its stop-line loop this step (null without a loop). */
        private final List<LoopVehicleData>[] stopLoopVehicles;
        /** Per outgoing lane: room for another vehicle in its zone this step. */
        final boolean[] exitRoom;
        final boolean deviceDriven;
        final Subscription tlsState;
        final int[] stopDetector;
        final int[] advanceDetector;
        final int[] inAreaDetector;
        final int[] outAreaDetector;
        String programShown;
        /** Whether the state SUMO shows was last set from the interlock (not by a device program). */
        boolean interlockShown;
        /** The step's loop edges of one detector, sorted by time. */
        private long[] edgeMs = new long[16];
        private boolean[] edgeOn = new boolean[16];
        /** Per detector index: a stuck loop's single "on" edge was sent. */
        final boolean[] stuckOnSent;
        final Subscription[] stopLoops;
        final Subscription[] advanceLoops;
        final Subscription[][] inAreas;
        final Subscription[][] outAreas;

        Binding(ControlledIntersection ci, int index, boolean deviceDriven, DetectorDirectory directory, TraciClient c,
                String controller, PlanRefusals refusals) {
            this.ci = ci;
            this.index = index;
            this.deviceDriven = deviceDriven;
            // The field runs the signal's own program, and the variant the controller installs (fixed-time, actuated).
            String installed = Policies.deviceProgramId(controller, ci.model().sourceProgramId());
            this.field = new FieldController(ci.model(), installed == null || installed.equals(ci.model().sourceProgramId())
                    ? java.util.Set.of(ci.model().sourceProgramId())
                    : java.util.Set.of(ci.model().sourceProgramId(), installed), FieldController.MAX_PLAN_LIFETIME_MS,
                    refusals);
            this.stuckOnSent = new boolean[directory.detectorCount()];
            this.monitor = new SafetyMonitor(ci.model());
            this.starvation = new StarvationMonitor(ci.model(), starvationBoundS(ci.model()));
            this.stopLoopVehicles = new List[ci.model().incomingLaneCount()];
            this.exitRoom = new boolean[ci.model().outgoingLaneCount()];
            java.util.Arrays.fill(exitRoom, true);
            int lanes = ci.model().incomingLaneCount();
            stopDetector = new int[lanes];
            advanceDetector = new int[lanes];
            inAreaDetector = new int[lanes];
            for (int lane = 0; lane < lanes; lane++) {
                stopDetector[lane] = ci.stopLineLoops()[lane] == null ? -1 : directory.detectorIndex(ci.stopLineLoops()[lane]);
                advanceDetector[lane] = ci.advanceLoops()[lane] == null ? -1 : directory.detectorIndex(ci.advanceLoops()[lane]);
                inAreaDetector[lane] = ci.incomingAreas()[lane] == null ? -1 : directory.detectorIndex(ci.incomingAreas()[lane][0]);
            }
            outAreaDetector = new int[ci.model().outgoingLaneCount()];
            for (int lane = 0; lane < outAreaDetector.length; lane++) {
                outAreaDetector[lane] = ci.outgoingAreas()[lane] == null ? -1
                        : directory.detectorIndex(ci.outgoingAreas()[lane][0]);
            }
            this.tlsState = c.subscribe(Domain.TRAFFIC_LIGHT, ci.id(), TraciConstants.TL_RED_YELLOW_GREEN_STATE);
            int in = ci.model().incomingLaneCount();
            stopLoops = new Subscription[in];
            advanceLoops = new Subscription[in];
            inAreas = new Subscription[in][];
            for (int lane = 0; lane < in; lane++) {
                if (ci.stopLineLoops()[lane] != null) {
                    stopLoops[lane] = c.subscribe(Domain.INDUCTION_LOOP, ci.stopLineLoops()[lane],
                            TraciConstants.LAST_STEP_VEHICLE_DATA);
                    advanceLoops[lane] = c.subscribe(Domain.INDUCTION_LOOP, ci.advanceLoops()[lane],
                            TraciConstants.LAST_STEP_VEHICLE_DATA);
                    String[] ids = ci.incomingAreas()[lane];
                    inAreas[lane] = new Subscription[ids.length];
                    for (int k = 0; k < ids.length; k++) {
                        inAreas[lane][k] = c.subscribe(Domain.LANE_AREA, ids[k], TraciConstants.LAST_STEP_VEHICLE_NUMBER,
                                TraciConstants.LAST_STEP_VEHICLE_HALTING_NUMBER, TraciConstants.JAM_LENGTH_METERS);
                    }
                }
            }
            outAreas = new Subscription[ci.model().outgoingLaneCount()][];
            for (int lane = 0; lane < outAreas.length; lane++) {
                String[] ids = ci.outgoingAreas()[lane];
                if (ids != null) {
                    outAreas[lane] = new Subscription[ids.length];
                    for (int k = 0; k < ids.length; k++) {
                        outAreas[lane][k] = c.subscribe(Domain.LANE_AREA, ids[k], TraciConstants.LAST_STEP_VEHICLE_NUMBER);
                    }
                }
            }
        }

        /**
         * Sends this step's detector readings to the engine: loop actuations as on/off edges at the times SUMO
         * reports them, lane-area readings summed over the zone's lane pieces (a shared piece by its share).
         */
        void publish(DetectorFeed feed, double stepStartS, double nowS, byte[] failed, double failFromS) {
            long nowMs = Math.round(nowS * 1000);
            boolean failing = nowS >= failFromS;
            for (int lane = 0; lane < inAreas.length; lane++) {
                if (inAreas[lane] == null) {
                    continue;
                }
                // A piece on a lane that also leads to other lanes counts its share of the vehicles; the jam is
                // where the queue's tail stands, whoever's vehicles form it.
                double[] shares = ci.incomingAreaShares()[lane];
                double vehiclesShare = 0;
                double haltingShare = 0;
                double jamM = 0;
                for (int k = 0; k < inAreas[lane].length; k++) {
                    Subscription a = inAreas[lane][k];
                    vehiclesShare += shares[k] * num(a, 0);
                    haltingShare += shares[k] * num(a, 1);
                    jamM += num(a, 2);
                }
                int vehicles = (int) Math.round(vehiclesShare);
                int halting = (int) Math.round(haltingShare);

                // SUMO may count a vehicle partly in the zone as halting but not as in it; a detector reports at
                // most as many halting vehicles as it sees.
                int area = inAreaDetector[lane];
                byte areaFailure = failing && area >= 0 ? failed[area] : DetectorFailures.OK;
                if (areaFailure == DetectorFailures.OK) {
                    feed.laneArea(index, area, nowMs, vehicles, Math.min(halting, vehicles), jamM);
                } else if (areaFailure == DetectorFailures.FAILED_STUCK) {
                    feed.laneArea(index, area, nowMs, STUCK_AREA_VEHICLES, STUCK_AREA_VEHICLES, STUCK_AREA_JAM_M);
                }
                loop(feed, stopLoops[lane], stopDetector[lane], stepStartS, nowMs, failing, failed);
                loop(feed, advanceLoops[lane], advanceDetector[lane], stepStartS, nowMs, failing, failed);
            }
            for (int lane = 0; lane < outAreas.length; lane++) {
                if (outAreas[lane] != null) {
                    int vehicles = 0;
                    int halting = 0;
                    double jamM = 0;
                    for (Subscription a : outAreas[lane]) {
                        vehicles += (int) num(a, 0);
                    }
                    double lengthM = ci.model().outgoingLaneLengthM(lane);
                    exitRoom[lane] = !(lengthM > 0) || (vehicles + 1) * STANDING_SPACING_M <= lengthM;
                    int area = outAreaDetector[lane];
                    byte areaFailure = failing && area >= 0 ? failed[area] : DetectorFailures.OK;
                    if (areaFailure == DetectorFailures.OK) {
                        feed.laneArea(index, area, nowMs, vehicles, halting, jamM);
                    } else if (areaFailure == DetectorFailures.FAILED_STUCK) {
                        feed.laneArea(index, area, nowMs, STUCK_AREA_VEHICLES, STUCK_AREA_VEHICLES, STUCK_AREA_JAM_M);
                    }
                }
            }
        }

        /** The vehicles SUMO reports on each stop-line loop this step (ground truth, whatever failed for the engine). */
        @SuppressWarnings("unchecked")
        List<LoopVehicleData>[] stopLoopVehicles() {
            for (int lane = 0; lane < stopLoops.length; lane++) {
                Subscription s = stopLoops[lane];
                stopLoopVehicles[lane] = s != null && s.hasValue(0) ? (List<LoopVehicleData>) s.value(0) : null;
            }
            return stopLoopVehicles;
        }

        /** A loop's edges, unless it failed: a dead loop says nothing, a stuck one goes on once and stays on. */
        private void loop(DetectorFeed feed, Subscription sub, int detector, double stepStartS, long nowMs,
                          boolean failing, byte[] failed) {
            if (detector < 0) {
                return;
            }
            byte failure = failing ? failed[detector] : DetectorFailures.OK;
            if (failure == DetectorFailures.OK) {
                edges(feed, sub, detector, stepStartS);
            } else if (failure == DetectorFailures.FAILED_STUCK && !stuckOnSent[detector]) {
                stuckOnSent[detector] = true;
                feed.detectorEdge(index, detector, true, nowMs);
            }
        }

        private static double num(Subscription s, int i) {
            return s.hasValue(i) ? s.number(i) : 0;
        }

        /** On and off edges of the vehicles that reached or left the loop during the last step, in time order. */
        @SuppressWarnings("unchecked")
        private void edges(DetectorFeed feed, Subscription loop, int detector, double stepStartS) {
            if (detector < 0 || !loop.hasValue(0)) {
                return;
            }
            // SUMO lists the step's vehicles, not its edges in time order: a vehicle may enter the loop before the
            // one ahead of it has left. Sort the step's edges by time, "off" before "on" at the same millisecond.
            int n = 0;
            for (LoopVehicleData d : (List<LoopVehicleData>) loop.value(0)) {
                // A step covers (stepStart, now]: an edge exactly at stepStart belongs to the step before.
                if (d.entryTimeS() > stepStartS + 1e-9) {
                    n = addEdge(n, Math.round(d.entryTimeS() * 1000), true);
                }
                if (d.leaveTimeS() >= 0 && d.leaveTimeS() > stepStartS + 1e-9) {
                    n = addEdge(n, Math.round(d.leaveTimeS() * 1000), false);
                }
            }
            for (int i = 0; i < n; i++) {
                feed.detectorEdge(index, detector, edgeOn[i], edgeMs[i]);
            }
        }

        /** Inserts an edge into the step's sorted edge buffer; returns the new count. */
        private int addEdge(int n, long timeMs, boolean on) {
            if (n == edgeMs.length) {
                edgeMs = java.util.Arrays.copyOf(edgeMs, n * 2);
                edgeOn = java.util.Arrays.copyOf(edgeOn, n * 2);
            }
            int i = n;
            while (i > 0 && (edgeMs[i - 1] > timeMs || (edgeMs[i - 1] == timeMs && edgeOn[i - 1] && !on))) {
                edgeMs[i] = edgeMs[i - 1];
                edgeOn[i] = edgeOn[i - 1];
                i--;
            }
            edgeMs[i] = timeMs;
            edgeOn[i] = on;
            return n + 1;
        }
    }

    /**
     * Runs to the end of the scenario's window.
     *
     * @param progress receives the fraction of the window done, now and then
     */
    public RunSummary run(DoubleConsumer progress) throws Exception {
        if (!namesFiles(extraSumoArgs)) {
            scenario.requireDemand();
        }
        Files.createDirectories(outDir);
        long startNs = System.nanoTime();
        java.util.Set<String> busTypes = VehicleTypes.busTypes(scenario);
        Path detectors = outDir.resolve("greenwave.det.add.xml");
        AdditionalFiles.writeDetectors(detectors, net, signals);
        Path tripinfo = outDir.resolve("tripinfo.xml");
        // A configuration's GUI settings file is for sumo-gui; the command-line SUMO refuses to start when it is
        // missing, so it is switched off.
        List<String> args = new ArrayList<>(List.of("--gui-settings-file", "", "--time-to-teleport", "-1",
                "--tripinfo-output", tripinfo.toString(),
                "--tripinfo-output.write-unfinished", "true",
                "--tripinfo-output.write-undeparted", "true"));
        List<String> callerArgs = new ArrayList<>(args);
        callerArgs.addAll(extraSumoArgs);
        // The scenario's folder is never written to: every output it names goes under the run's folder, and so do the
        // outputs the user's own SUMO options name by a relative path.
        ScenarioOutputs.Redirected redirected = ScenarioOutputs.redirect(scenario, callerArgs, extraSumoArgs, outDir);
        args.addAll(redirected.userArgs());
        args.addAll(redirected.sumoArgs());
        List<Path> additional = new ArrayList<>(redirected.additionalFiles());
        additional.add(detectors);
        additional.addAll(extraAdditionalFiles);
        if (Policies.ACTUATED.equals(controller)) {
            Path actuated = outDir.resolve("greenwave.actuated.add.xml");
            AdditionalFiles.writeActuatedPrograms(actuated, signals);
            additional.add(actuated);
        } else if (Policies.FIXED.equals(controller)) {
            Path fixed = outDir.resolve("greenwave.fixed.add.xml");
            AdditionalFiles.writeFixedPrograms(fixed, signals);
            additional.add(fixed);
        }
        SumoOptions.Builder opts = SumoOptions.builder().seed(seed).additionalFiles(additional)
                .begin(scenario.beginS()).end(scenario.endS()).extraArgs(args).logFile(outDir.resolve("sumo.log"));
        if (scenario.configFile() != null) {
            opts.configFile(scenario.configFile());
        } else {
            opts.netFile(scenario.netFile()).routeFiles(scenario.routeFiles());
        }
        long teleports = 0;
        long ingestDrops;
        List<String> starvationExamples = new ArrayList<>();
        long watchdogTrips = 0;
        double watchdogSuspendedS = 0;
        List<String> watchdogReasons = new ArrayList<>();
        int maxStill = 0;
        double gridlockFromS = Double.NaN;
        long arrived = 0;
        String sumoVersion;
        List<Binding> bindings = new ArrayList<>();
        ManualClock clock = new ManualClock(scenario.beginS());
        int[] linkCounts = new int[signals.size()];
        List<EngineIntersection> engineIntersections = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            linkCounts[i] = signals.get(i).model().linkCount();
            engineIntersections.add(ScenarioImport.engineIntersection(signals.get(i), controller));
        }
        PlanBoard board = new PlanBoard(linkCounts);
        PlanRefusals refusals = new PlanRefusals();
        String runId = controller + "-" + seed + "-" + Long.toHexString(System.nanoTime());
        SumoOptions options = opts.build();
        // The same SUMO run without Greenwave, for measuring what the engine adds (benchmarks/sim-overhead.sh).
        Files.write(outDir.resolve(SUMO_COMMAND_FILE), options.standaloneCommandLine());
        try (SumoProcess sumo = SumoProcess.start(options);
             MqttTransport mqtt = viaMqtt ? new MqttTransport(brokerUrl, engineIntersections, clock, board, runId,
                     engineSetup, signing != null ? signing : PlanSigning.ephemeral(), refusals, brokerAccess) : null;
             Engine engine = viaMqtt ? null : Engine.invoked(engineSetup.apply(new EngineContext()
                     .intersections(engineIntersections).shards(1).clock(clock).planSink(board::put)
                     .forecasterFactory(defaultForecaster())))) {
            Engine eng = viaMqtt ? mqtt.engine() : engine;
            Ingest ingest = eng.ingest();
            long[] dropped = new long[1];
            DetectorFeed inProcess = new DetectorFeed() {
                @Override
                public void detectorEdge(int intersection, int detector, boolean on, long timeMs) {
                    if (!ingest.detectorEdge(detector, on, timeMs)) {
                        dropped[0]++;
                    }
                }

                @Override
                public void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM) {
                    if (!ingest.laneArea(detector, timeMs, vehicles, halting, jamM)) {
                        dropped[0]++;
                    }
                }
            };
            DetectorFeed feed = viaMqtt ? mqtt.feed() : inProcess;
            TraciClient c = sumo.client();
            sumoVersion = c.sumoVersion();
            Subscription sim = c.subscribe(Domain.SIMULATION, "", TraciConstants.VAR_TIME,
                    VAR_TELEPORT_STARTING_VEHICLES_NUMBER, TraciConstants.VAR_ARRIVED_VEHICLES_NUMBER);
            double now = sim.number(0);
            clock.set(now);
            for (int i = 0; i < signals.size(); i++) {
                ControlledIntersection ci = signals.get(i);
                boolean device = Policies.create(controller, ci.model()).deviceProgram() != null;
                // An installed variant (fixed-time, actuated) is loaded last, so SUMO runs it; otherwise the program the
                // model was read from.
                String installed = Policies.deviceProgramId(controller, ci.model().sourceProgramId());
                String expected = installed != null ? installed : ci.model().sourceProgramId();
                String active = c.getProgram(ci.id());
                if (!active.equals(expected)) {
                    throw new ScenarioException(ci.program().file(), ci.program().line(), "SUMO runs program '" + active
                            + "' of traffic light '" + ci.id() + "', but Greenwave expected program '" + expected
                            + "' to be the active one");
                }
                Binding b = new Binding(ci, i, device, eng.directory(), c, controller, refusals);
                bindings.add(b);
                b.field.reset(initialPhase(b, b.tlsState.hasValue(0) ? (String) b.tlsState.value(0) : ""), now);
                if (!device) {
                    c.setRedYellowGreenState(ci.id(), b.field.shownString());
                    b.interlockShown = true;
                }
            }
            byte[] failed = failures.draw(eng.directory());
            writeFailed(outDir.resolve("failed-detectors.txt"), eng.directory(), failed);
            if (!viaMqtt) {
                // The first control tick runs at the start of the window, as a launched engine's does.
                engine.doWork();
            }
            if (viaMqtt) {
                observer.gateway(mqtt.gateway());
                observer.fieldRefusals(refusals);
            }
            observer.started(eng, signals, c);
            boolean deviceLoopsFailed = false;
            double lastGridlockCheckS = now;
            double span = scenario.endS() - scenario.beginS();
            long step = 0;
            while (now < scenario.endS() - 1e-6) {
                double stepStartS = now;
                c.simulationStep(0);
                now = sim.number(0);
                teleports += (long) sim.number(1);
                arrived += (long) sim.number(2);
                for (int i = 0, n = bindings.size(); i < n; i++) {
                    Binding b = bindings.get(i);
                    if (b.tlsState.hasValue(0)) {
                        b.monitor.operatorFlash(b.field.flashOperator() != null);
                        b.monitor.observe(now, (String) b.tlsState.value(0));
                    }
                    b.publish(feed, stepStartS, now, failed, failures.fromS());
                    if (b.tlsState.hasValue(0)) {
                        b.starvation.observe(now, (String) b.tlsState.value(0), b.stopLoopVehicles(), b.exitRoom,
                                v -> nextLink(c, v, b.ci.id()), starvationExamples, MAX_EXAMPLES);
                    }
                }
                if (now - lastGridlockCheckS >= RunMonitors.GRIDLOCK_CHECK_S) {
                    lastGridlockCheckS = now;
                    List<String> inNetwork = c.getStringList(TraciConstants.CMD_GET_VEHICLE_VARIABLE,
                            TraciConstants.TRACI_ID_LIST, "");
                    int still = stillVehicles(c, inNetwork);
                    maxStill = Math.max(maxStill, still);
                    if (Double.isNaN(gridlockFromS) && still >= RunMonitors.GRIDLOCK_MIN_VEHICLES
                            && still * 10 >= inNetwork.size()) {
                        gridlockFromS = now;
                    }
                }
                if (!deviceLoopsFailed && now >= failures.fromS()) {
                    deviceLoopsFailed = true;
                    failDeviceLoops(c, bindings, failed);
                }
                feed.flush();
                if (viaMqtt) {
                    mqtt.afterStep(now);
                } else {
                    clock.set(now);
                    engine.doWork();
                }
                long nowMs = Math.round(now * 1000);
                for (int i = 0, n = bindings.size(); i < n; i++) {
                    Binding b = bindings.get(i);
                    board.deliver(i, b.field, nowMs);
                    apply(c, b, now);
                }
                observer.stepped(now);
                if (++step % 60 == 0) {
                    progress.accept((now - scenario.beginS()) / span);
                }
            }
            for (int i = 0; i < signals.size(); i++) {
                IntersectionSnapshot snap = eng.newSnapshot(i);
                eng.snapshot(i, snap);
                watchdogTrips += snap.watchdogTrips();
                watchdogSuspendedS += snap.watchdogSuspendedS();
                if (snap.watchdogTrips() > 0) {
                    watchdogReasons.add(signals.get(i).id() + ": " + snap.watchdogTrips() + " trip(s), last "
                            + snap.watchdogReason());
                }
            }
            if (refusals.total() > 0) {
                // Over MQTT every plan is the engine's, signed: a refusal means something else wrote a plan topic.
                StringBuilder reasons = new StringBuilder();
                refusals.byCode().forEach((code, n) -> {
                    if (n > 0) {
                        reasons.append(reasons.length() == 0 ? "" : ", ").append(code).append(' ').append(n);
                    }
                });
                System.getLogger(SimulationRun.class.getName()).log(System.Logger.Level.WARNING,
                        "run " + controller + " seed " + seed + ": the field controllers refused " + refusals.total()
                                + " plan(s): " + reasons);
            }
            ingestDrops = viaMqtt ? mqtt.lateSteps() + mqtt.unsentEntries() + mqtt.counters().rejectsTotal()
                    + mqtt.counters().get(org.greenwave.adapters.mqtt.GatewayCounters.Counter.INGEST_REFUSED) : dropped[0];
        }
        progress.accept(1.0);
        TripStats trips = TripStats.read(tripinfo);
        if (trips.vehicles() == 0) {
            throw new ScenarioException(scenario.configFile() != null ? scenario.configFile() : scenario.netFile(), 0,
                    String.format(java.util.Locale.ROOT, "no vehicle was due between %.0f s and %.0f s (SUMO's "
                            + "tripinfo in %s lists none): the demand lies outside the simulated window",
                            scenario.beginS(), scenario.endS(), tripinfo));
        }
        PersonStats persons = PersonStats.read(tripinfo);
        BusStats buses = BusStats.read(tripinfo, busTypes);
        long violations = 0;
        Map<String, Long> byRule = new LinkedHashMap<>();
        for (SafetyRule r : SafetyRule.values()) {
            byRule.put(r.name(), 0L);
        }
        List<String> examples = new ArrayList<>();
        long held = 0;
        long forced = 0;
        long fallbackSteps = 0;
        long plansAccepted = 0;
        long fallbacksEntered = 0;
        long fallbackMs = 0;
        for (Binding b : bindings) {
            violations += b.monitor.total();
            b.monitor.countsByRule().forEach((r, n) -> byRule.merge(r.name(), n, Long::sum));
            for (String e : b.monitor.examples()) {
                if (examples.size() < 20) {
                    examples.add(e);
                }
            }
            held += b.field.interlock().heldForMinGreen();
            fallbackSteps += b.deviceDriven ? 0 : b.field.fallbackSteps();
            plansAccepted += b.field.plansTaken();
            if (!b.deviceDriven) {
                fallbacksEntered += b.field.fallbacksEntered();
                fallbackMs += b.field.fallbackMs();
            }
            forced += b.field.interlock().maxGreenForced();
        }
        long starved = 0;
        double longestStarvedS = 0;
        double boundS = 0;
        for (Binding b : bindings) {
            starved += b.starvation.events();
            longestStarvedS = Math.max(longestStarvedS, b.starvation.longestS());
            boundS = Math.max(boundS, starvationBoundS(b.ci.model()));
        }
        double[] waits = TripStats.waitingTimes(tripinfo);
        java.util.Arrays.sort(waits);
        long over300 = 0;
        for (double w : waits) {
            over300 += w > 300 ? 1 : 0;
        }
        RunMonitors monitors = new RunMonitors(waits.length == 0 ? 0 : waits[waits.length - 1],
                ComparisonTable.quantile(waits, 0.95), waits.length == 0 ? 0 : (double) over300 / waits.length, boundS,
                starved, longestStarvedS, List.copyOf(starvationExamples), !Double.isNaN(gridlockFromS), gridlockFromS,
                maxStill, watchdogTrips, watchdogSuspendedS, List.copyOf(watchdogReasons));
        double hours = (scenario.endS() - scenario.beginS()) / 3600.0;
        RunSummary summary = new RunSummary(scenario.name(), label != null ? label : controller, seed, scenario.beginS(), scenario.endS(),
                signals.size(), trips, trips.arrived() / hours, teleports, violations, byRule, examples, viaMqtt ? "mqtt" : "in-process",
                ingestDrops, fallbackSteps, held, forced,
                (System.nanoTime() - startNs) / 1e9, sumoVersion, monitors, ControlledIntersection.programTypes(signals),
                persons, buses, new FieldStats(plansAccepted, refusals.total(), refusals.byCode(), fallbacksEntered,
                        fallbackMs / 1000.0));
        writeSummary(outDir.resolve("summary.json"), summary);
        observer.finished(summary);
        return summary;
    }

    /** Whether extra SUMO arguments load route or additional files of their own (which may carry the demand). */
    private static boolean namesFiles(List<String> sumoArgs) {
        for (String a : sumoArgs) {
            if (a.equals("-r") || a.equals("-a") || a.startsWith("--route-files") || a.startsWith("--additional-files")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The starvation monitor's bound for a signal: the adaptive controller's guard ({@link
     * RollingHorizonPolicy#MAX_WAIT_S} after its lane stopped discharging, {@link RollingHorizonPolicy#BLOCKED_HEAD_S})
     * plus the longest minimum green it may have to wait out and one change of phase (the longest crossing clearance,
     * amber and all-red).
     */
    static double starvationBoundS(IntersectionModel m) {
        double maxMin = 0;
        double maxPedestrian = 0;
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            maxMin = Math.max(maxMin, m.effectiveMinGreenS(p));
            maxPedestrian = Math.max(maxPedestrian, m.longestPedestrianClearanceS(p));
        }
        return RollingHorizonPolicy.MAX_WAIT_S + RollingHorizonPolicy.BLOCKED_HEAD_S + maxMin + maxPedestrian
                + m.yellowS() + m.allRedS();
    }

    /** The link of signal {@code tls} that vehicle {@code v} will pass next (TraCI's next-TLS list), or -1. */
    private static int nextLink(TraciClient c, String v, String tls) {
        Object value = c.getValue(TraciConstants.CMD_GET_VEHICLE_VARIABLE, VAR_NEXT_TLS, v);
        if (value instanceof List<?> items) {
            // [count, then per signal ahead: id, link index, distance, state]
            for (int i = 1; i + 1 < items.size(); i += 4) {
                if (tls.equals(items.get(i)) && items.get(i + 1) instanceof Integer link) {
                    return link;
                }
            }
        }
        return -1;
    }

    /** Vehicles in the network that have not moved for {@link RunMonitors#GRIDLOCK_STILL_S}. */
    private static int stillVehicles(TraciClient c, List<String> vehicles) {
        int still = 0;
        for (String v : vehicles) {
            if (c.getDouble(TraciConstants.CMD_GET_VEHICLE_VARIABLE, VAR_WAITING_TIME, v) >= RunMonitors.GRIDLOCK_STILL_S) {
                still++;
            }
        }
        return still;
    }

    /** Lists the failed detectors of a run (id and how it failed), when any failed. */
    private static void writeFailed(Path file, DetectorDirectory directory, byte[] failed) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < failed.length; d++) {
            if (failed[d] != DetectorFailures.OK) {
                b.append(directory.detectorId(d)).append(' ').append(directory.detectorKind(d)).append(' ')
                        .append(failed[d] == DetectorFailures.FAILED_STUCK ? "stuck" : "dead").append('\n');
            }
        }
        if (b.length() > 0) {
            Files.writeString(file, b.toString());
        }
    }

    /**
     * The device's own actuated logic reads the stop-line loops directly in SUMO; failed ones are made to look failed
     * to it too: a dead loop never detects again, a stuck one detects for ever.
     */
    private static void failDeviceLoops(TraciClient c, List<Binding> bindings, byte[] failed) {
        for (Binding b : bindings) {
            if (!b.deviceDriven) {
                continue;
            }
            for (int lane = 0; lane < b.stopDetector.length; lane++) {
                int d = b.stopDetector[lane];
                if (d >= 0 && failed[d] != DetectorFailures.OK) {
                    c.overrideTimeSinceDetection(b.ci.stopLineLoops()[lane],
                            failed[d] == DetectorFailures.FAILED_STUCK ? 0 : DEAD_LOOP_SILENCE_S);
                }
            }
        }
    }

    /**
     * Shows what the field controller decided: its device program, or its interlock's state. A hand-over from the
     * interlock to the device program starts the program at the stage the interlock shows; a hand-back waits until
     * the program shows one of the model's green phases and resumes the interlock there.
     */
    private static void apply(TraciClient c, Binding b, double now) {
        boolean changed = b.field.step(now);
        String program = b.field.deviceProgram();
        if (program != null) {
            if (b.field.wantsInterlock() && !b.deviceDriven) {
                int phase = shownGreenPhase(b);
                if (phase >= 0) {
                    b.field.resume(phase, now);
                    b.programShown = null;
                    c.queueRedYellowGreenState(b.ci.id(), b.field.shownString());
                    b.interlockShown = true;
                }
                return;
            }
            if (!program.equals(b.programShown)) {
                if (!program.equals(c.getProgram(b.ci.id()))) {
                    c.setProgram(b.ci.id(), program);
                    if (b.interlockShown) {
                        c.setPhase(b.ci.id(), b.ci.model().greenPhaseSourceIndex(b.field.interlock().phase()));
                    }
                }
                b.programShown = program;
                b.interlockShown = false;
            }
            return;
        }
        if (b.deviceDriven) {
            // A device program stays in charge while its plans are late; the field has nothing else to run.
            return;
        }
        if (changed || !b.interlockShown) {
            // Sent with the next step, in its one round trip.
            c.queueRedYellowGreenState(b.ci.id(), b.field.shownString());
            b.interlockShown = true;
        }
    }

    /** The model's green phase that the signal shows this step, or -1. */
    private static int shownGreenPhase(Binding b) {
        if (!b.tlsState.hasValue(0)) {
            return -1;
        }
        String shown = (String) b.tlsState.value(0);
        for (int p = 0; p < b.ci.model().greenPhaseCount(); p++) {
            if (b.ci.model().greenPhaseString(p).equals(shown)) {
                return p;
            }
        }
        return -1;
    }

    /** The green phase whose state SUMO shows now, or the first one. */
    private static int initialPhase(Binding b, String shown) {
        for (int p = 0; p < b.ci.model().greenPhaseCount(); p++) {
            if (b.ci.model().greenPhaseString(p).equals(shown)) {
                return p;
            }
        }
        return 0;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static void writeSummary(Path file, RunSummary summary) throws IOException {
        JSON.writeValue(file.toFile(), summary);
    }

    /** Reads a {@code summary.json} written by a run. */
    public static RunSummary readSummary(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunSummary.class);
    }
}
