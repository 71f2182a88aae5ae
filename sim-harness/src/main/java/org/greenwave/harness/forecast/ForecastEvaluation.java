package org.greenwave.harness.forecast;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.harness.run.DetectorFailures;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.harness.run.SimulationRun;
import org.greenwave.harness.run.Transport;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * {@code greenwave forecast-eval}: measures the engine's queue estimates and predictions against SUMO's ground truth.
 *
 * <ol>
 *   <li>Training (when training seeds are given): runs the scenario under the controller with each training seed,
 *   captures the forecaster's per-lane features every tick and pairs them with the true queue 5, 15, 30 and 60 s
 *   later; trains the learned queue model on them with a fixed seed and saves it ({@code queue-model.zip}).</li>
 *   <li>Evaluation: runs each evaluation seed with the trained model (or the model-based predictor alone), with all
 *   detectors working and again with a share of them dead from the start, and records estimate, predictions and truth
 *   every second ({@link ForecastRecorder}).</li>
 *   <li>Report: MAE and RMSE per horizon for the forecast and for persistence ({@link ForecastErrors}), as
 *   {@code forecast.md}, {@code report.html} and {@code errors.json}.</li>
 * </ol>
 * Training and evaluation seeds must not overlap; the constructor refuses it.
 */
public final class ForecastEvaluation {
    private final Scenario scenario;
    private final String controller;
    private final List<Long> seeds;
    private final List<Long> trainSeeds;
    private final List<Long> validationSeeds;
    private final Path outDir;
    private final List<String> tls;
    private final int parallelism;
    private final double deadShare;
    private final long modelSeed;

    /**
     * What the evaluation found.
     *
     * @param scenario   the scenario's name
     * @param controller the controller that ran the signals
     * @param model      the model file trained, or null without training seeds
     * @param lanes      per evaluated lane key, the predictor it used (empty without a model)
     */
    public record Result(String scenario, String controller, List<ForecastReport.Condition> conditions,
                         String markdown, Path report, Path model, Map<String, QueueModel.LaneChoice> lanes) {
    }

    /**
     * @param trainSeeds      seeds of the runs the learned model is fitted on (none: the model-based predictor alone)
     * @param validationSeeds seeds of the runs its predictors are chosen on, per lane and horizon (none: the latest
     *                        part of the training runs' samples); only with training seeds
     * @param deadShare       share of detectors dead in the degraded condition (0 for none)
     * @param modelSeed       seed of the learned model's training
     * @throws IllegalArgumentException when two of the seed lists share a seed, the evaluation list is empty, or
     *                                  validation seeds come without training seeds
     */
    public ForecastEvaluation(Scenario scenario, String controller, List<Long> seeds, List<Long> trainSeeds,
                              List<Long> validationSeeds, Path outDir, List<String> tls, int parallelism,
                              double deadShare, long modelSeed) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("forecast-eval needs at least one evaluation seed");
        }
        if (!validationSeeds.isEmpty() && trainSeeds.isEmpty()) {
            throw new IllegalArgumentException("validation seeds choose among a trained model's predictors; "
                    + "give training seeds too");
        }
        disjoint(trainSeeds, "training", seeds, "evaluation");
        disjoint(validationSeeds, "validation", seeds, "evaluation");
        disjoint(validationSeeds, "validation", trainSeeds, "training");
        if (!(deadShare >= 0 && deadShare < 1)) {
            throw new IllegalArgumentException("dead detector share must be within 0..1, was " + deadShare);
        }
        this.scenario = scenario;
        this.controller = controller;
        this.seeds = List.copyOf(seeds);
        this.trainSeeds = List.copyOf(trainSeeds);
        this.validationSeeds = List.copyOf(validationSeeds);
        this.outDir = outDir;
        this.tls = List.copyOf(tls);
        this.parallelism = Math.max(1, parallelism);
        this.deadShare = deadShare;
        this.modelSeed = modelSeed;
    }

    private static void disjoint(List<Long> a, String aName, List<Long> b, String bName) {
        for (Long s : a) {
            if (b.contains(s)) {
                throw new IllegalArgumentException("seed " + s + " is among both the " + aName + " and the " + bName
                        + " seeds; they must not overlap");
            }
        }
    }

    /** Runs training, evaluation and the report; progress lines go to {@code log}. */
    public Result run(PrintStream log) throws Exception {
        Files.createDirectories(outDir);
        SumoNet net = SumoNet.read(scenario.netFile(), scenario.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        Path truthFile = outDir.resolve("truth.add.xml");
        ForecastRecorder.writeTruthDetectors(truthFile, net, signals);
        ForecastModels models = new ForecastModels();

        Path modelFile = null;
        QueueModel model = null;
        if (!trainSeeds.isEmpty()) {
            log.printf("%s %s: training × seeds %s%s%n", scenario.name(), controller, trainSeeds,
                    validationSeeds.isEmpty() ? "" : ", validation × seeds " + validationSeeds);
            List<Job> train = captureJobs(net, signals, truthFile, models, "train", trainSeeds);
            List<Job> validate = captureJobs(net, signals, truthFile, models, "validate", validationSeeds);
            List<Job> all = new ArrayList<>(train);
            all.addAll(validate);
            runAll(all, log);
            modelFile = outDir.resolve("queue-model.zip");
            String summary = models.train(train.stream().map(j -> j.capture).toList(),
                    train.stream().map(j -> j.recorder).toList(), validate.stream().map(j -> j.capture).toList(),
                    validate.stream().map(j -> j.recorder).toList(), signals, modelSeed, modelFile);
            log.println(summary);
            model = QueueModel.load(modelFile);
        }

        List<ForecastReport.Condition> conditions = new ArrayList<>();
        ForecastRecorder.LaneSeries example = null;
        List<ForecastRecorder.LaneSeries> evaluatedLanes = List.of();
        double[] shares = deadShare > 0 ? new double[]{0, deadShare} : new double[]{0};
        for (double share : shares) {
            String label = share == 0 ? "all working" : String.format(Locale.ROOT, "%.0f %% dead", share * 100);
            log.printf("%s %s: evaluation (%s) × seeds %s%n", scenario.name(), controller, label, seeds);
            List<Job> jobs = new ArrayList<>();
            for (long seed : seeds) {
                ForecastRecorder recorder = new ForecastRecorder(scenario.beginS(), scenario.endS());
                DetectorFailures failures = share == 0 ? DetectorFailures.none()
                        : new DetectorFailures(share, DetectorFailures.Mode.DEAD, seed, scenario.beginS());
                jobs.add(new Job(run(net, signals, truthFile, share == 0 ? "eval" : "eval-dead", seed, failures,
                        models.evaluationSetup(modelFile), recorder), recorder, null));
            }
            runAll(jobs, log);
            ForecastErrors errors = new ForecastErrors();
            for (Job j : jobs) {
                errors.add(j.recorder.lanes()).addTotals(j.recorder);
            }
            conditions.add(new ForecastReport.Condition(label, errors));
            if (example == null) {
                example = busiest(jobs.get(0).recorder.lanes());
                evaluatedLanes = jobs.get(0).recorder.lanes();
            }
        }
        Map<String, QueueModel.LaneChoice> lanes = new LinkedHashMap<>();
        if (model != null) {
            for (ForecastRecorder.LaneSeries ls : evaluatedLanes) {
                lanes.put(ls.key, model.choice(Features.laneKey(ls.intersectionId, ls.lane)));
            }
        }
        String markdown = ForecastReport.markdown(scenario.name(), controller, seeds, trainSeeds, conditions, lanes);
        Files.writeString(outDir.resolve("forecast.md"), markdown);
        ForecastReport.html(outDir, scenario.name(), markdown, conditions, example, scenario.beginS());
        writeJson(outDir.resolve("errors.json"), conditions);
        return new Result(scenario.name(), controller, conditions, markdown, outDir.resolve("report.html"), modelFile,
                lanes);
    }

    private record Job(SimulationRun run, ForecastRecorder recorder, ForecastModels.Capture capture) {
    }

    /** Runs that capture the forecaster's features beside the truth, all detectors working, into {@code phase}. */
    private List<Job> captureJobs(SumoNet net, List<ControlledIntersection> signals, Path truthFile,
                                  ForecastModels models, String phase, List<Long> phaseSeeds) {
        List<Job> jobs = new ArrayList<>();
        for (long seed : phaseSeeds) {
            ForecastRecorder recorder = new ForecastRecorder(scenario.beginS(), scenario.endS());
            ForecastModels.Capture capture = models.capture();
            jobs.add(new Job(run(net, signals, truthFile, phase, seed, DetectorFailures.none(),
                    models.trainingSetup(capture), recorder), recorder, capture));
        }
        return jobs;
    }

    private SimulationRun run(SumoNet net, List<ControlledIntersection> signals, Path truthFile, String phase,
                              long seed, DetectorFailures failures, UnaryOperator<EngineContext> setup,
                              ForecastRecorder recorder) {
        return new SimulationRun(scenario, net, signals, controller, seed,
                outDir.resolve(phase).resolve("seed-" + seed), List.of(), Transport.inProcess())
                .additionalFiles(List.of(truthFile)).detectorFailures(failures).engineSetup(setup)
                .observer(recorder);
    }

    private void runAll(List<Job> jobs, PrintStream log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, jobs.size()), r -> {
            Thread t = new Thread(r, "greenwave-forecast-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Job j : jobs) {
                futures.add(pool.submit(() -> {
                    j.run.run(f -> { });
                    log.printf("  done: %s%n", j.run.outDir());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof Exception ex ? ex : new IOException(c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The lane with the largest mean true queue: the one worth plotting. */
    private static ForecastRecorder.LaneSeries busiest(List<ForecastRecorder.LaneSeries> lanes) {
        ForecastRecorder.LaneSeries best = null;
        double bestMean = -1;
        for (ForecastRecorder.LaneSeries ls : lanes) {
            double sum = 0;
            for (float v : ls.truthVeh) {
                sum += Float.isNaN(v) ? 0 : v;
            }
            if (sum > bestMean) {
                bestMean = sum;
                best = ls;
            }
        }
        return best;
    }

    /** A number for JSON: NaN (nothing measured) as null. */
    private static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }

    private static void writeJson(Path file, List<ForecastReport.Condition> conditions) throws IOException {
        StringBuilder b = new StringBuilder("{\"conditions\":[");
        for (int c = 0; c < conditions.size(); c++) {
            ForecastErrors e = conditions.get(c).errors();
            b.append(c == 0 ? "" : ",").append("{\"label\":\"").append(conditions.get(c).label()).append("\",\"horizons\":[");
            int[] hs = e.horizonsS();
            for (int h = 0; h < hs.length; h++) {
                b.append(h == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"horizonS\":%d,\"mae\":%.4f,\"rmse\":%.4f,\"persistenceMae\":%.4f,\"persistenceRmse\":%.4f,"
                                + "\"samples\":%d}", hs[h], e.mae(h), e.rmse(h), e.persistenceMae(h),
                        e.persistenceRmse(h), e.samples(h)));
            }
            b.append("],\"totals\":[");
            for (int h = 1; h < hs.length; h++) {
                b.append(h == 1 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"horizonS\":%d,\"mae\":%s,\"persistenceMae\":%s,\"bandCoverage\":%s,\"samples\":%d}",
                        hs[h], json(e.totalMae(h)), json(e.totalPersistenceMae(h)), json(e.totalCoverage(h)),
                        e.totalSamples(h)));
            }
            b.append(String.format(Locale.ROOT, "],\"delay\":{\"maeVehS\":%s,\"meanVehS\":%s,\"bandCoverage\":%s}}",
                    json(e.delayMaeVehS()), json(e.meanDelayVehS()), json(e.delayCoverage())));
        }
        b.append("]}\n");
        Files.writeString(file, b.toString());
    }
}
