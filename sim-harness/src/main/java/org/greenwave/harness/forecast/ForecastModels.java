package org.greenwave.harness.forecast;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;

/** Binds the forecast module to evaluation runs: capture of training features, training, and the evaluated forecaster. */
final class ForecastModels {
    /** Features captured during one training run. */
    static final class Capture {
    }

    Capture capture(double beginS, int seconds) {
        return new Capture();
    }

    UnaryOperator<EngineContext> trainingSetup(Capture capture) {
        return UnaryOperator.identity();
    }

    UnaryOperator<EngineContext> evaluationSetup(Path modelFile) {
        return UnaryOperator.identity();
    }

    String train(List<Capture> captures, List<ForecastRecorder> truths, long seed, Path modelFile) {
        return "no model";
    }
}
