package org.greenwave.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.suite.Suite;
import org.greenwave.harness.suite.SuiteScenarios;
import org.greenwave.harness.suite.SuiteTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave suite}: every controller × seed on many scenarios, in one table. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        header = "Runs the controllers on a suite of SUMO scenarios and writes one comparison table.",
        description = {"Runs the controllers on a suite of SUMO scenarios and writes one table: per scenario the delay "
                + "of each controller, Greenwave's ratio to the best baseline, the longest wait, the share waiting "
                + "over 300 s, throughput, starvation, gridlock and safety counts.",
            "Default set: ../shared/scenarios (RESCO and external), the project's own scenarios and the "
                    + "generated corpus (built into <out>/corpus/ when missing). Writes <out>/suite.md, suite.csv and "
                    + "suite.html."})
public final class SuiteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--scenario", "--scenarios"}, split = ",", paramLabel = "PATH",
            description = "Folders to search for scenarios (each folder below holding one .sumocfg is one), or "
                    + ".sumocfg files, instead of the default set.")
    List<Path> roots = new ArrayList<>();

    @Option(names = "--corpus", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Include the generated corpus (default: yes, unless --scenarios names the set).")
    boolean corpus;

    @Option(names = {"--controller", "--controllers"}, split = ",", paramLabel = "NAME",
            description = "Controllers: ${COMPLETION-CANDIDATES}. Default: greenwave,device,actuated,max-pressure.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    List<String> controllers = new ArrayList<>(Policies.DEFAULT_COMPARISON);

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = Seeds.FORM + ". Default: 1,2,3.")
    Seeds seeds = Seeds.of(1, 2, 3);

    @Option(names = "--window", paramLabel = "S",
            description = "Simulate only the first S seconds of each scenario (default: its whole window).")
    Double windowS;

    @Option(names = "--watchdog", paramLabel = "on|off|both",
            description = "The signals' watchdogs: on, off, or both (greenwave once more without them, as "
                    + "greenwave" + Suite.NO_WATCHDOG_SUFFIX + "). Default: both.")
    String watchdog = "both";

    @Option(names = "--parallel", paramLabel = "N", description = "SUMO processes at once. Default: the number of cores.")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-suite.")
    Path out = Path.of("greenwave-suite");

    @Option(names = "--sumo-arg", paramLabel = "ARG", description = "Extra argument passed to SUMO (repeatable); an "
            + "output file named by a relative path goes under each run's outputs/ folder.")
    List<String> sumoArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        CliChecks.controllers(cl, controllers);
        if (windowS != null && !(windowS > 0)) {
            throw new CommandLine.ParameterException(cl, "--window must be more than 0 s, was " + windowS);
        }
        CliChecks.parallel(cl, parallel);
        Suite.Watchdog wd;
        switch (watchdog) {
            case "on" -> wd = Suite.Watchdog.ON;
            case "off" -> wd = Suite.Watchdog.OFF;
            case "both" -> wd = Suite.Watchdog.BOTH;
            default -> throw new CommandLine.ParameterException(cl, "--watchdog must be on, off or both, was '"
                    + watchdog + "'");
        }
        Files.createDirectories(out);
        List<SuiteScenarios.Root> set = roots.isEmpty() ? defaultRoots(cl) : namedRoots();
        List<SuiteScenarios.Entry> scenarios = SuiteScenarios.find(set);
        long startNs = System.nanoTime();
        List<Suite.Result> results = new Suite(scenarios, controllers, seeds.values(), out,
                windowS == null ? Double.NaN : windowS, parallel, sumoArgs, wd).run(System.err);
        double wallS = (System.nanoTime() - startNs) / 1e9;
        List<SuiteTable.Row> rows = SuiteTable.rows(results);
        String header = String.format(Locale.ROOT, "# Scenario suite%n%nControllers %s; seeds %s; %s; watchdog %s; "
                        + "%d scenarios; %.0f s on %d SUMO processes at once.%n%nDelay: mean of timeLoss + departDelay "
                        + "over every vehicle due in the window (RESCO definition). Best baseline: the controller other "
                        + "than greenwave with the least mean delay; ratio = greenwave's mean over it. Max wait: the "
                        + "longest waitingTime of any vehicle; starvation and gridlock as docs/suite.md defines them.%n",
                String.join(",", controllers), seeds, windowS == null ? "each scenario's own window"
                        : String.format(Locale.ROOT, "the first %.0f s of each scenario", windowS), watchdog,
                scenarios.size(), wallS, parallel);
        Files.writeString(out.resolve("suite.md"), SuiteTable.markdown(rows, header));
        Files.writeString(out.resolve("suite.csv"), SuiteTable.csv(rows));
        Files.writeString(out.resolve("suite.html"), SuiteTable.html(rows, "Greenwave scenario suite", header));
        cl.getOut().println(SuiteTable.markdown(rows, header));
        cl.getOut().println("Written: " + out.resolve("suite.md") + ", " + out.resolve("suite.csv") + ", "
                + out.resolve("suite.html"));
        return results.stream().anyMatch(Suite.Result::failed) ? 1 : 0;
    }

    private List<SuiteScenarios.Root> namedRoots() throws IOException, InterruptedException {
        List<SuiteScenarios.Root> set = new ArrayList<>();
        for (Path p : roots) {
            String label = p.toAbsolutePath().normalize().getFileName().toString().replaceFirst("\\.sumocfg$", "");
            set.add(new SuiteScenarios.Root(label, p));
        }
        if (corpus && spec.commandLine().getParseResult().hasMatchedOption("--corpus")) {
            set.add(new SuiteScenarios.Root("corpus", corpus()));
        }
        return set;
    }

    /** ../shared/scenarios (RESCO, external), the project's own scenarios, and the generated corpus. */
    private List<SuiteScenarios.Root> defaultRoots(CommandLine cl) throws IOException, InterruptedException {
        Path home = Main.home();
        Path shared = home.resolveSibling("shared").resolve("scenarios");
        List<SuiteScenarios.Root> set = new ArrayList<>();
        for (String part : List.of("resco", "external")) {
            Path dir = shared.resolve(part);
            if (Files.isDirectory(dir)) {
                set.add(new SuiteScenarios.Root(part, dir));
            } else {
                cl.getErr().println("greenwave suite: " + dir + " not found; the suite runs without it");
            }
        }
        set.add(new SuiteScenarios.Root("own/intersection", home.resolve("scenarios/intersection")));
        set.add(new SuiteScenarios.Root("own/corridor", home.resolve("scenarios/corridor")));
        if (corpus) {
            set.add(new SuiteScenarios.Root("corpus", corpus()));
        }
        return set;
    }

    /** The generated corpus under {@code <out>/corpus/}, built with {@code scenarios/corpus/generate.sh} if missing. */
    private Path corpus() throws IOException, InterruptedException {
        Path dir = out.resolve("corpus").toAbsolutePath();
        Path script = Main.home().resolve("scenarios/corpus/generate.sh");
        if (!Files.isRegularFile(script)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the corpus generator " + script
                    + " is missing; run with --no-corpus to leave the corpus out");
        }
        List<String> names = new ProcessBuilder(script.toString(), "--list").redirectErrorStream(true).start()
                .inputReader().lines().toList();
        boolean complete = names.stream().allMatch(n -> Files.isDirectory(dir.resolve(n)));
        if (!complete) {
            spec.commandLine().getErr().println("greenwave suite: building the generated corpus into " + dir);
            Path log = out.resolve("corpus-build.log");
            Process p = new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (p.waitFor() != 0) {
                throw new IOException(script + " failed with exit code " + p.exitValue() + "; its output is in " + log);
            }
        }
        return dir;
    }
}
