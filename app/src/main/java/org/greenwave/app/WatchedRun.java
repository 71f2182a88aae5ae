package org.greenwave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.greenwave.app.dashboard.Dashboard;
import org.greenwave.app.dashboard.DashboardObserver;
import org.greenwave.app.dashboard.DashboardServer;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The one run of a study that {@code demo}, {@code simulate --dashboard} and {@code whatif --dashboard} show live on
 * the dashboard: Greenwave's first run, or the first run of the first controller, held to {@code --pace}; the other
 * runs go at full speed beside it. Serves the dashboard from {@link #start} to {@link #close}, so the finished run
 * stays on show until the study's report is written.
 *
 * <p>Threading: built and closed on the command's thread; the observer runs on the watched run's thread.
 */
final class WatchedRun implements AutoCloseable {
    /** The dashboard's options, the same in every command that shows a run. */
    static final class Options {
        @Option(names = "--pace", paramLabel = "X",
                description = "Simulated seconds per wall-clock second of the run on the dashboard; 0 runs it at "
                        + "full speed. Default: 20 (an hour in 3 minutes).")
        double pace = 20;

        @CommandLine.Mixin
        DashboardAccess access = new DashboardAccess();

        /**
         * Fails with a usage error naming the option when a value is out of range, or, when {@code needs} names the
         * option that turns the dashboard on and it is off, when one of these options was given anyway.
         */
        void check(CommandLine cl, String needs) {
            if (needs != null) {
                List<String> names = new java.util.ArrayList<>(List.of("--pace"));
                names.addAll(DashboardAccess.NAMES);
                for (String name : names) {
                    if (cl.getParseResult().hasMatchedOption(name)) {
                        throw new CommandLine.ParameterException(cl, name + " needs " + needs);
                    }
                }
            }
            if (!(pace >= 0) || Double.isInfinite(pace)) {
                throw new CommandLine.ParameterException(cl, "--pace must be 0 or more, was " + pace);
            }
            access.check(cl);
        }

        /**
         * Runs at once for a study of {@code parallel} with a watched run: a paced run mostly waits for the wall
         * clock, so it gets a slot of its own beside them.
         */
        int parallel(int parallel) {
            return parallel + (pace > 0 ? 1 : 0);
        }

        /** The pace as people write it: "20", "2.5". */
        String paceText() {
            return pace == Math.rint(pace) ? Long.toString((long) pace) : Double.toString(pace);
        }
    }

    private final DashboardServer server;
    private final DashboardObserver observer;
    private final List<IntersectionModel> models;
    private final Options options;
    private final String label;
    private final String controller;
    private final long seed;

    private WatchedRun(DashboardServer server, DashboardObserver observer, List<IntersectionModel> models,
                       Options options, String label, String controller, long seed) {
        this.controller = controller;
        this.seed = seed;
        this.server = server;
        this.observer = observer;
        this.models = models;
        this.options = options;
        this.label = label;
    }

    /** The controller whose first run is watched: greenwave when it runs, else the first named. */
    static String controller(List<String> controllers) {
        return controllers.contains(Policies.GREENWAVE) ? Policies.GREENWAVE : controllers.get(0);
    }

    /**
     * Serves the dashboard of scenario {@code s}'s signals (those named in {@code tls}, all when empty) and prints
     * its address, an exposure warning when it is reachable from other machines, and what it will show.
     *
     * @param controller the controller of the run watched
     * @param seed       its seed
     * @param more       what else tells the run apart, e.g. "demand 1.2", or none
     * @throws IOException when the network cannot be read or the port cannot be bound
     */
    static WatchedRun start(CommandLine cl, Scenario s, List<String> tls, Options o, String controller, long seed,
                            String... more) throws IOException {
        String run = controller + (more.length > 0 ? ", " + String.join(", ", more) : "") + ", seed " + seed;
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        Dashboard dashboard = new Dashboard(s.name(), net, signals, Dashboard.ClockKind.SIMULATED);
        DashboardServer server = DashboardServer.start(dashboard, o.access.serverOptions(cl,
                o.access.openAudit(null), System::getenv));
        DashboardAccess.printWarnings(server, cl.getErr());
        dashboard.oversight().register(server);
        String label = String.format(Locale.ROOT, "%s, %s", run,
                o.pace > 0 ? o.paceText() + "× real time" : "full speed");
        DashboardObserver observer = new DashboardObserver(dashboard, label, o.pace);
        PrintWriter w = cl.getOut();
        w.printf("Dashboard: %s%n", server.url());
        w.printf("On the dashboard: %s%s.%n", run, o.pace > 0
                ? String.format(Locale.ROOT, " at %s× real time (about %.0f s)", o.paceText(),
                (s.endS() - s.beginS()) / o.pace)
                : " at full speed");
        w.flush();
        return new WatchedRun(server, observer, signals.stream().map(ControlledIntersection::model).toList(), o,
                run, controller, seed);
    }

    /** Watches the run on the dashboard. */
    RunObserver observer() {
        return observer;
    }

    /** The watched run's engine set-up: its plans pass a tap on their way, so the dashboard shows the schedule. */
    UnaryOperator<EngineContext> engineSetup() {
        return observer.engineSetup(models);
    }

    int parallel(int parallel) {
        return options.parallel(parallel);
    }

    /** The controller of the run watched. */
    String controller() {
        return controller;
    }

    /** The seed of the run watched. */
    long seed() {
        return seed;
    }

    /** The line for the report saying the watched run's wall time includes the pace; empty at full speed. */
    String wallTimeNote() {
        return options.pace > 0 ? String.format(Locale.ROOT,
                "Wall time of %s includes the dashboard's pace (%s×).%n", label, options.paceText()) : "";
    }

    @Override
    public void close() {
        server.close();
        try {
            server.audit().close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(WatchedRun.class).warn("audit log: {}", e.getMessage());
        }
    }
}
