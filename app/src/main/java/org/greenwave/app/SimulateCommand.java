package org.greenwave.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.ResultsCsv;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.BrokerAccess;
import org.greenwave.harness.run.PlanSigning;
import org.greenwave.harness.run.Study;
import org.greenwave.harness.run.Transport;
import org.greenwave.netimport.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave simulate}: every controller × seed of a scenario in SUMO, compared side by side. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        header = "Runs a SUMO scenario under each controller and seed and prints a side-by-side comparison.",
        description = {"Writes <out>/<controller>/seed-<n>/tripinfo.xml and summary.json for every run, the table to "
                    + "<out>/comparison.md and one row per run with every KPI to <out>/results.csv."})
public final class SimulateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one.")
    Path scenario;

    @Option(names = {"--net", "--network"}, paramLabel = "FILE",
            description = "A SUMO network, instead of --scenario; needs --routes.")
    Path net;

    @Option(names = "--routes", paramLabel = "FILE", split = ",",
            description = "Route files with the demand, with --net (a .sumocfg names its own).")
    List<Path> routes = new ArrayList<>();

    @Option(names = "--begin", paramLabel = "S", description = "First simulated second (default: the scenario's, or 0).")
    Double begin;

    @Option(names = "--end", paramLabel = "S", description = "End of the window (default: the scenario's, or begin + 3600).")
    Double end;

    @Option(names = {"--controller", "--controllers"}, split = ",", paramLabel = "NAME",
            description = "Controllers to compare: ${COMPLETION-CANDIDATES}. Default: "
                    + "greenwave,device,actuated,max-pressure (with --via ntcip or ntcip-loops: greenwave,"
                    + "max-pressure).",
            completionCandidates = ControllerNames.class)
    List<String> controllers = new ArrayList<>(Policies.DEFAULT_COMPARISON);

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = Seeds.FORM + ". Default: 1,2,3.")
    Seeds seeds = Seeds.of(1, 2, 3);

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-out.")
    Path out = Path.of("greenwave-out");

    @Option(names = "--tls", split = ",", paramLabel = "ID",
            description = "Control only these traffic lights (default: all).")
    List<String> tls = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N",
            description = "SUMO processes at once. Default: the number of cores.")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--via", paramLabel = "TRANSPORT",
            description = "How detector data and plans travel: in-process (default), mqtt (SUMO's detectors and the "
                    + "plans go through an MQTT broker, as in a deployment) or ntcip (each signal's cabinet is a virtual "
                    + "NTCIP 1202 controller that the engine reads and commands over SNMPv3, as a central system does; "
                    + "the cameras' lane-area readings reach the engine through their own feed beside it); ntcip-loops "
                    + "is ntcip without the cameras, and in-process-loops runs in process with the loops only: the "
                    + "detection an NTCIP controller's cabinet has.")
    String via = "in-process";

    @Option(names = "--ntcip-mode", paramLabel = "MODE",
            description = "With --via ntcip or ntcip-loops: how the engine commands the controllers: phase-control "
                    + "(default: hold, force-off, omit and calls each second) or pattern (a cycle, splits and offset "
                    + "written into the pattern and split tables and selected, at most once a cycle; docs/ntcip.md).")
    String ntcipMode = "phase-control";

    @Option(names = "--broker", paramLabel = "URL",
            description = "With --via mqtt: the broker, e.g. tcp://127.0.0.1:1883. Default: an embedded broker per run.")
    String broker;

    @Option(names = "--broker-ca", paramLabel = "FILE",
            description = "With --broker ssl://...: PEM certificate(s) of the authority that signed the broker's "
                    + "certificate. Default: the JVM's trusted authorities.")
    Path brokerCa;

    @Option(names = "--broker-cert", paramLabel = "FILE",
            description = "With --broker: PEM client certificate for a broker that asks for one (with --broker-key); "
                    + "both sides use it.")
    Path brokerCert;

    @Option(names = "--broker-key", paramLabel = "FILE", description = "PEM private key (PKCS #8) of --broker-cert.")
    Path brokerKey;

    @Option(names = "--broker-username", paramLabel = "NAME",
            description = "With --broker: the engine's user name there (it publishes plans, reads detector data).")
    String brokerUsername;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File whose first line is the password of --broker-username (keep it chmod 600).")
    Path brokerPasswordFile;

    @Option(names = "--field-username", paramLabel = "NAME",
            description = "With --broker: the simulated field devices' user name there (they publish detector data "
                    + "and read plans).")
    String fieldUsername;

    @Option(names = "--field-password-file", paramLabel = "FILE",
            description = "File whose first line is the password of --field-username (keep it chmod 600).")
    Path fieldPasswordFile;

    @Option(names = "--plan-key", paramLabel = "FILE",
            description = "With --via mqtt: the Ed25519 private key the engine signs its plans with (as serve's). "
                    + "Default: a key pair made for each run.")
    Path planKey;

    @Option(names = "--trusted-key", split = ",", paramLabel = "FILE",
            description = "With --plan-key: the public key(s) the field controllers take plans from (two during a "
                    + "key rotation). Default: the public key of --plan-key.")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--watchdog", paramLabel = "on|off",
            description = "Whether each signal's watchdog hands it back to its own program while adaptive control "
                    + "fails there (default on).")
    String watchdog = "on";

    @Option(names = "--sumo-arg", paramLabel = "ARG",
            description = "Extra argument passed to SUMO (repeatable), e.g. --sumo-arg=--scale --sumo-arg=1.2; an output "
                    + "file named by a relative path goes under each run's outputs/ folder.")
    List<String> sumoArgs = new ArrayList<>();

    @CommandLine.Mixin
    QueueModelOption queueModel = new QueueModelOption();

    @Option(names = "--dashboard",
            description = "Show one run live on the dashboard: greenwave's first (else the first controller's), at "
                    + "--pace; the other runs go at full speed beside it.")
    boolean dashboard;

    @CommandLine.Mixin
    WatchedRun.Options dashboardOptions = new WatchedRun.Options();

    static final class ControllerNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ControllerNames() {
            super(Policies.names());
        }
    }

    @Override
    public Integer call() throws Exception {
        dashboardOptions.check(spec.commandLine(), dashboard ? null : "--dashboard");
        Scenario s = scenario();
        PlanSigning signing = planSigning();
        BrokerAccess brokerAccess = brokerAccess();
        // The one place the transport is chosen; the study and its runs only see the choice.
        Transport transport = viaMqtt() ? Transport.mqtt(broker, signing, brokerAccess)
                : viaNtcip() ? Transport.ntcip(ntcipMode, "ntcip".equals(via))
                : "in-process-loops".equals(via) ? Transport.inProcessLoopsOnly() : Transport.inProcess();
        queueModel.load(spec.commandLine().getOut());
        List<RunSummary> runs;
        String report;
        try (WatchedRun watched = dashboard ? WatchedRun.start(spec.commandLine(), s, tls, dashboardOptions,
                WatchedRun.controller(controllers), seeds.values().get(0)) : null) {
            runs = runStudy(s, controllers, seeds.values(), out, tls, parallel, sumoArgs, transport,
                    watchdog.equals("on"), queueModel.engineSetup(), watched);
            report = report(s, runs, out) + (watched != null ? watched.wallTimeNote() : "");
        }
        queueModel.reportUse(spec.commandLine().getOut(), runs.size());
        java.nio.file.Files.writeString(out.resolve("comparison.md"), report);
        writeResults(out.resolve("results.csv"), runs);
        spec.commandLine().getOut().println(report);
        return 0;
    }

    Scenario scenario() {
        CommandLine cl = spec.commandLine();
        if ((scenario == null) == (net == null)) {
            throw new CommandLine.ParameterException(cl, "give either --scenario PATH or --net FILE (with --routes)");
        }
        if (net != null && routes.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--net " + net + " needs --routes FILE[,FILE...]: without "
                    + "route files no vehicle would be simulated");
        }
        if (scenario != null && !routes.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--routes goes with --net; the .sumocfg of --scenario names "
                    + "its own route files");
        }
        CliChecks.controllers(cl, controllers);
        if (!via.equals("in-process") && !via.equals("in-process-loops") && !via.equals("mqtt") && !viaNtcip()) {
            throw new CommandLine.ParameterException(cl, "--via must be in-process, in-process-loops, mqtt, ntcip or "
                    + "ntcip-loops, was '" + via + "'");
        }
        try {
            Transport.ntcip(ntcipMode, true);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--ntcip-mode: " + e.getMessage());
        }
        if (cl.getParseResult().hasMatchedOption("--ntcip-mode") && !viaNtcip()) {
            throw new CommandLine.ParameterException(cl, "--ntcip-mode needs --via ntcip or ntcip-loops");
        }
        if (viaNtcip()) {
            if (!cl.getParseResult().hasMatchedOption("--controller")) {
                // NTCIP controllers run the engine's plans or their own timing, never SUMO's programs.
                controllers = new ArrayList<>(controllers.stream()
                        .filter(c -> Policies.deviceProgramId(c, "") == null).toList());
            }
            for (String c : controllers) {
                if (Policies.deviceProgramId(c, "") != null) {
                    throw new CommandLine.ParameterException(cl, "--via " + via + " runs the engine's plans on NTCIP "
                            + "controllers; controller '" + c + "' runs SUMO's own signal program, which no NTCIP "
                            + "controller has: leave it out or run it in process");
                }
            }
        }
        if (broker != null && !viaMqtt()) {
            throw new CommandLine.ParameterException(cl, "--broker needs --via mqtt");
        }
        if (planKey != null && !viaMqtt()) {
            throw new CommandLine.ParameterException(cl, "--plan-key needs --via mqtt");
        }
        if (!trustedKeys.isEmpty() && planKey == null) {
            throw new CommandLine.ParameterException(cl, "--trusted-key needs --plan-key (without both, each run "
                    + "makes a key pair of its own)");
        }
        CliChecks.parallel(cl, parallel);
        if (!watchdog.equals("on") && !watchdog.equals("off")) {
            throw new CommandLine.ParameterException(cl, "--watchdog must be on or off, was '" + watchdog + "'");
        }
        Scenario s = scenario != null ? Scenario.load(scenario)
                : Scenario.of(net, routes, begin == null ? 0 : begin, (begin == null ? 0 : begin) + Scenario.DEFAULT_LENGTH_S);
        double b = begin != null ? begin : s.beginS();
        double e = end != null ? end : (begin != null && scenario != null ? b + (s.endS() - s.beginS()) : s.endS());
        if (!(e > b)) {
            throw new CommandLine.ParameterException(cl, "--end (" + e + ") must be after --begin (" + b + ")");
        }
        return new Scenario(s.name(), s.configFile(), s.netFile(), s.routeFiles(), s.additionalFiles(), b, e);
    }

    /** The keys of --plan-key and --trusted-key; null for a key pair per run. */
    private PlanSigning planSigning() {
        if (planKey == null) {
            return null;
        }
        try {
            return PlanSigning.read(planKey, trustedKeys);
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), (trustedKeys.isEmpty() ? "--plan-key "
                    : "--plan-key or --trusted-key ") + e.getMessage());
        }
    }

    /** How the engine and the field side log in to --broker. */
    private BrokerAccess brokerAccess() {
        CommandLine cl = spec.commandLine();
        boolean any = brokerCa != null || brokerCert != null || brokerKey != null || brokerUsername != null
                || brokerPasswordFile != null || fieldUsername != null || fieldPasswordFile != null;
        if (!any) {
            return BrokerAccess.ANONYMOUS;
        }
        if (broker == null) {
            throw new CommandLine.ParameterException(cl, "--broker-ca, --broker-cert, --broker-key, --broker-username, "
                    + "--field-username and their password files are for an external --broker (the embedded broker of "
                    + "--via mqtt needs none)");
        }
        if (brokerPasswordFile != null && brokerUsername == null || fieldPasswordFile != null && fieldUsername == null) {
            throw new CommandLine.ParameterException(cl, (brokerPasswordFile != null && brokerUsername == null
                    ? "--broker-password-file needs --broker-username" : "--field-password-file needs --field-username"));
        }
        char[] enginePassword = ServeConfig.password(cl, brokerPasswordFile, null, System::getenv, cl.getErr());
        char[] fieldPassword = ServeConfig.password(cl, fieldPasswordFile, null, System::getenv, cl.getErr());
        try {
            return BrokerAccess.of(brokerCa, brokerCert, brokerKey, brokerUsername, enginePassword, fieldUsername,
                    fieldPassword);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--broker-ca/--broker-cert/--broker-key: " + e.getMessage());
        }
    }

    private boolean viaMqtt() {
        return "mqtt".equals(via);
    }

    private boolean viaNtcip() {
        return "ntcip".equals(via) || "ntcip-loops".equals(via);
    }

    /** Runs every controller × seed; {@code watched}, when not null, is shown on the dashboard. */
    static List<RunSummary> runStudy(Scenario s, List<String> controllers, List<Long> seeds, Path out, List<String> tls,
                                     int parallel, List<String> sumoArgs, Transport transport, boolean watchdog,
                                     UnaryOperator<EngineContext> engineSetup, WatchedRun watched) throws Exception {
        Study study = new Study(s, controllers, seeds, out, tls, watched != null ? watched.parallel(parallel) : parallel,
                sumoArgs).engineSetups((controller, seed) -> ctx -> engineSetup.apply(ctx.watchdog(watchdog)));
        if (watched != null) {
            study.watch(watched.controller(), watched.seed(), watched.observer(), watched.engineSetup());
        }
        return study.transport(transport).run(System.err);
    }

    /** {@code results.csv}: one row per run with every KPI of its summary. */
    static void writeResults(Path file, List<RunSummary> runs) throws java.io.IOException {
        List<ResultsCsv.Row> rows = new ArrayList<>();
        for (RunSummary r : runs) {
            rows.add(new ResultsCsv.Row(r, List.of()));
        }
        ResultsCsv.write(file, List.of(), rows);
    }

    /**
     * What the field controllers did with the plans, per run (summary.json's {@code field}): shown for runs over MQTT,
     * and for any run whose controllers refused a plan or fell back; empty otherwise.
     */
    static String fieldFooter(List<RunSummary> runs) {
        boolean show = false;
        for (RunSummary r : runs) {
            show |= r.field() != null && (!r.transport().startsWith("in-process") || r.field().plansRefused() > 0
                    || r.field().fallbacksEntered() > 0);
        }
        if (!show) {
            return "";
        }
        StringBuilder b = new StringBuilder("\nField controllers (plans followed, refused by reason, fallbacks to "
                + "their own programs):\n");
        for (RunSummary r : runs) {
            org.greenwave.harness.kpi.FieldStats f = r.field();
            if (f == null) {
                continue;
            }
            String reasons = f.refusalsText();
            b.append(String.format(java.util.Locale.ROOT, "  %s seed %d: %d followed, %d refused%s; fell back %d "
                            + "time(s), %.0f signal-s without a valid plan%n", r.controllerLabel(), r.seed(),
                    f.plansAccepted(), f.plansRefused(), reasons.isEmpty() ? "" : " (" + reasons + ")",
                    f.fallbacksEntered(), f.fallbackS()));
        }
        return b.toString();
    }

    /** How a run's detectors and plans travelled, for the report's heading. */
    private static String transportText(String transport) {
        return switch (transport) {
            case "mqtt" -> "over MQTT";
            case "in-process-loops" -> "in process, loops only";
            case "ntcip" -> "over NTCIP (SNMPv3) to virtual controllers, cameras through their own feed";
            case "ntcip-loops" -> "over NTCIP (SNMPv3) to virtual controllers, loops only";
            case "ntcip-pattern" -> "over NTCIP (SNMPv3) to virtual controllers running the engine's patterns, cameras "
                    + "through their own feed";
            case "ntcip-pattern-loops" -> "over NTCIP (SNMPv3) to virtual controllers running the engine's patterns, "
                    + "loops only";
            default -> "in process";
        };
    }

    static String report(Scenario s, List<RunSummary> runs, Path out) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT,
                "%nScenario %s, %.0f-%.0f s, %d signal(s), detectors and plans %s; mean ± sd over seeds %s%n%n",
                s.name(), s.beginS(), s.endS(), runs.get(0).signals(),
                transportText(runs.get(0).transport()),
                runs.stream().map(r -> String.valueOf(r.seed())).distinct().toList()));
        b.append(ComparisonTable.render(runs));
        java.util.Map<String, Double> published = org.greenwave.harness.kpi.PublishedResults.forScenario(s.configFile(), s.name());
        if (!published.isEmpty()) {
            b.append("\nPublished average delay for ").append(s.name()).append(" (s): ");
            b.append(String.join(", ", published.entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format(java.util.Locale.ROOT, "%.2f", e.getValue())).toList()));
            b.append('\n');
        }
        b.append("\nDelay: mean of timeLoss + departDelay over every vehicle due in the window (RESCO definition);"
                + " bus delay: the same over the buses (vClass bus).\n");
        b.append("Person delay: walking time loss (incl. waiting at crossings) plus waiting for rides, per person who"
                + " arrived in the window. " + ComparisonTable.NONE
                + ": no run had any (no buses, or no person arrived).\n");
        b.append(fieldFooter(runs));
        b.append("Per-run output: ").append(out.toAbsolutePath()).append("/<controller>/seed-<n>/; every KPI per run: ")
                .append(out.toAbsolutePath().resolve("results.csv")).append('\n');
        return b.toString();
    }
}
