package org.greenwave.harness.forecast;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.SumoNet;

/**
 * Records, once per simulated second, the engine's queue estimate and predictions of every detected incoming lane
 * (from the engine's published snapshots, i.e. what the engine itself believes) beside SUMO's ground truth for the
 * same lane.
 *
 * <p><b>Ground truth</b> of a lane: the halting vehicles (speed below 0.1 m/s) and SUMO's jam length over the lane's
 * approach stretch — the incoming lane and the upstream lanes that feed only it, as far as its detection zone reaches
 * (see {@code ControlledIntersection.incomingOwnStretch(int)}) — measured by lane-area detectors over those whole lanes
 * that only this recorder reads. They are loaded into SUMO from {@link #writeTruthDetectors}; the engine never sees
 * them.
 *
 * <p>Threading: the run's thread.
 */
public final class ForecastRecorder implements RunObserver {
    /** Horizons the predictions are recorded at, seconds; 0 is the estimate. */
    public static final int[] HORIZONS_S = {0, 5, 15, 30, 60};

    private final double beginS;
    private final int seconds;
    private final List<LaneSeries> lanes = new ArrayList<>();
    private final List<TotalSeries> totals = new ArrayList<>();
    private Engine engine;
    private IntersectionSnapshot[] snapshots;
    private Subscription[][] truth;

    /** One lane's record: index t is second {@code beginS + t} of the run. NaN where nothing was recorded. */
    public static final class LaneSeries {
        public final String key;
        /** The intersection's model id. */
        public final String intersectionId;
        public final int intersection;
        public final int lane;
        public final float[] truthVeh;
        public final float[] truthJamM;
        /** [horizon index][t]: the engine's value at t for t + HORIZONS_S[h]. */
        public final float[][] predictedVeh;

        LaneSeries(String key, String intersectionId, int intersection, int lane, int seconds) {
            this.key = key;
            this.intersectionId = intersectionId;
            this.intersection = intersection;
            this.lane = lane;
            this.truthVeh = nan(seconds);
            this.truthJamM = nan(seconds);
            this.predictedVeh = new float[HORIZONS_S.length][];
            for (int h = 0; h < HORIZONS_S.length; h++) {
                predictedVeh[h] = nan(seconds);
            }
        }

        private static float[] nan(int n) {
            float[] a = new float[n];
            Arrays.fill(a, Float.NaN);
            return a;
        }
    }

    /**
     * One intersection's record of its predicted total (the intersection group of
     * {@link org.greenwave.core.state.IntersectionState#groupCount()}): index t is second {@code beginS + t}; NaN where
     * nothing was recorded. Its truth is the sum of its recorded lanes' truth ({@link #truthTotalVeh}).
     */
    public static final class TotalSeries {
        public final String intersectionId;
        public final int intersection;
        /** [horizon index of {@link #HORIZONS_S}][t]: the engine's total at t for t + HORIZONS_S[h]. */
        public final float[][] predictedVeh;
        /** [band slot][t]: the band's ends at t, slots as in {@link org.greenwave.core.forecast.PredictionBands}. */
        public final float[][] bandLow;
        public final float[][] bandHigh;
        /** [t]: the delay over the next minute predicted at t, vehicle-seconds. */
        public final float[] delayVehS;

        TotalSeries(String intersectionId, int intersection, int seconds) {
            this.intersectionId = intersectionId;
            this.intersection = intersection;
            this.predictedVeh = new float[HORIZONS_S.length][];
            for (int h = 0; h < HORIZONS_S.length; h++) {
                predictedVeh[h] = LaneSeries.nan(seconds);
            }
            this.bandLow = new float[PredictionBands.SLOTS][];
            this.bandHigh = new float[PredictionBands.SLOTS][];
            for (int k = 0; k < PredictionBands.SLOTS; k++) {
                bandLow[k] = LaneSeries.nan(seconds);
                bandHigh[k] = LaneSeries.nan(seconds);
            }
            this.delayVehS = LaneSeries.nan(seconds);
        }
    }

    /**
     * The true total queue of an intersection each second: the sum of its recorded lanes' truth, NaN where one of
     * them is unknown.
     */
    public float[] truthTotalVeh(TotalSeries ts) {
        float[] sum = new float[seconds];
        boolean any = false;
        for (LaneSeries ls : lanes) {
            if (ls.intersection != ts.intersection) {
                continue;
            }
            any = true;
            for (int t = 0; t < seconds; t++) {
                sum[t] += ls.truthVeh[t];
            }
        }
        if (!any) {
            Arrays.fill(sum, Float.NaN);
        }
        return sum;
    }

    /**
     * @param beginS first second of the run
     * @param endS   end of the run's window, seconds
     */
    public ForecastRecorder(double beginS, double endS) {
        this.beginS = beginS;
        this.seconds = (int) Math.ceil(endS - beginS) + 1;
    }

    /** Lane key used in reports and models: {@code <intersection id>:<incoming lane id>}. */
    public static String laneKey(ControlledIntersection ci, int lane) {
        return ci.id() + ":" + ci.model().incomingLaneId(lane);
    }

    /** Whether the harness gave the lane detectors; lanes without any are not evaluated. */
    static boolean detected(ControlledIntersection ci, int lane) {
        return ci.stopLineLoops()[lane] != null || ci.incomingAreas()[lane] != null;
    }

    /** Writes the recorder's own ground-truth lane-area detectors, one over every lane of every detected stretch. */
    public static void writeTruthDetectors(Path file, SumoNet net, List<ControlledIntersection> signals)
            throws IOException {
        Set<String> lanes = new LinkedHashSet<>();
        for (ControlledIntersection ci : signals) {
            for (int lane = 0; lane < ci.model().incomingLaneCount(); lane++) {
                if (detected(ci, lane)) {
                    lanes.addAll(ci.incomingOwnStretch(lane));
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Ground-truth detectors of the forecast "
                    + "evaluation; read by the evaluator only. -->\n<additional>\n");
            for (String lane : lanes) {
                double len = net.lane(lane).lengthM();
                w.write(String.format(Locale.ROOT, "    <laneAreaDetector id=\"%s\" lane=\"%s\" pos=\"0\" endPos=\"%.2f\" "
                        + "period=\"3600\" file=\"NUL\"/>%n", truthId(lane), escape(lane), len));
            }
            w.write("</additional>\n");
        }
    }

    private static String truthId(String lane) {
        return escape("gw_truth_" + lane);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void started(Engine engine, List<ControlledIntersection> signals, TraciClient sumo) {
        this.engine = engine;
        snapshots = new IntersectionSnapshot[signals.size()];
        List<Subscription[]> subs = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            ControlledIntersection ci = signals.get(i);
            snapshots[i] = engine.newSnapshot(i);
            totals.add(new TotalSeries(ci.id(), i, seconds));
            for (int lane = 0; lane < ci.model().incomingLaneCount(); lane++) {
                if (!detected(ci, lane)) {
                    continue;
                }
                lanes.add(new LaneSeries(laneKey(ci, lane), ci.id(), i, lane, seconds));
                List<String> stretch = ci.incomingOwnStretch(lane);
                Subscription[] s = new Subscription[stretch.size()];
                for (int k = 0; k < s.length; k++) {
                    s[k] = sumo.subscribe(Domain.LANE_AREA, "gw_truth_" + stretch.get(k),
                            TraciConstants.LAST_STEP_VEHICLE_HALTING_NUMBER, TraciConstants.JAM_LENGTH_METERS);
                }
                subs.add(s);
            }
        }
        truth = subs.toArray(new Subscription[0][]);
    }

    @Override
    public void stepped(double nowS) {
        double rel = nowS - beginS;
        long t = Math.round(rel);
        if (Math.abs(rel - t) > 1e-6 || t < 0 || t >= seconds) {
            return;
        }
        for (int i = 0; i < snapshots.length; i++) {
            engine.snapshot(i, snapshots[i]);
        }
        int ti = (int) t;
        for (int k = 0; k < lanes.size(); k++) {
            LaneSeries ls = lanes.get(k);
            double veh = 0;
            double jam = 0;
            for (Subscription s : truth[k]) {
                veh += s.hasValue(0) ? s.number(0) : 0;
                jam += s.hasValue(1) ? s.number(1) : 0;
            }
            ls.truthVeh[ti] = (float) veh;
            ls.truthJamM[ti] = (float) jam;
            IntersectionSnapshot snap = snapshots[ls.intersection];
            if (snap.ticks() == 0) {
                continue;
            }
            for (int h = 0; h < HORIZONS_S.length; h++) {
                ls.predictedVeh[h][ti] = (float) snap.predictedQueueVeh(ls.lane, HORIZONS_S[h]);
            }
        }
        for (TotalSeries ts : totals) {
            IntersectionSnapshot snap = snapshots[ts.intersection];
            if (snap.ticks() == 0) {
                continue;
            }
            for (int h = 0; h < HORIZONS_S.length; h++) {
                ts.predictedVeh[h][ti] = (float) snap.predictedGroupQueueVeh(0, HORIZONS_S[h]);
            }
            for (int k = 0; k < PredictionBands.SLOTS; k++) {
                ts.bandLow[k][ti] = (float) snap.groupBandLow(0, k);
                ts.bandHigh[k][ti] = (float) snap.groupBandHigh(0, k);
            }
            ts.delayVehS[ti] = (float) snap.predictedGroupDelayVehS(0);
        }
    }

    /** The recorded intersections' totals, in intersection order. */
    public List<TotalSeries> totals() {
        return totals;
    }

    /** The recorded lanes, in intersection then lane order. */
    public List<LaneSeries> lanes() {
        return lanes;
    }

    public double beginS() {
        return beginS;
    }

    public int seconds() {
        return seconds;
    }
}
