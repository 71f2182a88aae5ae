package org.greenwave.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.learn.Sample;

/** Small queue models for tests, trained in a second on synthetic lanes. */
public final class TinyQueueModels {
    /** Residuals of {@link #banded}'s queue bands, vehicles: the band is the prediction − 2 … + 3. */
    public static final double LOW_RESIDUAL_VEH = -2;
    public static final double HIGH_RESIDUAL_VEH = 3;
    /** Residuals of {@link #banded}'s delay bands, vehicle-seconds. */
    public static final double LOW_DELAY_RESIDUAL_VEH_S = -60;
    public static final double HIGH_DELAY_RESIDUAL_VEH_S = 90;

    private TinyQueueModels() {
    }

    /** A model trained on synthetic lanes of intersection {@code tls}: queue ahead = model's + arrivals. */
    public static Path tiny(Path file, String tls) throws IOException {
        model(tls).save(file);
        return file;
    }

    /** {@link #tiny} with bands of fixed residuals everywhere ({@link #LOW_RESIDUAL_VEH} …). */
    public static Path banded(Path file, String tls) throws IOException {
        double[] edges = PredictionBands.DEFAULT_BUCKET_EDGES_VEH;
        int buckets = edges.length + 1;
        double[] low = new double[PredictionBands.SCOPES * PredictionBands.SLOTS * buckets];
        double[] high = new double[low.length];
        for (int scope = 0; scope < PredictionBands.SCOPES; scope++) {
            for (int slot = 0; slot < PredictionBands.SLOTS; slot++) {
                int from = (scope * PredictionBands.SLOTS + slot) * buckets;
                boolean delay = slot == PredictionBands.SLOT_DELAY;
                Arrays.fill(low, from, from + buckets, delay ? LOW_DELAY_RESIDUAL_VEH_S : LOW_RESIDUAL_VEH);
                Arrays.fill(high, from, from + buckets, delay ? HIGH_DELAY_RESIDUAL_VEH_S : HIGH_RESIDUAL_VEH);
            }
        }
        model(tls).withBands(PredictionBands.of(0.1, 0.9, edges, low, high)).save(file);
        return file;
    }

    private static QueueModel model(String tls) {
        Random r = new Random(7);
        List<Sample> samples = new ArrayList<>();
        for (int lane = 0; lane < 3; lane++) {
            for (int t = 0; t < 200; t++) {
                double[] f = new double[Features.COUNT];
                for (int i = 0; i < f.length; i++) {
                    f[i] = r.nextDouble() * 10;
                }
                double[] truth = new double[Features.HORIZON_COUNT];
                for (int h = 0; h < truth.length; h++) {
                    truth[h] = f[Features.modelQueueFeature(h)] + 0.5 * f[Features.ARRIVALS_30S_VEH];
                }
                samples.add(new Sample(tls, lane, t * 3.0, f, truth));
            }
        }
        QueueModel.TrainingConfig c = new QueueModel.TrainingConfig();
        c.trees = 5;
        c.maxDepth = 3;
        c.maxNodes = 4;
        c.seed = 3;
        return QueueModel.train(samples, c);
    }
}
