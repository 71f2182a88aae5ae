package org.greenwave.harness.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.FlowProfiles;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.learn.Sample;
import org.greenwave.forecast.learn.TrainingSet;
import org.greenwave.forecast.online.QueueForecasterFactory;
import org.greenwave.netimport.ControlledIntersection;

/**
 * Binds the forecast module to evaluation runs: the forecaster of a training run captures its features, the one of an
 * evaluation run uses the trained model; training pairs the captured features with the recorded ground truth.
 */
final class ForecastModels {
    /**
     * Every how many seconds a lane's features become a training sample: consecutive seconds are nearly the same
     * example, and fewer samples keep training to seconds.
     */
    static final int SAMPLE_EVERY_S = 3;

    /** What one training run captured: its features, and the factory whose flow profiles it learned. */
    static final class Capture {
        final TrainingSet set = new TrainingSet();
        QueueForecasterFactory factory;
    }

    Capture capture() {
        return new Capture();
    }

    /** The engine of a training run: the forecast module's forecaster, capturing into {@code capture}. */
    UnaryOperator<EngineContext> trainingSetup(Capture capture) {
        return ctx -> {
            capture.factory = new QueueForecasterFactory(new QueueForecasterFactory.Config(), null, capture.set);
            return ctx.forecasterFactory(capture.factory);
        };
    }

    /** The engine of an evaluation run: the forecaster with the model in {@code modelFile}, or model-based alone. */
    UnaryOperator<EngineContext> evaluationSetup(Path modelFile) throws IOException {
        QueueModel model = modelFile == null ? null : QueueModel.load(modelFile);
        return ctx -> ctx.forecasterFactory(QueueForecasterFactory.withModel(model));
    }

    /**
     * Pairs every capture with its run's ground truth, trains the model on the training runs with {@code seed},
     * chooses its predictors per lane and horizon on the validation runs (or, with none, on the latest part of the
     * training samples), saves it with the flow profiles the training runs learned.
     *
     * @return a line describing the model
     */
    String train(List<Capture> captures, List<ForecastRecorder> truths, List<Capture> validationCaptures,
                 List<ForecastRecorder> validationTruths, List<ControlledIntersection> signals, long seed,
                 Path modelFile) throws IOException {
        List<Sample> samples = samples(captures, truths);
        List<Sample> validation = samples(validationCaptures, validationTruths);
        FlowProfiles profiles = null;
        for (Capture c : captures) {
            profiles = c.factory.flowProfiles();
        }
        QueueModel model = QueueModel.train(samples, validation, seed);
        if (profiles != null) {
            model = model.withProfiles(profiles);
        }
        String bandNote = "no bands (they are calibrated on validation runs)";
        if (!validation.isEmpty()) {
            PredictionBands.Calibrator calibrator = new PredictionBands.Calibrator();
            calibrate(model, validationCaptures, validationTruths, signals, calibrator);
            model = model.withBands(calibrator.build(BAND_LOW_QUANTILE, BAND_HIGH_QUANTILE));
            bandNote = String.format(Locale.ROOT, "bands calibrated on %d intersection totals",
                    calibrator.samples(PredictionBands.INTERSECTION, 0));
        }
        model.save(modelFile);
        return String.format(Locale.ROOT, "trained on %d samples (seed %d), predictors chosen on %d %s samples: %s; "
                + "%s; saved to %s", samples.size(), seed, model.validationSamples(),
                validation.isEmpty() ? "held-out training" : "validation-run", model.choiceCounts(), bandNote,
                modelFile);
    }

    /** The bands' quantiles: the band is meant to hold the truth 80 % of the time. */
    static final double BAND_LOW_QUANTILE = 0.1;
    static final double BAND_HIGH_QUANTILE = 0.9;

    /**
     * Feeds {@code calibrator} the residuals of the intersections' and approaches' totals on the validation runs, as
     * the trained model predicts them: per captured second and lane, the lane's chosen predictor at each horizon
     * (persistence, the roll-out, or the learned correction) from the features the forecaster captured, summed over
     * the intersection's (approach's) captured lanes, against the sum of their true queues at t + h. The delay over the
     * next minute is the predicted total interpolated linearly between the estimate and the horizons, summed over
     * seconds 1..60, against the true total summed over the same seconds. A second where a lane's truth is unknown is
     * left out of that horizon. Only the lanes the evaluation records count, as in the engine's totals (the lanes with
     * detectors).
     */
    static void calibrate(QueueModel model, List<Capture> captures, List<ForecastRecorder> truths,
                          List<ControlledIntersection> signals, PredictionBands.Calibrator calibrator) {
        Map<String, IntersectionModel> models = new HashMap<>();
        for (ControlledIntersection ci : signals) {
            models.put(ci.id(), ci.model());
        }
        int hc = Features.HORIZON_COUNT;
        int minute = IntersectionState.HORIZON_S;
        double[] learned = new double[hc];
        QueueModel.Evaluator evaluator = model.evaluator();
        for (int r = 0; r < captures.size(); r++) {
            ForecastRecorder truth = truths.get(r);
            java.util.Set<String> recorded = new java.util.HashSet<>();
            for (ForecastRecorder.LaneSeries ls : truth.lanes()) {
                recorded.add(Features.laneKey(ls.intersectionId, ls.lane));
            }
            // Per intersection and time: [group][0 = estimate, 1.. = horizons] predicted, truth at the horizons.
            Map<String, Map<Long, double[][]>> byTime = new HashMap<>();
            Map<String, float[][]> truthByGroup = new HashMap<>();
            for (Sample s : captures.get(r).set.samples()) {
                long t = Math.round(s.nowS() - truth.beginS());
                if (t < ForecastErrors.WARM_UP_S || t % SAMPLE_EVERY_S != 0) {
                    continue;
                }
                IntersectionModel m = models.get(s.intersectionId());
                if (m == null || m.incomingLaneApproach(s.lane()) < 0 || !recorded.contains(s.laneKey())) {
                    continue;
                }
                int groups = 1 + m.approachCount();
                double[][] acc = byTime.computeIfAbsent(s.intersectionId(), k -> new HashMap<>())
                        .computeIfAbsent(t, k -> new double[groups][2 * (hc + 1)]);
                double[] f = s.features();
                evaluator.predict(f, learned);
                QueueModel.LaneChoice choice = model.choice(s.laneKey());
                int[] targets = {0, 1 + m.incomingLaneApproach(s.lane())};
                for (int g : targets) {
                    acc[g][0] += f[Features.QUEUE_VEH];
                    for (int h = 0; h < hc; h++) {
                        double p = switch (choice.predictor(h)) {
                            case PERSISTENCE -> f[Features.QUEUE_VEH];
                            case MODEL -> Math.max(0, f[Features.modelQueueFeature(h)]);
                            case LEARNED -> learned[h];
                        };
                        acc[g][1 + h] += p;
                        double y = s.queueAtHorizonVeh()[h];
                        acc[g][hc + 2 + h] += y;
                    }
                }
            }
            for (ForecastRecorder.LaneSeries ls : truth.lanes()) {
                IntersectionModel m = models.get(ls.intersectionId);
                if (m == null || m.incomingLaneApproach(ls.lane) < 0) {
                    continue;
                }
                float[][] tg = truthByGroup.computeIfAbsent(ls.intersectionId,
                        k -> new float[1 + m.approachCount()][truth.seconds()]);
                int[] targets = {0, 1 + m.incomingLaneApproach(ls.lane)};
                for (int g : targets) {
                    for (int t = 0; t < truth.seconds(); t++) {
                        tg[g][t] += ls.truthVeh[t];
                    }
                }
            }
            for (Map.Entry<String, Map<Long, double[][]>> e : byTime.entrySet()) {
                float[][] tg = truthByGroup.get(e.getKey());
                for (Map.Entry<Long, double[][]> at : e.getValue().entrySet()) {
                    int t = (int) (long) at.getKey();
                    double[][] acc = at.getValue();
                    for (int g = 0; g < acc.length; g++) {
                        int scope = g == 0 ? PredictionBands.INTERSECTION : PredictionBands.APPROACH;
                        for (int h = 0; h < hc; h++) {
                            calibrator.add(scope, h, acc[g][1 + h], acc[g][hc + 2 + h]);
                        }
                        if (tg == null || t + minute >= tg[g].length) {
                            continue;
                        }
                        double trueDelay = 0;
                        for (int s = 1; s <= minute; s++) {
                            trueDelay += tg[g][t + s];
                        }
                        calibrator.add(scope, PredictionBands.SLOT_DELAY, interpolatedDelay(acc[g]), trueDelay);
                    }
                }
            }
        }
    }

    /**
     * Σ over seconds 1..60 of the total queue interpolated linearly between the estimate ({@code acc[0]}) and the
     * horizons' predictions ({@code acc[1..]}), vehicle-seconds.
     */
    static double interpolatedDelay(double[] acc) {
        double sum = 0;
        int prevS = 0;
        double prev = acc[0];
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            int hs = Features.horizonS(h);
            double v = acc[1 + h];
            for (int s = prevS + 1; s <= hs; s++) {
                sum += prev + (v - prev) * (s - prevS) / (hs - prevS);
            }
            prevS = hs;
            prev = v;
        }
        return sum;
    }

    /** The samples of the runs, each paired with its run's true queue, every {@link #SAMPLE_EVERY_S} after warm-up. */
    private static List<Sample> samples(List<Capture> captures, List<ForecastRecorder> truths) {
        List<Sample> samples = new ArrayList<>();
        for (int r = 0; r < captures.size(); r++) {
            Capture c = captures.get(r);
            ForecastRecorder truth = truths.get(r);
            for (ForecastRecorder.LaneSeries ls : truth.lanes()) {
                for (int t = 0; t < ls.truthVeh.length; t++) {
                    if (!Float.isNaN(ls.truthVeh[t])) {
                        c.set.trueQueue(ls.intersectionId, ls.lane, truth.beginS() + t, ls.truthVeh[t]);
                    }
                }
            }
            for (Sample s : c.set.samples()) {
                long t = Math.round(s.nowS() - truth.beginS());
                if (t >= ForecastErrors.WARM_UP_S && t % SAMPLE_EVERY_S == 0) {
                    samples.add(s);
                }
            }
        }
        return samples;
    }
}
