package org.greenwave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.greenwave.core.engine.EngineContext;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.online.QueueForecasterFactory;
import picocli.CommandLine.Option;

/**
 * {@code --queue-model FILE}, shared by the commands that run the engine: the learned queue model that
 * {@code forecast-eval} trains, given to the engine's forecaster exactly as {@code forecast-eval} evaluates it
 * ({@link QueueForecasterFactory#withModel}). {@link #load} reads and checks the file at start, before anything runs.
 */
final class QueueModelOption {
    @Option(names = "--queue-model", paramLabel = "FILE",
            description = "A queue model trained by forecast-eval (its queue-model.zip): the forecaster uses its "
                    + "learned predictions on the lanes where they validated better. Default: model-based "
                    + "predictions only.")
    Path file;

    private QueueModel model;
    private final AtomicInteger forecasters = new AtomicInteger();
    /** Signals whose forecaster got the model though it has no lane of theirs. */
    private final Set<String> untrained = ConcurrentHashMap.newKeySet();

    /**
     * Reads and checks the model file, when one was given; prints a line saying what it holds.
     *
     * @return the model, or null without {@code --queue-model}
     * @throws IOException naming the file and what is wrong (missing, too large, another format, version or feature
     *                     set, damaged)
     */
    QueueModel load(PrintWriter out) throws IOException {
        if (file == null || model != null) {
            return model;
        }
        model = QueueModel.load(file);
        out.printf(Locale.ROOT, "Queue model %s: %d training samples (seed %d); predictors per horizon: %s; "
                        + "elsewhere %s.%n", file, model.trainingSamples(), model.training().seed, model.choiceCounts(),
                model.defaultChoice().describe());
        out.flush();
        return model;
    }

    /**
     * The engine set-up of one run or one live engine: a forecaster factory of its own with the loaded model; the
     * identity without {@code --queue-model}. Call {@link #load} first.
     */
    UnaryOperator<EngineContext> engineSetup() {
        if (model == null) {
            return UnaryOperator.identity();
        }
        QueueModel m = model;
        Set<String> trained = new HashSet<>();
        for (String laneKey : m.laneChoices().keySet()) {
            trained.add(laneKey.substring(0, laneKey.lastIndexOf('#')));
        }
        return ctx -> {
            QueueForecasterFactory factory = QueueForecasterFactory.withModel(m);
            return ctx.forecasterFactory((intersection, detectors) -> {
                forecasters.incrementAndGet();
                if (!trained.contains(intersection.id())) {
                    untrained.add(intersection.id());
                }
                return factory.create(intersection, detectors);
            });
        };
    }

    /** After the runs: a line saying how many signals' forecasters used the model, or nothing without one. */
    void reportUse(PrintWriter out, int runs) {
        if (model != null) {
            out.printf(Locale.ROOT, "Queue model %s used by %d signal forecaster(s) over %d run(s).%n", file,
                    forecasters.get(), runs);
            untrained(out);
        }
    }

    private void untrained(PrintWriter out) {
        if (!untrained.isEmpty()) {
            out.printf(Locale.ROOT, "The model was not trained on signal(s) %s: their lanes use its default choice (%s) "
                    + "and no flow profile.%n", String.join(", ", new TreeSet<>(untrained)),
                    model.defaultChoice().describe());
        }
        out.flush();
    }

    /** Once the live engine runs: a line saying how many signals' forecasters use the model, or nothing. */
    void reportUse(PrintWriter out) {
        if (model != null) {
            out.printf(Locale.ROOT, "Queue model %s used by %d signal forecaster(s).%n", file, forecasters.get());
            untrained(out);
        }
    }
}
