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
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.sumo.DetectorFeed;
import org.greenwave.adapters.sumo.PlanBoard;
import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.adapters.sumo.SumoSignal;
import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.SumoOptions;
import org.greenwave.adapters.traci.SumoProcess;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.forecast.DirectForecaster;
import org.greenwave.core.forecast.ForecasterFactory;
import org.greenwave.core.forecast.IntersectionForecaster;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.safety.SafetyRule;
import org.greenwave.core.time.ManualClock;
import org.greenwave.core.time.Millis;
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
 * One controller × seed run of a scenario in SUMO: starts SUMO with the generated detectors and makes it the engine's
 * field ({@link SumoField}: each signal's detectors read every step, the engine's timing plans followed by a field
 * controller per signal and shown through TraCI), connects the field to the engine by the run's {@link Transport}
 * (in process, or over MQTT as a field device would), and watches every state SUMO shows with an independent
 * {@link SafetyMonitor}. Writes SUMO's {@code tripinfo.xml}
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
    private final Transport transport;
    private RunObserver observer = RunObserver.NONE;
    private DetectorFailures failures = DetectorFailures.none();
    private UnaryOperator<EngineContext> engineSetup = UnaryOperator.identity();
    private List<Path> extraAdditionalFiles = List.of();
    private String label;

    /**
     * @param transport how detector data and plans travel between SUMO's field and the engine
     */
    public SimulationRun(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, String controller,
                         long seed, Path outDir, List<String> extraSumoArgs, Transport transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport");
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
    public static QueueForecasterFactory defaultForecaster() {
        return new QueueForecasterFactory(new QueueForecasterFactory.Config());
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

    /** The independent watchers of one signal: safety and starvation, from what SUMO shows. */
    private record Watch(SafetyMonitor monitor, StarvationMonitor starvation) {
        Watch(IntersectionModel m) {
            this(new SafetyMonitor(m), new StarvationMonitor(m, starvationBoundS(m)));
        }
    }

    /** The SUMO adapter's view of a signal the network import found. */
    static SumoSignal.Spec spec(ControlledIntersection ci) {
        return new SumoSignal.Spec(ci.id(), ci.model(), ci.stopLineLoops(), ci.advanceLoops(), ci.incomingAreas(),
                ci.incomingAreaShares(), ci.outgoingAreas());
    }

    /**
     * Runs to the end of the scenario's window.
     *
     * @param progress receives the fraction of the window done, now and then
     */
    /**
     * SUMO's options for one run of {@code scenario}: its configuration file (or net and routes), window and seed,
     * with {@code additional} files, {@code args} after the scenario's own, and SUMO's log in {@code outDir}.
     */
    public static SumoOptions.Builder sumoOptions(Scenario scenario, long seed, List<Path> additional,
                                                  List<String> args, Path outDir) {
        SumoOptions.Builder opts = SumoOptions.builder().seed(seed).additionalFiles(additional)
                .begin(scenario.beginS()).end(scenario.endS()).extraArgs(args).logFile(outDir.resolve("sumo.log"));
        if (scenario.configFile() != null) {
            opts.configFile(scenario.configFile());
        } else {
            opts.netFile(scenario.netFile()).routeFiles(scenario.routeFiles());
        }
        return opts;
    }

    /**
     * The SUMO options every run under Greenwave starts with, as a list the caller may extend: no teleports, and the
     * tripinfo the KPIs are read from, unfinished and undeparted vehicles included. A configuration's GUI settings
     * file is for sumo-gui; the command-line SUMO refuses to start when it is missing, so it is switched off.
     */
    public static List<String> baseSumoArgs(Path tripinfo) {
        return new ArrayList<>(List.of("--gui-settings-file", "", "--time-to-teleport", "-1",
                "--tripinfo-output", tripinfo.toString(),
                "--tripinfo-output.write-unfinished", "true",
                "--tripinfo-output.write-undeparted", "true"));
    }

    public RunSummary run(DoubleConsumer progress) throws Exception {
        if (!namesFiles(extraSumoArgs)) {
            scenario.requireDemand();
        }
        Files.createDirectories(outDir);
        long startNs = System.nanoTime();
        java.util.Set<String> busTypes = VehicleTypes.busTypes(scenario);
        Path detectors = outDir.resolve("greenwave.det.add.xml");
        Path tripinfo = outDir.resolve("tripinfo.xml");
        List<String> args = baseSumoArgs(tripinfo);
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
        SumoOptions.Builder opts = sumoOptions(scenario, seed, additional, args, outDir);
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
        List<Watch> watches = new ArrayList<>();
        SumoField field;
        FieldTotals totals;
        ManualClock clock = new ManualClock(Millis.fromSeconds(scenario.beginS()));
        int[] linkCounts = new int[signals.size()];
        List<EngineIntersection> engineIntersections = new ArrayList<>();
        boolean[] deviceProgram = new boolean[signals.size()];
        boolean[] feedsEngine = new boolean[signals.size()];
        java.util.Set<String> unreadForecasts = new java.util.HashSet<>();
        for (int i = 0; i < signals.size(); i++) {
            ControlledIntersection ci = signals.get(i);
            linkCounts[i] = ci.model().linkCount();
            engineIntersections.add(ScenarioImport.engineIntersection(ci, controller));
            deviceProgram[i] = Policies.create(controller, ci.model()).deviceProgram() != null;
            feedsEngine[i] = !deviceProgram[i] || observer.readsEngine();
            if (!feedsEngine[i]) {
                unreadForecasts.add(ci.model().id());
            }
        }
        AdditionalFiles.writeDetectors(detectors, net, signals, feedsEngine);
        UnaryOperator<EngineContext> runEngineSetup = unreadForecasts.isEmpty() ? engineSetup
                : ctx -> withoutForecasts(engineSetup.apply(ctx), unreadForecasts);
        PlanBoard board = new PlanBoard(linkCounts);
        PlanRefusals refusals = new PlanRefusals();
        String runId = controller + "-" + seed + "-" + Long.toHexString(System.nanoTime());
        SumoOptions options = opts.build();
        // The same SUMO run without Greenwave, for measuring what the engine adds (benchmarks/sim-overhead.sh).
        Files.write(outDir.resolve(SUMO_COMMAND_FILE), options.standaloneCommandLine());
        try (SumoProcess sumo = SumoProcess.start(options);
             Transport.Open link = transport.open(new Transport.Setup(engineIntersections, clock, board, runId,
                     runEngineSetup, refusals, signals, controller, outDir))) {
            Engine eng = link.engine();
            DetectorFeed feed = link.feed();
            TraciClient c = sumo.client();
            sumoVersion = c.sumoVersion();
            Subscription sim = c.subscribe(Domain.SIMULATION, "", TraciConstants.VAR_TIME,
                    VAR_TELEPORT_STARTING_VEHICLES_NUMBER, TraciConstants.VAR_ARRIVED_VEHICLES_NUMBER);
            // SUMO's time is seconds; the engine's, its clock's and the field's are milliseconds, converted here, once
            // a step (the run's own bookkeeping stays in SUMO's seconds).
            double now = sim.number(0);
            long nowMs = Millis.fromSeconds(now);
            clock.set(nowMs);
            field = new SumoField(c, eng.directory(), board, refusals, ScenarioImport.AREA_LENGTH_M);
            for (int i = 0; i < signals.size(); i++) {
                ControlledIntersection ci = signals.get(i);
                boolean device = deviceProgram[i];
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
                watches.add(new Watch(ci.model()));
                field.add(spec(ci), device, feedsEngine[i], installed, nowMs);
            }
            byte[] failed = failures.draw(eng.directory());
            writeFailed(outDir.resolve("failed-detectors.txt"), eng.directory(), failed);
            link.begin(observer, field);
            observer.started(eng, signals, c);
            boolean deviceLoopsFailed = false;
            double lastGridlockCheckS = now;
            double span = scenario.endS() - scenario.beginS();
            long step = 0;
            while (now < scenario.endS() - 1e-6) {
                double stepStartS = now;
                c.simulationStep(0);
                now = sim.number(0);
                nowMs = Millis.fromSeconds(now);
                teleports += (long) sim.number(1);
                arrived += (long) sim.number(2);
                for (int i = 0, n = field.size(); i < n; i++) {
                    SumoSignal s = field.signal(i);
                    Watch w = watches.get(i);
                    String shown = s.shown();
                    if (shown != null) {
                        w.monitor().operatorFlash(s.field().flashOperator() != null);
                        w.monitor().observe(nowMs, shown);
                    }
                    s.publish(feed, stepStartS, nowMs, failed, failures.fromS());
                    if (shown != null) {
                        w.starvation().observe(now, shown, s.stopLoopVehicles(), s.exitRoom(),
                                v -> nextLink(c, v, s.id()), starvationExamples, MAX_EXAMPLES);
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
                    field.failDeviceLoops(failed, DEAD_LOOP_SILENCE_S);
                }
                feed.flush();
                link.afterStep(nowMs);
                link.showField(field, nowMs);
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
            ingestDrops = link.ingestDrops();
            totals = link.fieldTotals(field);
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
        for (int i = 0; i < watches.size(); i++) {
            SafetyMonitor monitor = watches.get(i).monitor();
            violations += monitor.total();
            monitor.countsByRule().forEach((r, n) -> byRule.merge(r.name(), n, Long::sum));
            for (String e : monitor.examples()) {
                if (examples.size() < 20) {
                    examples.add(e);
                }
            }
        }
        long starved = 0;
        double longestStarvedS = 0;
        double boundS = 0;
        for (int i = 0; i < watches.size(); i++) {
            StarvationMonitor starvation = watches.get(i).starvation();
            starved += starvation.events();
            longestStarvedS = Math.max(longestStarvedS, starvation.longestS());
            boundS = Math.max(boundS, starvationBoundS(signals.get(i).model()));
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
                signals.size(), trips, trips.arrived() / hours, teleports, violations, byRule, examples, transport.name(),
                ingestDrops, totals.fallbackSteps(), totals.heldForMinGreen(), totals.maxGreenForced(),
                (System.nanoTime() - startNs) / 1e9, sumoVersion, monitors, ControlledIntersection.programTypes(signals),
                persons, buses, new FieldStats(totals.plansAccepted(), refusals.total(), refusals.byCode(),
                        totals.fallbacksEntered(), totals.fallbackMs() / 1000.0));
        writeSummary(outDir.resolve("summary.json"), summary);
        observer.finished(summary);
        return summary;
    }

    /**
     * The engine's context with a forecaster that does nothing for the intersections named: a signal that runs a device
     * program for the whole run has plans that do not depend on the forecast, and when no observer reads the engine's
     * view nothing else reads it (the forecast step costs a quarter of such a run's engine time).
     */
    static EngineContext withoutForecasts(EngineContext ctx, java.util.Set<String> intersectionIds) {
        ForecasterFactory inner = ctx.forecasterFactory();
        return ctx.forecasterFactory((model, detectors) -> intersectionIds.contains(model.id()) ? UNREAD_FORECAST
                : inner != null ? inner.create(model, detectors) : new DirectForecaster());
    }

    /** The forecast step of an intersection whose forecast nothing reads: it leaves the estimates as they are. */
    private static final IntersectionForecaster UNREAD_FORECAST = state -> {
    };

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

    /** Vehicles in the network that have not moved for {@link RunMonitors#GRIDLOCK_STILL_S}; one round trip. */
    private static int stillVehicles(TraciClient c, List<String> vehicles) {
        int still = 0;
        for (double waitingS : c.getDoubles(TraciConstants.CMD_GET_VEHICLE_VARIABLE, VAR_WAITING_TIME, vehicles)) {
            if (waitingS >= RunMonitors.GRIDLOCK_STILL_S) {
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

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static void writeSummary(Path file, RunSummary summary) throws IOException {
        JSON.writeValue(file.toFile(), summary);
    }

    /** Reads a {@code summary.json} written by a run. */
    public static RunSummary readSummary(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunSummary.class);
    }
}
