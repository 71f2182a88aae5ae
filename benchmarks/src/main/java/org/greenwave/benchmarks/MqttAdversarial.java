/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.greenwave.adapters.mqtt.AccessList;
import org.greenwave.adapters.mqtt.BrokerCounters;
import org.greenwave.adapters.mqtt.DetectorPayloadEncoder;
import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.EmbeddedBroker;
import org.greenwave.adapters.mqtt.GatewayCounters;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.mqtt.MqttGatewayOptions;
import org.greenwave.adapters.mqtt.PasswordFile;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.ingest.Ingest;

/**
 * Attacks on the MQTT edge, on loopback, with bounded loops: the embedded broker (secure settings: a password file
 * with one field device, the default access list) and the engine's gateway feeding a counting ingest. Each attack
 * reports what was sent, what the broker and the gateway counted, what is unaccounted for ("lost": sent minus
 * everything counted), and the process's resident memory before and after (after a GC). Prints a Markdown table;
 * docs/security.md holds the figures with the command.
 *
 * <p>Command: {@code java -cp benchmarks/target/benchmarks.jar org.greenwave.benchmarks.MqttAdversarial [scale]},
 * scale 1 (the default) sends the counts in the table.
 */
public final class MqttAdversarial {

    private static final String DEVICE = "I0";
    private static final String DEVICE_PW = "device-pw";
    private static final Topics T = Topics.defaults();

    private final EmbeddedBroker broker;
    private final MqttEngineGateway gateway;
    private final List<String> rows = new ArrayList<>();

    private MqttAdversarial(EmbeddedBroker broker, MqttEngineGateway gateway) {
        this.broker = broker;
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        int scale = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Path dir = Files.createTempDirectory("greenwave-adversarial-");
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, PasswordFile.entry(DEVICE, DEVICE_PW.toCharArray(), 10_000) + "\n");
        DetectorDirectory directory = new DetectorDirectory(List.of(DEVICE, "I1"), List.of(
                List.of(new DetectorSpec("I0_loop", DetectorKind.STOP_LINE, 0)),
                List.of(new DetectorSpec("I1_loop", DetectorKind.STOP_LINE, 0))));
        Ingest counting = new CountingIngest();
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.settings().passwordFile(passwords))) {
            EmbeddedBroker.Credentials c = broker.engineCredentials();
            try (MqttEngineGateway gateway = MqttEngineGateway.start(MqttGatewayOptions.builder()
                    .brokerUrl(broker.engineUrl()).credentials(c.username(), c.password()).healthIntervalMs(0)
                    .rejectLogIntervalMs(86_400_000).build(), directory, counting, System::currentTimeMillis)) {
                if (!gateway.awaitConnected(30_000)) {
                    throw new IllegalStateException("the gateway did not connect");
                }
                MqttAdversarial a = new MqttAdversarial(broker, gateway);
                a.malformedCorpus(2_000 * scale);
                a.qos1Flood(50_000 * scale);
                a.forgedPlans(30 * scale);
                a.connectStorm(200 * scale);
                a.engineIdTakeovers(100 * scale);
                a.hugePublishes(3, 100 << 20);
                a.retainedLarge(10, 100 << 20);
                a.retainedUnderLimit(100, 120 * 1024);
                System.out.println("| attack | sent | counted | lost (uncounted) | RSS before → after (MiB) | "
                        + "engine connection losses |");
                System.out.println("|---|---:|---|---:|---|---:|");
                a.rows.forEach(System.out::println);
            }
        }
    }

    // ---------------------------------------------------------------- attacks

    /** Malformed payloads of every kind on the device's own detector topic, at QoS 1. */
    private void malformedCorpus(int n) throws Exception {
        String[] corpus = {
            "", "{", "}", "null", "[]", "{\"v\":1}", "{\"v\":2,\"entries\":[]}", "{\"v\":\"1\",\"entries\":[]}",
            "{\"v\":1,\"entries\":[{\"det\":\"nope\",\"t\":0,\"on\":true}]}",
            "{\"v\":1,\"entries\":[{\"det\":\"I1_loop\",\"t\":1,\"on\":true}]}",
            "{\"v\":1,\"entries\":[{\"det\":\"I0_loop\",\"t\":-9223372036854775808,\"on\":true}]}",
            "{\"v\":1,\"entries\":[{\"det\":\"I0_loop\",\"t\":1e309,\"on\":1}]}",
            "{\"v\":1,\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
            "{\"v\":1,\"entries\":[" + "{},".repeat(5_000) + "{}]}",
            "\u0000\u0001\u0002", "{\"v\":1,\"entries\":[],\"v\":1}", "{\"v\":1,\"entries\":[]} trailing",
        };
        byte[] invalidUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        long before = rssMiB();
        long in0 = gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN);
        try (Client device = Client.connect(broker.url(), DEVICE, DEVICE_PW, "adv-corpus")) {
            String topic = T.detectors(DEVICE, DetectorPayloadKind.EVENTS);
            for (int i = 0; i < n; i++) {
                byte[] p = i % (corpus.length + 1) == corpus.length ? invalidUtf8
                        : corpus[i % (corpus.length + 1)].getBytes(StandardCharsets.UTF_8);
                if (!device.publish(topic, p, 1, false)) {
                    throw new IllegalStateException("the device lost its connection during the corpus");
                }
            }
            device.flush();
        }
        long received = awaitStable(() -> gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN) - in0);
        row("malformed payload corpus (" + (corpus.length + 1) + " kinds), QoS 1", n,
                "gateway received " + received + ", rejected by reason " + gateway.counters().rejectsTotal(),
                n - received, before);
    }

    /** A QoS 1 flood of valid readings from the device on its own topic, as fast as the broker acknowledges. */
    private void qos1Flood(int n) throws Exception {
        long before = rssMiB();
        GatewayCounters g = gateway.counters();
        long in0 = g.get(GatewayCounters.Counter.MESSAGES_IN);
        long applied0 = g.get(GatewayCounters.Counter.ENTRIES_APPLIED);
        long dropped0 = broker.counters().get(BrokerCounters.Refusal.DROPPED);
        DetectorPayloadEncoder enc = new DetectorPayloadEncoder();
        // Inside the gateway's window (at most 300 s old), 4 ms apart.
        long t = System.currentTimeMillis() - 250_000;
        try (Client device = Client.connect(broker.url(), DEVICE, DEVICE_PW, "adv-flood")) {
            String topic = T.detectors(DEVICE, DetectorPayloadKind.EVENTS);
            for (int i = 0; i < n; i++) {
                // Times strictly increasing, so that every reading is valid and applied.
                if (!device.publish(topic, enc.begin(DetectorPayloadKind.EVENTS).event("I0_loop", t + 4L * i, i % 2 == 0)
                        .finish(), 1, false)) {
                    throw new IllegalStateException("the device lost its connection during the flood");
                }
            }
            device.flush();
        }
        long received = awaitStable(() -> g.get(GatewayCounters.Counter.MESSAGES_IN) - in0);
        long dropped = broker.counters().get(BrokerCounters.Refusal.DROPPED) - dropped0;
        row("QoS 1 flood of valid readings", n, "gateway received " + received + " (applied "
                + (g.get(GatewayCounters.Counter.ENTRIES_APPLIED) - applied0) + "), broker dropped (queue full) "
                + dropped, n - received - dropped, before);
    }

    /** Plans forged with the device's credentials, on its own and another intersection's plan topic. */
    private void forgedPlans(int n) throws Exception {
        long before = rssMiB();
        long denied0 = broker.counters().get(BrokerCounters.Refusal.PUBLISH_DENIED);
        byte[] forged = ("{\"v\":1,\"seq\":9223372036854775806,\"issuedAtMs\":0,\"expiresAtMs\":9223372036854775807,"
                + "\"deviceProgram\":\"off\",\"entries\":[]}").getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        Client device = null;
        try {
            for (int i = 0; i < n; i++) {
                // The broker hangs up on a client whose publish it refused: connect again for the next one.
                if (device == null || !device.isConnected()) {
                    if (device != null) {
                        device.close();
                    }
                    device = Client.connect(broker.url(), DEVICE, DEVICE_PW, "adv-forge");
                }
                if (device.publish(T.plan(i % 2 == 0 ? DEVICE : "I1"), forged, 0, false)) {
                    sent++;
                }
                device.flush();
                device.awaitDisconnected(200);
            }
        } finally {
            if (device != null) {
                device.close();
            }
        }
        long denied = awaitStable(() -> broker.counters().get(BrokerCounters.Refusal.PUBLISH_DENIED) - denied0);
        row("forged plans (deviceProgram off) with a device's credentials, QoS 0", sent,
                "broker refused (publish-denied) " + denied, sent - denied, before);
    }

    /** Connections without credentials and with wrong passwords. */
    private void connectStorm(int n) throws Exception {
        long before = rssMiB();
        BrokerCounters b = broker.counters();
        long r0 = b.get(BrokerCounters.Refusal.ANONYMOUS) + b.get(BrokerCounters.Refusal.BAD_CREDENTIALS);
        int refused = 0;
        for (int i = 0; i < n; i++) {
            try {
                Client.connect(broker.url(), i % 2 == 0 ? null : DEVICE, "guess-" + i, "adv-storm-" + i).close();
            } catch (MqttException e) {
                refused++;
            }
        }
        long counted = b.get(BrokerCounters.Refusal.ANONYMOUS) + b.get(BrokerCounters.Refusal.BAD_CREDENTIALS) - r0;
        row("connections: anonymous and wrong passwords", n, "refused " + refused + ", counted " + counted,
                n - counted, before);
    }

    /** Connections with the engine's own client id, to take its session over. */
    private void engineIdTakeovers(int n) throws Exception {
        long before = rssMiB();
        long r0 = broker.counters().get(BrokerCounters.Refusal.RESERVED_CLIENT_ID);
        for (int i = 0; i < n; i++) {
            try {
                Client.connect(broker.url(), DEVICE, DEVICE_PW, gateway.options().clientId()).close();
            } catch (MqttException e) {
                // refused, as it must be
            }
        }
        long counted = broker.counters().get(BrokerCounters.Refusal.RESERVED_CLIENT_ID) - r0;
        row("session takeover attempts with the engine's client id", n, "refused (reserved-client-id) " + counted
                + ", engine takeovers " + gateway.counters().get(GatewayCounters.Counter.SESSION_TAKEOVERS),
                n - counted, before);
    }

    /** Publishes far above the packet limit: the broker disconnects the sender before buffering them. */
    private void hugePublishes(int n, int bytes) throws Exception {
        sendOversized("100 MB publishes", n, bytes, false);
    }

    private void retainedLarge(int n, int bytes) throws Exception {
        sendOversized("retained 100 MB messages", n, bytes, true);
    }

    private void sendOversized(String what, int n, int bytes, boolean retained) throws Exception {
        System.gc();
        long before = rssMiB();
        long r0 = broker.counters().get(BrokerCounters.Refusal.PACKET_TOO_LARGE);
        long in0 = gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN);
        byte[] big = new byte[bytes];
        for (int i = 0; i < n; i++) {
            try (Client device = Client.connect(broker.url(), DEVICE, DEVICE_PW, "adv-big-" + i)) {
                device.publish(T.detectors(DEVICE, DetectorPayloadKind.EVENTS), big, 1, retained);
                device.awaitDisconnected(30_000);
            } catch (MqttException e) {
                // the broker hung up
            }
        }
        big = null;
        long counted = awaitStable(() -> broker.counters().get(BrokerCounters.Refusal.PACKET_TOO_LARGE) - r0);
        long received = gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN) - in0;
        row(what + " (limit 128 KiB)", n,
                "broker refused (packet-too-large) " + counted + ", gateway received " + received, n - counted,
                before);
    }

    /** Retained messages just under the limit on the device's own topic: bounded by the limit and the topics. */
    private void retainedUnderLimit(int n, int bytes) throws Exception {
        System.gc();
        long before = rssMiB();
        try (Client device = Client.connect(broker.url(), DEVICE, DEVICE_PW, "adv-retained")) {
            byte[] p = new byte[bytes];
            for (int i = 0; i < n; i++) {
                p[0] = (byte) i;
                device.publish(T.detectors(DEVICE, DetectorPayloadKind.AGGREGATES), p, 1, true);
            }
            device.flush();
            device.publish(T.detectors(DEVICE, DetectorPayloadKind.AGGREGATES), new byte[0], 1, true);
            device.flush();
        }
        row("retained 120 KiB messages on the device's own topic (each replaces the last)", n,
                "accepted: one retained message per topic at most", 0, before);
    }

    // ---------------------------------------------------------------- helpers

    private void row(String attack, long sent, String counted, long lost, long rssBefore) {
        System.gc();
        long after = rssMiB();
        rows.add(String.format(Locale.ROOT, "| %s | %,d | %s | %,d | %,d → %,d | %d |", attack, sent, counted, lost,
                rssBefore, after, gateway.counters().get(GatewayCounters.Counter.CONNECTION_LOSSES)));
        System.err.println(rows.get(rows.size() - 1));
    }

    /** Waits until {@code value} stops changing for a second (at most 60 s) and returns it. */
    private static long awaitStable(LongSupplier value) throws InterruptedException {
        long last = value.getAsLong();
        long stableSinceNs = System.nanoTime();
        long deadlineNs = stableSinceNs + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadlineNs < 0) {
            Thread.sleep(100);
            long v = value.getAsLong();
            if (v != last) {
                last = v;
                stableSinceNs = System.nanoTime();
            } else if (System.nanoTime() - stableSinceNs > TimeUnit.SECONDS.toNanos(1)) {
                break;
            }
        }
        return last;
    }

    /** Resident set size of this process, MiB (Linux). */
    static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /** A Paho client with a bounded number of unacknowledged publishes. */
    private static final class Client implements AutoCloseable {
        private static final int IN_FLIGHT = 100;
        private final MqttAsyncClient client;
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private final MqttActionListener release = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                inFlight.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                inFlight.release();
            }
        };

        private Client(MqttAsyncClient client) {
            this.client = client;
        }

        static Client connect(String url, String user, String password, String clientId) throws MqttException {
            MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setMaxReconnectDelay(1000);
            o.setReceiveMaximum(IN_FLIGHT);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            try {
                c.connect(o).waitForCompletion(30_000);
            } catch (MqttException e) {
                c.close(true);
                throw e;
            }
            return new Client(c);
        }

        /** True if handed to the client; false when it is not connected (nothing sent). */
        boolean publish(String topic, byte[] payload, int qos, boolean retained) throws InterruptedException {
            if (!client.isConnected()) {
                return false;
            }
            inFlight.acquire();
            try {
                client.publish(topic, new MqttMessage(payload, qos, retained, null), null, release);
                return true;
            } catch (MqttException | RuntimeException e) {
                inFlight.release();
                return false;
            }
        }

        boolean isConnected() {
            return client.isConnected();
        }

        void flush() throws InterruptedException {
            if (inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
                inFlight.release(IN_FLIGHT);
            }
        }

        void awaitDisconnected(long ms) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (client.isConnected() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect(1000).waitForCompletion(2000);
                }
            } catch (MqttException e) {
                // going anyway
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // nothing to release
            }
        }
    }

    /** Counts what reaches the engine; accepts everything. */
    private static final class CountingIngest implements Ingest {
        @Override
        public boolean detectorEdge(int detector, boolean on, long timeMs) {
            return true;
        }

        @Override
        public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count,
                                         double occupancy, double speedMps) {
            return true;
        }

        @Override
        public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            return true;
        }
    }
}
