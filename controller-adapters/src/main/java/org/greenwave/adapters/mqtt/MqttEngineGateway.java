/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.FieldPortFactory;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.StatusListener;
import org.greenwave.core.time.Clock;

/**
 * The engine's MQTT side: detector data in, timing plans and health out, over one MQTT v5 connection (Eclipse Paho)
 * that it keeps up by itself. See {@code docs/mqtt.md} for topics and payloads.
 *
 * <ul>
 *   <li><b>In.</b> Subscribes to the detector topics of all intersections (wildcards; retained messages are not
 *   replayed) and, when {@link MqttGatewayOptions#statusListener()} is set, to controller status. Each detector message
 *   is decoded without allocation by a {@link DetectorPayloadDecoder}, validated, and its good entries go to
 *   {@link Ingest}; bad ones are counted by {@link RejectReason} ({@link #counters()}) and logged at most once per
 *   reason per {@link MqttGatewayOptions#rejectLogIntervalMs()}.</li>
 *   <li><b>Plans out.</b> The gateway is the engine's {@link PlanSink}: {@link #onPlan} encodes the plan on the shard
 *   thread and leaves it to a sender thread (see {@link PlanPublisher}); plans are QoS 1 (configurable), not
 *   retained, with an MQTT 5 message expiry. While disconnected, plans are dropped and counted, never queued.</li>
 *   <li><b>Health out.</b> Every {@link MqttGatewayOptions#healthIntervalMs()} and on every (re)connect, retained;
 *   the broker publishes an offline health as last will if the engine vanishes.</li>
 *   <li><b>Signed.</b> With a {@link MqttGatewayOptions#signer()}, every plan and health payload (the last will
 *   too) carries the engine's Ed25519 signature ({@link MessageSigner}), so receivers can tell the engine's messages
 *   from anyone else's ({@link TrustedKeys}).</li>
 *   <li><b>Connection.</b> Clean sessions; after a loss it reconnects with back-off and subscribes again
 *   ({@link LinkState}).</li>
 *   <li><b>Detector input only.</b> With {@link MqttGatewayOptions.Builder#detectorInputOnly} it reads the detector
 *   topics of the kinds given, exactly as above, and publishes nothing (no plans, health or last will): a second
 *   input beside another field port, as {@code serve --ntcip} takes the cameras' lane-area readings beside the NTCIP
 *   controllers.</li>
 * </ul>
 *
 * <p>Threading: Paho delivers all inbound messages on one callback thread, and this gateway has one decoder for it;
 * per-detector order of the messages one publisher sends is therefore kept. {@link #onPlan} may be called from any
 * number of shard threads at once. Connection steps and health run on the gateway's scheduler thread. Accessors may be
 * called from any thread.
 *
 * <p>It is the engine's {@link FieldPort} for MQTT ({@link #factory}): the composition root that chooses MQTT builds
 * the options; everything else sees the port.
 */
public final class MqttEngineGateway implements FieldPort {

    private static final System.Logger LOG = System.getLogger(MqttEngineGateway.class.getName());
    private static final Object HEALTH_CONTEXT = new Object();
    private static final long CLOSE_TIMEOUT_MS = 2_000;

    private final MqttGatewayOptions options;
    private final DetectorDirectory directory;
    private final Clock clock;
    private final Topics topics;
    private final GatewayCounters counters = new GatewayCounters();
    private final DetectorTracker tracker;
    private final RejectLog rejectLog;
    private final ScheduledExecutorService scheduler;
    private final MqttConnection connection;
    private final Handler handler;
    private final PlanPublisher planPublisher;
    private final String healthTopic;
    private final long startedAtMs;
    private final Object connectedSignal = new Object();
    private boolean closed;

    // Confined to the MQTT callback thread.
    private final Topics.Parser topicParser;
    private final DetectorPayloadDecoder decoder;
    private String currentTopic;

    // Confined to the scheduler thread.
    private final HealthEncoder healthEncoder = new HealthEncoder();

    private MqttEngineGateway(MqttGatewayOptions options, DetectorDirectory directory, Ingest ingest, Clock clock) {
        this.options = options;
        this.directory = directory;
        this.clock = clock;
        this.topics = new Topics(options.topicPrefix());
        this.tracker = new DetectorTracker(directory.detectorCount());
        this.rejectLog = new RejectLog(counters, LOG, TimeUnit.MILLISECONDS.toNanos(options.rejectLogIntervalMs()),
                System::nanoTime);
        this.topicParser = new Topics.Parser(topics);
        this.decoder = new DetectorPayloadDecoder(directory, tracker, ingest, options.limits(),
                new DetectorPayloadDecoder.Listener() {
                    @Override
                    public void rejected(RejectReason reason, String detail, int entry) {
                        rejectLog.rejected(reason, detail, entry, currentTopic);
                    }

                    @Override
                    public void rejected(RejectReason reason, String detail, int entry, String what, byte[] value,
                                         int off, int len) {
                        rejectLog.rejected(reason, detail, entry, currentTopic, what, value, off, len);
                    }

                    @Override
                    public void ingestRefused(int detector) {
                        counters.increment(GatewayCounters.Counter.INGEST_REFUSED);
                    }
                });
        this.healthTopic = topics.health(options.engineId());
        this.startedAtMs = clock.nowMs();

        int n = directory.intersectionCount();
        String[] ids = new String[n];
        String[] planTopics = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = directory.intersectionId(i);
            planTopics[i] = topics.plan(ids[i]);
        }

        String threadName = "greenwave-mqtt-" + options.engineId();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        MqttConnection.Settings settings = new MqttConnection.Settings(options.brokerUrl(), options.clientId(),
                options.username(), options.password(), options.keepAliveS(), options.connectTimeoutS(),
                options.minReconnectDelayMs(), options.maxReconnectDelayMs(),
                options.publishes() ? healthTopic : null, options.publishes() ? signed(HealthEncoder.will()) : null,
                Math.max(1L << 20, 2L * options.limits().maxPayloadBytes() + 65_536), options.tlsSocketFactory(),
                options.clientIdPrefix());
        this.handler = new Handler();
        this.connection = new MqttConnection(settings, subscriptions(), scheduler, handler, counters, LOG);
        this.planPublisher = new PlanPublisher(ids, planTopics, connection, counters, clock, options.planQos(),
                options.minPlanLifetimeMs(), options.signer(), threadName + "-plans", LOG);
    }

    /**
     * Creates the gateway and starts connecting in the background; it does not wait for the broker (see
     * {@link #awaitConnected}). Until connected, plans are dropped and counted.
     *
     * @param directory the engine's detector and intersection ids; plan intersection indexes refer to it
     * @param ingest    where decoded detector data goes
     * @param clock     the engine clock: time window of inbound data, plan expiry, health times
     * @throws IllegalArgumentException if an intersection id cannot be a topic level, or the broker URL is unusable
     */
    public static MqttEngineGateway start(MqttGatewayOptions options, DetectorDirectory directory, Ingest ingest,
                                          Clock clock) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(clock, "clock");
        MqttEngineGateway g = new MqttEngineGateway(options, directory, ingest, clock);
        if (options.publishes()) {
            g.planPublisher.start();
        }
        g.connection.start();
        if (options.publishes() && options.healthIntervalMs() > 0) {
            g.scheduler.scheduleAtFixedRate(g::publishHealth, options.healthIntervalMs(), options.healthIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        return g;
    }

    /**
     * The MQTT side as the engine's field port: started against an engine with {@code options}, taking the status
     * listener and health source from the {@link EngineEdge} (a listener of {@link StatusListener#NONE} means no
     * status subscription). Options are checked when the port starts.
     */
    public static FieldPortFactory factory(MqttGatewayOptions.Builder options) {
        Objects.requireNonNull(options, "options");
        return edge -> start(options, edge);
    }

    /**
     * Starts the gateway against {@code engine} (see {@link #factory}); for a composition root that shows the MQTT
     * side's own settings (topics) besides.
     *
     * @throws IllegalArgumentException if the options are incomplete or an intersection id cannot be a topic level
     */
    public static MqttEngineGateway start(MqttGatewayOptions.Builder options, EngineEdge engine) {
        return start(options.statusListener(engine.status() == StatusListener.NONE ? null : engine.status())
                .healthSource(engine.health()).build(), engine.directory(), engine.ingest(), engine.clock());
    }

    private MqttSubscription[] subscriptions() {
        DetectorPayloadKind[] kinds = options.publishes() ? DetectorPayloadKind.values() : options.detectorInputOnly();
        int n = kinds.length + (options.statusListener() != null ? 1 : 0);
        MqttSubscription[] subs = new MqttSubscription[n];
        for (int k = 0; k < kinds.length; k++) {
            subs[k] = new MqttSubscription(topics.detectorFilter(kinds[k]), options.detectorQos());
            // Detector data is a stream: a retained message would be stale, so the broker must not replay it.
            subs[k].setRetainHandling(2);
        }
        if (options.statusListener() != null) {
            subs[kinds.length] = new MqttSubscription(topics.statusFilter(), 1);
        }
        return subs;
    }

    /**
     * Engine shard threads: sends the plan if connected, else drops it and counts the drop. Never blocks.
     *
     * @throws IllegalStateException when the gateway is a detector input only: it is nobody's plan sink
     */
    @Override
    public void onPlan(TimingPlan plan) {
        if (!options.publishes()) {
            throw new IllegalStateException("the MQTT gateway is a detector input only; plans go to the engine's "
                    + "field port");
        }
        try {
            planPublisher.offer(plan);
        } catch (RuntimeException e) {
            counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
            logSafely(Level.ERROR, "cannot publish plan of " + plan.intersectionId() + ": " + e);
        }
    }

    /** {@code mqtt}. */
    @Override
    public String protocol() {
        return "mqtt";
    }

    /** The broker connection's state. */
    @Override
    public LinkState linkState() {
        return connection.state();
    }

    public LinkState state() {
        return connection.state();
    }

    /**
     * True: a plan that names a device program is published with it, and the field controller runs the program or
     * refuses the plan and says so in its status.
     */
    @Override
    public boolean runsDevicePrograms() {
        return true;
    }

    /**
     * The client id the connection uses now: {@link MqttGatewayOptions#clientId()} at first, a new random one after
     * every connection loss when the id was generated.
     */
    public String connectionClientId() {
        return connection.clientId();
    }

    /** True while connected and subscribed. */
    public boolean isConnected() {
        return connection.state() == LinkState.CONNECTED;
    }

    /**
     * Waits until connected and subscribed, or {@code timeoutMs} passes. For start-up ({@code greenwave serve} may
     * want to report the broker) and tests; the gateway works without anyone waiting.
     *
     * @return true if connected
     */
    @Override
    public boolean awaitConnected(long timeoutMs) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (connectedSignal) {
            while (!isConnected()) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0 || connection.state() == LinkState.CLOSED) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(connectedSignal, leftNs);
            }
            return true;
        }
    }

    @Override
    public GatewayCounters counters() {
        return counters;
    }

    public Topics topics() {
        return topics;
    }

    public MqttGatewayOptions options() {
        return options;
    }

    /** Publishes health now (scheduler thread), besides the periodic publication. */
    public void publishHealthNow() {
        try {
            scheduler.execute(this::publishHealth);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed.
        }
    }

    /**
     * Publishes an offline health (retained; not as a detector input only), disconnects, and stops the gateway's
     * threads. Plans still waiting are dropped. Idempotent; never throws.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        planPublisher.stop(CLOSE_TIMEOUT_MS);
        if (options.publishes()) {
            try {
                scheduler.submit(() -> connection.publishAndWait(healthTopic,
                        signed(healthEncoder.offline(clock.nowMs())), 1, true, CLOSE_TIMEOUT_MS))
                        .get(CLOSE_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Best effort: the broker's last will covers an engine that could not say goodbye.
            }
        }
        connection.close(CLOSE_TIMEOUT_MS);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connectedSignal) {
            connectedSignal.notifyAll();
        }
    }

    /** Handles an inbound message as if Paho had delivered it; for tests of topics no broker would route here. */
    void messageArrived(String topic, MqttMessage message) {
        handler.messageArrived(topic, message);
    }

    // ---------------------------------------------------------------- scheduler thread

    private void publishHealth() {
        if (!options.publishes() || !MqttConnection.isConnectedEpoch(connection.epoch())) {
            return;
        }
        byte[] payload;
        try {
            payload = healthEncoder.online(clock.nowMs(), startedAtMs, counters, options.healthSource());
        } catch (RuntimeException e) {
            counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
            logSafely(Level.ERROR, "health source failed: " + e);
            payload = healthEncoder.online(clock.nowMs(), startedAtMs, counters, null);
        }
        PublishChannel.Result r = connection.publish(healthTopic, signed(payload), 1, true, 0, HEALTH_CONTEXT);
        counters.increment(r == PublishChannel.Result.SENT ? GatewayCounters.Counter.HEALTH_PUBLISHED
                : GatewayCounters.Counter.HEALTH_DROPPED);
    }

    /** The payload signed with the engine's key, or as it is without one. */
    private byte[] signed(byte[] payload) {
        MessageSigner signer = options.signer();
        return signer == null ? payload : signer.sign(payload);
    }

    private void logSafely(Level level, String message) {
        try {
            LOG.log(level, message);
        } catch (RuntimeException ignored) {
            // Logging must not break the data path.
        }
    }

    /** Connection events. */
    private final class Handler implements MqttConnection.Handler {

        /** MQTT callback thread. */
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            counters.increment(GatewayCounters.Counter.MESSAGES_IN);
            try {
                currentTopic = topic;
                int parsed = topicParser.parse(topic);
                DetectorPayloadKind kind = Topics.Parser.detectorKind(parsed);
                byte[] payload = message.getPayload();
                if (kind != null) {
                    int intersection = topicParser.intersectionIndex(directory);
                    int applied = decoder.decode(kind, intersection, payload, 0, payload.length, clock.nowMs());
                    if (applied > 0) {
                        counters.add(GatewayCounters.Counter.ENTRIES_APPLIED, applied);
                    }
                } else if (parsed == Topics.Parser.STATUS && options.statusListener() != null) {
                    status(payload);
                } else {
                    rejectLog.rejected(RejectReason.UNKNOWN_TOPIC, "not a topic the engine reads", -1, topic);
                }
            } catch (RuntimeException e) {
                counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
                logSafely(Level.ERROR, "failed to handle MQTT message on " + topic + ": " + e);
            }
        }

        private void status(byte[] payload) {
            if (topicParser.intersectionIndex(directory) < 0) {
                rejectLog.rejected(RejectReason.UNKNOWN_INTERSECTION, "intersection in the topic is not configured",
                        -1, currentTopic);
                return;
            }
            DecodeResult<ControllerStatus> r = StatusDecoder.decode(topicParser.intersectionId(), payload);
            if (!r.isOk()) {
                rejectLog.rejected(r.reason(), r.detail(), -1, currentTopic);
                return;
            }
            counters.increment(GatewayCounters.Counter.STATUS_RECEIVED);
            options.statusListener().onStatus(r.value());
        }

        @Override
        public void connected(boolean reconnect) {
            synchronized (connectedSignal) {
                connectedSignal.notifyAll();
            }
            planPublisher.wake();
            publishHealth();
        }

        @Override
        public void connectionLost() {
            planPublisher.wake();
        }

        @Override
        public void delivered(Object context) {
            planPublisher.delivered(context);
        }
    }
}
