package org.greenwave.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.greenwave.app.dashboard.Dashboard;
import org.greenwave.app.dashboard.DashboardObserver;
import org.greenwave.app.dashboard.DashboardServer;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.harness.run.Study;
import org.greenwave.harness.scenario.ControlledIntersection;
import org.greenwave.harness.scenario.Scenario;
import org.greenwave.harness.scenario.ScenarioImport;
import org.greenwave.harness.scenario.SumoNet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greenwave demo}: the peak hour on the corridor scenario under Greenwave and under actuated control, over
 * MQTT, compared; one run (Greenwave's first seed) shown live on the dashboard, at a pace a person can follow.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the peak hour of the 5-signal corridor under Greenwave and under the signals' own actuated",
            "logic, detectors and plans over an embedded MQTT broker, and prints the improvement. Greenwave's first",
            "seed is shown live on the dashboard at --pace; the other runs go at full speed beside it."})
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-demo.")
    Path out = Path.of("greenwave-demo");

    @Option(names = "--seeds", split = ",", paramLabel = "N", description = "SUMO seeds. Default: 1,2.")
    List<Long> seeds = List.of(1L, 2L);

    @Option(names = "--controller", split = ",", paramLabel = "NAME",
            description = "Controllers to compare. Default: greenwave,actuated.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    List<String> controllers;

    @Option(names = "--port", paramLabel = "PORT", description = "Dashboard HTTP port. Default: 8080.")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "HOST",
            description = "Address the dashboard listens on. Default: 127.0.0.1 (this machine only).")
    String bind = "127.0.0.1";

    @Option(names = "--pace", paramLabel = "X",
            description = "Simulated seconds per wall-clock second of the run on the dashboard; 0 runs it at full "
                    + "speed. Default: 20 (the peak hour in 3 minutes).")
    double pace = 20;

    @Option(names = "--no-dashboard", description = "Run without the dashboard, every run at full speed.")
    boolean noDashboard;

    @CommandLine.Mixin
    QueueModelOption queueModel = new QueueModelOption();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<String> names = controllers != null ? controllers : defaultControllers();
        for (String c : names) {
            if (!Policies.names().contains(c)) {
                throw new CommandLine.ParameterException(cl, "unknown controller '" + c + "'; known: "
                        + String.join(", ", Policies.names()));
            }
        }
        if (names.isEmpty() || seeds.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--controller and --seeds need at least one value each");
        }
        if (!(pace >= 0) || Double.isInfinite(pace)) {
            throw new CommandLine.ParameterException(cl, "--pace must be 0 or more, was " + pace);
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(cl, "--port must be 0..65535, was " + port);
        }
        queueModel.load(cl.getOut());
        Path corridor = Main.home().resolve("scenarios/corridor");
        if (!Files.isDirectory(corridor)) {
            throw new IllegalArgumentException("corridor scenario not found at " + corridor
                    + " (run from the Greenwave checkout, or through ./greenwave)");
        }
        Scenario s = Scenario.load(corridor);
        PrintWriter w = cl.getOut();
        UnaryOperator<EngineContext> modelSetup = queueModel.engineSetup();
        String shown = shownController(names);
        long shownSeed = seeds.get(0);
        // A paced run mostly waits for the wall clock, so it gets a slot of its own beside one per core.
        int parallel = Runtime.getRuntime().availableProcessors() + (noDashboard || pace == 0 ? 0 : 1);
        Study study = new Study(s, shownFirst(names, shown), seeds, out, List.of(), parallel, List.of()).viaMqtt(null)
                .engineSetups((controller, seed) -> modelSetup);
        DashboardServer server = null;
        try {
            if (!noDashboard) {
                SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
                List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
                Dashboard dashboard = new Dashboard(s.name(), net, signals,
                        Dashboard.ClockKind.SIMULATED);
                server = DashboardServer.start(dashboard, bind, port);
                if (server.exposureWarning() != null) {
                    cl.getErr().println(server.exposureWarning());
                    cl.getErr().flush();
                }
                w.printf("Dashboard: %s%n", server.url());
                String label = String.format(Locale.ROOT, "%s, seed %d, %s", shown, shownSeed,
                        pace > 0 ? paceText() + "× real time" : "full speed");
                DashboardObserver observer = new DashboardObserver(dashboard, label, pace);
                List<IntersectionModel> models = signals.stream().map(ControlledIntersection::model).toList();
                study.observers((controller, seed) -> controller.equals(shown) && seed == shownSeed ? observer
                        : new RunObserver() {
                        });
                UnaryOperator<EngineContext> shownSetup = observer.engineSetup(models);
                study.engineSetups((controller, seed) -> controller.equals(shown) && seed == shownSeed
                        ? ctx -> shownSetup.apply(modelSetup.apply(ctx)) : modelSetup);
            }
            w.printf("Greenwave demo: peak hour on %s, controllers %s, seeds %s;%n"
                    + "SUMO's detectors and the engine's plans travel over an embedded MQTT broker.%n", s.name(),
                    String.join(", ", names), seeds);
            if (!noDashboard) {
                w.printf("On the dashboard: %s, seed %d%s.%n", shown, shownSeed,
                        pace > 0 ? String.format(Locale.ROOT, " at %s× real time (about %.0f s)", paceText(),
                                (s.endS() - s.beginS()) / pace) : " at full speed");
            }
            w.flush();
            List<RunSummary> runs = new ArrayList<>(study.run(System.err));
            queueModel.reportUse(w, runs.size());
            runs.sort(Comparator.comparingInt(r -> names.indexOf(r.controller())));
            String report = SimulateCommand.report(s, runs, out) + "\n" + improvement(runs);
            if (!noDashboard && pace > 0) {
                report += String.format(Locale.ROOT, "Wall time of %s seed %d includes the dashboard's pace (%s×).%n",
                        shown, shownSeed, paceText());
            }
            Files.writeString(out.resolve("comparison.md"), report);
            w.println(report);
            w.flush();
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return 0;
    }

    private String paceText() {
        return pace == Math.rint(pace) ? Long.toString((long) pace) : Double.toString(pace);
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

    /** The controller the dashboard shows: greenwave, else max-pressure, else the first named. */
    static String shownController(List<String> names) {
        if (names.contains(Policies.GREENWAVE)) {
            return Policies.GREENWAVE;
        }
        return names.contains(Policies.MAX_PRESSURE) ? Policies.MAX_PRESSURE : names.get(0);
    }

    /** The runs start in list order; the shown one goes first so it starts at once. */
    private static List<String> shownFirst(List<String> names, String shown) {
        List<String> order = new ArrayList<>(names);
        order.remove(shown);
        order.add(0, shown);
        return order;
    }
}
