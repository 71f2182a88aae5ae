/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.greenwave.core.port.LinkState;

/**
 * One MQTT v5 session to a broker, kept up for as long as it is open: connects, subscribes, and after any loss
 * reconnects with exponential back-off (with jitter) and subscribes again. Paho's own automatic reconnect is off: it
 * does not retry a first connection that fails, and with a clean start the subscriptions must be renewed anyway, so
 * one loop here handles both.
 *
 * <p>Sessions are clean ({@code cleanStart}, session expiry 0): the broker keeps nothing for us while we are away, and
 * Paho discards unacknowledged outgoing messages when the connection drops, so nothing issued before an outage is
 * sent after it.
 *
 * <p>Every connection attempt has a deadline of its own, {@link #connectDeadlineMs}, checked on the scheduler by the
 * injected clock: a Paho connect whose listener never fires (a broker that accepts the socket and never answers, or a
 * takeover burst racing the connect) is abandoned with its client, counted as {@code connectTimeouts}, and the loop
 * goes on with a new client. When the broker reports that another client took the session over, the next connection
 * uses a new random client id (if the id was generated), so the two clients do not evict each other in turn.
 *
 * <p>Threading: connection steps run on the given single-threaded scheduler; Paho calls {@link Handler#messageArrived}
 * and {@link Handler#delivered} on its one callback thread; {@link #publish} may be called from any thread.
 * {@link #epoch()} tells publishers, with one volatile read, whether and which connection is up.
 */
final class MqttConnection implements PublishChannel {

    /** Receives the connection's events. Implementations must not throw and must not block. */
    interface Handler {
        /** Paho's callback thread. */
        void messageArrived(String topic, MqttMessage message);

        /** Scheduler thread: connected and subscribed; {@code reconnect} is false the first time. */
        void connected(boolean reconnect);

        /** Scheduler thread: an established connection was lost. */
        void connectionLost();

        /** Paho's callback thread: a publish with this context completed (acknowledged, or written for QoS 0). */
        void delivered(Object context);
    }

    /**
     * @param brokerUrl      e.g. {@code tcp://127.0.0.1:1883}
     * @param keepAliveS     MQTT keep-alive; a dead connection is noticed within about 1.5 times this
     * @param minRetryMs     first back-off delay after a failure
     * @param maxRetryMs     longest back-off delay
     * @param willTopic      last-will topic, or null
     * @param willPayload    last-will payload (published retained, QoS 1), or null
     * @param tlsSocketFactory for an {@code ssl://} or {@code wss://} URL: the TLS set-up to use, or null for the
     *                       JVM's defaults
     * @param clientIdPrefix when the client id was generated: its part before the random suffix, so that a new one
     *                       can be made after every connection loss; null keeps {@code clientId} for good
     * @param connectTimeoutS Paho's time-out for one connection attempt, seconds; 0 lets Paho wait for ever (the
     *                       attempt's own deadline still applies)
     */
    record Settings(String brokerUrl, String clientId, String username, char[] password, int keepAliveS,
                    int connectTimeoutS, long minRetryMs, long maxRetryMs, String willTopic, byte[] willPayload,
                    long maximumPacketSize, javax.net.SocketFactory tlsSocketFactory, String clientIdPrefix) {
    }

    /** How long after Paho's own time-out a connection attempt is abandoned, ms. */
    static final long CONNECT_GRACE_MS = 2_000;
    /** How often the scheduler checks the deadline of a connection attempt, ms. */
    static final long WATCHDOG_PERIOD_MS = 250;

    private static final String CONTENT_TYPE = "application/json";
    /** MQTT 5 DISCONNECT reason: another connection with the same client id took the session over. */
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final Settings settings;
    private final LongSupplier nanoClock;
    /** Replaced (on the scheduler thread) after a stuck connect or a takeover; read by publishers. */
    private volatile MqttAsyncClient client;
    private volatile String clientId;
    private final MqttConnectionOptions options;
    private final MqttSubscription[] subscriptions;
    private final ScheduledExecutorService scheduler;
    private final Handler handler;
    private final GatewayCounters counters;
    private final System.Logger log;

    /** Even: not connected. Odd: connected; each connection gets its own odd value. */
    private final AtomicLong epoch = new AtomicLong();
    private volatile LinkState state = LinkState.NEW;
    private volatile boolean closed;

    // Confined to the scheduler thread.
    private long retryMs;
    private boolean stepScheduled;
    private boolean connectInFlight;
    /** Numbers the connection attempts, so that a late answer to an abandoned one is ignored. */
    private long connectAttempt;
    private long connectStartedNs;
    private boolean renewClientId;
    private boolean everConnected;
    private int failuresInARow;

    private final MqttActionListener subscribeListener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            int[] codes = token.getReasonCodes();
            if (codes != null) {
                for (int code : codes) {
                    if (code >= 0x80) {
                        onScheduler(() -> subscribeFailed("the broker refused a subscription with reason code 0x"
                                + Integer.toHexString(code)));
                        return;
                    }
                }
            }
            onScheduler(MqttConnection.this::markConnected);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            onScheduler(() -> subscribeFailed(String.valueOf(e)));
        }
    };

    private final MqttActionListener publishListener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            handler.delivered(token.getUserContext());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            handler.delivered(null);
        }
    };

    /**
     * @throws IllegalArgumentException if the URL or client id is unusable
     */
    MqttConnection(Settings settings, MqttSubscription[] subscriptions, ScheduledExecutorService scheduler,
                   Handler handler, GatewayCounters counters, System.Logger log) {
        this(settings, subscriptions, scheduler, handler, counters, log, System::nanoTime);
    }

    /**
     * @param nanoClock monotonic time in nanoseconds for the connection attempts' deadlines (tests inject theirs)
     * @throws IllegalArgumentException if the URL or client id is unusable
     */
    MqttConnection(Settings settings, MqttSubscription[] subscriptions, ScheduledExecutorService scheduler,
                   Handler handler, GatewayCounters counters, System.Logger log, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.subscriptions = subscriptions.clone();
        this.scheduler = scheduler;
        this.handler = handler;
        this.counters = counters;
        this.log = log;
        this.retryMs = settings.minRetryMs();
        this.clientId = settings.clientId();
        this.client = newClient(clientId);
        options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setAutomaticReconnect(false);
        if (settings.brokerUrl().startsWith("tcp://")) {
            // Paho leaves Nagle on; a TLS or WebSocket URL keeps Paho's own (TLS) socket factory.
            options.setSocketFactory(new NoDelaySocketFactory());
        } else if (settings.tlsSocketFactory() != null) {
            options.setSocketFactory(settings.tlsSocketFactory());
        }
        options.setKeepAliveInterval(settings.keepAliveS());
        options.setConnectionTimeout(settings.connectTimeoutS());
        options.setMaximumPacketSize(settings.maximumPacketSize());
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(new String(settings.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (settings.willTopic() != null) {
            MqttProperties willProps = new MqttProperties();
            willProps.setPayloadFormat(true);
            willProps.setContentType(CONTENT_TYPE);
            options.setWillMessageProperties(willProps);
            options.setWill(settings.willTopic(), new MqttMessage(settings.willPayload(), 1, true, null));
        }
    }

    private MqttAsyncClient newClient(String id) {
        MqttAsyncClient c;
        try {
            c = new MqttAsyncClient(settings.brokerUrl(), id, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use MQTT broker URL '" + settings.brokerUrl()
                    + "' with client id '" + id + "': " + e.getMessage(), e);
        }
        c.setCallback(new ClientCallback(c));
        return c;
    }

    /** Starts connecting in the background. */
    void start() {
        state = LinkState.CONNECTING;
        onScheduler(() -> {
            stepScheduled = true;
            step();
        });
        try {
            scheduler.scheduleWithFixedDelay(() -> onScheduler(this::checkConnectDeadline), WATCHDOG_PERIOD_MS,
                    WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    /** The client id of the current (or next) connection. */
    String clientId() {
        return clientId;
    }

    /** How long one connection attempt may stay unanswered before it is abandoned, ms. */
    long connectDeadlineMs() {
        return settings.connectTimeoutS() * 1000L + CONNECT_GRACE_MS;
    }

    LinkState state() {
        return state;
    }

    /** Odd while connected and subscribed; changes with every connection and every loss. */
    @Override
    public long epoch() {
        return epoch.get();
    }

    static boolean isConnectedEpoch(long epoch) {
        return PublishChannel.isConnected(epoch);
    }

    /** Hands a message to Paho without waiting; completion goes to {@link Handler#delivered}. Any thread. */
    @Override
    public Result publish(String topic, byte[] payload, int qos, boolean retained, long expiryS, Object context) {
        if (!isConnectedEpoch(epoch.get())) {
            return Result.DISCONNECTED;
        }
        MqttProperties props = new MqttProperties();
        props.setPayloadFormat(true);
        props.setContentType(CONTENT_TYPE);
        if (expiryS > 0) {
            props.setMessageExpiryInterval(expiryS);
        }
        try {
            client.publish(topic, new MqttMessage(payload, qos, retained, props), context, publishListener);
            return Result.SENT;
        } catch (MqttException e) {
            switch (e.getReasonCode()) {
                case MqttClientException.REASON_CODE_MAX_INFLIGHT:
                    return Result.BUSY;
                case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED:
                case MqttClientException.REASON_CODE_CLIENT_DISCONNECTING:
                case MqttClientException.REASON_CODE_CLIENT_CLOSED:
                case MqttClientException.REASON_CODE_CONNECTION_LOST:
                    return Result.DISCONNECTED;
                default:
                    return Result.FAILED;
            }
        } catch (RuntimeException e) {
            return Result.FAILED;
        }
    }

    // ---------------------------------------------------------------- connection loop (scheduler thread)

    private void step() {
        stepScheduled = false;
        if (closed || connectInFlight) {
            return;
        }
        if (client.isConnected()) {
            if (state != LinkState.CONNECTED) {
                subscribe();
            }
            return;
        }
        if (renewClientId) {
            renewClientId = false;
            replaceClient(MqttGatewayOptions.randomClientId(settings.clientIdPrefix()));
        }
        state = LinkState.CONNECTING;
        connectInFlight = true;
        long attempt = ++connectAttempt;
        connectStartedNs = nanoClock.getAsLong();
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onScheduler(() -> connectSucceeded(attempt));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    onScheduler(() -> connectFailed(attempt, e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            connectFailed(attempt, e);
        }
    }

    /** Scheduler thread: abandons the connection attempt in flight once its deadline has passed. */
    private void checkConnectDeadline() {
        if (closed || !connectInFlight) {
            return;
        }
        long deadlineNs = connectStartedNs + TimeUnit.MILLISECONDS.toNanos(connectDeadlineMs());
        if (deadlineNs - nanoClock.getAsLong() > 0) {
            return;
        }
        counters.increment(GatewayCounters.Counter.CONNECT_TIMEOUTS);
        log(Level.WARNING, "connecting to MQTT broker " + settings.brokerUrl() + " as " + clientId + " got no answer "
                + "within " + connectDeadlineMs() + " ms; abandoning that attempt and its client");
        // A new client: the old one may still hold the attempt, and Paho would refuse a second connect on it.
        replaceClient(clientId);
        connectFailed(connectAttempt, new java.util.concurrent.TimeoutException("no answer to CONNECT"));
    }

    /** Scheduler thread: closes the current client without waiting and makes a new one with {@code id}. */
    private void replaceClient(String id) {
        MqttAsyncClient old = client;
        try {
            old.disconnectForcibly(0, 0, false);
        } catch (MqttException | RuntimeException ignored) {
            // Not connected, or the connect is still pending: closing below releases it.
        }
        try {
            old.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // Nothing more to release.
        }
        clientId = id;
        client = newClient(id);
    }

    private void connectSucceeded(long attempt) {
        if (attempt != connectAttempt) {
            return;
        }
        connectInFlight = false;
        if (closed) {
            return;
        }
        subscribe();
    }

    private void connectFailed(long attempt, Throwable e) {
        if (attempt != connectAttempt || !connectInFlight) {
            return;
        }
        connectInFlight = false;
        if (closed) {
            return;
        }
        counters.increment(GatewayCounters.Counter.CONNECT_FAILURES);
        state = LinkState.DISCONNECTED;
        failuresInARow++;
        // The first failure of a series is worth a warning; the rest repeat it.
        Level level = failuresInARow == 1 || failuresInARow % 20 == 0 ? Level.WARNING : Level.DEBUG;
        log(level, "cannot connect to MQTT broker " + settings.brokerUrl() + " (attempt " + failuresInARow
                + "): " + describe(e) + "; retrying in about " + retryMs + " ms");
        retryLater();
    }

    private void subscribe() {
        if (subscriptions.length == 0) {
            markConnected();
            return;
        }
        try {
            client.subscribe(subscriptions, null, subscribeListener, (MqttProperties) null);
        } catch (MqttException | RuntimeException e) {
            subscribeFailed(describe(e));
        }
    }

    private void subscribeFailed(String why) {
        if (closed) {
            return;
        }
        log(Level.WARNING, "cannot subscribe at MQTT broker " + settings.brokerUrl() + ": " + why
                + "; retrying in about " + retryMs + " ms");
        if (!client.isConnected()) {
            state = LinkState.DISCONNECTED;
        }
        retryLater();
    }

    private void markConnected() {
        if (closed || !client.isConnected()) {
            if (!closed) {
                retryLater();
            }
            return;
        }
        long e = epoch.get();
        epoch.set(isConnectedEpoch(e) ? e + 2 : e + 1);
        state = LinkState.CONNECTED;
        retryMs = settings.minRetryMs();
        failuresInARow = 0;
        counters.increment(GatewayCounters.Counter.CONNECTS);
        boolean reconnect = everConnected;
        if (reconnect) {
            counters.increment(GatewayCounters.Counter.RECONNECTS);
        }
        everConnected = true;
        log(Level.INFO, (reconnect ? "reconnected" : "connected") + " to MQTT broker " + settings.brokerUrl()
                + " as " + clientId);
        handler.connected(reconnect);
    }

    private void lost(String why) {
        if (closed || client.isConnected()) {
            return;
        }
        if (state == LinkState.CONNECTED) {
            long e = epoch.get();
            if (isConnectedEpoch(e)) {
                epoch.set(e + 1);
            }
            counters.increment(GatewayCounters.Counter.CONNECTION_LOSSES);
            log(Level.WARNING, "lost the connection to MQTT broker " + settings.brokerUrl() + ": " + why
                    + "; reconnecting");
            handler.connectionLost();
        }
        state = LinkState.DISCONNECTED;
        retryLater();
    }

    private void retryLater() {
        if (closed || stepScheduled) {
            return;
        }
        stepScheduled = true;
        long delayMs = retryMs / 2 + ThreadLocalRandom.current().nextLong(retryMs / 2 + 1);
        retryMs = Math.min(settings.maxRetryMs(), retryMs * 2);
        try {
            scheduler.schedule(this::step, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stepScheduled = false;
        }
    }

    private void onScheduler(Runnable task) {
        if (closed) {
            return;
        }
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
                    log(Level.ERROR, "MQTT connection step failed: " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    // ---------------------------------------------------------------- Paho callbacks

    /** Paho's callbacks of one client; those of a client already replaced are ignored. */
    private final class ClientCallback implements MqttCallback {
        private final MqttAsyncClient owner;

        ClientCallback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (owner != client) {
                return;
            }
            boolean takeover = response != null && response.getException() == null
                    && response.getReturnCode() == SESSION_TAKEN_OVER;
            if (takeover) {
                counters.increment(GatewayCounters.Counter.SESSION_TAKEOVERS);
                log(Level.WARNING, "another client connected to " + settings.brokerUrl() + " as " + clientId
                        + " and took the session over" + (settings.clientIdPrefix() != null
                        ? "; reconnecting with a new random client id" : ""));
            }
            String why = response == null ? "unknown reason"
                    : response.getException() != null ? describe(response.getException())
                    : "broker sent DISCONNECT, reason code " + response.getReturnCode()
                            + (response.getReasonString() != null ? " (" + response.getReasonString() + ")" : "");
            onScheduler(() -> {
                // A new random id after every loss, not only a takeover the broker names: Mosquitto 2.0 closes a
                // taken-over connection without DISCONNECT 0x8E, and a client that learned the id could otherwise
                // evict the engine again and again.
                if (settings.clientIdPrefix() != null) {
                    renewClientId = true;
                }
                lost(why);
            });
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log(Level.WARNING, "MQTT protocol error from " + settings.brokerUrl() + ": " + describe(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            handler.messageArrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Completion is reported through the publish listener, which also carries the context.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Paho's automatic reconnect is off; markConnected() handles (re)connection after subscribing.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication.
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Disconnects (a normal disconnect: the broker does not publish the will) and releases Paho. Idempotent; never
     * throws. Callers publish any farewell message first and shut the scheduler down after.
     */
    void close(long timeoutMs) {
        if (closed) {
            return;
        }
        closed = true;
        state = LinkState.CLOSED;
        long e = epoch.get();
        if (isConnectedEpoch(e)) {
            epoch.set(e + 1);
        }
        try {
            if (client.isConnected()) {
                client.disconnect(timeoutMs).waitForCompletion(timeoutMs);
            }
        } catch (MqttException | RuntimeException ignored) {
            // Forced below.
        }
        try {
            client.disconnectForcibly(0, timeoutMs, false);
        } catch (MqttException | RuntimeException ignored) {
            // Already disconnected.
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // Nothing more to release.
        }
    }

    /**
     * Publishes and waits up to {@code timeoutMs} for the broker's acknowledgement; for a farewell message before
     * {@link #close}. Returns true if acknowledged. Never throws.
     */
    boolean publishAndWait(String topic, byte[] payload, int qos, boolean retained, long timeoutMs) {
        if (!isConnectedEpoch(epoch.get())) {
            return false;
        }
        MqttProperties props = new MqttProperties();
        props.setPayloadFormat(true);
        props.setContentType(CONTENT_TYPE);
        try {
            IMqttToken token = client.publish(topic, new MqttMessage(payload, qos, retained, props));
            token.waitForCompletion(timeoutMs);
            return token.isComplete() && token.getException() == null;
        } catch (MqttException | RuntimeException e) {
            return false;
        }
    }

    private void log(Level level, String message) {
        try {
            log.log(level, message);
        } catch (RuntimeException ignored) {
            // Logging must never take the connection down.
        }
    }

    private void log(Level level, String message, Throwable t) {
        try {
            log.log(level, message, t);
        } catch (RuntimeException ignored) {
            // As above.
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof MqttException m) {
            Throwable cause = m.getCause();
            return m.getMessage() + " (code " + m.getReasonCode() + ")" + (cause != null ? ": " + cause : "");
        }
        return String.valueOf(e);
    }
}
