package org.greenwave.harness.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prediction errors per horizon, against ground truth, for the engine's forecast and for persistence (the estimate
 * at the time of the prediction, carried forward unchanged). A prediction made at second t for horizon h is compared
 * with the truth at t + h; seconds before {@link #WARM_UP_S} are left out, as are predictions whose target lies past
 * the end of the run.
 */
public final class ForecastErrors {
    /** Seconds at the start of a run not evaluated: the estimators start from an empty network. */
    public static final int WARM_UP_S = 120;
    /** Metres of queue per vehicle when comparing estimated queues with SUMO's jam length. */
    public static final double SPACING_M = 7.5;

    private final int[] horizonsS = ForecastRecorder.HORIZONS_S;
    private final double[] absSum = new double[horizonsS.length];
    private final double[] sqSum = new double[horizonsS.length];
    private final double[] persistenceAbsSum = new double[horizonsS.length];
    private final double[] persistenceSqSum = new double[horizonsS.length];
    private final long[] n = new long[horizonsS.length];
    private double metresAbsSum;
    private long metresN;
    private double truthSum;
    private long truthN;
    /**
     * Per lane key: {absolute error sum of the estimate, samples, true queue sum}, then per horizon {absolute error
     * sum of the forecast, of persistence, samples}.
     */
    private final Map<String, double[]> byLane = new LinkedHashMap<>();
    private static final int LANE_BASE = 3;

    /** Adds the lanes of one run. */
    public ForecastErrors add(List<ForecastRecorder.LaneSeries> lanes) {
        for (ForecastRecorder.LaneSeries ls : lanes) {
            int seconds = ls.truthVeh.length;
            for (int t = WARM_UP_S; t < seconds; t++) {
                float estimate = ls.predictedVeh[0][t];
                if (Float.isNaN(estimate) || Float.isNaN(ls.truthVeh[t])) {
                    continue;
                }
                truthSum += ls.truthVeh[t];
                truthN++;
                double[] lane = byLane.computeIfAbsent(ls.key, k -> new double[LANE_BASE + 3 * horizonsS.length]);
                lane[0] += Math.abs(estimate - ls.truthVeh[t]);
                lane[1]++;
                lane[2] += ls.truthVeh[t];
                if (!Float.isNaN(ls.truthJamM[t])) {
                    metresAbsSum += Math.abs(estimate * SPACING_M - ls.truthJamM[t]);
                    metresN++;
                }
                for (int h = 0; h < horizonsS.length; h++) {
                    int target = t + horizonsS[h];
                    if (target >= seconds || Float.isNaN(ls.truthVeh[target]) || Float.isNaN(ls.predictedVeh[h][t])) {
                        continue;
                    }
                    double e = ls.predictedVeh[h][t] - ls.truthVeh[target];
                    double p = estimate - ls.truthVeh[target];
                    absSum[h] += Math.abs(e);
                    sqSum[h] += e * e;
                    persistenceAbsSum[h] += Math.abs(p);
                    persistenceSqSum[h] += p * p;
                    n[h]++;
                    lane[LANE_BASE + 3 * h] += Math.abs(e);
                    lane[LANE_BASE + 3 * h + 1] += Math.abs(p);
                    lane[LANE_BASE + 3 * h + 2]++;
                }
            }
        }
        return this;
    }

    public int[] horizonsS() {
        return horizonsS.clone();
    }

    public double mae(int h) {
        return absSum[h] / n[h];
    }

    public double rmse(int h) {
        return Math.sqrt(sqSum[h] / n[h]);
    }

    public double persistenceMae(int h) {
        return persistenceAbsSum[h] / n[h];
    }

    public double persistenceRmse(int h) {
        return Math.sqrt(persistenceSqSum[h] / n[h]);
    }

    /** Lane-seconds compared at horizon index h. */
    public long samples(int h) {
        return n[h];
    }

    /** MAE of the estimate in metres against SUMO's jam length. */
    public double estimateMaeM() {
        return metresAbsSum / metresN;
    }

    /**
     * The {@code n} lanes whose estimate is furthest off, worst first: lane key, estimate MAE and mean true queue,
     * vehicles.
     */
    public List<String[]> worstLanes(int n) {
        List<Map.Entry<String, double[]>> all = new ArrayList<>(byLane.entrySet());
        all.sort((a, b) -> Double.compare(b.getValue()[0] / b.getValue()[1], a.getValue()[0] / a.getValue()[1]));
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, all.size()); i++) {
            double[] v = all.get(i).getValue();
            out.add(new String[]{all.get(i).getKey(), String.format(Locale.ROOT, "%.2f", v[0] / v[1]),
                String.format(Locale.ROOT, "%.2f", v[2] / v[1])});
        }
        return out;
    }

    /** The evaluated lanes' keys, in the order first seen. */
    public List<String> laneKeys() {
        return new ArrayList<>(byLane.keySet());
    }

    /** The forecast's MAE on one lane at horizon index h, vehicles; NaN when the lane has no sample there. */
    public double laneMae(String laneKey, int h) {
        double[] v = byLane.get(laneKey);
        return v == null ? Double.NaN : v[LANE_BASE + 3 * h] / v[LANE_BASE + 3 * h + 2];
    }

    /** Persistence's MAE on one lane at horizon index h, vehicles; NaN when the lane has no sample there. */
    public double lanePersistenceMae(String laneKey, int h) {
        double[] v = byLane.get(laneKey);
        return v == null ? Double.NaN : v[LANE_BASE + 3 * h + 1] / v[LANE_BASE + 3 * h + 2];
    }

    /**
     * Lanes whose forecast MAE at horizon index h exceeds persistence's by more than {@code toleranceVeh}.
     */
    public int lanesWorseThanPersistence(int h, double toleranceVeh) {
        int worse = 0;
        for (String key : byLane.keySet()) {
            if (laneMae(key, h) > lanePersistenceMae(key, h) + toleranceVeh) {
                worse++;
            }
        }
        return worse;
    }

    /** Mean true queue per lane over the evaluated seconds, vehicles: the scale the errors compare with. */
    public double meanTruthVeh() {
        return truthSum / truthN;
    }
}
