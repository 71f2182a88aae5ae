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
     * Pairs every capture with its run's ground truth, trains the model with {@code seed}, saves it with the flow
     * profiles the training runs learned.
     *
     * @return a line describing the model
     */
    String train(List<Capture> captures, List<ForecastRecorder> truths, long seed, Path modelFile) throws IOException {
        List<Sample> samples = new ArrayList<>();
        FlowProfiles profiles = null;
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
            profiles = c.factory.flowProfiles();
        }
        QueueModel model = QueueModel.train(samples, seed);
        if (profiles != null) {
            model = model.withProfiles(profiles);
        }
        model.save(modelFile);
        long learned = model.laneChoices().values().stream().filter(QueueModel.LaneChoice::learned).count();
        return String.format(Locale.ROOT, "trained on %d samples (seed %d): learned predictor chosen for %d of %d lanes "
                + "by validation error; saved to %s", samples.size(), seed, learned, model.laneChoices().size(),
                modelFile);
    }
}
