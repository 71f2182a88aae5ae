package org.greenwave.harness.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.forecast.learn.FlowProfiles;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.learn.Sample;
import org.greenwave.forecast.learn.TrainingSet;
import org.greenwave.forecast.online.QueueForecasterFactory;

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
                 List<ForecastRecorder> validationTruths, long seed, Path modelFile) throws IOException {
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
        model.save(modelFile);
        return String.format(Locale.ROOT, "trained on %d samples (seed %d), predictors chosen on %d %s samples: %s; "
                + "saved to %s", samples.size(), seed, model.validationSamples(),
                validation.isEmpty() ? "held-out training" : "validation-run", model.choiceCounts(), modelFile);
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
