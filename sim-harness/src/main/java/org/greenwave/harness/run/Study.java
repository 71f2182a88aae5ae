package org.greenwave.harness.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;

import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * Runs every controller × seed of one scenario, in parallel up to {@code parallelism} SUMO processes, and collects
 * their summaries. Each run writes to {@code outDir/<controller>/seed-<n>/}.
 */
public final class Study {
    private final Scenario scenario;
    private final List<String> controllers;
    private final List<Long> seeds;
    private final Path outDir;
    private final List<String> tls;
    private final int parallelism;
    private final List<String> extraSumoArgs;
    private Transport transport = Transport.inProcess();
    private DetectorFailures failures = DetectorFailures.none();
    private BiFunction<String, Long, UnaryOperator<EngineContext>> engineSetups = (controller, seed) ->
            UnaryOperator.identity();
    /** Extra run groups: label, controller and engine set-up, run after the controllers. */
    private final List<Variant> variants = new ArrayList<>();

    private record Variant(String label, String controller, UnaryOperator<EngineContext> setup) {
    }

    private Watched watched;
    private BiFunction<String, Long, RunObserver> observers = (controller, seed) -> RunObserver.NONE;

    public Study(Scenario scenario, List<String> controllers, List<Long> seeds, Path outDir, List<String> tls,
                 int parallelism, List<String> extraSumoArgs) {
        this.scenario = scenario;
        this.controllers = List.copyOf(controllers);
        this.seeds = List.copyOf(seeds);
        this.outDir = outDir;
        this.tls = List.copyOf(tls);
        this.parallelism = Math.max(1, parallelism);
        this.extraSumoArgs = List.copyOf(extraSumoArgs);
    }

    /**
     * How every run's detector data and plans travel between SUMO and the engine; default {@link
     * Transport#inProcess()}.
     */
    public Study transport(Transport transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport");
        return this;
    }

    /** Detector failures injected into every run (the same detectors fail for every controller). */
    public Study detectorFailures(DetectorFailures failures) {
        this.failures = failures;
        return this;
    }

    /**
     * Watches one run: {@code controller}'s run with {@code seed} gets {@code observer} (instead of the one
     * {@link #observers} makes) and {@code engineSetup} after the study's own, and starts before the others, so a run
     * held to a person's pace never waits for a free slot.
     */
    public Study watch(String controller, long seed, RunObserver observer, UnaryOperator<EngineContext> engineSetup) {
        this.watched = new Watched(controller, seed, observer, engineSetup);
        return this;
    }

    /** Makes the observer of each run from its controller and seed; runs may go on in parallel. */
    public Study observers(BiFunction<String, Long, RunObserver> observers) {
        this.observers = observers;
        return this;
    }

    /** Makes the engine set-up of each run from its controller and seed; see {@link SimulationRun#engineSetup}. */
    public Study engineSetups(BiFunction<String, Long, UnaryOperator<EngineContext>> engineSetups) {
        this.engineSetups = engineSetups;
        return this;
    }

    /**
     * Also runs {@code controller} with {@code setup} applied to its engine (after the study's own set-up), under
     * {@code label}: its summaries carry the label as their controller, its runs go to {@code outDir/<label>/}.
     */
    public Study variant(String label, String controller, UnaryOperator<EngineContext> setup) {
        if (controllers.contains(label) || variants.stream().anyMatch(v -> v.label().equals(label))) {
            throw new IllegalArgumentException("a run group is already called '" + label + "'");
        }
        variants.add(new Variant(label, controller, setup));
        return this;
    }

    /**
     * Runs the study.
     *
     * @param progressOut where the progress bar goes (null for none)
     * @return the summaries, in controller then seed order
     */
    public List<RunSummary> run(PrintStream progressOut) throws IOException, InterruptedException {
        SumoNet net = SumoNet.read(scenario.netFile(), scenario.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        List<SimulationRun> runs = new ArrayList<>();
        int first = 0;
        for (String controller : controllers) {
            for (long seed : seeds) {
                boolean watch = watched != null && watched.controller.equals(controller) && watched.seed == seed;
                UnaryOperator<EngineContext> setup = engineSetups.apply(controller, seed);
                if (watch) {
                    first = runs.size();
                }
                runs.add(new SimulationRun(scenario, net, signals, controller, seed,
                        outDir.resolve(controller).resolve("seed-" + seed), extraSumoArgs, transport)
                        .detectorFailures(failures)
                        .observer(watch ? watched.observer : observers.apply(controller, seed))
                        .engineSetup(watch ? ctx -> watched.engineSetup.apply(setup.apply(ctx)) : setup));
            }
        }
        for (Variant v : variants) {
            for (long seed : seeds) {
                UnaryOperator<EngineContext> own = engineSetups.apply(v.controller(), seed);
                runs.add(new SimulationRun(scenario, net, signals, v.controller(), seed,
                        outDir.resolve(v.label()).resolve("seed-" + seed), extraSumoArgs, transport)
                        .detectorFailures(failures)
                        .observer(observers.apply(v.label(), seed))
                        .engineSetup(ctx -> v.setup().apply(own.apply(ctx))).label(v.label()));
            }
        }
        Progress progress = new Progress(progressOut, runs.size(), scenario.name());
        if (watched != null) {
            progress.paced(first);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, runs.size()), r -> {
            Thread t = new Thread(r, "greenwave-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunSummary>> futures = new ArrayList<>(java.util.Collections.nCopies(runs.size(), null));
            for (int k = 0; k < runs.size(); k++) {
                // The watched run first, then the others in order; the results stay in order.
                int slot = k == 0 ? first : k <= first ? k - 1 : k;
                SimulationRun run = runs.get(slot);
                futures.set(slot, pool.submit(() -> {
                    RunSummary s = run.run(f -> progress.update(slot, f));
                    progress.done(slot);
                    return s;
                }));
            }
            List<RunSummary> out = new ArrayList<>();
            for (Future<RunSummary> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(cause);
                }
            }
            progress.finish();
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A progress bar over a study's runs: on a terminal one line redrawn in place, otherwise a line whenever a run
     * finishes or another tenth of the work is done, and always the last one ({@code N/N runs}). The time left is
     * estimated apart for runs shown paced on a dashboard (each from its own rate) and for the others (from the rate
     * at which they have progressed so far): a paced run neither drags the others' estimate nor is hidden by it.
     * Thread-safe: every method is synchronized.
     */
    public static final class Progress {
        private final PrintStream out;
        private final double[] fractions;
        private final long[] startedNs;
        private final boolean[] paced;
        private final String label;
        private final boolean terminal;
        private final LongSupplier clockNs;
        private final long startNs;
        private int finished;
        private int lastDecile = -1;
        private int lastFinished = -1;

        /**
         * @param out   where the bar goes (null for none)
         * @param runs  number of runs
         * @param label what the bar is about
         */
        public Progress(PrintStream out, int runs, String label) {
            this(out, runs, label, System.console() != null, System::nanoTime);
        }

        /**
         * @param terminal whether {@code out} is a terminal (the bar is redrawn in place)
         * @param clockNs  monotonic nanoseconds
         */
        public Progress(PrintStream out, int runs, String label, boolean terminal, LongSupplier clockNs) {
            this.out = out;
            this.fractions = new double[runs];
            this.startedNs = new long[runs];
            this.paced = new boolean[runs];
            this.label = label;
            this.terminal = terminal;
            this.clockNs = clockNs;
            this.startNs = clockNs.getAsLong();
            java.util.Arrays.fill(startedNs, Long.MIN_VALUE);
        }

        /** Run {@code run} goes at a pace of its own (shown live on a dashboard): its time left is its own. */
        public synchronized void paced(int run) {
            paced[run] = true;
        }

        /** Run {@code run} is {@code fraction} done. */
        public synchronized void update(int run, double fraction) {
            if (startedNs[run] == Long.MIN_VALUE) {
                startedNs[run] = clockNs.getAsLong();
            }
            fractions[run] = Math.min(1, Math.max(0, fraction));
            draw();
        }

        public synchronized void done(int run) {
            if (startedNs[run] == Long.MIN_VALUE) {
                startedNs[run] = clockNs.getAsLong();
            }
            fractions[run] = 1;
            finished++;
            draw();
        }

        /** Seconds left by the current rates, NaN while too little is done to tell. */
        public synchronized double secondsLeft() {
            long now = clockNs.getAsLong();
            double elapsedS = (now - startNs) / 1e9;
            double doneOthers = 0;
            double leftOthers = 0;
            double left = 0;
            for (int r = 0; r < fractions.length; r++) {
                if (paced[r]) {
                    if (fractions[r] < 1) {
                        if (startedNs[r] == Long.MIN_VALUE || fractions[r] < 0.02) {
                            return Double.NaN;
                        }
                        double ownS = (now - startedNs[r]) / 1e9;
                        left = Math.max(left, ownS * (1 - fractions[r]) / fractions[r]);
                    }
                } else {
                    doneOthers += fractions[r];
                    leftOthers += 1 - fractions[r];
                }
            }
            if (leftOthers > 0) {
                if (doneOthers < 0.02 || elapsedS <= 0) {
                    return Double.NaN;
                }
                left = Math.max(left, elapsedS * leftOthers / doneOthers);
            }
            return left;
        }

        private void draw() {
            if (out == null) {
                return;
            }
            double sum = 0;
            for (double f : fractions) {
                sum += f;
            }
            double all = sum / fractions.length;
            int width = 30;
            int filled = (int) Math.round(all * width);
            double elapsedS = (clockNs.getAsLong() - startNs) / 1e9;
            double leftS = secondsLeft();
            String eta = finished == fractions.length ? "done" : Double.isNaN(leftS) ? ""
                    : String.format(Locale.ROOT, "%.0f s left", leftS);
            String line = String.format(Locale.ROOT, "%s [%s%s] %3.0f%%  %d/%d runs  %.0f s  %s", label,
                    "#".repeat(filled), "-".repeat(width - filled), all * 100, finished, fractions.length,
                    elapsedS, eta);
            if (terminal) {
                out.print("\r" + line + "   ");
                out.flush();
            } else {
                int decile = (int) (all * 10);
                if (decile != lastDecile || finished != lastFinished) {
                    lastDecile = decile;
                    lastFinished = finished;
                    out.println(line);
                }
            }
        }

        public synchronized void finish() {
            if (out != null && terminal) {
                out.println();
            }
        }
    }

    private record Watched(String controller, long seed, RunObserver observer,
                           UnaryOperator<EngineContext> engineSetup) {
    }
}
