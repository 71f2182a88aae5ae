package org.greenwave.harness.ntcip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.adapters.ntcip.NtcipEngineGateway;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.StatusListener;
import org.greenwave.core.time.ManualClock;
import org.greenwave.harness.run.SimulationRun;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * The whole field loop in one process, as it runs between a cabinet and a central system: SUMO ↔ virtual NTCIP
 * controllers ({@link VirtualControllerSite}) ↔ SNMPv3 over loopback ↔ {@link NtcipEngineGateway} ↔ the engine. Each
 * simulated second the controllers step, then the engine ticks on the simulation's clock and the gateway commands
 * and reads every controller; the loop waits (a bounded time) for the reads' answers before the next second, so a
 * run is repeatable despite the network in between. Every state SUMO shows is watched by the safety monitors.
 */
public final class NtcipLoop {
    /** How long the loop waits for a second's reads, ms. */
    private static final long READ_WAIT_MS = 5000;

    /** What a run measured: the field side's, and the gateway's link figures summed over the controllers. */
    public record Result(VirtualControllerRun.Result field, long polls, long answers, long timeouts, long commands,
                         long errors, double meanRoundTripMs, int centrallyControlledAtEnd) {
    }

    private NtcipLoop() {
    }

    /**
     * @param controller the engine's policy ({@code greenwave}, {@code max-pressure}, ...)
     * @param basePort   signal {@code i}'s agent listens on 127.0.0.1:{@code basePort+i}
     */
    public static Result run(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, String controller,
                             long seed, Path outDir, int basePort) throws IOException, InterruptedException {
        return run(scenario, net, signals, controller, seed, outDir, basePort, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #run(Scenario, SumoNet, List, String, long, Path, int)}, with the engine and its gateway stopping dead
     * at {@code engineStopsAtS} (no more ticks, reads or sets), as a killed engine would.
     */
    public static Result run(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, String controller,
                             long seed, Path outDir, int basePort, double engineStopsAtS)
            throws IOException, InterruptedException {
        SnmpV3User user = new SnmpV3User("greenwave-loop", LOOPBACK_AUTH, LOOPBACK_PRIV);
        ManualClock clock = new ManualClock(scenario.beginS());
        List<EngineIntersection> intersections = new ArrayList<>();
        Map<String, IntersectionModel> models = new HashMap<>();
        Map<String, Integer> indexes = new HashMap<>();
        for (int i = 0; i < signals.size(); i++) {
            intersections.add(ScenarioImport.engineIntersection(signals.get(i), controller));
            models.put(signals.get(i).id(), signals.get(i).model());
            indexes.put(signals.get(i).id(), i);
        }
        NtcipEngineGateway[] gateway = new NtcipEngineGateway[1];
        // The engine exists before the gateway (which needs its detector directory): plans go through this until then.
        Forward sink = new Forward();
        double backupS = VirtualSignals.DEFAULT_BACKUP_S;
        VirtualControllerRun run = new VirtualControllerRun(scenario, net, signals, seed, outDir, backupS);
        Path mappingFile = outDir.resolve("ntcip.map");
        try (Engine engine = Engine.invoked(new EngineContext().intersections(intersections).shards(1).clock(clock)
                .planSink(sink).forecasterFactory(SimulationRun.defaultForecaster()))) {
            DetectorDirectory directory = engine.directory();
            run.afterStep(nowS -> {
                if (nowS >= engineStopsAtS) {
                    return;
                }
                clock.set(nowS);
                engine.doWork();
                long nowMs = Math.round(nowS * 1000);
                gateway[0].poll(nowMs);
                long deadline = System.nanoTime() + READ_WAIT_MS * 1_000_000;
                while (gateway[0].pendingReads() > 0 && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
            });
            VirtualControllerRun.Result field;
            try {
                field = VirtualControllerSite.run(run, "127.0.0.1", basePort, user.name(), LOOPBACK_AUTH,
                        LOOPBACK_PRIV, mappingFile, backupS, () -> {
                            try {
                                NtcipMapping mapping = NtcipMapping.read(mappingFile);
                                mapping.check(models, (s, d) -> {
                                    int det = directory.detectorIndex(d);
                                    return det >= 0 && directory.detectorIntersection(det)
                                            == directory.intersectionIndex(s);
                                });
                                gateway[0] = new NtcipEngineGateway(mapping, models, indexes, directory,
                                        engine.ingest(), SnmpSession.v3(user, 1000, 2), StatusListener.NONE, 3);
                                sink.target = gateway[0];
                                clock.set(scenario.beginS());
                                engine.doWork();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
            } finally {
                if (gateway[0] != null) {
                    gateway[0].close();
                }
            }
            long polls = 0;
            long answers = 0;
            long timeouts = 0;
            long commands = 0;
            long errors = 0;
            long rttNs = 0;
            for (ControlledIntersection ci : signals) {
                NtcipEngineGateway.Counters c = gateway[0].counters(ci.id());
                polls += c.polls();
                answers += c.answers();
                timeouts += c.timeouts();
                commands += c.commands();
                errors += c.errors() + c.wrongTypes() + c.refusals();
                rttNs += c.roundTripNs();
            }
            int central = 0;
            for (int i = 0; i < signals.size(); i++) {
                central += run.controller(i).centralInControl() ? 1 : 0;
            }
            return new Result(field, polls, answers, timeouts, commands, errors,
                    answers == 0 ? Double.NaN : rttNs / 1e6 / answers, central);
        }
    }

    /** Hands plans to the gateway once it exists; called on the engine's (the loop's) thread. */
    private static final class Forward implements PlanSink {
        volatile PlanSink target;

        @Override
        public void onPlan(TimingPlan plan) {
            PlanSink t = target;
            if (t != null) {
                t.onPlan(plan);
            }
        }
    }

    /** The loop's own SNMPv3 passphrases: both ends are in this process, on loopback. */
    private static final String LOOPBACK_AUTH = "greenwave-loop-auth";
    private static final String LOOPBACK_PRIV = "greenwave-loop-priv";
}
