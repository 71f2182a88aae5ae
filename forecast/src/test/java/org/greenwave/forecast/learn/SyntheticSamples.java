package org.greenwave.forecast.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Samples with a known relation: on a "learnable" lane the true queue at each horizon is the model-based prediction
 * plus {@code 0.4 × arrivals10s − 2} (at least 0); on an "exact" lane it is the model-based prediction itself, so
 * nothing can beat the model there; on a "persistent" lane it is the current estimate, so nothing beats persistence.
 */
public final class SyntheticSamples {
    private SyntheticSamples() {
    }

    /** Random features in plausible ranges. */
    public static double[] features(Random r) {
        double[] f = new double[Features.COUNT];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextDouble() * 10;
        }
        f[Features.GREEN_NOW] = r.nextBoolean() ? 1 : 0;
        f[Features.TIME_OF_DAY_SIN] = r.nextDouble() * 2 - 1;
        f[Features.TIME_OF_DAY_COS] = r.nextDouble() * 2 - 1;
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            f[Features.modelQueueFeature(h)] = r.nextDouble() * 20;
        }
        return f;
    }

    /** The true queues of a learnable lane for these features. */
    public static double[] learnableTruth(double[] f) {
        double[] t = new double[Features.HORIZON_COUNT];
        for (int h = 0; h < t.length; h++) {
            t[h] = Math.max(0, f[Features.modelQueueFeature(h)] + 0.4 * f[Features.ARRIVALS_10S_VEH] - 2);
        }
        return t;
    }

    /** {@code perLane} samples, one a second, for each learnable and each exact lane. */
    public static List<Sample> samples(long seed, int perLane, List<String> learnable, List<String> exact) {
        return samples(seed, perLane, learnable, exact, List.of());
    }

    /** {@code perLane} samples, one a second, for each learnable, exact and persistent lane. */
    public static List<Sample> samples(long seed, int perLane, List<String> learnable, List<String> exact,
                                       List<String> persistent) {
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (String key : learnable) {
            String[] p = key.split("#");
            for (int i = 0; i < perLane; i++) {
                double[] f = features(r);
                out.add(new Sample(p[0], Integer.parseInt(p[1]), i, f, learnableTruth(f)));
            }
        }
        for (String key : exact) {
            String[] p = key.split("#");
            for (int i = 0; i < perLane; i++) {
                double[] f = features(r);
                double[] t = new double[Features.HORIZON_COUNT];
                for (int h = 0; h < t.length; h++) {
                    t[h] = f[Features.modelQueueFeature(h)];
                }
                out.add(new Sample(p[0], Integer.parseInt(p[1]), i, f, t));
            }
        }
        for (String key : persistent) {
            String[] p = key.split("#");
            for (int i = 0; i < perLane; i++) {
                double[] f = features(r);
                double[] t = new double[Features.HORIZON_COUNT];
                java.util.Arrays.fill(t, f[Features.QUEUE_VEH]);
                out.add(new Sample(p[0], Integer.parseInt(p[1]), i, f, t));
            }
        }
        return out;
    }

    /** A small, quick configuration. */
    public static QueueModel.TrainingConfig quick(long seed) {
        QueueModel.TrainingConfig c = new QueueModel.TrainingConfig();
        c.seed = seed;
        c.trees = 40;
        return c;
    }
}
