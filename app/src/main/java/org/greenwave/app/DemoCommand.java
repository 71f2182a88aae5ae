package org.greenwave.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.BrokerAccess;
import org.greenwave.harness.run.Study;
import org.greenwave.harness.run.Transport;
import org.greenwave.netimport.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greenwave demo}: the peak hour on the corridor scenario (or any scenario given with {@code --scenario}) under
 * Greenwave and under actuated control, over MQTT, compared; one run (Greenwave's first seed) shown live on the
 * dashboard, at a pace a person can follow.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Runs the peak-hour demo: Greenwave against the signals' own logic, one run shown live on the "
                + "dashboard.",
        description = {"Runs the peak hour of the 5-signal corridor (or the scenario given with --scenario) under "
                + "Greenwave and under the signals' own actuated logic, detectors and plans over an embedded MQTT "
                + "broker, and prints the improvement. Greenwave's first seed is shown live on the dashboard at "
                + "--pace; the other runs go at full speed beside it."})
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one, to run instead of the corridor. "
                    + "Default: scenarios/corridor.")
    Path scenario;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-demo.")
    Path out = Path.of("greenwave-demo");

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = Seeds.FORM + ". Default: 1,2.")
    Seeds seeds = Seeds.of(1, 2);

    @Option(names = {"--controller", "--controllers"}, split = ",", paramLabel = "NAME",
            description = "Controllers to compare. Default: greenwave,actuated.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    List<String> controllers;

    @CommandLine.Mixin
    WatchedRun.Options dashboardOptions = new WatchedRun.Options();

    @Option(names = "--no-dashboard", description = "Run without the dashboard, every run at full speed.")
    boolean noDashboard;

    @CommandLine.Mixin
    QueueModelOption queueModel = new QueueModelOption();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<String> names = controllers != null ? controllers : defaultControllers();
        CliChecks.controllers(cl, names);
        if (names.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--controller needs at least one controller");
        }
        dashboardOptions.check(cl, null);
        queueModel.load(cl.getOut());
        Scenario s = scenario();
        PrintWriter w = cl.getOut();
        int parallel = Runtime.getRuntime().availableProcessors();
        try (WatchedRun watched = noDashboard ? null : WatchedRun.start(cl, s, List.of(), dashboardOptions,
                WatchedRun.controller(names), seeds.values().get(0))) {
            UnaryOperator<EngineContext> modelSetup = queueModel.engineSetup();
            Study study = new Study(s, names, seeds.values(), out, List.of(),
                    watched != null ? watched.parallel(parallel) : parallel, List.of()).transport(Transport.mqtt(null, null, BrokerAccess.ANONYMOUS))
                    .engineSetups((controller, seed) -> modelSetup);
            if (watched != null) {
                study.watch(watched.controller(), watched.seed(), watched.observer(), watched.engineSetup());
            }
            w.printf(Locale.ROOT, "Greenwave demo: %s, %.0f-%.0f s, controllers %s, seeds %s;%n"
                    + "SUMO's detectors and the engine's plans travel over an embedded MQTT broker.%n", s.name(),
                    s.beginS(), s.endS(), String.join(", ", names), seeds);
            w.flush();
            List<RunSummary> runs = study.run(System.err);
            queueModel.reportUse(w, runs.size());
            String report = SimulateCommand.report(s, runs, out) + "\n" + improvement(runs)
                    + (watched != null ? watched.wallTimeNote() : "");
            Files.writeString(out.resolve("comparison.md"), report);
            w.println(report);
            w.flush();
        }
        return 0;
    }

    /** The scenario given with --scenario, else the corridor of the Greenwave checkout. */
    Scenario scenario() {
        if (scenario != null) {
            return Scenario.load(scenario);
        }
        Path corridor = Main.home().resolve("scenarios/corridor");
        if (!Files.isDirectory(corridor)) {
            throw new IllegalArgumentException("corridor scenario not found at " + corridor
                    + " (run from the Greenwave checkout, or through ./greenwave, or name one with --scenario)");
        }
        return Scenario.load(corridor);
    }

    /** Greenwave against what cities run today: the device's own actuated logic. */
    static List<String> defaultControllers() {
        return List.of(Policies.GREENWAVE, Policies.ACTUATED);
    }

    /**
     * The line that sums the demo up: Greenwave's mean delay against actuated's, and the difference; empty when
     * either is missing from the runs.
     */
    static String improvement(List<RunSummary> runs) {
        double greenwave = meanDelay(runs, Policies.GREENWAVE);
        double actuated = meanDelay(runs, Policies.ACTUATED);
        if (Double.isNaN(greenwave) || Double.isNaN(actuated)) {
            return "";
        }
        return String.format(Locale.ROOT, "Greenwave against actuated: %.1f s against %.1f s of delay per vehicle, "
                + "%.0f %% less (%.1f s saved per vehicle).%n", greenwave, actuated,
                100 * (1 - greenwave / actuated), actuated - greenwave);
    }

    private static double meanDelay(List<RunSummary> runs, String controller) {
        return runs.stream().filter(r -> r.controller().equals(controller))
                .mapToDouble(r -> r.trips().avgDelayS()).average().orElse(Double.NaN);
    }
}
