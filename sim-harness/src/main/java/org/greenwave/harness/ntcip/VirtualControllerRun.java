package org.greenwave.harness.ntcip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.adapters.traci.SumoOptions;
import org.greenwave.adapters.traci.SumoProcess;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.time.Millis;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.harness.run.SimulationRun;
import org.greenwave.harness.scenario.AdditionalFiles;
import org.greenwave.harness.scenario.ScenarioOutputs;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.SumoNet;

/**
 * SUMO driven by one virtual NTCIP controller per signal ({@link ActuatedController}, set up by
 * {@link VirtualSignals}): each step the controllers read their stop-line loops from SUMO, advance, and set what they
 * show through TraCI; an independent {@link SafetyMonitor} per signal watches every state SUMO shows. The
 * controllers follow whatever phase control their {@link PhaseControl} holds (an NTCIP agent writes it) and run on
 * their own timing when none arrives. Writes {@code tripinfo.xml}, {@code sumo.log} and the generated detectors into
 * the run's folder.
 *
 * <p>Threading: {@link #run} on the calling thread; {@link #control} objects may be written from any thread.
 */
public final class VirtualControllerRun {
    /** What a run measured. */
    public record Result(TripStats trips, long safetyViolations, List<String> violationExamples, long gapOuts,
                         long maxOuts, long forceOffs, long heldForMinGreen) {
    }

    /**
     * Told after every step, on the run's thread, with each signal's detectors (the controller's order) as a
     * cabinet's detector cards sample them ({@link LoopStep}): occupied at the step's end, vehicles that arrived during
     * the step, milliseconds occupied during it.
     */
    public interface StepListener {
        void stepped(double nowS, int signal, ActuatedController controller, boolean[] occupiedAtEnd, int[] arrivals,
                     int[] occupiedMs);
    }

    private final Scenario scenario;
    private final SumoNet net;
    private final List<ControlledIntersection> signals;
    private final long seed;
    private final Path outDir;
    private final List<ActuatedController> controllers = new ArrayList<>();
    private final List<PhaseControl> controls = new ArrayList<>();
    private StepListener listener = (t, i, c, o, v, ms) -> { };
    private java.util.function.DoubleConsumer afterStep = t -> { };
    private boolean realTime;

    public VirtualControllerRun(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, long seed,
                                Path outDir, double backupS) {
        this.scenario = scenario;
        this.net = net;
        this.signals = List.copyOf(signals);
        this.seed = seed;
        this.outDir = outDir;
        VirtualSignals.Cabinets cabinets = VirtualSignals.cabinets(signals, backupS);
        controllers.addAll(cabinets.controllers());
        controls.addAll(cabinets.controls());
    }

    /** The phase control of signal {@code i} (the order of the signals given). */
    public PhaseControl control(int i) {
        return controls.get(i);
    }

    public ActuatedController controller(int i) {
        return controllers.get(i);
    }

    public List<ControlledIntersection> signals() {
        return signals;
    }

    public VirtualControllerRun listener(StepListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Told once after every step (all controllers stepped, their states queued for SUMO), on the run's thread: where a
     * central system in the same process takes its turn.
     */
    public VirtualControllerRun afterStep(java.util.function.DoubleConsumer afterStep) {
        this.afterStep = afterStep;
        return this;
    }

    /** Whether each simulated second takes a second of wall time, as for a live engine; default as fast as SUMO runs. */
    public VirtualControllerRun realTime(boolean realTime) {
        this.realTime = realTime;
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path detectors = outDir.resolve("greenwave.det.add.xml");
        AdditionalFiles.writeDetectors(detectors, net, signals);
        Path tripinfo = outDir.resolve("tripinfo.xml");
        List<String> args = SimulationRun.baseSumoArgs(tripinfo);
        ScenarioOutputs.Redirected redirected = ScenarioOutputs.redirect(scenario, new ArrayList<>(args), outDir);
        args.addAll(redirected.sumoArgs());
        List<Path> additional = new ArrayList<>(redirected.additionalFiles());
        additional.add(detectors);
        SumoOptions.Builder opts = SimulationRun.sumoOptions(scenario, seed, additional, args, outDir);
        int n = signals.size();
        SafetyMonitor[] monitors = new SafetyMonitor[n];
        Subscription[] states = new Subscription[n];
        Subscription[][] loops = new Subscription[n][];
        boolean[][] occupied = new boolean[n][];
        boolean[][] atEnd = new boolean[n][];
        int[][] arrivals = new int[n][];
        int[][] occupiedMs = new int[n][];
        List<String> examples = new ArrayList<>();
        try (SumoProcess sumo = SumoProcess.start(opts.build())) {
            TraciClient c = sumo.client();
            Subscription sim = c.subscribe(Domain.SIMULATION, "", TraciConstants.VAR_TIME);
            double now = sim.number(0);
            for (int i = 0; i < n; i++) {
                ControlledIntersection ci = signals.get(i);
                monitors[i] = new SafetyMonitor(ci.model());
                states[i] = c.subscribe(Domain.TRAFFIC_LIGHT, ci.id(), TraciConstants.TL_RED_YELLOW_GREEN_STATE);
                List<String> ids = VirtualSignals.detectorIds(ci);
                loops[i] = new Subscription[ids.size()];
                occupied[i] = new boolean[ids.size()];
                atEnd[i] = new boolean[ids.size()];
                arrivals[i] = new int[ids.size()];
                occupiedMs[i] = new int[ids.size()];
                for (int d = 0; d < ids.size(); d++) {
                    loops[i][d] = c.subscribe(Domain.INDUCTION_LOOP, ids.get(d), TraciConstants.LAST_STEP_VEHICLE_DATA);
                }
                String shown = states[i].hasValue(0) ? (String) states[i].value(0) : "";
                int start = 0;
                for (int p = 0; p < ci.model().greenPhaseCount(); p++) {
                    if (ci.model().greenPhaseString(p).equals(shown)) {
                        start = p;
                    }
                }
                controllers.get(i).reset(start, Millis.fromSeconds(now));
                c.setRedYellowGreenState(ci.id(), controllers.get(i).shownString());
            }
            long wallStartNs = System.nanoTime();
            double beginS = now;
            while (now < scenario.endS() - 1e-6) {
                double stepStartS = now;
                c.simulationStep(0);
                now = sim.number(0);
                // SUMO's time, seconds, becomes the controllers' and monitors' milliseconds here, once a step.
                long nowMs = Millis.fromSeconds(now);
                for (int i = 0; i < n; i++) {
                    if (states[i].hasValue(0)) {
                        monitors[i].observe(nowMs, (String) states[i].value(0));
                    }
                    for (int d = 0; d < loops[i].length; d++) {
                        @SuppressWarnings("unchecked")
                        List<LoopVehicleData> data = loops[i][d].hasValue(0)
                                ? (List<LoopVehicleData>) loops[i][d].value(0) : List.of();
                        occupied[i][d] = !data.isEmpty();
                        atEnd[i][d] = LoopStep.occupiedAtEnd(data);
                        arrivals[i][d] = LoopStep.arrivals(data, stepStartS);
                        occupiedMs[i][d] = LoopStep.occupiedMs(data, stepStartS, now);
                    }
                    ActuatedController ctl = controllers.get(i);
                    if (ctl.step(nowMs, occupied[i])) {
                        c.queueRedYellowGreenState(signals.get(i).id(), ctl.shownString());
                    }
                    listener.stepped(now, i, ctl, atEnd[i], arrivals[i], occupiedMs[i]);
                }
                afterStep.accept(now);
                if (realTime) {
                    long dueNs = wallStartNs + (long) ((now - beginS) * 1e9);
                    long waitNs = dueNs - System.nanoTime();
                    if (waitNs > 0) {
                        Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000));
                    }
                }
            }
        }
        long violations = 0;
        long gapOuts = 0;
        long maxOuts = 0;
        long forceOffs = 0;
        long held = 0;
        for (int i = 0; i < n; i++) {
            violations += monitors[i].total();
            for (String e : monitors[i].examples()) {
                examples.add(signals.get(i).id() + ": " + e);
            }
            ActuatedController ctl = controllers.get(i);
            gapOuts += ctl.gapOuts();
            maxOuts += ctl.maxOuts();
            forceOffs += ctl.forceOffs();
            held += ctl.heldForMinGreen();
        }
        return new Result(TripStats.read(tripinfo), violations, examples, gapOuts, maxOuts, forceOffs, held);
    }
}
