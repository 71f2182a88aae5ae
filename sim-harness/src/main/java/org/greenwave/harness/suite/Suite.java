package org.greenwave.harness.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.Study;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;

/**
 * Runs every controller × seed on every scenario of a suite, one scenario after the other (the runs of one scenario
 * in parallel), into {@code outDir/<scenario name>/<controller>/seed-<n>/}. A scenario that cannot be run becomes a
 * failed result with the reason, and the suite goes on.
 */
public final class Suite {
    /** Label of the adaptive controller's runs without its watchdog, when the suite runs both. */
    public static final String NO_WATCHDOG_SUFFIX = "-no-watchdog";

    /** Whether the engine's watchdogs run: on, off, or both (the adaptive controller once more without them). */
    public enum Watchdog { ON, OFF, BOTH }

    /** One scenario's outcome: its runs, or why it could not run. */
    public record Result(SuiteScenarios.Entry scenario, int signals, List<RunSummary> runs, String failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    private final List<SuiteScenarios.Entry> scenarios;
    private final List<String> controllers;
    private final List<Long> seeds;
    private final Path outDir;
    private final double windowS;
    private final int parallelism;
    private final List<String> sumoArgs;
    private final Watchdog watchdog;

    /**
     * @param windowS the simulated window per scenario, seconds from its begin; NaN for the scenario's own
     * @param watchdog with {@link Watchdog#BOTH}, {@code greenwave} runs again without its watchdog, labelled
     *                 {@code greenwave}{@value #NO_WATCHDOG_SUFFIX}
     */
    public Suite(List<SuiteScenarios.Entry> scenarios, List<String> controllers, List<Long> seeds, Path outDir,
                 double windowS, int parallelism, List<String> sumoArgs, Watchdog watchdog) {
        this.scenarios = List.copyOf(scenarios);
        this.controllers = List.copyOf(controllers);
        this.seeds = List.copyOf(seeds);
        this.outDir = outDir;
        this.windowS = windowS;
        this.parallelism = parallelism;
        this.sumoArgs = List.copyOf(sumoArgs);
        this.watchdog = watchdog;
    }

    /** Runs the suite; {@code log} gets a line per scenario. */
    public List<Result> run(PrintStream log) throws InterruptedException {
        List<Result> out = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int i = 0; i < scenarios.size(); i++) {
            SuiteScenarios.Entry e = scenarios.get(i);
            long t0 = System.nanoTime();
            Result r = runOne(e);
            out.add(r);
            if (log != null) {
                log.printf(Locale.ROOT, "suite %d/%d %s: %s (%.0f s, %.0f s in all)%n", i + 1, scenarios.size(), e.name(),
                        r.failed() ? "FAILED: " + r.failure() : r.runs().size() + " runs",
                        (System.nanoTime() - t0) / 1e9, (System.nanoTime() - startNs) / 1e9);
            }
        }
        return out;
    }

    private Result runOne(SuiteScenarios.Entry e) throws InterruptedException {
        try {
            Scenario s = Scenario.load(e.config());
            if (!Double.isNaN(windowS)) {
                s = s.firstSeconds(windowS);
            }
            boolean on = watchdog != Watchdog.OFF;
            Study study = new Study(s, controllers, seeds, outDir.resolve(e.name()), List.of(), parallelism, sumoArgs)
                    .engineSetups((controller, seed) -> ctx -> ctx.watchdog(on));
            if (watchdog == Watchdog.BOTH && controllers.contains(SuiteTable.ADAPTIVE)) {
                study.variant(SuiteTable.ADAPTIVE + NO_WATCHDOG_SUFFIX, SuiteTable.ADAPTIVE, ctx -> ctx.watchdog(false));
            }
            List<RunSummary> runs = study.run(null);
            return new Result(e, runs.isEmpty() ? 0 : runs.get(0).signals(), runs, null);
        } catch (ScenarioException ex) {
            return new Result(e, 0, List.of(), ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            return new Result(e, 0, List.of(), ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }
}
