package org.greenwave.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.forecast.ForecastEvaluation;
import org.greenwave.harness.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave forecast-eval}: the engine's queue estimates and predictions against SUMO's ground truth. */
@Command(name = "forecast-eval", mixinStandardHelpOptions = true,
        header = "Measures the engine's queue estimates and predictions against SUMO's ground truth and persistence.",
        description = {"Runs a SUMO scenario, records the engine's queue estimates and predictions (0, 5, 15, 30, 60 s) "
                + "beside SUMO's ground truth, and reports MAE and RMSE per horizon against persistence; again "
                + "with a share of the detectors dead. With --train-seeds, first trains the learned queue model on "
                + "those seeds.",
            "Writes <out>/forecast.md, report.html, errors.json and queue-model.zip."})
public final class ForecastEvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one.")
    Path scenario;

    @Option(names = {"--controller", "--controllers"}, paramLabel = "NAME",
            description = "Controller running the signals: ${COMPLETION-CANDIDATES}. Default: actuated.",
            completionCandidates = SimulateCommand.ControllerNames.class)
    String controller = Policies.ACTUATED;

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = "Evaluation seeds: exact seeds (1,2,3), a range (1-3) or both (1-3,7). Default: 1,2,3.")
    Seeds seeds = Seeds.of(1, 2, 3);

    @Option(names = "--train-seeds", paramLabel = "LIST", converter = Seeds.Converter.class,
            description = "Training seeds for the learned model, in the form of --seeds (none: the model-based "
                    + "predictor alone).")
    Seeds trainSeeds = Seeds.of();

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
        if (!Policies.names().contains(controller)) {
            throw new CommandLine.ParameterException(cl, "unknown controller '" + controller + "'; known: "
                    + String.join(", ", Policies.names()));
        }
        if (parallel < 1) {
            throw new CommandLine.ParameterException(cl, "--parallel must be at least 1, was " + parallel);
        }
        Scenario s = Scenario.load(scenario);
        ForecastEvaluation.Result r = new ForecastEvaluation(s, controller, seeds.values(), trainSeeds.values(), out, tls, parallel,
                deadShare, modelSeed).run(System.err);
        cl.getOut().println(r.markdown());
        cl.getOut().println("Report: " + r.report().toAbsolutePath());
        return 0;
    }
}
