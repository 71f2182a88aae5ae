package org.greenwave.app.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.policy.RollingHorizonPolicy;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.LinkState;

/**
 * The alerts an operator sees and acknowledges: raised from the engine's own view of each signal (its snapshots), the
 * field port's link and the field controllers' status messages; never from a simulator's truth.
 *
 * <ul>
 *   <li><b>starvation</b>: a lane with vehicles has had no green for {@link #STARVED_S} (the adaptive controller's
 *       starvation bound);</li>
 *   <li><b>spill-back</b>: a lane's queue has spilled back past its detectors for {@link #SPILLBACK_S} without a
 *       break;</li>
 *   <li><b>gridlock</b>: for {@link #GRIDLOCK_S} no vehicle crossed a working stop-line loop of the signal while at
 *       least two of its lanes held standing queues and one of those had a green;</li>
 *   <li><b>detector-fault</b>: a lane's detector is flagged faulty;</li>
 *   <li><b>watchdog</b>: the watchdog handed the signal back to its own program;</li>
 *   <li><b>broker-down</b>: the engine's field link (MQTT: its broker connection) has been down for
 *   {@link #BROKER_DOWN_S};</li>
 *   <li><b>field-fallback</b>: the signal's controller reports it follows no engine plan (its own fallback).</li>
 * </ul>
 * An alert stays open while its condition holds and is marked cleared when it ends; it leaves the list of open alerts
 * once it is both cleared and acknowledged. A condition that comes back after that raises a new alert.
 *
 * <p>Threading: {@link #evaluate} and {@link #evaluateLink} on the dashboard's sampler thread; the other methods
 * from any thread (synchronized; the sampler holds the lock only briefly).
 */
public final class Alerts {
    /** A lane with vehicles and no green for this long is starved, seconds. */
    public static final double STARVED_S = RollingHorizonPolicy.MAX_WAIT_S;
    /** A lane spilled back this long without a break raises an alert, seconds. */
    public static final double SPILLBACK_S = 120;
    /** No discharge for this long with standing queues is gridlock, seconds. */
    public static final double GRIDLOCK_S = 120;
    /** The broker connection down this long raises an alert, seconds of wall time. */
    public static final double BROKER_DOWN_S = 5;
    /** Alerts kept, open or not; the oldest closed ones go first. */
    static final int MAX_KEPT = 500;

    /** What an alert is about; {@link #code()} is the name in the API. */
    public enum Kind {
        STARVATION("starvation"), SPILL_BACK("spill-back"), GRIDLOCK("gridlock"), DETECTOR_FAULT("detector-fault"),
        WATCHDOG("watchdog"), BROKER_DOWN("broker-down"), FIELD_FALLBACK("field-fallback");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** One alert; mutable under the book's lock. */
    static final class Alert {
        final long id;
        final Kind kind;
        final String signal;
        final String key;
        final String message;
        final long raisedAtMs;
        final double raisedEngineS;
        long clearedAtMs;
        String ackBy;
        long ackAtMs;

        Alert(long id, Kind kind, String signal, String key, String message, long raisedAtMs, double raisedEngineS) {
            this.id = id;
            this.kind = kind;
            this.signal = signal;
            this.key = key;
            this.message = message;
            this.raisedAtMs = raisedAtMs;
            this.raisedEngineS = raisedEngineS;
        }

        boolean open() {
            return clearedAtMs == 0 || ackBy == null;
        }
    }

    private final List<Alert> alerts = new ArrayList<>();
    /** The uncleared alert of each condition key. */
    private final Map<String, Alert> active = new HashMap<>();
    private long nextId = 1;

    // Sampler-thread state per signal.
    private final IntersectionModel[] models;
    private final double[][] redWithDemandSinceS;
    private final double[][] spilledSinceS;
    private final long[] lastStopLineTotal;
    private final double[] lastDischargeS;
    private final boolean[] greenWithQueue;
    private long brokerDownSinceMs;
    /** Condition keys seen this evaluation. */
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    public Alerts(List<IntersectionModel> models) {
        this.models = models.toArray(new IntersectionModel[0]);
        int n = models.size();
        redWithDemandSinceS = new double[n][];
        spilledSinceS = new double[n][];
        for (int i = 0; i < n; i++) {
            redWithDemandSinceS[i] = new double[models.get(i).incomingLaneCount()];
            spilledSinceS[i] = new double[models.get(i).incomingLaneCount()];
            Arrays.fill(redWithDemandSinceS[i], Double.NaN);
            Arrays.fill(spilledSinceS[i], Double.NaN);
        }
        lastStopLineTotal = new long[n];
        lastDischargeS = new double[n];
        Arrays.fill(lastDischargeS, Double.NaN);
        greenWithQueue = new boolean[n];
    }

    /**
     * Sampler thread, once per second of engine time: raises and clears the signals' alerts.
     *
     * @param snapshots the signals' snapshots, just taken
     * @param statuses  the newest controller status per signal (null entries: none received)
     * @param wallMs    wall-clock time now, for the record
     */
    public void evaluate(IntersectionSnapshot[] snapshots, ControllerStatus[] statuses, long wallMs) {
        seen.clear();
        for (int i = 0; i < snapshots.length; i++) {
            IntersectionSnapshot s = snapshots[i];
            if (s.ticks() == 0) {
                continue;
            }
            evaluateSignal(i, s, wallMs);
            ControllerStatus st = statuses == null ? null : statuses[i];
            if (st != null && st.program() == null && st.planSequence() < 0) {
                raise(Kind.FIELD_FALLBACK, models[i].id(), "", "the controller of " + models[i].id()
                        + " follows no engine plan: it runs its own fallback", wallMs, s.nowS());
            }
        }
        clearUnseen(wallMs, false);
    }

    private void evaluateSignal(int i, IntersectionSnapshot s, long wallMs) {
        IntersectionModel m = models[i];
        String id = m.id();
        double nowS = s.nowS();
        int queued = 0;
        boolean anyQueuedGreen = false;
        long stopTotal = 0;
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            int faults = s.detectorFaults(lane);
            if (faults != 0) {
                raise(Kind.DETECTOR_FAULT, id, m.incomingLaneId(lane), "lane " + m.incomingLaneId(lane) + " of " + id
                        + ": " + faultNames(faults) + " detector faulty", wallMs, nowS);
            }
            boolean green = laneGreen(m, s, lane);
            boolean demand = faults == 0 && !m.incomingLaneIsCrossing(lane) && s.queueVeh(lane) >= 0.5;
            double[] since = redWithDemandSinceS[i];
            if (green || !demand) {
                since[lane] = Double.NaN;
            } else if (Double.isNaN(since[lane])) {
                since[lane] = nowS;
            } else if (nowS - since[lane] >= STARVED_S) {
                raise(Kind.STARVATION, id, m.incomingLaneId(lane), String.format(Locale.ROOT,
                        "lane %s of %s has had vehicles and no green since engine time %.0f s",
                        m.incomingLaneId(lane), id, since[lane]), wallMs, nowS);
            }
            double[] spilled = spilledSinceS[i];
            if (!s.spilledBack(lane)) {
                spilled[lane] = Double.NaN;
            } else if (Double.isNaN(spilled[lane])) {
                spilled[lane] = nowS;
            } else if (nowS - spilled[lane] >= SPILLBACK_S) {
                raise(Kind.SPILL_BACK, id, m.incomingLaneId(lane), String.format(Locale.ROOT,
                        "lane %s of %s has spilled back past its detectors since engine time %.0f s",
                        m.incomingLaneId(lane), id, spilled[lane]), wallMs, nowS);
            }
            if (s.queueVeh(lane) >= 1 && !m.incomingLaneIsCrossing(lane)) {
                queued++;
                anyQueuedGreen |= green;
            }
            stopTotal += s.stopLineCount(lane);
        }
        if (stopTotal != lastStopLineTotal[i] || queued < 2 || Double.isNaN(lastDischargeS[i])) {
            lastStopLineTotal[i] = stopTotal;
            lastDischargeS[i] = nowS;
            greenWithQueue[i] = false;
        } else {
            greenWithQueue[i] |= anyQueuedGreen;
            if (greenWithQueue[i] && nowS - lastDischargeS[i] >= GRIDLOCK_S) {
                raise(Kind.GRIDLOCK, id, "", String.format(Locale.ROOT,
                        "%s: no vehicle has crossed a stop line since engine time %.0f s, with %d lanes queued",
                        id, lastDischargeS[i], queued), wallMs, nowS);
            }
        }
        if (s.watchdogSuspended()) {
            raise(Kind.WATCHDOG, id, "", id + " is back on its own program: " + s.watchdogReason(), wallMs, nowS);
        }
    }

    /**
     * Sampler thread: the engine's field port's link (for MQTT its broker connection; the alert keeps the code
     * {@code broker-down} whatever the protocol).
     *
     * @param protocol the port's {@linkplain org.greenwave.core.port.FieldPort#protocol() protocol}, named in the
     *                 message
     */
    public void evaluateLink(String protocol, LinkState state, long wallMs, double engineS) {
        if (state == LinkState.CONNECTED) {
            brokerDownSinceMs = 0;
            clear("broker-down", wallMs);
            return;
        }
        if (brokerDownSinceMs == 0) {
            brokerDownSinceMs = wallMs;
        } else if (wallMs - brokerDownSinceMs >= BROKER_DOWN_S * 1000) {
            raise(Kind.BROKER_DOWN, "", "", "the engine's " + protocol.toUpperCase(Locale.ROOT) + " connection is "
                    + state.name().toLowerCase(Locale.ROOT)
                    + " since " + java.time.Instant.ofEpochMilli(brokerDownSinceMs), wallMs, engineS);
        }
    }

    private static boolean laneGreen(IntersectionModel m, IntersectionSnapshot s, int lane) {
        for (int l = 0; l < m.linkCount(); l++) {
            if (m.linkUsed(l) && m.linkIncomingLane(l) == lane && SignalChar.isGreen(s.shown(l))) {
                return true;
            }
        }
        return false;
    }

    private static String faultNames(int faults) {
        StringBuilder b = new StringBuilder();
        if ((faults & org.greenwave.core.state.IntersectionView.FAULT_STOP_LINE) != 0) {
            b.append("stop-line");
        }
        if ((faults & org.greenwave.core.state.IntersectionView.FAULT_ADVANCE) != 0) {
            b.append(b.length() > 0 ? ", " : "").append("advance");
        }
        if ((faults & org.greenwave.core.state.IntersectionView.FAULT_AREA) != 0) {
            b.append(b.length() > 0 ? ", " : "").append("lane-area");
        }
        return b.toString();
    }

    private synchronized void raise(Kind kind, String signal, String detail, String message, long wallMs,
                                    double engineS) {
        String key = kind.code + "|" + signal + "|" + detail;
        seen.add(key);
        if (active.containsKey(key)) {
            return;
        }
        Alert a = new Alert(nextId++, kind, signal, key, message, wallMs, engineS);
        active.put(key, a);
        alerts.add(a);
        trim();
    }

    private synchronized void clear(String keyPrefix, long wallMs) {
        active.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(keyPrefix)) {
                e.getValue().clearedAtMs = wallMs;
                return true;
            }
            return false;
        });
    }

    /** Clears the signals' alerts whose condition was not seen in this evaluation (the broker's are left alone). */
    private synchronized void clearUnseen(long wallMs, boolean broker) {
        active.entrySet().removeIf(e -> {
            boolean isBroker = e.getValue().kind == Kind.BROKER_DOWN;
            if (isBroker == broker && !seen.contains(e.getKey())) {
                e.getValue().clearedAtMs = wallMs;
                return true;
            }
            return false;
        });
    }

    private void trim() {
        for (int i = 0; alerts.size() > MAX_KEPT && i < alerts.size(); ) {
            if (!alerts.get(i).open()) {
                alerts.remove(i);
            } else {
                i++;
            }
        }
    }

    /**
     * Acknowledges alert {@code id}; any thread.
     *
     * @return a description of the alert for the audit log
     * @throws IllegalArgumentException when there is no such alert
     * @throws IllegalStateException    when it was acknowledged already (by whom, when)
     */
    public synchronized String acknowledge(long id, String user, long wallMs) {
        for (Alert a : alerts) {
            if (a.id == id) {
                if (a.ackBy != null) {
                    throw new IllegalStateException("alert " + id + " was acknowledged by " + a.ackBy + " at "
                            + java.time.Instant.ofEpochMilli(a.ackAtMs));
                }
                a.ackBy = user;
                a.ackAtMs = wallMs;
                return a.kind.code + (a.signal.isEmpty() ? "" : " at " + a.signal) + ": " + a.message;
            }
        }
        throw new IllegalArgumentException("no alert " + id);
    }

    /** Takes back an acknowledgement that could not be recorded; any thread. */
    synchronized void unacknowledge(long id) {
        for (Alert a : alerts) {
            if (a.id == id) {
                a.ackBy = null;
                a.ackAtMs = 0;
            }
        }
    }

    /** Open alerts (not both cleared and acknowledged), newest first, as JSON; any thread. */
    public synchronized ArrayNode json(boolean all) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = alerts.size() - 1; i >= 0; i--) {
            Alert a = alerts.get(i);
            if (!all && !a.open()) {
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("id", a.id);
            o.put("kind", a.kind.code);
            o.put("signal", a.signal);
            o.put("message", a.message);
            o.put("raisedAt", java.time.Instant.ofEpochMilli(a.raisedAtMs).toString());
            o.put("raisedEngineS", Math.round(a.raisedEngineS));
            o.put("active", a.clearedAtMs == 0);
            if (a.clearedAtMs != 0) {
                o.put("clearedAt", java.time.Instant.ofEpochMilli(a.clearedAtMs).toString());
            }
            if (a.ackBy != null) {
                o.put("acknowledgedBy", a.ackBy);
                o.put("acknowledgedAt", java.time.Instant.ofEpochMilli(a.ackAtMs).toString());
            }
        }
        return out;
    }

    /** Open alerts not yet acknowledged; any thread. */
    public synchronized int unacknowledged() {
        int n = 0;
        for (Alert a : alerts) {
            n += a.ackBy == null ? 1 : 0;
        }
        return n;
    }
}
