package org.greenwave.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.run.DetectorFailures;
import org.greenwave.harness.whatif.Provenance;
import org.greenwave.harness.whatif.WhatIfStudy;
import org.greenwave.harness.whatif.WhatIfSummary;
import org.greenwave.netimport.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave whatif}: controllers × demand × detector failures × seeds, with a report for decision makers. */
@Command(name = "whatif", mixinStandardHelpOptions = true,
        header = "Runs a what-if study (controllers, demand, detector failures, seeds) and writes a report to hand on.",
        description = {"Runs a grid of SUMO runs (controllers × demand factors × detector-failure shares × seeds) and "
                + "writes <out>/report.html and <out>/results.csv, and prints the headline table.",
            "The report is self-contained: a summary of the headline numbers, a drawing of the study area, "
                    + "delay against demand in veh/h with 95 %% confidence intervals over seeds, the per-vehicle delay "
                    + "distribution, the queue over time at the worst intersection, the results table, and the date, "
                    + "versions and command that made it. Where the scenario has pedestrians or buses, the summary, "
                    + "the headline table and the results table also give the delay per person and per bus."})
public final class WhatIfCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one.")
    Path scenario;

    @Option(names = {"--controller", "--controllers"}, split = ",", paramLabel = "NAME",
            description = "Controllers: ${COMPLETION-CANDIDATES}. Default: greenwave,device,actuated,max-pressure.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    List<String> controllers = new ArrayList<>(Policies.DEFAULT_COMPARISON);

    @Option(names = "--demand", split = ",", paramLabel = "FACTOR",
            description = "Demand factors (SUMO --scale). Default: 0.8,1.0,1.2.")
    List<Double> demands = new ArrayList<>(List.of(0.8, 1.0, 1.2));

    @Option(names = "--detector-failure", split = ",", paramLabel = "SHARE",
            description = "Shares of detectors failed from the start, 0..1. Default: 0,0.2.")
    List<Double> failures = new ArrayList<>(List.of(0.0, 0.2));

    @Option(names = "--failure-mode", paramLabel = "MODE",
            description = "How failed detectors behave: dead (stop reporting), stuck (report occupied for ever) or "
                    + "mixed. Default: dead.")
    String failureMode = "dead";

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = Seeds.FORM + ". Default: 1,2,3; one number is one seed, as in every command.")
    Seeds seeds = Seeds.of(1, 2, 3);

    @Option(names = "--tls", split = ",", paramLabel = "ID", description = "Only these traffic lights (default: all).")
    List<String> tls = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "SUMO processes at once. Default: the number of cores.")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-whatif.")
    Path out = Path.of("greenwave-whatif");

    @CommandLine.Mixin
    QueueModelOption queueModel = new QueueModelOption();

    @Option(names = "--dashboard",
            description = "Show one run live on the dashboard: greenwave's first (else the first controller's; first "
                    + "demand, failure share and seed), at --pace; the other runs go at full speed beside it.")
    boolean dashboard;

    @CommandLine.Mixin
    WatchedRun.Options dashboardOptions = new WatchedRun.Options();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        CliChecks.controllers(cl, controllers);
        CliChecks.parallel(cl, parallel);
        DetectorFailures.Mode mode;
        try {
            mode = DetectorFailures.Mode.parse(failureMode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--failure-mode: " + e.getMessage());
        }
        List<Long> seedList = seeds.values();
        dashboardOptions.check(cl, dashboard ? null : "--dashboard");
        Scenario s = Scenario.load(scenario);
        queueModel.load(cl.getOut());
        WhatIfStudy study;
        try {
            study = new WhatIfStudy(s, controllers, demands, failures, seedList, mode, out, tls,
                    dashboard ? dashboardOptions.parallel(parallel) : parallel)
                    .provenance(new Provenance(Instant.now(), Main.version(),
                            Main.commandLine(cl.getParseResult().originalArgs())));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        int runs = controllers.size() * demands.size() * failures.size() * seedList.size();
        cl.getOut().printf(Locale.ROOT, "What-if on %s: %d runs (%d controllers × %d demands × %d failure shares × %d "
                + "seeds), %d at once.%n", s.name(), runs, controllers.size(), demands.size(), failures.size(),
                seedList.size(), Math.min(parallel, runs));
        List<WhatIfStudy.Cell> cells;
        try (WatchedRun watched = dashboard ? WatchedRun.start(cl, s, tls, dashboardOptions,
                WatchedRun.controller(controllers), seedList.get(0), String.format(Locale.ROOT,
                        "demand %s, detector failure %s", demands.get(0), failures.get(0))) : null) {
            if (watched != null) {
                study.watch(watched.controller(), watched.observer(), watched.engineSetup());
            }
            cells = study.engineSetup(queueModel.engineSetup()).run(System.err);
        }
        queueModel.reportUse(cl.getOut(), runs);
        cl.getOut().println();
        cl.getOut().print(WhatIfSummary.of(s.name(), controllers, demands, failures, cells).table());
        cl.getOut().println();
        cl.getOut().println("Report: " + out.resolve("report.html").toAbsolutePath());
        cl.getOut().println("Results: " + out.resolve("results.csv").toAbsolutePath());
        return 0;
    }
}
