package org.greenwave.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.forecast.ForecastErrors;
import org.greenwave.harness.forecast.ForecastEvaluation;
import org.greenwave.harness.forecast.ForecastSummary;
import org.greenwave.netimport.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave forecast-eval}: the engine's queue estimates and predictions against SUMO's ground truth. */
@Command(name = "forecast-eval", mixinStandardHelpOptions = true,
        header = "Measures the engine's queue estimates and predictions against SUMO's ground truth and persistence.",
        description = {"Runs each SUMO scenario under each controller, records the engine's queue estimates and "
                + "predictions (0, 5, 15, 30, 60 s) beside SUMO's ground truth, and reports MAE and RMSE per horizon "
                + "against persistence; again with a share of the detectors dead. With --train-seeds, first trains "
                + "the learned queue model on those seeds and chooses, per lane and horizon, between persistence, "
                + "the model-based and the learned prediction on the --validation-seeds runs.",
            "Writes <out>/summary.md (every scenario, controller and horizon), <out>/lanes.csv (per lane and "
                + "horizon: the predictor used and its error) and, per scenario and controller, "
                + "<out>/<scenario>/<controller>/forecast.md, report.html, errors.json and queue-model.zip."})
public final class ForecastEvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--scenario", "--scenarios"}, required = true, split = ",", paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one; several separated by commas or the "
                    + "option repeated.")
    List<Path> scenarios;

    @Option(names = {"--controller", "--controllers"}, split = ",", paramLabel = "NAME",
            description = "Controllers running the signals, each evaluated (and trained) on its own: "
                    + "${COMPLETION-CANDIDATES}. Default: actuated.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    List<String> controllers = new ArrayList<>(List.of(Policies.ACTUATED));

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = "Evaluation seeds: exact seeds (1,2,3), a range (1-3) or both (1-3,7). Default: 1,2,3.")
    Seeds seeds = Seeds.of(1, 2, 3);

    @Option(names = "--train-seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = "Training seeds for the learned model, in the form of --seeds (none: the model-based "
                    + "predictor alone).")
    Seeds trainSeeds = Seeds.of();

    @Option(names = "--validation-seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = "Seeds of the runs on which each lane's predictor is chosen per horizon, in the form of "
                    + "--seeds; distinct from the training and evaluation seeds. Default: none (the latest fifth of "
                    + "the training samples are held out for it).")
    Seeds validationSeeds = Seeds.of();

    @Option(names = "--window", paramLabel = "S",
            description = "Simulate only the first S seconds of each scenario (default: its whole window).")
    Double windowS;

    @Option(names = {"--detector-failure", "--dead-detectors"}, paramLabel = "SHARE",
            description = "Share of detectors dead in the degraded evaluation, 0 for none. Default: 0.2.")
    double deadShare = 0.2;

    @Option(names = "--model-seed", paramLabel = "N", description = "Seed of the model training. Default: 42.")
    long modelSeed = 42;

    @Option(names = "--tls", split = ",", paramLabel = "ID", description = "Only these traffic lights (default: all).")
    List<String> tls = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "SUMO processes at once. Default: the number of cores.")
    int parallel = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-forecast.")
    Path out = Path.of("greenwave-forecast");

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        CliChecks.controllers(cl, controllers);
        CliChecks.parallel(cl, parallel);
        if (windowS != null && !(windowS > ForecastErrors.WARM_UP_S + 60 && Double.isFinite(windowS))) {
            throw new CommandLine.ParameterException(cl, "--window must be more than " + (ForecastErrors.WARM_UP_S + 60)
                    + " s (the first " + ForecastErrors.WARM_UP_S + " s are not evaluated), was " + windowS);
        }
        if (!validationSeeds.values().isEmpty() && trainSeeds.values().isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--validation-seeds needs --train-seeds: they choose among "
                    + "a trained model's predictors");
        }
        List<Scenario> loaded = new ArrayList<>();
        for (Path p : scenarios) {
            Scenario s = Scenario.load(p);
            loaded.add(windowS == null ? s : s.firstSeconds(windowS));
        }
        List<String> names = folderNames(loaded);
        List<ForecastEvaluation.Result> results = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            for (String controller : controllers) {
                Path dir = out.resolve(names.get(i)).resolve(controller);
                results.add(new ForecastEvaluation(loaded.get(i).named(names.get(i)), controller, seeds.values(),
                        trainSeeds.values(), validationSeeds.values(), dir, tls, parallel, deadShare, modelSeed)
                        .run(System.err));
            }
        }
        String header = String.format(Locale.ROOT, "# Queue forecast against persistence%n%nEvaluation seeds %s, "
                        + "training seeds %s, validation seeds %s; %s. Errors per lane, vehicles; lanes worse: "
                        + "evaluated lanes whose MAE exceeds persistence's by more than %.3f veh.", seeds,
                trainSeeds.values().isEmpty() ? "none" : trainSeeds,
                validationSeeds.values().isEmpty() ? "none" : validationSeeds,
                windowS == null ? "each scenario's own window"
                        : String.format(Locale.ROOT, "the first %.0f s of each scenario", windowS),
                ForecastSummary.WORSE_TOLERANCE_VEH);
        String summary = ForecastSummary.markdown(results, header);
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.md"), summary);
        Files.writeString(out.resolve("lanes.csv"), ForecastSummary.lanesCsv(results));
        cl.getOut().println(summary);
        cl.getOut().println("Written: " + out.resolve("summary.md") + ", " + out.resolve("lanes.csv")
                + "; per scenario and controller: " + out.resolve("<scenario>").resolve("<controller>")
                .resolve("report.html"));
        return 0;
    }

    /**
     * A name per scenario for its output folder and the tables: the folder holding its configuration (the
     * configuration's own name is often just "run"); a repeated name gets "-2", "-3" ….
     */
    static List<String> folderNames(List<Scenario> scenarios) {
        List<String> names = new ArrayList<>();
        for (Scenario s : scenarios) {
            Path folder = s.configFile() == null ? null : s.configFile().getParent();
            String base = folder == null || folder.getFileName() == null ? s.name() : folder.getFileName().toString();
            String name = base;
            for (int k = 2; names.contains(name); k++) {
                name = base + "-" + k;
            }
            names.add(name);
        }
        return names;
    }
}
