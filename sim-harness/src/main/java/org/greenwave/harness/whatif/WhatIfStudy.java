package org.greenwave.harness.whatif;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.harness.kpi.ResultsCsv;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.kpi.TripStats;
import org.greenwave.harness.run.DetectorFailures;
import org.greenwave.harness.run.SimulationRun;
import org.greenwave.harness.run.Transport;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.harness.run.Study;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * A what-if study: every controller × demand level × detector-failure share × seed of a scenario, run in SUMO.
 * Demand is scaled by SUMO itself ({@code --scale}); failed detectors are drawn per seed (the same ones for every
 * controller) and behave as {@link DetectorFailures} says, as the engine would see them. Writes every run's output
 * under {@code runs/}, then {@code results.csv} and a self-contained {@code report.html} ({@link WhatIfReport}).
 */
public final class WhatIfStudy {
    private final Scenario scenario;
    private final List<String> controllers;
    private final List<Double> demands;
    private final List<Double> failureShares;
    private final List<Long> seeds;
    private final DetectorFailures.Mode failureMode;
    private final Path outDir;
    private final List<String> tls;
    private final int parallelism;
    private UnaryOperator<EngineContext> engineSetup = UnaryOperator.identity();
    private String watchedController;
    private RunObserver watchedObserver;
    private UnaryOperator<EngineContext> watchedSetup;
    private Provenance provenance = Provenance.here();

    /** One run of the grid and what it measured. */
    public record Cell(String controller, double demand, double failureShare, long seed, RunSummary summary,
                       double[] delaysS, QueueTrace queues) {
    }

    /**
     * @throws IllegalArgumentException for an empty axis, a demand factor that is not positive, or a failure share
     *                                  outside 0..1
     */
    public WhatIfStudy(Scenario scenario, List<String> controllers, List<Double> demands, List<Double> failureShares,
                       List<Long> seeds, DetectorFailures.Mode failureMode, Path outDir, List<String> tls,
                       int parallelism) {
        if (controllers.isEmpty() || demands.isEmpty() || failureShares.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("what-if needs at least one controller, demand, detector-failure share "
                    + "and seed");
        }
        for (double d : demands) {
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("--demand factors must be positive, got " + d);
            }
        }
        for (double f : failureShares) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("--detector-failure shares must be within 0..1, got " + f);
            }
        }
        this.scenario = scenario;
        this.controllers = List.copyOf(controllers);
        this.demands = List.copyOf(demands);
        this.failureShares = List.copyOf(failureShares);
        this.seeds = List.copyOf(seeds);
        this.failureMode = failureMode;
        this.outDir = outDir;
        this.tls = List.copyOf(tls);
        this.parallelism = Math.max(1, parallelism);
    }

    /** Adjusts the engine of every run before it starts (e.g. its forecaster); default unchanged. */
    public WhatIfStudy engineSetup(UnaryOperator<EngineContext> setup) {
        this.engineSetup = setup;
        return this;
    }

    /**
     * Watches one run: the first of {@code controller} (first demand, detector-failure share and seed) gets
     * {@code observer} beside the study's own and {@code engineSetup} after the study's own, and starts before the others.
     *
     * @throws IllegalArgumentException when the study does not run {@code controller}
     */
    public WhatIfStudy watch(String controller, RunObserver observer, UnaryOperator<EngineContext> engineSetup) {
        if (!controllers.contains(controller)) {
            throw new IllegalArgumentException("the study does not run " + controller);
        }
        this.watchedController = controller;
        this.watchedObserver = observer;
        this.watchedSetup = engineSetup;
        return this;
    }

    /** What the report says made it; default {@link Provenance#here()} when the study was set up. */
    public WhatIfStudy provenance(Provenance provenance) {
        this.provenance = provenance;
        return this;
    }

    /** Runs the grid and writes the results and the report. */
    public List<Cell> run(PrintStream progressOut) throws Exception {
        Files.createDirectories(outDir);
        SumoNet net = SumoNet.read(scenario.netFile(), scenario.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        record Planned(String controller, double demand, double share, long seed, SimulationRun run, QueueTrace trace) {
        }
        List<Planned> planned = new ArrayList<>();
        int first = -1;
        for (String controller : controllers) {
            for (double demand : demands) {
                for (double share : failureShares) {
                    for (long seed : seeds) {
                        List<String> args = demand == 1.0 ? List.of()
                                : List.of("--scale", String.format(Locale.ROOT, "%s", demand));
                        Path dir = outDir.resolve("runs").resolve(controller)
                                .resolve(String.format(Locale.ROOT, "demand-%s", demand))
                                .resolve(String.format(Locale.ROOT, "failed-%s", share)).resolve("seed-" + seed);
                        QueueTrace trace = new QueueTrace(scenario.beginS(), scenario.endS());
                        SimulationRun run = new SimulationRun(scenario, net, signals, controller, seed, dir, args,
                                Transport.inProcess())
                                .detectorFailures(new DetectorFailures(share, failureMode, seed, scenario.beginS()))
                                .observer(trace).engineSetup(engineSetup);
                        if (controller.equals(watchedController) && first < 0) {
                            first = planned.size();
                            run.observer(RunObserver.both(trace, watchedObserver))
                                    .engineSetup(ctx -> watchedSetup.apply(engineSetup.apply(ctx)));
                        }
                        planned.add(new Planned(controller, demand, share, seed, run, trace));
                    }
                }
            }
        }
        Study.Progress progress = new Study.Progress(progressOut, planned.size(), scenario.name() + " what-if");
        if (first >= 0) {
            progress.paced(first);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, planned.size()), r -> {
            Thread t = new Thread(r, "greenwave-whatif");
            t.setDaemon(true);
            return t;
        });
        List<Cell> cells = new ArrayList<>();
        try {
            List<Future<Cell>> futures = new ArrayList<>(Collections.nCopies(planned.size(), null));
            int head = Math.max(first, 0);
            for (int k = 0; k < planned.size(); k++) {
                // The watched run first, then the others in order; the cells stay in order.
                int slot = k == 0 ? head : k <= head ? k - 1 : k;
                Planned p = planned.get(slot);
                futures.set(slot, pool.submit(() -> {
                    RunSummary s = p.run.run(f -> progress.update(slot, f));
                    double[] delays = TripStats.delays(p.run.outDir().resolve("tripinfo.xml"));
                    progress.done(slot);
                    return new Cell(p.controller, p.demand, p.share, p.seed, s, delays, p.trace);
                }));
            }
            for (Future<Cell> f : futures) {
                try {
                    cells.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof Exception ex ? ex : new IOException(c);
                }
            }
            progress.finish();
        } finally {
            pool.shutdownNow();
        }
        writeCsv(outDir.resolve("results.csv"), cells);
        WhatIfReport.write(outDir.resolve("report.html"), new WhatIfReport.Input(scenario, net, signals, controllers,
                demands, failureShares, seeds, cells, provenance));
        return cells;
    }

    /** One row per run: the demand factor and detector-failure share, then every KPI ({@link ResultsCsv}). */
    static void writeCsv(Path file, List<Cell> cells) throws IOException {
        List<ResultsCsv.Row> rows = new ArrayList<>();
        for (Cell c : cells) {
            rows.add(new ResultsCsv.Row(c.summary(), List.of(String.valueOf(c.demand()),
                    String.valueOf(c.failureShare()))));
        }
        ResultsCsv.write(file, List.of("demand", "detector_failure"), rows);
    }
}
