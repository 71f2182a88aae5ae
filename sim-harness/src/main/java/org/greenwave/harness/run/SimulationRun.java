package org.greenwave.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.adapters.traci.SumoOptions;
import org.greenwave.adapters.traci.SumoProcess;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.safety.SafetyRule;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.harness.scenario.AdditionalFiles;
import org.greenwave.harness.scenario.ControlledIntersection;
import org.greenwave.harness.scenario.Scenario;
import org.greenwave.harness.scenario.SumoNet;

/**
 * One controller × seed run of a scenario in SUMO: starts SUMO with the generated detectors, feeds the detectors to
 * the engine every step, lets the policy propose and the interlock decide, applies the decided states through TraCI,
 * and watches every state SUMO shows with an independent {@link SafetyMonitor}. Writes SUMO's {@code tripinfo.xml}
 * (unfinished and undeparted vehicles included), {@code sumo.log} and {@code summary.json} into the run's folder.
 *
 * <p>Threading: a run owns its SUMO process and runs on the calling thread; runs share nothing but the read-only
 * network model, so several may run at once.
 */
public final class SimulationRun {
    /** simulation variable: vehicles that started a teleport in the last step (TraCIConstants.h). */
    private static final int VAR_TELEPORT_STARTING_VEHICLES_NUMBER = 0x75;

    private final Scenario scenario;
    private final SumoNet net;
    private final List<ControlledIntersection> signals;
    private final String controller;
    private final long seed;
    private final Path outDir;
    private final List<String> extraSumoArgs;

    public SimulationRun(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, String controller,
                         long seed, Path outDir, List<String> extraSumoArgs) {
        this.scenario = scenario;
        this.net = net;
        this.signals = signals;
        this.controller = controller;
        this.seed = seed;
        this.outDir = outDir;
        this.extraSumoArgs = List.copyOf(extraSumoArgs);
        Policies.create(controller, signals.get(0).model());
    }

    /** Per-signal wiring between SUMO's subscriptions and the engine. Single-threaded. */
    private static final class Binding {
        final ControlledIntersection ci;
        final IntersectionState state;
        final SafetyInterlock interlock;
        final SafetyMonitor monitor;
        final SignalPolicy policy;
        final Subscription tlsState;
        final Subscription[] stopLoops;
        final Subscription[] advanceLoops;
        final Subscription[][] inAreas;
        final Subscription[][] outAreas;

        Binding(ControlledIntersection ci, SignalPolicy policy, TraciClient c) {
            this.ci = ci;
            this.policy = policy;
            this.interlock = new SafetyInterlock(ci.model());
            this.state = new IntersectionState(ci.model(), interlock);
            this.monitor = new SafetyMonitor(ci.model());
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

        /** Moves this step's detector readings into the engine's state. */
        void ingest(double stepStartS) {
            for (int lane = 0; lane < inAreas.length; lane++) {
                if (inAreas[lane] == null) {
                    continue;
                }
                int vehicles = 0;
                int halting = 0;
                double jamM = 0;
                for (Subscription a : inAreas[lane]) {
                    vehicles += (int) num(a, 0);
                    halting += (int) num(a, 1);
                    jamM += num(a, 2);
                }
                state.incomingArea(lane, vehicles, halting, jamM);
                state.addStopLineCount(lane, entered(stopLoops[lane], stepStartS));
                state.addAdvanceCount(lane, entered(advanceLoops[lane], stepStartS));
            }
            for (int lane = 0; lane < outAreas.length; lane++) {
                if (outAreas[lane] != null) {
                    int vehicles = 0;
                    for (Subscription a : outAreas[lane]) {
                        vehicles += (int) num(a, 0);
                    }
                    state.outgoingArea(lane, vehicles);
                }
            }
        }

        private static double num(Subscription s, int i) {
            return s.hasValue(i) ? s.number(i) : 0;
        }

        /** Vehicles whose front reached the loop during the last step. */
        @SuppressWarnings("unchecked")
        private static int entered(Subscription loop, double stepStartS) {
            if (!loop.hasValue(0)) {
                return 0;
            }
            int n = 0;
            for (LoopVehicleData d : (List<LoopVehicleData>) loop.value(0)) {
                if (d.entryTimeS() >= stepStartS - 1e-9) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Runs to the end of the scenario's window.
     *
     * @param progress receives the fraction of the window done, now and then
     */
    public RunSummary run(DoubleConsumer progress) throws IOException {
        Files.createDirectories(outDir);
        long startNs = System.nanoTime();
        Path detectors = outDir.resolve("greenwave.det.add.xml");
        AdditionalFiles.writeDetectors(detectors, net, signals);
        List<Path> additional = new ArrayList<>(scenario.additionalFiles());
        additional.add(detectors);
        if (Policies.ACTUATED.equals(controller)) {
            Path actuated = outDir.resolve("greenwave.actuated.add.xml");
            AdditionalFiles.writeActuatedPrograms(actuated, signals);
            additional.add(actuated);
        }
        Path tripinfo = outDir.resolve("tripinfo.xml");
        List<String> args = new ArrayList<>(List.of("--time-to-teleport", "-1",
                "--tripinfo-output", tripinfo.toString(),
                "--tripinfo-output.write-unfinished", "true",
                "--tripinfo-output.write-undeparted", "true"));
        args.addAll(extraSumoArgs);
        SumoOptions.Builder opts = SumoOptions.builder().seed(seed).additionalFiles(additional)
                .begin(scenario.beginS()).end(scenario.endS()).extraArgs(args).logFile(outDir.resolve("sumo.log"));
        if (scenario.configFile() != null) {
            opts.configFile(scenario.configFile());
        } else {
            opts.netFile(scenario.netFile()).routeFiles(scenario.routeFiles());
        }
        long teleports = 0;
        long arrived = 0;
        String sumoVersion;
        List<Binding> bindings = new ArrayList<>();
        try (SumoProcess sumo = SumoProcess.start(opts.build())) {
            TraciClient c = sumo.client();
            sumoVersion = c.sumoVersion();
            Subscription sim = c.subscribe(Domain.SIMULATION, "", TraciConstants.VAR_TIME,
                    VAR_TELEPORT_STARTING_VEHICLES_NUMBER, TraciConstants.VAR_ARRIVED_VEHICLES_NUMBER);
            double now = sim.number(0);
            for (ControlledIntersection ci : signals) {
                Binding b = new Binding(ci, Policies.create(controller, ci.model()), c);
                bindings.add(b);
                String program = b.policy.deviceProgram();
                if (program != null) {
                    if (!program.equals(c.getProgram(ci.id()))) {
                        c.setProgram(ci.id(), program);
                    }
                } else {
                    b.interlock.reset(initialPhase(b, b.tlsState.hasValue(0) ? (String) b.tlsState.value(0) : ""), now);
                    c.setRedYellowGreenState(ci.id(), b.interlock.shownString());
                }
            }
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
                        b.monitor.observe(now, (String) b.tlsState.value(0));
                    }
                    b.ingest(stepStartS);
                    if (b.policy.deviceProgram() == null) {
                        b.state.now(now);
                        int proposal = b.policy.propose(b.state);
                        if (b.interlock.step(now, proposal)) {
                            c.setRedYellowGreenState(b.ci.id(), b.interlock.shownString());
                        }
                    }
                }
                if (++step % 60 == 0) {
                    progress.accept((now - scenario.beginS()) / span);
                }
            }
        }
        progress.accept(1.0);
        TripStats trips = TripStats.read(tripinfo);
        long violations = 0;
        Map<String, Long> byRule = new LinkedHashMap<>();
        for (SafetyRule r : SafetyRule.values()) {
            byRule.put(r.name(), 0L);
        }
        List<String> examples = new ArrayList<>();
        long held = 0;
        long forced = 0;
        for (Binding b : bindings) {
            violations += b.monitor.total();
            b.monitor.countsByRule().forEach((r, n) -> byRule.merge(r.name(), n, Long::sum));
            for (String e : b.monitor.examples()) {
                if (examples.size() < 20) {
                    examples.add(e);
                }
            }
            held += b.interlock.heldForMinGreen();
            forced += b.interlock.maxGreenForced();
        }
        double hours = (scenario.endS() - scenario.beginS()) / 3600.0;
        RunSummary summary = new RunSummary(scenario.name(), controller, seed, scenario.beginS(), scenario.endS(),
                signals.size(), trips, trips.arrived() / hours, teleports, violations, byRule, examples, held, forced,
                (System.nanoTime() - startNs) / 1e9, sumoVersion);
        writeSummary(outDir.resolve("summary.json"), summary);
        return summary;
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
