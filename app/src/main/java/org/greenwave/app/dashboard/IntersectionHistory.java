package org.greenwave.app.dashboard;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.netimport.ScenarioImport;

/**
 * The last {@link #CAPACITY_S} engine seconds of one intersection, one record per second, taken from the engine's
 * snapshots; and, computed from them on request, the ATSPM-style measures engineers read: arrivals on green, split
 * failures and the Purdue coordination diagram. Everything here comes from the engine's own detector data and
 * estimates, as in a field deployment.
 *
 * <p>Definitions (per incoming lane; estimates from detectors, not measured trajectories):
 * <ul>
 *   <li><b>arrival</b>: an advance-loop count (the loop lies
 *       {@value ScenarioImport#ADVANCE_DISTANCE_M} m upstream of the stop line), moved
 *       to the stop line by the lane's free-flow travel time;</li>
 *   <li><b>arrival on green</b>: an arrival that reaches the stop line in a second the lane shows green
 *       ({@code G} or {@code g} on any of its links);</li>
 *   <li><b>split failure</b>: a green of the lane that started with at least {@link #SPLIT_FAILURE_QUEUE_VEH} vehicles
 *       queued (estimate) and ended without clearing them (the estimate at the start of red is still at least
 *       that);</li>
 *   <li><b>cycle</b> (for the coordination diagram): from the start of one red of the lane to the start of the next;
 *       the lane's green is the band at the top of each cycle.</li>
 * </ul>
 *
 * <p>Threading: {@link #append} from one thread (the dashboard's sampler); the other methods from any thread. Methods
 * synchronise on the history; {@code append} holds the lock for microseconds, a detail request for about a
 * millisecond.
 */
final class IntersectionHistory {
    /** Seconds kept: the last hour. */
    static final int CAPACITY_S = 3600;
    /** Queue (vehicles) that, left at the start of green and again at the start of red, makes a split failure. */
    static final double SPLIT_FAILURE_QUEUE_VEH = 2.0;
    /** Seconds ahead of the prediction compared with the estimate in the queue chart. */
    static final int PREDICTION_LEAD_S = 30;
    /** Longest cycle the coordination diagram looks back over for a cycle start, seconds. */
    private static final int MAX_CYCLE_S = 600;

    private static final double ADVANCE_DISTANCE_M = ScenarioImport.ADVANCE_DISTANCE_M;

    private final IntersectionModel model;
    private final int lanes;
    private final double[] timeS = new double[CAPACITY_S];
    private final float[][] queueVeh;
    private final float[][] predictedVeh;
    private final short[][] arrivals;
    private final short[][] departures;
    private final boolean[][] green;
    /** Travel time from the advance loop to the stop line, whole seconds, per lane. */
    private final int[] advanceLeadS;
    private final long[] lastAdvance;
    private final long[] lastStop;
    private final boolean[] lastSpilled;
    private final double[] forecast;
    private long count;
    private boolean primed;

    IntersectionHistory(IntersectionModel model) {
        this.model = model;
        this.lanes = model.incomingLaneCount();
        this.queueVeh = new float[lanes][CAPACITY_S];
        this.predictedVeh = new float[lanes][CAPACITY_S];
        this.arrivals = new short[lanes][CAPACITY_S];
        this.departures = new short[lanes][CAPACITY_S];
        this.green = new boolean[lanes][CAPACITY_S];
        this.advanceLeadS = new int[lanes];
        for (int l = 0; l < lanes; l++) {
            double v = model.incomingLaneSpeedMps(l);
            advanceLeadS[l] = v > 0 ? (int) Math.round(ADVANCE_DISTANCE_M / v) : 0;
        }
        this.lastAdvance = new long[lanes];
        this.lastStop = new long[lanes];
        this.lastSpilled = new boolean[lanes];
        this.forecast = new double[lanes * (IntersectionState.HORIZON_S + 1)];
    }

    /**
     * Records the snapshot as the second ending at {@code s.nowS()} and adds its network figures to {@code tally}.
     * The first call only primes the counters (cumulative counts become deltas from then on).
     */
    synchronized void append(IntersectionSnapshot s, double dtS, Tally tally) {
        if (!primed) {
            for (int l = 0; l < lanes; l++) {
                lastAdvance[l] = s.advanceCount(l);
                lastStop[l] = s.stopLineCount(l);
            }
            primed = true;
        }
        int k = (int) (count % CAPACITY_S);
        int prev = (int) ((count + CAPACITY_S - 1) % CAPACITY_S);
        timeS[k] = s.nowS();
        for (int l = 0; l < lanes; l++) {
            long adv = s.advanceCount(l);
            long stop = s.stopLineCount(l);
            int arrived = (int) Math.max(0, adv - lastAdvance[l]);
            int departed = (int) Math.max(0, stop - lastStop[l]);
            lastAdvance[l] = adv;
            lastStop[l] = stop;
            boolean isGreen = laneGreen(s, l);
            double q = s.queueVeh(l);
            double queueBefore = count > 0 ? queueVeh[l][prev] : q;
            boolean stoppedBefore = count > 0 && (!green[l][prev] || queueBefore >= 1.0);
            queueVeh[l][k] = (float) q;
            predictedVeh[l][k] = (float) s.predictedQueueVeh(l, PREDICTION_LEAD_S);
            arrivals[l][k] = (short) Math.min(Short.MAX_VALUE, arrived);
            departures[l][k] = (short) Math.min(Short.MAX_VALUE, departed);
            green[l][k] = isGreen;
            tally.departures += departed;
            tally.queueVehS += q * dtS;
            tally.queueVeh += q;
            if (stoppedBefore) {
                tally.stops += arrived;
            }
            boolean spilled = s.spilledBack(l);
            if (spilled) {
                tally.spilledLanes++;
                if (!lastSpilled[l]) {
                    tally.spillBackOnsets++;
                }
            }
            lastSpilled[l] = spilled;
            int f = s.detectorFaults(l);
            if ((f & IntersectionView.FAULT_STOP_LINE) != 0) {
                tally.faultStopLine++;
            }
            if ((f & IntersectionView.FAULT_ADVANCE) != 0) {
                tally.faultAdvance++;
            }
            if ((f & IntersectionView.FAULT_AREA) != 0) {
                tally.faultArea++;
            }
        }
        for (int l = 0; l < lanes; l++) {
            for (int h = 0; h <= IntersectionState.HORIZON_S; h++) {
                forecast[l * (IntersectionState.HORIZON_S + 1) + h] = s.predictedQueueVeh(l, h);
            }
        }
        count++;
    }

    /** True when any link from incoming lane {@code lane} shows green (protected or permissive). */
    static boolean laneGreen(IntersectionSnapshot s, int lane) {
        IntersectionModel m = s.model();
        for (int link = 0; link < m.linkCount(); link++) {
            if (m.linkIncomingLane(link) == lane) {
                char c = s.shown(link);
                if (c == 'G' || c == 'g') {
                    return true;
                }
            }
        }
        return false;
    }

    /** Records held, at most {@link #CAPACITY_S}. */
    private int size() {
        return (int) Math.min(count, CAPACITY_S);
    }

    /** Ring slot of the {@code i}-th record held, oldest first. */
    private int slot(int i) {
        return (int) ((count - size() + i) % CAPACITY_S);
    }

    /**
     * Writes the detail of lane {@code lane} (or of all incoming lanes together when {@code lane} is negative) over
     * the hour held: the queue chart series and, per lane, arrivals, arrivals on green, greens and split failures; and
     * the coordination diagram of that lane (of the lane with the most arrivals when {@code lane} is negative).
     */
    synchronized void writeDetail(JsonGenerator g, int lane) throws IOException {
        int n = size();
        g.writeNumberField("recordsS", n);
        g.writeNumberField("predictionLeadS", PREDICTION_LEAD_S);
        g.writeFieldName("queue");
        g.writeStartObject();
        g.writeFieldName("t");
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            g.writeNumber(Math.round(timeS[slot(i)] * 10) / 10.0);
        }
        g.writeEndArray();
        g.writeFieldName("estimated");
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            g.writeNumber(round1(queueAt(lane, slot(i))));
        }
        g.writeEndArray();
        g.writeFieldName("predicted");
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            // The prediction made PREDICTION_LEAD_S records ago for this second.
            int j = i - PREDICTION_LEAD_S;
            if (j < 0) {
                g.writeNull();
            } else {
                g.writeNumber(round1(predictedAt(lane, slot(j))));
            }
        }
        g.writeEndArray();
        g.writeFieldName("forecast");
        g.writeStartArray();
        if (n > 0) {
            for (int h = 0; h <= IntersectionState.HORIZON_S; h++) {
                double sum = 0;
                for (int l = 0; l < lanes; l++) {
                    if (lane < 0 || l == lane) {
                        sum += forecast[l * (IntersectionState.HORIZON_S + 1) + h];
                    }
                }
                g.writeNumber(round1(sum));
            }
        }
        g.writeEndArray();
        g.writeEndObject();

        g.writeFieldName("lanes");
        g.writeStartArray();
        for (int l = 0; l < lanes; l++) {
            writeLaneMeasures(g, l);
        }
        g.writeEndArray();
        writeCoordinationDiagram(g, lane >= 0 ? lane : busiestLane());
    }

    /** The lane with the most arrivals held (0 when none arrived). */
    private int busiestLane() {
        int best = 0;
        long most = -1;
        for (int l = 0; l < lanes; l++) {
            long sum = 0;
            for (int i = 0, n = size(); i < n; i++) {
                sum += arrivals[l][slot(i)];
            }
            if (sum > most) {
                most = sum;
                best = l;
            }
        }
        return best;
    }

    private double queueAt(int lane, int k) {
        if (lane >= 0) {
            return queueVeh[lane][k];
        }
        double sum = 0;
        for (int l = 0; l < lanes; l++) {
            sum += queueVeh[l][k];
        }
        return sum;
    }

    private double predictedAt(int lane, int k) {
        if (lane >= 0) {
            return predictedVeh[lane][k];
        }
        double sum = 0;
        for (int l = 0; l < lanes; l++) {
            sum += predictedVeh[l][k];
        }
        return sum;
    }

    /** Arrivals, arrivals on green, greens and split failures of one lane over the records held. */
    private void writeLaneMeasures(JsonGenerator g, int l) throws IOException {
        int n = size();
        long arrived = 0;
        long onGreen = 0;
        long departed = 0;
        int greens = 0;
        int failures = 0;
        double queueAtGreenStart = -1;
        for (int i = 0; i < n; i++) {
            int k = slot(i);
            int a = arrivals[l][k];
            if (a > 0) {
                int at = i + advanceLeadS[l];
                // Arrivals whose stop-line second is not held yet are judged by the latest second.
                arrived += a;
                if (green[l][slot(Math.min(at, n - 1))]) {
                    onGreen += a;
                }
            }
            departed += departures[l][k];
            boolean wasGreen = i > 0 && green[l][slot(i - 1)];
            if (green[l][k] && !wasGreen && i > 0) {
                queueAtGreenStart = queueVeh[l][slot(i - 1)];
            } else if (!green[l][k] && wasGreen && queueAtGreenStart >= 0) {
                greens++;
                if (queueAtGreenStart >= SPLIT_FAILURE_QUEUE_VEH && queueVeh[l][k] >= SPLIT_FAILURE_QUEUE_VEH) {
                    failures++;
                }
                queueAtGreenStart = -1;
            }
        }
        g.writeStartObject();
        g.writeStringField("id", model.incomingLaneId(l));
        g.writeNumberField("arrivals", arrived);
        g.writeNumberField("arrivalsOnGreen", onGreen);
        g.writeNumberField("departures", departed);
        g.writeNumberField("greens", greens);
        g.writeNumberField("splitFailures", failures);
        g.writeNumberField("queueVeh", n > 0 ? round1(queueVeh[l][slot(n - 1)]) : 0);
        g.writeEndObject();
    }

    /**
     * The Purdue coordination diagram of lane {@code l}: for each cycle (red start to red start) its start, the
     * offset of its green and its length; and each arrival as (time, seconds into its cycle).
     */
    private void writeCoordinationDiagram(JsonGenerator g, int l) throws IOException {
        int n = size();
        g.writeFieldName("pcd");
        g.writeStartObject();
        g.writeStringField("lane", model.incomingLaneId(l));
        g.writeNumberField("advanceLeadS", advanceLeadS[l]);
        g.writeFieldName("cycles");
        g.writeStartArray();
        double cycleStart = Double.NaN;
        double greenStart = Double.NaN;
        for (int i = 1; i < n; i++) {
            boolean now = green[l][slot(i)];
            boolean before = green[l][slot(i - 1)];
            double t = timeS[slot(i)];
            if (now && !before) {
                greenStart = t;
            } else if (!now && before) {
                if (!Double.isNaN(cycleStart) && !Double.isNaN(greenStart) && greenStart >= cycleStart) {
                    g.writeStartArray();
                    g.writeNumber(cycleStart);
                    g.writeNumber(greenStart - cycleStart);
                    g.writeNumber(t - cycleStart);
                    g.writeEndArray();
                }
                cycleStart = t;
                greenStart = Double.NaN;
            }
        }
        g.writeEndArray();
        g.writeFieldName("arrivals");
        g.writeStartArray();
        for (int i = 1; i < n; i++) {
            int a = arrivals[l][slot(i)];
            if (a > 0) {
                double at = timeS[slot(i)] + advanceLeadS[l];
                // The arrival belongs to the cycle it reaches the stop line in.
                double start = cycleStartAt(l, Math.min(i + advanceLeadS[l], n - 1));
                if (!Double.isNaN(start)) {
                    for (int v = 0; v < a; v++) {
                        g.writeStartArray();
                        g.writeNumber(at);
                        g.writeNumber(at - start);
                        g.writeEndArray();
                    }
                }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Start of the cycle record {@code i} lies in (the latest red start at or before it), or NaN when not held. */
    private double cycleStartAt(int l, int i) {
        for (int j = i; j >= 1 && i - j < MAX_CYCLE_S; j--) {
            if (!green[l][slot(j)] && green[l][slot(j - 1)]) {
                return timeS[slot(j)];
            }
        }
        return Double.NaN;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Interval name for the dashboard. */
    static String intervalName(int interval) {
        return switch (interval) {
            case SafetyInterlock.GREEN -> "green";
            case SafetyInterlock.YELLOW -> "yellow";
            case SafetyInterlock.PEDESTRIAN_CLEARANCE -> "pedestrian clearance";
            default -> "all-red";
        };
    }

    /** Figures of one record over every intersection, for the network KPIs. Reset by its owner per record. */
    static final class Tally {
        long departures;
        double queueVehS;
        double queueVeh;
        long stops;
        int spilledLanes;
        int spillBackOnsets;
        int faultStopLine;
        int faultAdvance;
        int faultArea;

        void reset() {
            departures = 0;
            queueVehS = 0;
            queueVeh = 0;
            stops = 0;
            spilledLanes = 0;
            spillBackOnsets = 0;
            faultStopLine = 0;
            faultAdvance = 0;
            faultArea = 0;
        }
    }
}
