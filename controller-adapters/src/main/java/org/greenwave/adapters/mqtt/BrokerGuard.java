/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The embedded broker's gatekeeper, an extension inside HiveMQ: authenticates every connection, authorises every
 * publish (wills included) and subscription against the {@link AccessList}, and counts every refusal in
 * {@link BrokerCounters} (and logs it, at most at powers of two of each reason's count, so a flood cannot flood the
 * log).
 *
 * <p>Two kinds of listener: the internal one on 127.0.0.1, where only the in-process engine connects with its secret
 * (it gets the engine's rights, whatever the access list says); and the public one, where clients authenticate with
 * a user name and password from the {@link PasswordFile} (or, if allowed, anonymously) and, with mutual TLS, present
 * a certificate the listener verified. Client ids that start with {@value #ENGINE_CLIENT_PREFIX} belong to the
 * engine: no one else may take them, so no one can take the engine's session over.
 *
 * <p>Threading: HiveMQ calls these from its extension threads, concurrently; all state is immutable or atomic.
 */
final class BrokerGuard implements ExtensionMain {

    static final String INTERNAL_LISTENER = "greenwave-internal";
    static final String PUBLIC_LISTENER = "greenwave-public";
    static final String ENGINE_CLIENT_PREFIX = "greenwave-engine-";
    private static final String ROLE = "greenwave.role";
    private static final String USER = "greenwave.user";
    private static final String ROLE_ENGINE = "engine";
    private static final String ROLE_USER = "user";
    private static final String ROLE_ANONYMOUS = "anonymous";
    private static final System.Logger LOG = System.getLogger(EmbeddedBroker.class.getName());

    private final byte[] engineSecret;
    private final PasswordFile passwords;
    private final AccessList acl;
    private final AccessList engineAcl;
    private final boolean allowAnonymous;
    private final boolean requireClientCertificate;
    private final BrokerCounters counters;

    BrokerGuard(byte[] engineSecret, PasswordFile passwords, AccessList acl, AccessList engineAcl,
                boolean allowAnonymous, boolean requireClientCertificate, BrokerCounters counters) {
        this.engineSecret = engineSecret.clone();
        this.passwords = passwords;
        this.acl = acl;
        this.engineAcl = engineAcl;
        this.allowAnonymous = allowAnonymous;
        this.requireClientCertificate = requireClientCertificate;
        this.counters = counters;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        SimpleAuthenticator authenticator = this::authenticate;
        Authorizer authorizer = new Authorizer();
        Services.securityRegistry().setAuthenticatorProvider(in -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
        Services.eventRegistry().setClientLifecycleEventListener(in -> new Disconnects());
        if (acl.hasDenials()) {
            PublishOutboundInterceptor held = (in, out) -> {
                if (!mayReceive(in, in.getPublishPacket().getTopic())) {
                    counters.increment(BrokerCounters.Refusal.DELIVERY_DENIED);
                    out.preventPublishDelivery();
                }
            };
            Services.initializerRegistry().setClientInitializer((in, client) -> client.addPublishOutboundInterceptor(held));
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release.
    }

    // ---------------------------------------------------------------- authentication

    private void authenticate(SimpleAuthInput in, SimpleAuthOutput out) {
        String clientId = in.getClientInformation().getClientId();
        String listener = in.getConnectionInformation().getListener().map(Listener::getName).orElse("");
        String user = in.getConnectPacket().getUserName().orElse(null);
        ByteBuffer password = in.getConnectPacket().getPassword().orElse(null);
        ConnectionAttributeStore store = in.getConnectionInformation().getConnectionAttributeStore();
        if (INTERNAL_LISTENER.equals(listener)) {
            if (AccessList.ENGINE_USER.equals(user) && isEngineSecret(password)) {
                store.putAsString(ROLE, ROLE_ENGINE);
                out.authenticateSuccessfully();
            } else {
                refuse(out, BrokerCounters.Refusal.BAD_CREDENTIALS, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "only the engine in this process connects here", in);
            }
            return;
        }
        if (requireClientCertificate && in.getConnectionInformation().getClientTlsInformation()
                .flatMap(t -> t.getClientCertificate()).isEmpty()) {
            refuse(out, BrokerCounters.Refusal.NO_CLIENT_CERTIFICATE, ConnackReasonCode.NOT_AUTHORIZED,
                    "a client certificate is required", in);
            return;
        }
        if (user == null) {
            if (!allowAnonymous) {
                refuse(out, BrokerCounters.Refusal.ANONYMOUS, ConnackReasonCode.NOT_AUTHORIZED,
                        "anonymous clients are not allowed; connect with a user name and password", in);
                return;
            }
            store.putAsString(ROLE, ROLE_ANONYMOUS);
        } else {
            if (passwords == null || !passwords.verify(user, password)) {
                refuse(out, BrokerCounters.Refusal.BAD_CREDENTIALS, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "bad user name or password", in);
                return;
            }
            store.putAsString(ROLE, ROLE_USER);
            store.putAsString(USER, user);
        }
        if (clientId.startsWith(ENGINE_CLIENT_PREFIX) && !AccessList.ENGINE_USER.equals(user)) {
            refuse(out, BrokerCounters.Refusal.RESERVED_CLIENT_ID, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client ids starting with " + ENGINE_CLIENT_PREFIX + " are the engine's", in);
            return;
        }
        out.authenticateSuccessfully();
    }

    private boolean isEngineSecret(ByteBuffer password) {
        if (password == null) {
            return false;
        }
        byte[] given = new byte[password.remaining()];
        password.duplicate().get(given);
        return MessageDigest.isEqual(given, engineSecret);
    }

    private void refuse(SimpleAuthOutput out, BrokerCounters.Refusal why, ConnackReasonCode code, String text,
                        ClientBasedInput in) {
        long n = counters.increment(why);
        logRefusal(why, n, in, null);
        out.failAuthentication(code, text);
    }

    // ---------------------------------------------------------------- authorisation

    private final class Authorizer implements PublishAuthorizer, SubscriptionAuthorizer {
        @Override
        public void authorizePublish(PublishAuthorizerInput in, PublishAuthorizerOutput out) {
            String topic = in.getPublishPacket().getTopic();
            if (mayPublish(in, topic)) {
                out.authorizeSuccessfully();
            } else {
                long n = counters.increment(BrokerCounters.Refusal.PUBLISH_DENIED);
                logRefusal(BrokerCounters.Refusal.PUBLISH_DENIED, n, in, topic);
                out.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not allowed to publish to " + topic);
            }
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput in, SubscriptionAuthorizerOutput out) {
            String filter = in.getSubscription().getTopicFilter();
            String role = role(in);
            String clientId = in.getClientInformation().getClientId();
            boolean ok = switch (role) {
                case ROLE_ENGINE -> engineAcl.canSubscribe(null, clientId, filter);
                case ROLE_USER -> acl.canSubscribe(user(in), clientId, filter);
                case ROLE_ANONYMOUS -> acl.canSubscribe(null, clientId, filter);
                default -> false;
            };
            if (ok) {
                out.authorizeSuccessfully();
            } else {
                long n = counters.increment(BrokerCounters.Refusal.SUBSCRIBE_DENIED);
                logRefusal(BrokerCounters.Refusal.SUBSCRIBE_DENIED, n, in, filter);
                out.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not allowed to subscribe to " + filter);
            }
        }
    }

    private boolean mayPublish(ClientBasedInput in, String topic) {
        String clientId = in.getClientInformation().getClientId();
        return switch (role(in)) {
            case ROLE_ENGINE -> engineAcl.canPublish(null, clientId, topic);
            case ROLE_USER -> acl.canPublish(user(in), clientId, topic);
            case ROLE_ANONYMOUS -> acl.canPublish(null, clientId, topic);
            default -> false;
        };
    }

    private boolean mayReceive(ClientBasedInput in, String topic) {
        String clientId = in.getClientInformation().getClientId();
        return switch (role(in)) {
            case ROLE_ENGINE -> true;
            case ROLE_USER -> acl.canReceive(user(in), clientId, topic);
            case ROLE_ANONYMOUS -> acl.canReceive(null, clientId, topic);
            default -> false;
        };
    }

    private static String role(ClientBasedInput in) {
        return in.getConnectionInformation().getConnectionAttributeStore().getAsString(ROLE).orElse("");
    }

    private static String user(ClientBasedInput in) {
        return in.getConnectionInformation().getConnectionAttributeStore().getAsString(USER).orElse(null);
    }

    // ---------------------------------------------------------------- disconnects

    private final class Disconnects implements ClientLifecycleEventListener {
        @Override
        public void onMqttConnectionStart(ConnectionStartInput in) {
            // Counted by the broker's own metrics.
        }

        @Override
        public void onAuthenticationSuccessful(AuthenticationSuccessfulInput in) {
            // Nothing to count.
        }

        @Override
        public void onDisconnect(DisconnectEventInput in) {
            // The specific callbacks below cover what is counted.
        }

        @Override
        public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput in) {
            Optional<DisconnectedReasonCode> code = in.getReasonCode();
            if (code.isEmpty()) {
                return;
            }
            switch (code.get()) {
                case PACKET_TOO_LARGE -> {
                    long n = counters.increment(BrokerCounters.Refusal.PACKET_TOO_LARGE);
                    logRefusal(BrokerCounters.Refusal.PACKET_TOO_LARGE, n, in, null);
                }
                case MALFORMED_PACKET, PROTOCOL_ERROR, TOPIC_NAME_INVALID, TOPIC_FILTER_INVALID -> {
                    long n = counters.increment(BrokerCounters.Refusal.MALFORMED_PACKET);
                    logRefusal(BrokerCounters.Refusal.MALFORMED_PACKET, n, in, null);
                }
                case SESSION_TAKEN_OVER -> counters.sessionTakenOver();
                default -> {
                    // Keep-alive time-outs, shutdown: not a refusal.
                }
            }
        }
    }

    private static void logRefusal(BrokerCounters.Refusal why, long n, ClientBasedInput in, String topic) {
        if (Long.bitCount(n) != 1) {
            return;
        }
        try {
            String address = in.getConnectionInformation().getInetAddress().map(a -> a.getHostAddress()).orElse("?");
            String user = in.getConnectionInformation().getConnectionAttributeStore().getAsString(USER).orElse(null);
            LOG.log(Level.WARNING, "embedded MQTT broker refused (" + why.code() + ", " + n + " so far): client "
                    + LogText.text(in.getClientInformation().getClientId(), 80) + " from " + address
                    + (user != null ? " user " + LogText.text(user, 80) : "")
                    + (topic != null ? " topic " + LogText.text(topic, 160) : ""));
        } catch (RuntimeException e) {
            // Logging must not fail the broker's thread.
        }
    }

    static byte[] utf8(char[] secret) {
        return new String(secret).getBytes(StandardCharsets.UTF_8);
    }
}
