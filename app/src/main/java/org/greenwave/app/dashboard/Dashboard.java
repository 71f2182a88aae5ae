package org.greenwave.app.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineMetrics;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.MetricSource;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.SumoNet;

/**
 * What the dashboard shows, read from the engine's own state as a field deployment has it: the engine's snapshots
 * (signal states, detector counts, queue estimates and predictions), its metrics, the plans it issued (through a
 * {@link PlanTap}) and, in live operation, the field port's counters ({@link FieldPort}, whatever its protocol). Never the simulator's ground truth.
 *
 * <p>One thread, the sampler, calls {@link #attach}, {@link #sample} and {@link #finish}: in live operation a timer
 * thread ({@link LiveSampler}), in a simulated run the run's thread ({@link DashboardObserver}). It records one second
 * of history per intersection whenever the engine clock has moved on by a second, and rebuilds the frame the browsers
 * receive at most {@link #FRAMES_PER_S} times a second of wall time. The HTTP threads read the frame, the histories
 * (under their locks) and the metrics (thread-safe counters).
 */
public final class Dashboard {
    /** Frames built per second of wall time, at most. */
    static final int FRAMES_PER_S = 5;
    private static final long FRAME_NS = 1_000_000_000L / FRAMES_PER_S;

    /** Whether the engine runs on the wall clock or on a simulated one. */
    public enum ClockKind {
        WALL, SIMULATED
    }

    private final JsonFactory json = new JsonFactory();
    private final byte[] network;
    private final int signalCount;
    /** Signal index by id, for controller status messages; read-only after construction. */
    private final Map<String, Integer> signalIndex = new HashMap<>();
    /** Controller status messages received per signal; written by the field port's thread, read by the sampler. */
    private final AtomicLongArray statuses;
    private final ClockKind clockKind;
    /** The newest controller status message per signal; written by the field port's thread, read by the sampler. */
    private final AtomicReferenceArray<ControllerStatus> lastStatus;
    private final ControllerStatus[] statusScratch;
    private final Oversight oversight;
    private final Object frameLock = new Object();
    private volatile Frame frame;
    private volatile Attached attached;
    private volatile HealthFigures health = HealthFigures.NONE;
    private volatile String status = "waiting";
    private volatile ReasonCounts fieldRefusals;
    private volatile String runLabel = "";

    // Sampler-thread state.
    private IntersectionSnapshot[] snapshots;
    private IntersectionHistory[] histories;
    private NetworkKpis kpis = new NetworkKpis();
    private final IntersectionHistory.Tally tally = new IntersectionHistory.Tally();
    private double lastRecordS = Double.NaN;
    private long lastFrameNs;
    private long frameSeq;
    private long rateWallNs;
    private long rateMessagesIn;
    private double rateEngineS = Double.NaN;
    private long rateEvents;
    private double messagesPerS = Double.NaN;
    private double eventsPerEngineS = Double.NaN;

    /**
     * @param title   shown in the page header, e.g. the scenario's name
     * @param net     the network drawn
     * @param signals the signals, in the engine's order
     */
    public Dashboard(String title, SumoNet net, List<ControlledIntersection> signals, ClockKind clockKind) {
        this.network = NetworkView.json(title, net, signals);
        this.signalCount = signals.size();
        for (int i = 0; i < signals.size(); i++) {
            signalIndex.put(signals.get(i).id(), i);
        }
        this.statuses = new AtomicLongArray(signalCount);
        this.lastStatus = new AtomicReferenceArray<>(signalCount);
        this.statusScratch = new ControllerStatus[signalCount];
        this.oversight = new Oversight(signals.stream().map(ControlledIntersection::model).toList(),
                System::currentTimeMillis);
        this.clockKind = clockKind;
        this.frame = new Frame(0, buildFrame(null));
    }

    /**
     * Starts showing {@code engine}; sampler thread. Replaces an engine shown before (the history starts afresh).
     *
     * @param latency the engine's decision-latency window (its one reader of the latency)
     * @param plans   the tap on the engine's plans, or null when the plans are not available
     * @param port    the engine's field port, or null when there is none to show (in process)
     * @param label   what runs, e.g. "max-pressure, seed 1"
     * @throws IllegalArgumentException if the engine does not control the signals this dashboard draws
     */
    public void attach(Engine engine, DecisionLatencyWindow latency, PlanTap plans, FieldPort port, String label) {
        if (engine.intersectionCount() != signalCount) {
            throw new IllegalArgumentException("the engine controls " + engine.intersectionCount()
                    + " intersections, the dashboard draws " + signalCount);
        }
        int n = engine.intersectionCount();
        snapshots = new IntersectionSnapshot[n];
        histories = new IntersectionHistory[n];
        for (int i = 0; i < n; i++) {
            snapshots[i] = engine.newSnapshot(i);
            histories[i] = new IntersectionHistory(engine.model(i));
        }
        kpis = new NetworkKpis();
        lastRecordS = Double.NaN;
        rateEngineS = Double.NaN;
        rateWallNs = 0;
        runLabel = label;
        status = "live";
        oversight.attach(engine);
        attached = new Attached(engine, histories, plans, port, latency);
    }

    /**
     * Operators' oversight of the engine shown: give its {@link Oversight#onEvent listener} to the engine's context
     * ({@link org.greenwave.core.engine.EngineContext#oversightListener}).
     */
    public Oversight oversight() {
        return oversight;
    }

    /**
     * Reads the engine; sampler thread. Records a second of history when the engine clock moved on by one, and
     * rebuilds the frame when the last is older than 1/{@value #FRAMES_PER_S} s.
     *
     * @param wallNs {@link System#nanoTime()} now
     */
    public void sample(long wallNs) {
        Attached a = attached;
        if (a == null) {
            return;
        }
        double nowS = Double.NaN;
        for (int i = 0; i < snapshots.length; i++) {
            a.engine.snapshot(i, snapshots[i]);
            if (snapshots[i].ticks() > 0 && !(snapshots[i].nowS() <= nowS)) {
                nowS = snapshots[i].nowS();
            }
        }
        if (!Double.isNaN(nowS) && (Double.isNaN(lastRecordS) || nowS - lastRecordS >= 1.0 - 1e-9)) {
            double dtS = Double.isNaN(lastRecordS) ? 0 : Math.min(nowS - lastRecordS, 10.0);
            tally.reset();
            for (int i = 0; i < snapshots.length; i++) {
                if (snapshots[i].ticks() > 0) {
                    histories[i].append(snapshots[i], dtS, tally);
                }
            }
            kpis.add(nowS, dtS, tally);
            lastRecordS = nowS;
            for (int i = 0; i < statusScratch.length; i++) {
                statusScratch[i] = lastStatus.get(i);
            }
            long wallMs = System.currentTimeMillis();
            oversight.alerts().evaluate(snapshots, statusScratch, wallMs);
            if (a.port != null) {
                oversight.alerts().evaluateLink(a.port.protocol(), a.port.linkState(), wallMs, nowS);
            }
        }
        oversight.drain();
        if (wallNs - lastFrameNs >= FRAME_NS || frameSeq == 0) {
            publishFrame(wallNs, nowS);
        }
    }

    /**
     * Notes a controller status message for one of the signals shown (others are ignored): from then on the signal
     * has data even before its first detector reading. Any thread (the field port's, as a
     * {@link org.greenwave.core.port.StatusListener}); never blocks.
     */
    public void statusReceived(ControllerStatus status) {
        Integer i = signalIndex.get(status.intersectionId());
        if (i != null) {
            statuses.incrementAndGet(i);
            lastStatus.set(i, status);
        }
    }

    /** Marks the engine's run over (a simulated run ended); sampler thread. The last frame stays on show. */
    public void finish(String label) {
        status = "finished";
        runLabel = label;
        publishFrame(System.nanoTime(), lastRecordS);
    }

    private void publishFrame(long wallNs, double nowS) {
        Attached a = attached;
        updateRates(a, wallNs, nowS);
        lastFrameNs = wallNs;
        byte[] bytes = buildFrame(a);
        synchronized (frameLock) {
            frame = new Frame(++frameSeq, bytes);
            frameLock.notifyAll();
        }
    }

    private void updateRates(Attached a, long wallNs, double nowS) {
        if (a == null) {
            return;
        }
        EngineMetrics m = a.engine.metrics();
        long events = m.eventsApplied();
        long messages = a.port != null ? a.port.counters().messagesIn() : 0;
        if (rateWallNs == 0) {
            rateWallNs = wallNs;
            rateMessagesIn = messages;
        } else if (wallNs - rateWallNs >= 1_000_000_000L) {
            messagesPerS = a.port != null ? (messages - rateMessagesIn) * 1e9 / (wallNs - rateWallNs) : Double.NaN;
            rateWallNs = wallNs;
            rateMessagesIn = messages;
        }
        if (!Double.isNaN(nowS)) {
            if (Double.isNaN(rateEngineS)) {
                rateEngineS = nowS;
                rateEvents = events;
            } else if (nowS - rateEngineS >= 10.0) {
                eventsPerEngineS = (events - rateEvents) / (nowS - rateEngineS);
                rateEngineS = nowS;
                rateEvents = events;
            }
        }
        health = new HealthFigures(messagesPerS, eventsPerEngineS, tally.faultStopLine, tally.faultAdvance,
                tally.faultArea, tally.spilledLanes, tally.queueVeh, Double.isNaN(lastRecordS) ? 0 : lastRecordS);
    }

    /** The newest frame; any thread. */
    Frame frame() {
        return frame;
    }

    /**
     * Waits until a frame newer than {@code seq} is out, or {@code timeoutMs} passed; any thread.
     *
     * @return the newest frame (possibly still {@code seq})
     */
    Frame awaitFrame(long seq, long timeoutMs) throws InterruptedException {
        synchronized (frameLock) {
            if (frame.seq() <= seq) {
                frameLock.wait(timeoutMs);
            }
            return frame;
        }
    }

    /** The network drawing, JSON. */
    byte[] network() {
        return network;
    }

    private byte[] buildFrame(Attached a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("status", status);
            g.writeStringField("run", runLabel);
            g.writeStringField("clock", clockKind == ClockKind.WALL ? "wall" : "simulated");
            g.writeNumberField("engineTimeS", Double.isNaN(lastRecordS) ? 0 : lastRecordS);
            g.writeFieldName("signals");
            g.writeStartArray();
            if (a != null) {
                for (int i = 0; i < snapshots.length; i++) {
                    writeSignal(g, snapshots[i], hasData(snapshots[i], i));
                }
            }
            g.writeEndArray();
            g.writeFieldName("kpi");
            g.writeStartObject();
            kpis.write(g);
            g.writeEndObject();
            g.writeNumberField("alertsUnacknowledged", oversight.alerts().unacknowledged());
            g.writeFieldName("health");
            writeHealth(g, a);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Whether anything from the field has reached the engine for signal {@code i}: a detector reading applied by its
     * last tick, or a controller status. Until then the state the engine would command is no evidence of what the
     * signal shows.
     */
    private boolean hasData(IntersectionSnapshot s, int i) {
        return s.readings() > 0 || statuses.get(i) > 0;
    }

    /**
     * One signal's state. {@code data} false: nothing from the field yet; the engine's state is written as well, but
     * the page shows "no data" instead of it.
     */
    private static void writeSignal(JsonGenerator g, IntersectionSnapshot s, boolean data) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("data", data);
        g.writeNumberField("readings", s.readings());
        g.writeNumberField("ticks", s.ticks());
        g.writeNumberField("phase", s.phase());
        g.writeNumberField("targetPhase", s.targetPhase());
        g.writeStringField("interval", IntersectionHistory.intervalName(s.interval()));
        g.writeNumberField("phaseElapsedS", Math.round(s.phaseElapsedS() * 10) / 10.0);
        g.writeStringField("deviceProgram", s.deviceProgram());
        g.writeBooleanField("watchdogSuspended", s.watchdogSuspended());
        g.writeNumberField("watchdogTrips", s.watchdogTrips());
        g.writeStringField("watchdogReason", s.watchdogReason());
        g.writeStringField("shown", s.shownString());
        g.writeBooleanField("operatorFlash", s.operatorFlash());
        g.writeFieldName("override");
        com.fasterxml.jackson.databind.node.ObjectNode o = Oversight.overrideJson(s.override());
        if (o == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            for (java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = o.fields();
                 it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
                g.writeFieldName(f.getKey());
                g.writeRawValue(f.getValue().toString());
            }
            g.writeEndObject();
        }
        int lanes = s.model().incomingLaneCount();
        g.writeFieldName("queueVeh");
        g.writeStartArray();
        for (int l = 0; l < lanes; l++) {
            g.writeNumber(Math.round(s.queueVeh(l) * 10) / 10.0);
        }
        g.writeEndArray();
        g.writeFieldName("spilledBack");
        g.writeStartArray();
        for (int l = 0; l < lanes; l++) {
            g.writeBoolean(s.spilledBack(l));
        }
        g.writeEndArray();
        g.writeFieldName("detectorFaults");
        g.writeStartArray();
        for (int l = 0; l < lanes; l++) {
            g.writeNumber(s.detectorFaults(l));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeHealth(JsonGenerator g, Attached a) throws IOException {
        HealthFigures h = health;
        g.writeStartObject();
        if (a != null) {
            EngineMetrics m = a.engine.metrics();
            if (a.port != null) {
                FieldCounters c = a.port.counters();
                g.writeStringField("field", a.port.protocol());
                g.writeStringField("broker", a.port.linkState().name().toLowerCase(Locale.ROOT));
                writeRate(g, "messagesPerS", h.messagesPerS());
                g.writeNumberField("messagesIn", c.messagesIn());
                g.writeNumberField("rejectsTotal", c.rejects().total());
                g.writeFieldName("rejects");
                writeReasons(g, c.rejects());
            }
            ReasonCounts refused = fieldRefusals;
            if (refused != null) {
                g.writeFieldName("fieldPlansRefused");
                writeReasons(g, refused);
            }
            writeRate(g, "eventsPerEngineS", h.eventsPerEngineS());
            g.writeNumberField("eventsApplied", m.eventsApplied());
            g.writeNumberField("eventsIgnored", m.eventsIgnored());
            g.writeNumberField("queueFullDrops", m.queueFullDrops());
            g.writeNumberField("ticksSkipped", m.ticksSkipped());
            g.writeNumberField("errors", m.errors());
            g.writeNumberField("decisionP50Us", Math.round(a.latency.p50Ns() / 100.0) / 10.0);
            g.writeNumberField("decisionP99Us", Math.round(a.latency.p99Ns() / 100.0) / 10.0);
            g.writeFieldName("detectorFaults");
            g.writeStartObject();
            g.writeNumberField("stop-line", h.faultStopLine());
            g.writeNumberField("advance", h.faultAdvance());
            g.writeNumberField("area", h.faultArea());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeRate(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, Math.round(v * 10) / 10.0);
        }
    }

    /**
     * Writes the detail of signal {@code i}: its present state and schedule ahead, and its history for lane
     * {@code lane} (all lanes when negative); any thread.
     *
     * @return false when no engine is shown yet or {@code i} is out of range
     */
    boolean writeDetail(OutputStream out, int i, int lane) throws IOException {
        Attached a = attached;
        if (a == null || i < 0 || i >= signalCount) {
            return false;
        }
        IntersectionModel m = a.engine.model(i);
        IntersectionSnapshot s = a.engine.newSnapshot(i);
        a.engine.snapshot(i, s);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", m.id());
            g.writeNumberField("engineTimeS", s.nowS());
            g.writeFieldName("signal");
            writeSignal(g, s, hasData(s, i));
            g.writeFieldName("greenPhases");
            g.writeStartArray();
            for (int p = 0; p < m.greenPhaseCount(); p++) {
                g.writeString(m.greenPhaseString(p));
            }
            g.writeEndArray();
            g.writeNumberField("yellowS", m.yellowS());
            g.writeNumberField("allRedS", m.allRedS());
            g.writeFieldName("plan");
            if (a.plans != null) {
                a.plans.write(g, i);
            } else {
                g.writeNull();
            }
            g.writeNumberField("lane", lane < m.incomingLaneCount() ? lane : -1);
            a.histories[i].writeDetail(g, lane < m.incomingLaneCount() ? lane : -1);
            g.writeFieldName("prediction");
            writePrediction(g, s);
            g.writeEndObject();
        }
        return true;
    }

    /**
     * The forecast's totals as of the snapshot: {@code horizonsS} (the band horizons), {@code bands} (whether the
     * forecaster's model calibrated bands), then {@code groups}: the
     * intersection (id "all") and each approach (its road id), each with {@code queueVeh} (the total queue now and at
     * the horizons), {@code lowVeh} and {@code highVeh} (the band at the horizons; null without bands),
     * {@code delayVehS} (vehicle-seconds queued over the next 60 s) and {@code delayLowVehS}, {@code delayHighVehS}.
     */
    private static void writePrediction(JsonGenerator g, IntersectionSnapshot s) throws IOException {
        IntersectionModel m = s.model();
        g.writeStartObject();
        g.writeNumberField("aheadS", IntersectionState.HORIZON_S);
        g.writeArrayFieldStart("horizonsS");
        for (int k = 0; k < PredictionBands.HORIZON_COUNT; k++) {
            g.writeNumber(PredictionBands.horizonS(k));
        }
        g.writeEndArray();
        boolean banded = s.ticks() > 0 && !Double.isNaN(s.groupBandLow(0, PredictionBands.HORIZON_COUNT - 1));
        g.writeBooleanField("bands", banded);
        g.writeArrayFieldStart("groups");
        for (int group = 0; group < s.groupCount(); group++) {
            g.writeStartObject();
            g.writeStringField("id", group == 0 ? "all" : m.approachId(group - 1));
            g.writeNumberField("nowVeh", round1(s.predictedGroupQueueVeh(group, 0)));
            g.writeArrayFieldStart("queueVeh");
            for (int k = 0; k < PredictionBands.HORIZON_COUNT; k++) {
                g.writeNumber(round1(s.predictedGroupQueueVeh(group, PredictionBands.horizonS(k))));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("lowVeh");
            for (int k = 0; k < PredictionBands.HORIZON_COUNT; k++) {
                writeNumberOrNull(g, s.groupBandLow(group, k));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("highVeh");
            for (int k = 0; k < PredictionBands.HORIZON_COUNT; k++) {
                writeNumberOrNull(g, s.groupBandHigh(group, k));
            }
            g.writeEndArray();
            g.writeNumberField("delayVehS", Math.round(s.predictedGroupDelayVehS(group)));
            g.writeFieldName("delayLowVehS");
            writeNumberOrNull(g, s.groupBandLow(group, PredictionBands.SLOT_DELAY));
            g.writeFieldName("delayHighVehS");
            writeNumberOrNull(g, s.groupBandHigh(group, PredictionBands.SLOT_DELAY));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeNumberOrNull(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(round1(v));
        } else {
            g.writeNull();
        }
    }

    /** {@code {"code": n, ...}} in the counts' order. */
    private static void writeReasons(JsonGenerator g, ReasonCounts counts) throws IOException {
        g.writeStartObject();
        IOException[] failed = new IOException[1];
        counts.forEach((code, n) -> {
            try {
                g.writeNumberField(code, n);
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        g.writeEndObject();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * Shows more figures on {@code /metrics}, after the field port's: those of what the port runs on (e.g. the
     * embedded MQTT broker's refusals and message counts, {@code greenwave_mqtt_broker_*}); any thread.
     */
    public void showMetrics(MetricSource source) {
        this.extraMetrics = source;
    }

    private volatile MetricSource extraMetrics;

    /**
     * Shows the plans a field side that runs in this process (as {@code simulate --via mqtt} and {@code demo} do)
     * refused, by reason; any thread.
     */
    public void fieldRefusals(ReasonCounts refusals) {
        this.fieldRefusals = refusals;
    }

    /** Writes the health figures in Prometheus' text format (version 0.0.4); any thread. */
    void writeMetrics(Writer w) throws IOException {
        Attached a = attached;
        HealthFigures h = health;
        metric(w, "greenwave_signals", "gauge", "Signals the dashboard shows.", signalCount);
        if (a == null) {
            return;
        }
        metric(w, "greenwave_engine_time_seconds", "gauge", "Engine clock at the last second recorded.",
                h.engineTimeS());
        if (a.port != null) {
            FieldPort p = a.port;
            FieldCounters c = p.counters();
            String name = "greenwave_" + p.protocol();
            String what = p.protocol().toUpperCase(Locale.ROOT);
            metric(w, name + "_connected", "gauge", "1 when the " + what + " field port is connected.",
                    p.linkState() == LinkState.CONNECTED ? 1 : 0);
            metric(w, name + "_messages_received_total", "counter", what + " messages received.", c.messagesIn());
            metric(w, name + "_messages_per_second", "gauge", what + " messages received per second.",
                    Double.isNaN(h.messagesPerS()) ? 0 : h.messagesPerS());
            reasons(w, name + "_rejected_total", what + " messages or entries rejected, by reason.", c.rejects());
            metric(w, name + "_plans_published_total", "counter", "Timing plans handed to the " + what + " client.",
                    c.plansSent());
            metric(w, name + "_connection_losses_total", "counter", "Established " + what + " connections lost.",
                    c.connectionLosses());
            report(w, c);
        }
        MetricSource extra = extraMetrics;
        if (extra != null) {
            report(w, extra);
        }
        ReasonCounts refused = fieldRefusals;
        if (refused != null) {
            reasons(w, "greenwave_field_plans_refused_total", "Plans the field controllers refused, by reason.",
                    refused);
        }
        EngineMetrics m = a.engine.metrics();
        metric(w, "greenwave_engine_events_applied_total", "counter", "Detector readings applied.", m.eventsApplied());
        metric(w, "greenwave_engine_events_ignored_total", "counter", "Detector readings taken but not applied.",
                m.eventsIgnored());
        metric(w, "greenwave_engine_queue_full_drops_total", "counter", "Detector readings refused: shard queue full.",
                m.queueFullDrops());
        metric(w, "greenwave_engine_ticks_total", "counter", "Control ticks run.", m.ticks());
        metric(w, "greenwave_engine_ticks_skipped_total", "counter", "Control ticks skipped: shard behind.",
                m.ticksSkipped());
        metric(w, "greenwave_engine_plans_issued_total", "counter", "Timing plans issued.", m.plansIssued());
        metric(w, "greenwave_engine_errors_total", "counter", "Errors thrown by policies or the plan sink.",
                m.errors());
        metric(w, "greenwave_engine_events_per_engine_second", "gauge",
                "Detector readings applied per second of engine time.",
                Double.isNaN(h.eventsPerEngineS()) ? 0 : h.eventsPerEngineS());
        header(w, "greenwave_decision_latency_seconds", "gauge",
                "Decision latency over the last minute (tick start to plan handed on), by quantile.");
        w.write(String.format(Locale.ROOT, "greenwave_decision_latency_seconds{quantile=\"0.5\"} %.9f%n",
                a.latency.p50Ns() / 1e9));
        w.write(String.format(Locale.ROOT, "greenwave_decision_latency_seconds{quantile=\"0.99\"} %.9f%n",
                a.latency.p99Ns() / 1e9));
        w.write(String.format(Locale.ROOT, "greenwave_decision_latency_seconds{quantile=\"1\"} %.9f%n",
                a.latency.maxNs() / 1e9));
        header(w, "greenwave_detector_faults", "gauge", "Incoming lanes with a faulty detector, by detector kind.");
        w.write("greenwave_detector_faults{kind=\"stop-line\"} " + h.faultStopLine() + "\n");
        w.write("greenwave_detector_faults{kind=\"advance\"} " + h.faultAdvance() + "\n");
        w.write("greenwave_detector_faults{kind=\"area\"} " + h.faultArea() + "\n");
        metric(w, "greenwave_spilled_back_lanes", "gauge", "Incoming lanes whose queue spills back (estimate).",
                h.spilledLanes());
        metric(w, "greenwave_queue_vehicles", "gauge", "Vehicles queued at all signals (estimate).", h.queueVeh());
    }

    /** One counter family labelled {@code reason}. */
    private static void reasons(Writer w, String name, String help, ReasonCounts counts) throws IOException {
        header(w, name, "counter", help);
        StringBuilder b = new StringBuilder();
        counts.forEach((code, n) -> b.append(name).append("{reason=\"").append(code).append("\"} ").append(n)
                .append('\n'));
        w.write(b.toString());
    }

    /** What {@code source} reports, in Prometheus' text format. */
    private static void report(Writer w, MetricSource source) throws IOException {
        StringBuilder b = new StringBuilder();
        source.report(new MetricSource.MetricSink() {
            @Override
            public void metric(String name, String type, String help, long value) {
                b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ')
                        .append(type).append('\n').append(name).append(' ').append(value).append('\n');
            }

            @Override
            public void byReason(String name, String help, ReasonCounts counts) {
                b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
                        .append(" counter\n");
                counts.forEach((code, n) -> b.append(name).append("{reason=\"").append(code).append("\"} ").append(n)
                        .append('\n'));
            }
        });
        w.write(b.toString());
    }

    private static void header(Writer w, String name, String type, String help) throws IOException {
        w.write("# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n");
    }

    private static void metric(Writer w, String name, String type, String help, double value) throws IOException {
        header(w, name, type, help);
        w.write(name + " " + (value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value)) + "\n");
    }

    /** A frame as sent to the browsers: a sequence number and the JSON. */
    record Frame(long seq, byte[] json) {
    }

    /** What the sampler last computed that the HTTP threads also read. */
    private record HealthFigures(double messagesPerS, double eventsPerEngineS, int faultStopLine, int faultAdvance,
                                 int faultArea, int spilledLanes, double queueVeh, double engineTimeS) {
        static final HealthFigures NONE = new HealthFigures(Double.NaN, Double.NaN, 0, 0, 0, 0, 0, 0);
    }

    /** The engine shown and what goes with it; replaced as a whole. */
    private record Attached(Engine engine, IntersectionHistory[] histories, PlanTap plans, FieldPort port,
                            DecisionLatencyWindow latency) {
    }
}
