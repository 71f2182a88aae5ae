package org.greenwave.app.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OperatorCommand;
import org.greenwave.core.oversight.OperatorCommand.Kind;
import org.greenwave.core.oversight.OversightEvent;
import org.greenwave.core.oversight.OversightListener;
import org.greenwave.core.oversight.OverrideStatus;
import org.greenwave.core.policy.DecisionExplanation;

/**
 * Operators' oversight of the engine, behind the dashboard's API: their commands to signals (checked, recorded in the
 * audit log, then handed to the engine), what the engine reports back (applied, expired, completed: recorded too),
 * why the policy decided as it did, and the alerts they acknowledge.
 *
 * <p>Every request is recorded in the audit log before it reaches the engine; when the log cannot be written the
 * request is refused. The engine's reports arrive on its shard threads ({@link #onEvent}, never blocking) and are
 * written to the log by the dashboard's sampler ({@link #drain}).
 *
 * <p>Threading: {@link #attach} and {@link #drain} on the sampler thread; {@link #onEvent} on the engine's shard
 * threads; the request methods on any thread.
 */
public final class Oversight implements OversightListener {
    /** How long a command lasts when the request names no duration, seconds. */
    public static final double DEFAULT_DURATION_S = 900;
    /** Engine reports kept for the page. */
    static final int RECENT_EVENTS = 50;

    /** Where actions are recorded: the dashboard's audit log. Must throw when it cannot record. */
    @FunctionalInterface
    public interface AuditSink {
        void record(String actor, String action, String target, String detail);
    }

    /** A JSON answer and its HTTP status. */
    public record Answer(int status, String json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile AuditSink audit = (actor, action, target, detail) -> {
        throw new IllegalStateException("no audit log is connected: operator actions are refused");
    };
    private final LongSupplier wallMs;
    private final Alerts alerts;
    private final ConcurrentLinkedQueue<OversightEvent> pending = new ConcurrentLinkedQueue<>();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private volatile Engine engine;

    /** Until {@link #auditTo} connects an audit log, every action is refused. */
    public Oversight(List<IntersectionModel> models, LongSupplier wallMs) {
        this.wallMs = wallMs;
        this.alerts = new Alerts(models);
    }

    /** Records actions and the engine's reports in {@code sink} from now on. */
    public void auditTo(AuditSink sink) {
        this.audit = java.util.Objects.requireNonNull(sink, "sink");
    }

    /**
     * Serves this oversight on {@code server}: records in its audit log, and registers the operators' actions
     * ({@code POST /api/signals/{id}/command}, {@code POST /api/alerts/{id}/ack}, role operator) and queries
     * ({@code GET /api/signals/{id}/why}, {@code /api/alerts}, {@code /api/oversight}, role viewer).
     */
    public void register(DashboardServer server) {
        auditTo((actor, action, target, detail) -> server.audit().record(actor, action, target, detail));
        server.action("/api/signals/{id}/command", Role.OPERATOR,
                r -> answer(command(r.user(), r.path("id"), fields(r.body(), r.params()))));
        server.action("/api/alerts/{id}/ack", Role.OPERATOR, r -> answer(acknowledge(r.user(), r.path("id"))));
        server.query("/api/signals/{id}/why", Role.VIEWER, r -> answer(why(r.path("id"))));
        server.query("/api/alerts", Role.VIEWER, r -> answer(alertList("1".equals(r.params().get("all")))));
        server.query("/api/oversight", Role.VIEWER, r -> answer(overview()));
    }

    private static ApiResponse answer(Answer a) {
        return ApiResponse.json(a.status(), a.json());
    }

    /** The alert book this oversight acknowledges in. */
    public Alerts alerts() {
        return alerts;
    }

    /** Starts taking commands for {@code engine}, whose context reports to this listener. */
    public void attach(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void onEvent(OversightEvent event) {
        pending.offer(event);
    }

    /** Sampler thread: records the engine's reports in the audit log and keeps the newest for the page. */
    public void drain() {
        OversightEvent e;
        while ((e = pending.poll()) != null) {
            String action = "override." + e.type().name().toLowerCase(Locale.ROOT);
            String detail = e.command().describe() + " set by " + e.command().setBy() + ": " + e.message();
            try {
                audit.record("engine", action, "signal:" + e.intersectionId(), detail);
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(Oversight.class).error("audit log: cannot record {} at {}: {}",
                        action, e.intersectionId(), ex.toString());
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("signal", e.intersectionId());
            o.put("type", e.type().name().toLowerCase(Locale.ROOT));
            o.put("command", e.command().kind().code());
            o.put("setBy", e.command().setBy());
            o.put("engineTimeS", Math.round(e.engineTimeS()));
            o.put("message", e.message());
            synchronized (recent) {
                recent.addFirst(o);
                if (recent.size() > RECENT_EVENTS) {
                    recent.removeLast();
                }
            }
        }
    }

    private Engine engine() {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("no engine runs yet");
        }
        return e;
    }

    private static int signalIndex(Engine e, String signal) {
        int i;
        try {
            i = Integer.parseInt(signal);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("signal must be an index, was '" + signal + "'");
        }
        if (i < 0 || i >= e.intersectionCount()) {
            throw new IllegalArgumentException("no signal " + i + "; there are 0.." + (e.intersectionCount() - 1));
        }
        return i;
    }

    /**
     * The fields of a request: a JSON object body's members (arrays joined by commas), else the form's fields.
     *
     * @throws IllegalArgumentException when the body is not a JSON object
     */
    static Map<String, String> fields(String body, Map<String, String> params) {
        Map<String, String> f = new LinkedHashMap<>(params);
        if (body != null && body.stripLeading().startsWith("{")) {
            JsonNode n;
            try {
                n = JSON.readTree(body);
            } catch (JsonProcessingException ex) {
                throw new IllegalArgumentException("request body is not valid JSON: " + ex.getOriginalMessage());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                JsonNode v = m.getValue();
                if (v.isArray()) {
                    StringBuilder b = new StringBuilder();
                    for (JsonNode x : v) {
                        b.append(b.length() > 0 ? "," : "").append(x.asText());
                    }
                    f.put(m.getKey(), b.toString());
                } else if (!v.isNull()) {
                    f.put(m.getKey(), v.asText());
                }
            }
        }
        return f;
    }

    /**
     * An operator's command to signal {@code signal}: fields {@code mode} ({@code adaptive}, {@code own-program},
     * {@code fixed}, {@code flash}) or {@code action} ({@code hold}, {@code advance}, {@code freeze}); {@code phase}
     * for advance; {@code greensS} (one per phase, comma-separated) for fixed; {@code durationS} (default
     * {@value #DEFAULT_DURATION_S}); {@code note}. Recorded in the audit log, then handed to the engine.
     *
     * @throws IllegalArgumentException (400) naming what is wrong with the request
     * @throws IllegalStateException    (409) when no engine runs or its command queue is full
     */
    public Answer command(String user, String signal, Map<String, String> fields) {
        Engine e = engine();
        int i = signalIndex(e, signal);
        String mode = fields.get("mode");
        String action = fields.get("action");
        if ((mode == null) == (action == null)) {
            throw new IllegalArgumentException("give either 'mode' (adaptive, own-program, fixed, flash) or 'action'"
                    + " (hold, advance, freeze)");
        }
        Kind kind = Kind.of(mode != null ? mode : action);
        boolean isAction = kind == Kind.HOLD || kind == Kind.ADVANCE || kind == Kind.FREEZE;
        if (mode != null && isAction) {
            throw new IllegalArgumentException("'" + mode + "' is an action, not a mode");
        }
        if (action != null && !isAction) {
            throw new IllegalArgumentException("'" + action + "' is a mode, not an action");
        }
        double durationS = number(fields, "durationS", DEFAULT_DURATION_S);
        String note = fields.getOrDefault("note", "").strip();
        if (note.length() > 500) {
            throw new IllegalArgumentException("note is longer than 500 characters");
        }
        OperatorCommand c;
        switch (kind) {
            case ADAPTIVE:
                c = OperatorCommand.adaptive(i, user, note);
                break;
            case ADVANCE:
                c = OperatorCommand.advance(i, (int) number(fields, "phase", Double.NaN), durationS, user, note);
                break;
            case FIXED_PLAN: {
                String g = fields.get("greensS");
                if (g == null || g.isBlank()) {
                    throw new IllegalArgumentException("a fixed plan needs 'greensS', one green per phase in seconds");
                }
                String[] parts = g.split(",");
                double[] greens = new double[parts.length];
                for (int p = 0; p < parts.length; p++) {
                    try {
                        greens[p] = Double.parseDouble(parts[p].strip());
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("greensS: '" + parts[p].strip() + "' is not a number");
                    }
                }
                c = OperatorCommand.fixedPlan(i, greens, durationS, user, note);
                break;
            }
            default:
                c = OperatorCommand.of(kind, i, durationS, user, note);
                break;
        }
        e.check(c);
        String id = e.model(i).id();
        audit.record(user, auditAction(kind), "signal:" + id, c.describe() + (note.isEmpty() ? "" : "; note: " + note));
        if (!e.submit(c)) {
            audit.record("engine", "override.refused", "signal:" + id, c.describe() + " set by " + user
                    + ": the engine's command queue is full");
            throw new IllegalStateException("the engine's command queue is full; try again");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("ok", true);
        o.put("signal", id);
        o.put("command", c.describe());
        o.put("setBy", user);
        return new Answer(202, o.toString());
    }

    private static String auditAction(Kind kind) {
        switch (kind) {
            case HOLD:
                return "signal.hold";
            case ADVANCE:
                return "signal.advance";
            case FREEZE:
                return "plan.freeze";
            default:
                return "signal.mode";
        }
    }

    private static double number(Map<String, String> fields, String name, double fallback) {
        String v = fields.get(name);
        if (v == null || v.isBlank()) {
            if (Double.isNaN(fallback)) {
                throw new IllegalArgumentException("'" + name + "' is required");
            }
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + name + "' must be a number, was '" + v + "'");
        }
    }

    /** Acknowledges alert {@code id} as {@code user}, recorded in the audit log. */
    public Answer acknowledge(String user, String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("alert id must be a number, was '" + id + "'");
        }
        String what = alerts.acknowledge(n, user, wallMs.getAsLong());
        try {
            audit.record(user, "alert.ack", "alert:" + n, what);
        } catch (RuntimeException ex) {
            alerts.unacknowledge(n);
            throw ex;
        }
        return new Answer(200, "{\"ok\":true}");
    }

    /** The alerts ({@code all}: also those closed), newest first. */
    public Answer alertList(boolean all) {
        ObjectNode o = JSON.createObjectNode();
        o.put("unacknowledged", alerts.unacknowledged());
        o.set("alerts", alerts.json(all));
        return new Answer(200, o.toString());
    }

    /** The overrides in force at every signal and the engine's newest reports about them. */
    public Answer overview() {
        Engine e = engine();
        ObjectNode o = JSON.createObjectNode();
        ArrayNode signals = o.putArray("overrides");
        for (int i = 0; i < e.intersectionCount(); i++) {
            IntersectionSnapshot s = e.newSnapshot(i);
            e.snapshot(i, s);
            if (s.override() != null) {
                ObjectNode x = signals.addObject();
                x.put("index", i);
                x.put("signal", e.model(i).id());
                x.set("override", overrideJson(s.override()));
            }
        }
        ArrayNode events = o.putArray("events");
        synchronized (recent) {
            for (ObjectNode n : recent) {
                events.add(n);
            }
        }
        return new Answer(200, o.toString());
    }

    /** The override in force as JSON, or null. */
    static ObjectNode overrideJson(OverrideStatus st) {
        if (st == null) {
            return null;
        }
        ObjectNode x = JSON.createObjectNode();
        OperatorCommand c = st.command();
        x.put("kind", c.kind().code());
        x.put("isAction", !c.kind().engineDriven() || c.kind() == Kind.FIXED_PLAN ? false : true);
        x.put("describe", c.describe());
        x.put("setBy", c.setBy());
        x.put("note", c.note());
        x.put("sinceS", Math.round(st.sinceS()));
        x.put("expiresAtS", Math.round(st.expiresAtS()));
        x.put("flashing", st.flashing());
        if (st.heldPhase() >= 0) {
            x.put("phase", st.heldPhase());
        }
        return x;
    }

    /**
     * Why signal {@code signal}'s policy decided as it did at its last tick: what it saw per phase, the clusters, the
     * chosen schedule and its delay against the best schedule beginning with each other phase.
     */
    public Answer why(String signal) {
        Engine e = engine();
        int i = signalIndex(e, signal);
        IntersectionModel m = e.model(i);
        IntersectionSnapshot s = e.newSnapshot(i);
        e.snapshot(i, s);
        ObjectNode o = JSON.createObjectNode();
        o.put("signal", m.id());
        o.set("override", overrideJson(s.override()));
        DecisionExplanation x = e.newExplanation(i);
        if (x == null || !e.explain(i, x) || Double.isNaN(x.nowS())) {
            o.put("explained", false);
            o.put("text", x == null ? "this signal's controller records no explanation (greenwave's adaptive"
                    + " controller does)" : "no decision yet");
            return new Answer(200, o.toString());
        }
        o.put("explained", true);
        o.put("engineTimeS", x.nowS());
        o.put("reason", x.reasonName());
        o.put("proposal", x.proposal());
        o.put("currentPhase", x.currentPhase());
        o.put("green", x.green());
        if (x.starvedLink() >= 0) {
            int lane = m.linkIncomingLane(x.starvedLink());
            o.put("starvedLane", lane >= 0 ? m.incomingLaneId(lane) : "");
            o.put("starvedLink", x.starvedLink());
            o.put("starvedWaitS", Math.round(x.starvedWaitS()));
        }
        if (x.turnLink() >= 0) {
            int lane = m.linkIncomingLane(x.turnLink());
            o.put("turnLane", lane >= 0 ? m.incomingLaneId(lane) : "");
            o.put("turnQueueVeh", round1(x.turnQueueVeh()));
        }
        if (x.meteredLink() >= 0) {
            int lane = m.linkIncomingLane(x.meteredLink());
            o.put("meteredLane", lane >= 0 ? m.incomingLaneId(lane) : "");
            o.put("meteredVeh", round1(x.meteredVeh()));
        }
        ArrayNode phases = o.putArray("phases");
        for (int p = 0; p < x.phaseCount(); p++) {
            ObjectNode ph = phases.addObject();
            ph.put("phase", p);
            ph.put("state", m.greenPhaseString(p));
            ph.put("queueVeh", round1(x.queueVeh(p)));
            ph.put("arrivingVeh", round1(x.arrivingVeh(p)));
            ph.put("serviceVehPerS", round1(x.serviceVehPerS(p) * 10) / 10);
            ph.put("heldBack", x.heldBack(p));
            ArrayNode cl = ph.putArray("clusters");
            for (int c = 0; c < x.clusterCount(p); c++) {
                ObjectNode k = cl.addObject();
                k.put("fromS", round1(x.clusterStartS(p, c)));
                k.put("toS", round1(x.clusterEndS(p, c)));
                k.put("veh", round1(x.clusterVeh(p, c)));
            }
        }
        ArrayNode seq = o.putArray("schedule");
        for (int k = 0; k < x.scheduleLength(); k++) {
            ObjectNode n = seq.addObject();
            n.put("phase", x.schedulePhase(k));
            n.put("startS", round1(x.scheduleStartS(k)));
            n.put("endS", round1(x.scheduleEndS(k)));
            n.put("veh", round1(x.scheduleVeh(k)));
        }
        o.put("delayVehS", round1(x.delayVehS()));
        List<double[]> alternatives = new ArrayList<>();
        int chosenFirst = x.scheduleLength() > 0 ? x.schedulePhase(0) : -1;
        for (int p = 0; p < x.phaseCount(); p++) {
            if (p != chosenFirst) {
                double d = x.alternativeDelayVehS(p);
                if (!Double.isNaN(d)) {
                    alternatives.add(new double[] {p, d});
                }
            }
        }
        alternatives.sort((a, b) -> Double.compare(a[1], b[1]));
        ArrayNode alt = o.putArray("alternatives");
        for (double[] a : alternatives) {
            ObjectNode n = alt.addObject();
            n.put("firstPhase", (int) a[0]);
            n.put("delayVehS", round1(a[1]));
            n.put("extraVehS", round1(a[1] - x.delayVehS()));
            n.put("heldBack", x.heldBack((int) a[0]));
        }
        o.put("text", sentence(x, m, alternatives));
        return new Answer(200, o.toString());
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The decision in one sentence, for people. */
    private static String sentence(DecisionExplanation x, IntersectionModel m, List<double[]> alternatives) {
        String s = reasonSentence(x, m, alternatives);
        if (x.meteredLink() >= 0) {
            int lane = m.linkIncomingLane(x.meteredLink());
            s += String.format(Locale.ROOT, " Metered at the network's edge: %.0f vehicles in view entering from"
                    + " outside (most on %s) are not counted while the link they would take toward the next signal is"
                    + " half occupied.", x.meteredVeh(), lane >= 0 ? m.incomingLaneId(lane) : "a lane");
        }
        return s;
    }

    private static String reasonSentence(DecisionExplanation x, IntersectionModel m, List<double[]> alternatives) {
        switch (x.reason()) {
            case DecisionExplanation.MIN_GREEN:
                return String.format(Locale.ROOT, "Kept phase %d: its minimum green of %.0f s was not over.",
                        x.currentPhase(), m.effectiveMinGreenS(x.currentPhase()));
            case DecisionExplanation.TRANSITION:
                return "Changing to phase " + x.proposal() + ": amber and all-red under way.";
            case DecisionExplanation.STARVATION:
                return String.format(Locale.ROOT, "Phase %d forced: a movement had waited %.0f s (bound %.0f s).",
                        x.proposal(), x.starvedWaitS(), org.greenwave.core.policy.RollingHorizonPolicy.MAX_WAIT_S);
            case DecisionExplanation.NO_DEMAND:
                return "Kept phase " + x.currentPhase() + ": no phase has vehicles to serve.";
            default: {
                String s = String.format(Locale.ROOT, "Phase %d %s: the schedule starting with it delays the vehicles"
                        + " in view %.0f veh·s", x.proposal(), x.proposal() == x.currentPhase() ? "kept" : "chosen",
                        x.delayVehS());
                if (!alternatives.isEmpty()) {
                    double[] best = alternatives.get(0);
                    s += String.format(Locale.ROOT, "; the best starting with phase %d, %.0f veh·s (%+.0f)",
                            (int) best[0], best[1], best[1] - x.delayVehS());
                }
                s += ".";
                if (x.turnLink() >= 0) {
                    StringBuilder held = new StringBuilder();
                    for (int p = 0; p < x.phaseCount(); p++) {
                        if (x.heldBack(p)) {
                            held.append(held.length() == 0 ? "" : ", ").append(p);
                        }
                    }
                    int lane = m.linkIncomingLane(x.turnLink());
                    s += String.format(Locale.ROOT, " Held back by the turn rule: phase %s (each has had a green while"
                            + " %s, with %.0f standing vehicles, waited).", held,
                            lane >= 0 ? m.incomingLaneId(lane) : "a lane", x.turnQueueVeh());
                }
                return s;
            }
        }
    }
}
