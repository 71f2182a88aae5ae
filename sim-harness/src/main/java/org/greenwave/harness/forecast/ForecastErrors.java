package org.greenwave.harness.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.greenwave.core.forecast.PredictionBands;

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
    private final double[] totalAbsSum = new double[horizonsS.length];
    private final double[] totalPersistenceAbsSum = new double[horizonsS.length];
    private final long[] totalN = new long[horizonsS.length];
    private final long[] bandCovered = new long[PredictionBands.SLOTS];
    private final long[] bandN = new long[PredictionBands.SLOTS];
    private double delayAbsSum;
    private double delayTruthSum;
    private long delayN;

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

    /**
     * Adds the intersections' predicted totals of one run: each against the sum of its lanes' truth at t + h (and
     * persistence, the total estimate at t), the delay over the next minute against the true queue summed over seconds
     * t + 1 .. t + 60, and whether each band held the truth.
     */
    public ForecastErrors addTotals(ForecastRecorder run) {
        int minute = org.greenwave.core.state.IntersectionState.HORIZON_S;
        for (ForecastRecorder.TotalSeries ts : run.totals()) {
            float[] truth = run.truthTotalVeh(ts);
            int seconds = truth.length;
            for (int t = WARM_UP_S; t < seconds; t++) {
                float estimate = ts.predictedVeh[0][t];
                if (Float.isNaN(estimate)) {
                    continue;
                }
                for (int h = 0; h < horizonsS.length; h++) {
                    int target = t + horizonsS[h];
                    if (target >= seconds || Float.isNaN(truth[target]) || Float.isNaN(ts.predictedVeh[h][t])) {
                        continue;
                    }
                    totalAbsSum[h] += Math.abs(ts.predictedVeh[h][t] - truth[target]);
                    totalPersistenceAbsSum[h] += Math.abs(estimate - truth[target]);
                    totalN[h]++;
                    int slot = bandSlot(horizonsS[h]);
                    if (slot >= 0 && !Float.isNaN(ts.bandLow[slot][t])) {
                        bandN[slot]++;
                        if (truth[target] >= ts.bandLow[slot][t] && truth[target] <= ts.bandHigh[slot][t]) {
                            bandCovered[slot]++;
                        }
                    }
                }
                if (t + minute < seconds && !Float.isNaN(ts.delayVehS[t])) {
                    double d = 0;
                    for (int s = 1; s <= minute; s++) {
                        d += truth[t + s];
                    }
                    if (!Double.isNaN(d)) {
                        delayAbsSum += Math.abs(ts.delayVehS[t] - d);
                        delayTruthSum += d;
                        delayN++;
                        int slot = PredictionBands.SLOT_DELAY;
                        if (!Float.isNaN(ts.bandLow[slot][t])) {
                            bandN[slot]++;
                            if (d >= ts.bandLow[slot][t] && d <= ts.bandHigh[slot][t]) {
                                bandCovered[slot]++;
                            }
                        }
                    }
                }
            }
        }
        return this;
    }

    /** The band slot of a horizon in seconds; -1 for one without a band (0 s, the estimate). */
    private static int bandSlot(int horizonS) {
        for (int k = 0; k < PredictionBands.HORIZON_COUNT; k++) {
            if (PredictionBands.horizonS(k) == horizonS) {
                return k;
            }
        }
        return -1;
    }

    /** MAE of the intersections' predicted total queue at horizon index h, vehicles; NaN without samples. */
    public double totalMae(int h) {
        return totalAbsSum[h] / totalN[h];
    }

    /** Persistence's MAE of the intersections' total queue at horizon index h, vehicles. */
    public double totalPersistenceMae(int h) {
        return totalPersistenceAbsSum[h] / totalN[h];
    }

    /** Intersection-seconds compared at horizon index h. */
    public long totalSamples(int h) {
        return totalN[h];
    }

    /**
     * Share of the predictions at horizon index h whose band held the truth, 0..1; NaN where no prediction had a band
     * (without a calibrated model, or at 0 s).
     */
    public double totalCoverage(int h) {
        int slot = bandSlot(horizonsS[h]);
        return slot < 0 ? Double.NaN : (double) bandCovered[slot] / bandN[slot];
    }

    /** Predictions at horizon index h that had a band. */
    public long totalBandSamples(int h) {
        int slot = bandSlot(horizonsS[h]);
        return slot < 0 ? 0 : bandN[slot];
    }

    /** MAE of the intersections' predicted delay over the next minute, vehicle-seconds; NaN without samples. */
    public double delayMaeVehS() {
        return delayAbsSum / delayN;
    }

    /** Mean true delay over the next minute per intersection, vehicle-seconds: the scale of {@link #delayMaeVehS()}. */
    public double meanDelayVehS() {
        return delayTruthSum / delayN;
    }

    /** Share of the delay predictions whose band held the truth; NaN where none had a band. */
    public double delayCoverage() {
        return (double) bandCovered[PredictionBands.SLOT_DELAY] / bandN[PredictionBands.SLOT_DELAY];
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
