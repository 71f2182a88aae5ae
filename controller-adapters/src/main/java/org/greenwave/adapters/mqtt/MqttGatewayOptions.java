/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.greenwave.core.port.HealthSource;
import org.greenwave.core.port.StatusListener;

/**
 * Configuration of an {@link MqttEngineGateway}. Built with {@link #builder()}; {@link Builder#build()} checks every
 * value and fails with a message naming the setting, so a bad configuration stops start-up instead of surfacing later.
 * Immutable.
 */
public final class MqttGatewayOptions {

    private final String brokerUrl;
    private final String engineId;
    private final String clientId;
    private final String clientIdPrefix;
    private final String topicPrefix;
    private final String username;
    private final char[] password;
    private final javax.net.ssl.SSLSocketFactory tlsSocketFactory;
    private final int keepAliveS;
    private final int connectTimeoutS;
    private final long minReconnectDelayMs;
    private final long maxReconnectDelayMs;
    private final long healthIntervalMs;
    private final int planQos;
    private final int detectorQos;
    private final long minPlanLifetimeMs;
    private final IngestLimits limits;
    private final long rejectLogIntervalMs;
    private final StatusListener statusListener;
    private final HealthSource healthSource;
    private final MessageSigner signer;
    private final DetectorPayloadKind[] inputOnly;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** {@code prefix} followed by 16 random hex digits (64 bits from a {@code SecureRandom}): a client id nobody guesses. */
    static String randomClientId(String prefix) {
        return prefix + String.format("%016x", RANDOM.nextLong());
    }

    private MqttGatewayOptions(Builder b) {
        brokerUrl = b.brokerUrl;
        engineId = b.engineId;
        clientIdPrefix = b.clientId != null ? null : "greenwave-engine-" + b.engineId + "-";
        clientId = b.clientId != null ? b.clientId : randomClientId(clientIdPrefix);
        topicPrefix = b.topicPrefix;
        username = b.username;
        password = b.password == null ? null : b.password.clone();
        tlsSocketFactory = b.tlsSocketFactory;
        keepAliveS = b.keepAliveS;
        connectTimeoutS = b.connectTimeoutS;
        minReconnectDelayMs = b.minReconnectDelayMs;
        maxReconnectDelayMs = b.maxReconnectDelayMs;
        healthIntervalMs = b.healthIntervalMs;
        planQos = b.planQos;
        detectorQos = b.detectorQos;
        minPlanLifetimeMs = b.minPlanLifetimeMs;
        limits = b.limits;
        rejectLogIntervalMs = b.rejectLogIntervalMs;
        statusListener = b.statusListener;
        healthSource = b.healthSource;
        signer = b.signer;
        inputOnly = b.inputOnly == null ? null : b.inputOnly.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    public String engineId() {
        return engineId;
    }

    public String clientId() {
        return clientId;
    }

    /** The generated client id's part before its random suffix; null when the client id was given. */
    String clientIdPrefix() {
        return clientIdPrefix;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public String username() {
        return username;
    }

    char[] password() {
        return password == null ? null : password.clone();
    }

    /** The TLS set-up of an {@code ssl://} or {@code wss://} broker from {@link Builder#tls}, or null. */
    javax.net.ssl.SSLSocketFactory tlsSocketFactory() {
        return tlsSocketFactory;
    }

    public int keepAliveS() {
        return keepAliveS;
    }

    public int connectTimeoutS() {
        return connectTimeoutS;
    }

    public long minReconnectDelayMs() {
        return minReconnectDelayMs;
    }

    public long maxReconnectDelayMs() {
        return maxReconnectDelayMs;
    }

    public long healthIntervalMs() {
        return healthIntervalMs;
    }

    public int planQos() {
        return planQos;
    }

    public int detectorQos() {
        return detectorQos;
    }

    public long minPlanLifetimeMs() {
        return minPlanLifetimeMs;
    }

    public IngestLimits limits() {
        return limits;
    }

    public long rejectLogIntervalMs() {
        return rejectLogIntervalMs;
    }

    /** Null when status messages are not subscribed to. */
    public StatusListener statusListener() {
        return statusListener;
    }

    /** Null when health carries no engine counters. */
    public HealthSource healthSource() {
        return healthSource;
    }

    /** Signs every plan and health payload; null when they go out unsigned (field controllers refuse those). */
    public MessageSigner signer() {
        return signer;
    }

    /**
     * The detector topics read when the gateway is a detector input only ({@link Builder#detectorInputOnly}), or
     * null when it is the engine's whole MQTT side (every detector topic read, plans and health published).
     */
    public DetectorPayloadKind[] detectorInputOnly() {
        return inputOnly == null ? null : inputOnly.clone();
    }

    /**
     * True when the gateway is the engine's whole MQTT side and publishes plans and health; false as a detector input
     * only, which publishes nothing (no last will either).
     */
    public boolean publishes() {
        return inputOnly == null;
    }

    public static final class Builder {
        private String brokerUrl = "tcp://127.0.0.1:1883";
        private String engineId = "greenwave";
        private String clientId;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String username;
        private char[] password;
        private MqttTls tls;
        private javax.net.ssl.SSLSocketFactory tlsSocketFactory;
        private int keepAliveS = 10;
        private int connectTimeoutS = 5;
        private long minReconnectDelayMs = 250;
        private long maxReconnectDelayMs = 30_000;
        private long healthIntervalMs = 5_000;
        private int planQos = 1;
        private int detectorQos = 1;
        private long minPlanLifetimeMs = 250;
        private IngestLimits limits = IngestLimits.DEFAULTS;
        private long rejectLogIntervalMs = 10_000;
        private StatusListener statusListener;
        private HealthSource healthSource;
        private MessageSigner signer;
        private DetectorPayloadKind[] inputOnly;

        private Builder() {
        }

        /** {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://}); default tcp://127.0.0.1:1883. */
        public Builder brokerUrl(String url) {
            this.brokerUrl = url;
            return this;
        }

        /** Names the health topic and, by default, the client id; default {@code greenwave}. */
        public Builder engineId(String id) {
            this.engineId = id;
            return this;
        }

        /**
         * MQTT client id; default {@code greenwave-engine-<engineId>-<16 random hex digits>}, so that nobody can guess
         * it and take the engine's session over (two clients with one id evict each other; the gateway counts it as
         * {@code sessionTakeovers} and, with the default, reconnects under a new random id). A given id is kept.
         */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /** Topic levels before {@code /v1}; default {@code greenwave}. */
        public Builder topicPrefix(String prefix) {
            this.topicPrefix = prefix;
            return this;
        }

        public Builder credentials(String username, char[] password) {
            this.username = username;
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * TLS towards an {@code ssl://} or {@code wss://} broker: the certificate authorities to trust and the client
         * certificate, from PEM files; default none (an {@code ssl://} URL then uses the JVM's trust store).
         */
        public Builder tls(MqttTls tls) {
            this.tls = tls;
            return this;
        }

        /** MQTT keep-alive, seconds (1..65535); default 10. */
        public Builder keepAliveS(int s) {
            this.keepAliveS = s;
            return this;
        }

        /** How long one connection attempt may take, seconds (1..300); default 5. */
        public Builder connectTimeoutS(int s) {
            this.connectTimeoutS = s;
            return this;
        }

        /** Back-off between connection attempts: starts at {@code minMs}, doubles up to {@code maxMs}. */
        public Builder reconnectDelayMs(long minMs, long maxMs) {
            this.minReconnectDelayMs = minMs;
            this.maxReconnectDelayMs = maxMs;
            return this;
        }

        /** How often health is published (retained); 0 publishes it only on connect. Default 5000. */
        public Builder healthIntervalMs(long ms) {
            this.healthIntervalMs = ms;
            return this;
        }

        /** QoS of published plans, 0 or 1; default 1. */
        public Builder planQos(int qos) {
            this.planQos = qos;
            return this;
        }

        /** Maximum QoS of the detector subscriptions, 0 or 1; default 1. */
        public Builder detectorQos(int qos) {
            this.detectorQos = qos;
            return this;
        }

        /**
         * A plan is only sent while at least this long remains before it expires, so it does not expire in transit;
         * default 250.
         */
        public Builder minPlanLifetimeMs(long ms) {
            this.minPlanLifetimeMs = ms;
            return this;
        }

        public Builder limits(IngestLimits limits) {
            this.limits = limits;
            return this;
        }

        /** At most one log line per rejection reason per this interval; default 10,000. */
        public Builder rejectLogIntervalMs(long ms) {
            this.rejectLogIntervalMs = ms;
            return this;
        }

        /** Subscribes to controller status and delivers it here; default none (not subscribed). */
        public Builder statusListener(StatusListener listener) {
            this.statusListener = listener;
            return this;
        }

        /** Engine counters for the health payload; default none. */
        public Builder healthSource(HealthSource source) {
            this.healthSource = source;
            return this;
        }

        /** Signs plans and health with this key ({@link MessageSigner}); default none: unsigned. */
        public Builder signer(MessageSigner signer) {
            this.signer = signer;
            return this;
        }

        /**
         * Makes the gateway a detector input beside another field port (as {@code serve --ntcip} takes the cameras'
         * lane-area readings beside the NTCIP controllers): it subscribes to the detector topics of {@code kinds}
         * only, validates and counts their messages as always, and publishes nothing: no plans (it is no plan sink),
         * no health and no last will. The broker's engine user then needs read access to those topics only. Not
         * with a {@link #statusListener} or a {@link #signer}.
         */
        public Builder detectorInputOnly(DetectorPayloadKind... kinds) {
            this.inputOnly = kinds.clone();
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting */
        public MqttGatewayOptions build() {
            Objects.requireNonNull(brokerUrl, "brokerUrl");
            try {
                URI uri = new URI(brokerUrl);
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equals("tcp") || scheme.equals("ssl") || scheme.equals("ws")
                        || scheme.equals("wss")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("brokerUrl must look like tcp://host:port, not '" + brokerUrl
                            + "'");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("brokerUrl is not a URL: '" + brokerUrl + "'", e);
            }
            if (tls != null) {
                String scheme = brokerUrl.substring(0, brokerUrl.indexOf(':'));
                if (!scheme.equals("ssl") && !scheme.equals("wss")) {
                    throw new IllegalArgumentException("TLS files are given but brokerUrl '" + brokerUrl + "' is not "
                            + "ssl:// or wss:// (a TLS broker usually listens on ssl://host:8883)");
                }
                tlsSocketFactory = tls.socketFactory();
            } else {
                tlsSocketFactory = null;
            }
            Topics.checkLevel(engineId, "engineId");
            new Topics(topicPrefix);
            String id = clientId != null ? clientId : "greenwave-engine-" + engineId;
            if (id.isEmpty() || id.length() > 65535) {
                throw new IllegalArgumentException("clientId must have 1..65535 characters");
            }
            range("keepAliveS", keepAliveS, 1, 65535);
            range("connectTimeoutS", connectTimeoutS, 1, 300);
            range("minReconnectDelayMs", minReconnectDelayMs, 1, 3_600_000);
            range("maxReconnectDelayMs", maxReconnectDelayMs, minReconnectDelayMs, 3_600_000);
            range("healthIntervalMs", healthIntervalMs, 0, 86_400_000);
            range("planQos", planQos, 0, 1);
            range("detectorQos", detectorQos, 0, 1);
            range("minPlanLifetimeMs", minPlanLifetimeMs, 1, 86_400_000);
            Objects.requireNonNull(limits, "limits");
            range("rejectLogIntervalMs", rejectLogIntervalMs, 0, 86_400_000);
            if (inputOnly != null) {
                if (inputOnly.length == 0 || java.util.Arrays.asList(inputOnly).contains(null)
                        || java.util.EnumSet.copyOf(java.util.Arrays.asList(inputOnly)).size() != inputOnly.length) {
                    throw new IllegalArgumentException("detectorInputOnly needs one or more detector kinds, each once");
                }
                if (statusListener != null || signer != null) {
                    throw new IllegalArgumentException("a detector input only reads detector topics: no statusListener "
                            + "and no signer (it publishes nothing)");
                }
            }
            return new MqttGatewayOptions(this);
        }

        private static void range(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", not " + value);
            }
        }
    }
}
