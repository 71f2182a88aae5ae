package org.greenwave.harness.run;

import java.io.IOException;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.greenwave.adapters.field.PlanReceiver;
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.mqtt.DecodeResult;
import org.greenwave.adapters.mqtt.DetectorPayloadEncoder;
import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.EmbeddedBroker;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.mqtt.MqttGatewayOptions;
import org.greenwave.adapters.mqtt.PlanDecoder;
import org.greenwave.adapters.mqtt.PlanMessage;
import org.greenwave.adapters.mqtt.StatusEncoder;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.adapters.sumo.DetectorFeed;
import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.adapters.sumo.PlanBoard;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.time.ManualClock;

/**
 * Runs a simulation the way a deployment runs: SUMO's detectors are published on MQTT as a field device would send
 * them, the engine (on its own threads) consumes them through its field port, the MQTT gateway, and publishes timing
 * plans, and a
 * field-side subscriber hands the plans to the field controllers, which apply them to SUMO. The broker is the
 * embedded one unless a URL is given (with the {@link BrokerAccess} of each side). The engine signs its plans ({@link PlanSigning}: by default with a key pair made
 * for the run), and the field side takes only plans signed with a key it trusts ({@link PlanReceiver}), counting the others in {@link #refusals()}.
 *
 * <p>The field controllers' status (the state SUMO shows, the program running a signal) goes to the engine on each
 * intersection's status topic, as a controller's does, and reaches the engine's status as in process.
 *
 * <p>To stay in lock-step with simulated time, each step waits until the gateway has received the step's detector
 * messages and status before moving the engine clock, and until every intersection's plan for that time has arrived (at most
 * {@link #PLAN_WAIT_MS} of wall time; a late plan leaves the field controller on its previous plan or its fallback).
 *
 * <p>The field side survives a broker that goes away: its client reconnects by itself (every second or two) and
 * subscribes again. While it is disconnected, detector messages cannot be sent (their entries are counted in
 * {@link #unsentEntries()}) and no plans arrive, so the field controllers run out their last plan and fall back to
 * their own programs (counted as fallback steps in the run's summary); the steps do not wait for what cannot come.
 * The engine's gateway reconnects on its own as well.
 *
 * <p>Threading: {@link #feed()} and {@link #afterStep} on the simulation thread; plans arrive on the subscriber's
 * MQTT thread into the {@link PlanBoard}.
 */
final class MqttTransport implements Transport.Open {
    private static final System.Logger LOG = System.getLogger(MqttTransport.class.getName());
    /** Longest wall-clock wait for a step's detector messages or plans, ms. */
    static final long PLAN_WAIT_MS = 5_000;

    private final EmbeddedBroker broker;
    private final Engine engine;
    private final FieldPort gateway;
    private final PlanRefusals refusals;
    private final MqttAsyncClient field;
    private final Topics topics;
    private final ManualClock clock;
    private final PlanBoard board;
    private final PlanReceiver receiver;
    private final DetectorDirectory directory;
    private final DetectorPayloadEncoder[] events;
    private final DetectorPayloadEncoder[] areas;
    private final String[] eventTopics;
    private final String[] areaTopics;
    /** The shard's idle strategy, woken when the step moves the clock (one shard). */
    private final WakeableIdle shardIdle = new WakeableIdle();
    /** Detector entries and status messages published so far. */
    private long published;
    private final String[] statusTopics;
    private final StatusEncoder statusEncoder = new StatusEncoder();
    /** Status messages the gateway handed to the engine. */
    private final java.util.concurrent.atomic.AtomicLong statusHandled = new java.util.concurrent.atomic.AtomicLong();
    private long lateSteps;
    /** Detector entries not sent because the field client was disconnected or its publish failed. */
    private long unsentEntries;
    private final java.util.concurrent.atomic.AtomicLong fieldDisconnects = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong fieldReconnects = new java.util.concurrent.atomic.AtomicLong();

    MqttTransport(String brokerUrl, Transport.Setup setup, PlanSigning signing, BrokerAccess access)
            throws IOException {
        this.clock = setup.clock();
        this.board = setup.board();
        this.refusals = setup.refusals();
        this.receiver = new PlanReceiver(signing.trusted(), refusals);
        String runId = setup.runId();
        // Each simulated run has its own topic tree, so runs and live engines can share a broker.
        String prefix = "greenwave-sim/" + runId;
        this.topics = new Topics(prefix);
        EmbeddedBroker started = null;
        Engine eng = null;
        FieldPort gw = null;
        MqttAsyncClient client = null;
        try {
            // The field side connects anonymously (loopback only); the engine through its own way in.
            started = brokerUrl == null ? EmbeddedBroker.start(EmbeddedBroker.settings().allowAnonymous(true)
                    .topics(topics)) : null;
            String url = brokerUrl != null ? brokerUrl : started.url();
            PlanSink[] sink = new PlanSink[1];
            PlanSink forward = plan -> {
                PlanSink s = sink[0];
                if (s != null) {
                    s.onPlan(plan);
                }
            };
            eng = Engine.launch(setup.engineSetup().apply(new EngineContext().intersections(setup.intersections()).shards(1)
                    .clock(clock).planSink(forward).forecasterFactory(SimulationRun.defaultForecaster())
                    .idleStrategy(() -> shardIdle)));
            MqttGatewayOptions.Builder engineOptions = MqttGatewayOptions.builder().engineId("sim-" + runId)
                    .topicPrefix(prefix).healthIntervalMs(0).reconnectDelayMs(100, 1_000)
                    .signer(signing.signer());
            if (started != null) {
                EmbeddedBroker.Credentials c = started.engineCredentials();
                engineOptions.brokerUrl(started.engineUrl()).credentials(c.username(), c.password());
            } else {
                engineOptions.brokerUrl(url).credentials(access.engineUser(), access.enginePassword())
                        .tls(access.tls());
            }
            Engine engineForStatus = eng;
            gw = MqttEngineGateway.factory(engineOptions).start(new EngineEdge(eng.directory(), eng.ingest(), clock,
                    status -> {
                        engineForStatus.status().onStatus(status);
                        statusHandled.incrementAndGet();
                    }, null));
            sink[0] = gw;
            if (!gw.awaitConnected(PLAN_WAIT_MS)) {
                throw new IOException("the engine's MQTT gateway could not connect to " + url);
            }
            client = new MqttAsyncClient(url, "greenwave-field-" + runId, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            // Paho reconnects by itself after a loss; with a clean start the subscription is renewed below.
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 2);
            o.setKeepAliveInterval(5);
            if (started == null && access.tls() != null) {
                o.setSocketFactory(access.tls().socketFactory());
            } else {
                o.setSocketFactory(new org.greenwave.adapters.mqtt.NoDelaySocketFactory());
            }
            if (started == null && access.fieldUser() != null) {
                o.setUserName(access.fieldUser());
                if (access.fieldPassword() != null) {
                    o.setPassword(new String(access.fieldPassword()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            DetectorDirectory dir = eng.directory();
            MqttAsyncClient fieldClient = client;
            String planFilter = topics.planFilter();
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    fieldDisconnects.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "the simulated field side lost its MQTT connection to "
                            + url + "; reconnecting, its controllers fall back meanwhile");
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    onPlan(dir, topic, message);
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverUri) {
                    if (reconnect) {
                        fieldReconnects.incrementAndGet();
                        LOG.log(System.Logger.Level.INFO, "the simulated field side reconnected to " + serverUri);
                        try {
                            fieldClient.subscribe(new MqttSubscription(planFilter, 1));
                        } catch (MqttException e) {
                            // Lost again at once: the next reconnect subscribes again.
                        }
                    }
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            client.connect(o).waitForCompletion(PLAN_WAIT_MS);
            client.subscribe(new MqttSubscription(topics.planFilter(), 1)).waitForCompletion(PLAN_WAIT_MS);
        } catch (MqttException | InterruptedException | RuntimeException e) {
            closeQuietly(client, gw, eng, started);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot set up the MQTT path: " + e.getMessage(), e);
        }
        this.broker = started;
        this.engine = eng;
        this.gateway = gw;
        this.field = client;
        this.directory = eng.directory();
        int n = directory.intersectionCount();
        events = new DetectorPayloadEncoder[n];
        areas = new DetectorPayloadEncoder[n];
        eventTopics = new String[n];
        areaTopics = new String[n];
        statusTopics = new String[n];
        for (int i = 0; i < n; i++) {
            events[i] = new DetectorPayloadEncoder().begin(DetectorPayloadKind.EVENTS);
            areas[i] = new DetectorPayloadEncoder().begin(DetectorPayloadKind.LANE_AREA);
            eventTopics[i] = topics.detectors(directory.intersectionId(i), DetectorPayloadKind.EVENTS);
            areaTopics[i] = topics.detectors(directory.intersectionId(i), DetectorPayloadKind.LANE_AREA);
            statusTopics[i] = topics.status(directory.intersectionId(i));
        }
    }

    private void onPlan(DetectorDirectory dir, String topic, MqttMessage message) {
        // <root>/intersections/<id>/plan
        String prefix = topics.root() + "/intersections/";
        if (!topic.startsWith(prefix) || !topic.endsWith("/plan")) {
            return;
        }
        String id = topic.substring(prefix.length(), topic.length() - "/plan".length());
        int i = dir.intersectionIndex(id);
        if (i < 0) {
            return;
        }
        PlanMessage p = receiver.receive(id, message.getPayload());
        if (p != null) {
            board.put(i, p.sequence(), p.issuedAtMs(), p.expiresAtMs(), p.deviceProgram(), p.flashOperator(),
                    PlanReceiver.finalState(p));
        } else {
            // Refused: the plan is not followed, but the step it answers need not wait for it any longer (pacing only).
            DecodeResult<PlanMessage> unchecked = PlanDecoder.decode(id, message.getPayload());
            if (unchecked.isOk()) {
                board.refused(i, unchecked.value().issuedAtMs());
            }
        }
    }

    /** The engine's field port, the MQTT gateway. */
    FieldPort gateway() {
        return gateway;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    /** The observer sees the engine's MQTT side and the plans the field side refused. */
    @Override
    public void begin(RunObserver observer, SumoField field) throws Exception {
        observer.fieldPort(gateway);
        observer.fieldRefusals(refusals);
    }

    @Override
    public DetectorFeed feed() {
        return new DetectorFeed() {
            @Override
            public void detectorEdge(int intersection, int detector, boolean on, long timeMs) {
                events[intersection].event(directory.detectorId(detector), timeMs, on);
            }

            @Override
            public void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM) {
                areas[intersection].laneArea(directory.detectorId(detector), timeMs, vehicles, halting, jamM);
            }

            @Override
            public void controllerStatus(int intersection, ControllerStatus status) {
                if (!field.isConnected()) {
                    return;
                }
                try {
                    field.publish(statusTopics[intersection], new MqttMessage(statusEncoder.encode(status), 0, false,
                            null));
                    published++;
                } catch (MqttException e) {
                    // The connection went down under the publish: the next status comes within a second.
                }
            }

            @Override
            public void flush() {
                for (int i = 0; i < events.length; i++) {
                    send(eventTopics[i], events[i], DetectorPayloadKind.EVENTS);
                    send(areaTopics[i], areas[i], DetectorPayloadKind.LANE_AREA);
                }
            }
        };
    }

    private void send(String topic, DetectorPayloadEncoder enc, DetectorPayloadKind kind) {
        int entries = enc.entries();
        if (entries > 0) {
            if (!field.isConnected()) {
                unsentEntries += entries;
            } else {
                try {
                    field.publish(topic, new MqttMessage(enc.finish(), 0, false, null));
                    published += entries;
                } catch (MqttException e) {
                    // The connection went down under the publish: the reconnect brings it back.
                    unsentEntries += entries;
                }
            }
        }
        enc.begin(kind);
    }

    /**
     * After the step's readings were flushed: waits until the gateway received them, moves the engine clock to
     * {@code nowMs}, and waits for the plans of that time.
     */
    @Override
    public void afterStep(long nowMs) throws InterruptedException {
        if (!field.isConnected() || gateway.linkState() != LinkState.CONNECTED) {
            // Nothing can arrive while either side is cut off: the field controllers live on their last plan.
            clock.set(nowMs);
            published = handled();
            lateSteps++;
            return;
        }
        long deadline = System.nanoTime() + PLAN_WAIT_MS * 1_000_000L;
        while (handled() < published) {
            if (System.nanoTime() - deadline > 0) {
                // What has not come by now was lost (e.g. sent while the broker had no subscriber after a restart):
                // count the step late once and wait only for later messages from here on.
                lateSteps++;
                published = handled();
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        clock.set(nowMs);
        // The step's ticks are due now: start them at once rather than when the shard's back-off next looks.
        shardIdle.wake();
        if (!board.awaitIssued(nowMs, PLAN_WAIT_MS)) {
            lateSteps++;
        }
    }

    /**
     * Detector entries and status messages the gateway has dealt with: applied, refused by a full engine queue,
     * handed to the engine's status, or rejected.
     */
    private long handled() {
        FieldCounters c = gateway.counters();
        return c.entriesApplied() + c.ingestRefused() + c.rejects().total() + statusHandled.get();
    }

    /** Late steps, entries the field side could not send, and entries the gateway rejected or the engine refused. */
    @Override
    public long ingestDrops() {
        FieldCounters c = gateway.counters();
        return lateSteps + unsentEntries + c.rejects().total() + c.ingestRefused();
    }

    /** Detector entries the field side could not send because it was disconnected. */
    long unsentEntries() {
        return unsentEntries;
    }

    /** Times the field side lost its connection, and times it got it back. */
    long fieldDisconnects() {
        return fieldDisconnects.get();
    }

    long fieldReconnects() {
        return fieldReconnects.get();
    }

    /** Steps whose detector messages or plans did not arrive within the wait, or that ran while disconnected. */
    long lateSteps() {
        return lateSteps;
    }

    @Override
    public void close() {
        closeQuietly(field, gateway, engine, broker);
    }

    private static void closeQuietly(MqttAsyncClient client, FieldPort gw, Engine eng, EmbeddedBroker b) {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(1000);
                }
                client.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        if (gw != null) {
            gw.close();
        }
        if (eng != null) {
            eng.close();
        }
        if (b != null) {
            b.close();
        }
    }
}
