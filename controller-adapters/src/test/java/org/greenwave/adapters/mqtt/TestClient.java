/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain Paho v5 client standing in for field devices, controllers and monitors in the tests: publishes with a
 * bounded number of QoS 1 messages in flight, and records what its subscriptions receive.
 */
final class TestClient implements AutoCloseable {

    /** A message as received, with the MQTT 5 properties the tests check. */
    record Received(String topic, byte[] payload, boolean retained, int qos, Long expiryS, String contentType,
                    long receivedAtMs) {
    }

    private static final int IN_FLIGHT = 16;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final MqttAsyncClient client;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicInteger failures = new AtomicInteger();
    private final MqttActionListener released = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            inFlight.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            failures.incrementAndGet();
            inFlight.release();
        }
    };

    TestClient(String url) throws MqttException {
        this(url, null, null, null, null);
    }

    /** Connects as {@code user} (null: anonymously). */
    TestClient(String url, String user, String password) throws MqttException {
        this(url, null, user, password, null);
    }

    /**
     * @param clientId null for a fresh one
     * @param socketFactory the TLS set-up of an ssl:// URL, or null
     * @throws MqttException if the broker refuses the connection (its reason code tells why)
     */
    TestClient(String url, String clientId, String user, String password, javax.net.SocketFactory socketFactory)
            throws MqttException {
        client = new MqttAsyncClient(url, clientId != null ? clientId : "greenwave-test-" + IDS.incrementAndGet(),
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                MqttProperties p = m.getProperties();
                received.add(new Received(topic, m.getPayload(), m.isRetained(), m.getQos(),
                        p == null ? null : p.getMessageExpiryInterval(), p == null ? null : p.getContentType(),
                        System.currentTimeMillis()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (socketFactory != null) {
            o.setSocketFactory(socketFactory);
        }
        try {
            client.connect(o).waitForCompletion(10_000);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    /** Publishes at QoS 1 and returns the broker's PUBACK reason code (0: accepted, 0x87: not authorised). */
    int publishAcknowledged(String topic, byte[] payload) throws MqttException {
        IMqttToken t = null;
        // Paho may count the previous publish in flight for a moment after its PUBACK completed the token: a bounded
        // wait for the slot, so that the client's own bookkeeping is not mistaken for the broker's answer.
        for (int attempt = 0; t == null; attempt++) {
            try {
                t = client.publish(topic, new MqttMessage(payload, 1, false, null));
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || attempt >= 100) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        try {
            t.waitForCompletion(10_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** Subscribes and returns the broker's SUBACK reason code (0..2: granted QoS, 0x87: not authorised). */
    int subscribeAcknowledged(String filter, int qos) throws MqttException {
        IMqttToken t = client.subscribe(filter, qos);
        try {
            t.waitForCompletion(10_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = t.getGrantedQos();
        return codes == null || codes.length == 0 ? -1 : codes[0];
    }

    void subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos).waitForCompletion(10_000);
    }

    /** Publishes, waiting only while {@value #IN_FLIGHT} messages are unacknowledged. */
    void publish(String topic, byte[] payload, int qos) throws MqttException, InterruptedException {
        if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker did not acknowledge publishes for 30 s");
        }
        client.publish(topic, new MqttMessage(payload, qos, false, null), null, released);
    }

    void publishRetained(String topic, byte[] payload) throws MqttException {
        client.publish(topic, new MqttMessage(payload, 1, true, null)).waitForCompletion(10_000);
    }

    /** Waits until every publish so far is acknowledged; fails if any failed. */
    void flush() throws InterruptedException {
        if (!inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)) {
            throw new AssertionError("publishes not acknowledged within 30 s");
        }
        inFlight.release(IN_FLIGHT);
        if (failures.get() > 0) {
            throw new AssertionError(failures.get() + " publishes failed");
        }
    }

    /** The next message received, or null after {@code timeoutMs}. */
    Received poll(long timeoutMs) throws InterruptedException {
        return received.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    List<Received> drain() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // Going away anyway.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Nothing to release.
        }
    }
}
