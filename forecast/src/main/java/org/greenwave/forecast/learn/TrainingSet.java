package org.greenwave.forecast.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Sample}s from a run: the forecaster's features (this is a {@link FeatureSink}) and the true queue of
 * each lane over time (from the simulation's ground truth, via {@link #trueQueue}). {@link #samples()} pairs the
 * features of lane L at time t with L's true queue at t + h for each horizon h, taking the truth recorded nearest to
 * t + h within {@link #TOLERANCE_S}; a horizon without such a record gets {@code NaN}, and a row with no known
 * horizon is dropped.
 *
 * <p>Threading: all methods are synchronized, so intersections on several shards may share one set. Allocates
 * (capture mode only).
 */
public final class TrainingSet implements FeatureSink {
    /** Largest gap between t + h and the time of the truth paired with it, seconds. */
    public static final double TOLERANCE_S = 0.5;

    private final Map<String, Lane> lanes = new LinkedHashMap<>();

    @Override
    public synchronized void accept(String intersectionId, int lane, double nowS, double[] features) {
        Lane l = lanes.computeIfAbsent(Features.laneKey(intersectionId, lane), k -> new Lane(intersectionId, lane));
        l.featureTimes.add(nowS);
        l.features.add(features);
    }

    /** Records the true queue of a lane at {@code nowS}, vehicles. */
    public synchronized void trueQueue(String intersectionId, int lane, double nowS, double queueVeh) {
        Lane l = lanes.computeIfAbsent(Features.laneKey(intersectionId, lane), k -> new Lane(intersectionId, lane));
        l.truthTimes.add(nowS);
        l.truthVeh.add(queueVeh);
    }

    /** Feature rows captured so far. */
    public synchronized int featureRows() {
        int n = 0;
        for (Lane l : lanes.values()) {
            n += l.features.size();
        }
        return n;
    }

    /** The paired samples, lane by lane in first-seen order, each lane in time order. */
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Lane l : lanes.values()) {
            int n = l.truthTimes.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(l.truthTimes.get(a), l.truthTimes.get(b)));
            double[] times = new double[n];
            double[] queues = new double[n];
            for (int i = 0; i < n; i++) {
                times[i] = l.truthTimes.get(order[i]);
                queues[i] = l.truthVeh.get(order[i]);
            }
            for (int r = 0; r < l.features.size(); r++) {
                double t = l.featureTimes.get(r);
                double[] targets = new double[Features.HORIZON_COUNT];
                boolean any = false;
                for (int h = 0; h < targets.length; h++) {
                    targets[h] = nearest(times, queues, t + Features.horizonS(h));
                    any |= !Double.isNaN(targets[h]);
                }
                if (any) {
                    out.add(new Sample(l.intersectionId, l.lane, t, l.features.get(r), targets));
                }
            }
        }
        return out;
    }

    private static double nearest(double[] times, double[] values, double t) {
        int i = Arrays.binarySearch(times, t);
        if (i >= 0) {
            return values[i];
        }
        int hi = -i - 1;
        int best = -1;
        double bestGap = TOLERANCE_S;
        for (int j = Math.max(0, hi - 1); j <= Math.min(times.length - 1, hi); j++) {
            double gap = Math.abs(times[j] - t);
            if (gap <= bestGap) {
                bestGap = gap;
                best = j;
            }
        }
        return best < 0 ? Double.NaN : values[best];
    }

    private static final class Lane {
        final String intersectionId;
        final int lane;
        final List<Double> featureTimes = new ArrayList<>();
        final List<double[]> features = new ArrayList<>();
        final List<Double> truthTimes = new ArrayList<>();
        final List<Double> truthVeh = new ArrayList<>();

        Lane(String intersectionId, int lane) {
            this.intersectionId = intersectionId;
            this.lane = lane;
        }
    }
}
