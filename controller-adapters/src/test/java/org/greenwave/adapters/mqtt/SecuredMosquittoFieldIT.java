/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.greenwave.adapters.field.FieldController;
import org.greenwave.adapters.field.PlanReceiver;
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Mosquitto 2 with the configuration Greenwave ships (TLS, password file, access list), a signing engine
 * ({@link MqttEngineGateway}) and a field controller of intersection A0 that checks every plan
 * ({@link PlanReceiver}, {@link FieldController}), attacked from outside: a device's own credentials publishing plans
 * (the broker answers each QoS 1 MQTT 5 publish with "not authorised", 0x87, and the field controller never sees
 * them), and a burst of connections that try the engine's client id, its user name and the devices' accounts (the
 * engine stays connected or reconnects, and plans keep reaching the field).
 */
@Tag("broker")
class SecuredMosquittoFieldIT {
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy/mosquitto");
    private static final Topics T = Topics.defaults();
    private static final String ENGINE_PW = "engine-pw";
    private static final String A0_PW = "a0-pw";
    private static final String B1_PW = "b1-pw";
    private static final int NOT_AUTHORIZED = 0x87;
    private static final String ENGINE_ID = "field-it";

    @TempDir
    Path dir;

    private final KeyPair key = SigningKeys.newKeyPair();
    private final PlanRefusals refusals = new PlanRefusals();
    private final PlanReceiver receiver = new PlanReceiver(new TrustedKeys(List.of(key.getPublic())), refusals);
    private final FieldController field = new FieldController(model(), Set.of("0"),
            FieldController.MAX_PLAN_LIFETIME_MS, refusals);
    private final AtomicBoolean darkSeen = new AtomicBoolean();
    private final AtomicLong seq = new AtomicLong();
    private MosquittoBroker broker;
    private SSLSocketFactory tls;
    private String url;
    private MqttEngineGateway engine;
    private TestClient device;

    /** Intersection A0 as its field controller knows it: two conflicting movements, a green phase for each. */
    private static IntersectionModel model() {
        ConflictMatrix.Builder c = ConflictMatrix.builder(2);
        c.conflict(0, 1);
        return IntersectionModel.builder(Fixtures.A0, 2).conflicts(c.build())
                .link(0, "n", 100, 10, "s_out").link(1, "e", 100, 10, "w_out")
                .greenPhase("Gr", 0, 20, 5, 60).greenPhase("rG", 1, 10, 5, 60)
                .yellowS(3).allRedS(1).build();
    }

    @BeforeEach
    void start() throws Exception {
        SecureBrokerFiles files = new SecureBrokerFiles(dir).certificates("unused")
                .users(ENGINE_PW, AccessList.ENGINE_USER).users(A0_PW, Fixtures.A0).users(B1_PW, Fixtures.B1);
        // The shipped configuration names its certificate broker.pem / broker.key.
        Files.copy(dir.resolve("server.pem"), dir.resolve("broker.pem"));
        Files.copy(dir.resolve("server.key"), dir.resolve("broker.key"));
        Files.copy(DEPLOY.resolve("acl"), dir.resolve("acl"));
        broker = MosquittoBroker.startWithConfig(DEPLOY.resolve("mosquitto.conf"), "/etc/mosquitto/greenwave/", dir);
        url = "ssl://127.0.0.1:" + broker.port();
        tls = new MqttTls(files.ca(), null, null).socketFactory();
        engine = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(url).engineId(ENGINE_ID)
                .tls(new MqttTls(files.ca(), null, null))
                .credentials(AccessList.ENGINE_USER, ENGINE_PW.toCharArray()).healthIntervalMs(0)
                .reconnectDelayMs(50, 500).signer(new MessageSigner(key.getPrivate())).build(),
                Fixtures.directory(), new RecordingIngest(), Fixtures.wallClock());
        assertThat(engine.awaitConnected(15_000)).as(broker.logTail()).isTrue();
        // The field controller of A0 subscribes with A0's own credentials, as a device in the field does.
        device = new TestClient(url, "greenwave-field-A0", Fixtures.A0, A0_PW, tls);
        device.subscribe(T.plan(Fixtures.A0), 1);
        field.reset(0, System.currentTimeMillis());
    }

    @AfterEach
    void stop() {
        if (device != null) {
            device.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Sends a genuine plan for A0 that ends in its second green phase. */
    private void sendPlan() {
        long now = System.currentTimeMillis();
        TimingPlan plan = new TimingPlan(0, Fixtures.A0, 2);
        plan.begin(seq.incrementAndGet(), now, now + 60_000, null);
        plan.add("rG".toCharArray(), 30);
        engine.onPlan(plan);
    }

    /** Hands every plan the device received so far to the field controller; returns how many arrived. */
    private int deliverReceived() {
        List<TestClient.Received> all = device.drain();
        for (TestClient.Received r : all) {
            long now = System.currentTimeMillis();
            receiver.deliver(Fixtures.A0, r.payload(), field, now);
            field.step(now);
            darkSeen.compareAndSet(false, FieldController.OFF_PROGRAM.equals(field.deviceProgram()));
        }
        return all.size();
    }

    private void awaitTaken(long taken) {
        Fixtures.await(15_000, () -> {
            deliverReceived();
            return field.plansTaken() >= taken;
        }, () -> "plans taken " + field.plansTaken() + ", refused " + refusals.byCode() + "; engine "
                + engine.counters() + "\n" + broker.logTail());
    }

    /** Lines of Mosquitto's log that contain {@code text}. */
    private long brokerLog(String text) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(Path.of(broker.config().lines()
                .filter(l -> l.startsWith("log_dest file ")).findFirst().orElseThrow().substring(14)).getParent())) {
            Path log = files.filter(f -> f.getFileName().toString().equals("mosquitto.log")).findFirst().orElseThrow();
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
        }
    }

    @Test
    void aPlanPublishedWithADevicesCredentialsIsRefusedByTheBrokerAndNeverReachesTheFieldController()
            throws Exception {
        sendPlan();
        awaitTaken(1);
        byte[] genuine = null;
        // The genuine plan, kept to be replayed below: the device receives it as the field controller does.
        try (TestClient copy = new TestClient(url, null, Fixtures.A0, A0_PW, tls)) {
            copy.subscribe(T.plan(Fixtures.A0), 1);
            sendPlan();
            TestClient.Received r = copy.poll(15_000);
            assertThat(r).isNotNull();
            genuine = r.payload();
        }
        awaitTaken(2);
        long takenBefore = field.plansTaken();
        long refusedBefore = refusals.total();

        // A0's credentials (stolen from the cabinet, or the device itself gone rogue) publish plans, QoS 1, MQTT 5.
        long now = System.currentTimeMillis();
        List<byte[]> attempts = List.of(
                genuine,
                Fixtures.utf8("{\"v\":1,\"seq\":9223372036854775806,\"issuedAtMs\":0,"
                        + "\"expiresAtMs\":9223372036854775807,\"deviceProgram\":\"off\",\"entries\":[]}"),
                Fixtures.utf8("{\"v\":1,\"seq\":" + (seq.get() + 1) + ",\"issuedAtMs\":" + now + ",\"expiresAtMs\":"
                        + (now + 30_000) + ",\"deviceProgram\":\"off\",\"entries\":[]}"),
                Fixtures.text(genuine).replaceFirst("\"durationMs\":(\\d)", "\"durationMs\":9$1")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<Integer, Integer> codes = new TreeMap<>();
        int sent = 0;
        try (TestClient rogue = new TestClient(url, null, Fixtures.A0, A0_PW, tls)) {
            for (int i = 0; i < 5; i++) {
                for (byte[] payload : attempts) {
                    codes.merge(rogue.publishAcknowledged(T.plan(Fixtures.A0), payload), 1, Integer::sum);
                    codes.merge(rogue.publishAcknowledged(T.plan(Fixtures.B1), payload), 1, Integer::sum);
                    sent += 2;
                }
            }
            // Also the engine's health: only the engine may write it.
            codes.merge(rogue.publishAcknowledged(T.health(ENGINE_ID), Fixtures.utf8("{\"v\":1,\"online\":true}")),
                    1, Integer::sum);
            sent++;
            assertThat(rogue.isConnected()).as("a refused publish does not cost the device its connection").isTrue();
        }
        System.out.printf("device-credential publishes: sent %d, broker answers by reason code %s; Mosquitto's log "
                + "(notice): %d lines 'Denied PUBLISH'%n", sent, codes, brokerLog("Denied PUBLISH"));
        assertThat(codes).as("every one answered 'not authorised' (0x87)").containsOnlyKeys(NOT_AUTHORIZED);
        assertThat(codes.get(NOT_AUTHORIZED)).isEqualTo(sent);

        // Genuine plans still flow; nothing the device sent ever reached the field controller.
        sendPlan();
        awaitTaken(takenBefore + 1);
        Thread.sleep(300);
        deliverReceived();
        System.out.printf("field controller: plans taken %d (before the attack %d), refused %d (before %d)%n",
                field.plansTaken(), takenBefore, refusals.total(), refusedBefore);
        assertThat(field.plansTaken()).isEqualTo(takenBefore + 1);
        assertThat(refusals.total()).as("%s", refusals.byCode()).isEqualTo(refusedBefore).isZero();
        assertThat(darkSeen.get()).isFalse();
        assertThat(field.inFallback()).isFalse();
    }

    @Test
    void theEngineRidesOutATakeoverBurstAndPlansKeepReachingTheField() throws Exception {
        sendPlan();
        awaitTaken(1);
        String engineClientId = engine.options().clientId();
        String prefix = "greenwave-engine-" + ENGINE_ID + "-";
        assertThat(engineClientId).startsWith(prefix).hasSize(prefix.length() + 16);

        // Plans every 100 ms during the burst; the engine's connectivity sampled every 5 ms.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong longestOutageMs = new AtomicLong();
        AtomicLong plansSent = new AtomicLong();
        Thread sender = new Thread(() -> {
            long downSinceNs = -1;
            long nextPlanNs = System.nanoTime();
            while (running.get()) {
                long t = System.nanoTime();
                if (!engine.isConnected()) {
                    downSinceNs = downSinceNs < 0 ? t : downSinceNs;
                    longestOutageMs.accumulateAndGet((t - downSinceNs) / 1_000_000, Math::max);
                } else {
                    downSinceNs = -1;
                }
                if (t - nextPlanNs >= 0) {
                    sendPlan();
                    plansSent.incrementAndGet();
                    nextPlanNs = t + 100_000_000L;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "plans");
        sender.start();

        // 100 connections, 25 of each kind; the four kinds at once, each kind one connection after another.
        String[] kinds = {"engine user, wrong password, engine-like id", "anonymous, engine-like id",
                "device user, engine-like id", "device user, the engine's own client id"};
        Map<String, Map<Integer, Integer>> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
        long burstStart = System.nanoTime();
        try {
            List<Thread> burst = new java.util.ArrayList<>();
            for (int k = 0; k < kinds.length; k++) {
                int kind = k;
                Map<Integer, Integer> codes = new java.util.concurrent.ConcurrentSkipListMap<>();
                outcomes.put(kinds[kind], codes);
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        String guessed = prefix + String.format("%016x", (kind * 25 + i) * 0x9E3779B97F4A7C15L);
                        String id = kind == 3 ? engineClientId : guessed;
                        String user = switch (kind) {
                            case 0 -> AccessList.ENGINE_USER;
                            case 1 -> null;
                            default -> Fixtures.B1;
                        };
                        String pw = kind == 0 ? "guess-" + i : B1_PW;
                        int code;
                        try (TestClient c = new TestClient(url, id, user, pw, tls)) {
                            code = 0;
                        } catch (MqttException e) {
                            code = e.getReasonCode();
                        }
                        codes.merge(code, 1, Integer::sum);
                    }
                }, "burst-" + kind);
                t.start();
                burst.add(t);
            }
            for (Thread t : burst) {
                t.join(60_000);
            }
        } finally {
            // Left to run a while after the burst, to see the engine back and plans through.
            Thread.sleep(1_000);
            running.set(false);
            sender.join(5_000);
        }
        // A connection attempt's own deadline is the connect timeout plus a grace (MqttConnection).
        long deadlineMs = engine.options().connectTimeoutS() * 1000L;
        long burstMs = (System.nanoTime() - burstStart) / 1_000_000 - 1_000;
        deliverReceived();
        long takenAfterBurst = field.plansTaken();
        long takenDuringBurst = takenAfterBurst - 1;
        assertThat(engine.awaitConnected(deadlineMs + 5_000)).as(engine.counters().toString())
                .isTrue();
        sendPlan();
        awaitTaken(Math.max(takenAfterBurst, field.plansTaken()) + 1);
        deliverReceived();

        GatewayCounters c = engine.counters();
        System.out.printf("takeover burst: 100 connections in %d ms: %s%n", burstMs, outcomes);
        System.out.printf("Mosquitto's log (notice): %d lines 'not authorised', %d 'already connected'%n",
                brokerLog("not authorised"), brokerLog("already connected"));
        System.out.printf("engine: takeovers %d, connection losses %d, reconnects %d, connect timeouts %d, "
                        + "plans published %d, acknowledged %d, dropped while disconnected %d, superseded %d, longest outage %d ms; plans sent %d, "
                        + "field took %d (%d during the burst), refused %s%n", c.get(GatewayCounters.Counter.SESSION_TAKEOVERS),
                c.get(GatewayCounters.Counter.CONNECTION_LOSSES), c.get(GatewayCounters.Counter.RECONNECTS),
                c.get(GatewayCounters.Counter.CONNECT_TIMEOUTS),
                c.get(GatewayCounters.Counter.PLANS_PUBLISHED), c.get(GatewayCounters.Counter.PLANS_ACKNOWLEDGED),
                c.get(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED),
                c.get(GatewayCounters.Counter.PLANS_SUPERSEDED), longestOutageMs.get(), plansSent.get() + 2,
                field.plansTaken(), takenDuringBurst, refusals.total());

        // Wrong passwords and anonymous clients never got in: Mosquitto answers MQTT 5 clients "not authorised".
        assertThat(outcomes.get(kinds[0])).containsOnlyKeys(NOT_AUTHORIZED);
        assertThat(outcomes.get(kinds[1])).containsOnlyKeys(NOT_AUTHORIZED);
        // A guessed engine-like id is just another client: it connects, and the engine never notices.
        assertThat(outcomes.get(kinds[2])).containsOnlyKeys(0);
        // Mosquitto lets any authenticated client take a client id it knows (the engine's random id, leaked), and
        // Mosquitto 2.0 closes the engine's connection without telling why (no DISCONNECT 0x8E): the engine counts a
        // connection loss and reconnects at once, within its connect deadline, under a new random id, so the leaked
        // id evicts it once, not once per attempt.
        assertThat(outcomes.get(kinds[3])).containsOnlyKeys(0);
        long losses = c.get(GatewayCounters.Counter.CONNECTION_LOSSES);
        assertThat(losses).isEqualTo(1L);
        assertThat(engine.connectionClientId()).startsWith(prefix).isNotEqualTo(engineClientId);
        assertThat(c.get(GatewayCounters.Counter.RECONNECTS)).isEqualTo(losses);
        assertThat(c.get(GatewayCounters.Counter.CONNECT_TIMEOUTS)).isZero();
        assertThat(longestOutageMs.get()).as("back within its connect deadline")
                .isLessThan(deadlineMs);
        assertThat(engine.isConnected()).isTrue();
        // Plans reached the field during the burst, all genuine, none refused; every plan the engine could not send
        // while evicted is counted, none is lost silently.
        assertThat(takenDuringBurst).isGreaterThanOrEqualTo(5);
        long sent = plansSent.get() + 2;
        assertThat(c.get(GatewayCounters.Counter.PLANS_PUBLISHED) + c.get(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED)
                + c.get(GatewayCounters.Counter.PLANS_SUPERSEDED) + c.get(GatewayCounters.Counter.PLANS_DROPPED_STALE)
                + c.get(GatewayCounters.Counter.PLANS_FAILED)).as("plans sent %d; %s", sent, c).isEqualTo(sent);
        // Every plan the broker acknowledged reached the field controller and was taken.
        assertThat(field.plansTaken()).as("%s", c)
                .isGreaterThanOrEqualTo(c.get(GatewayCounters.Counter.PLANS_ACKNOWLEDGED));
        assertThat(refusals.total()).as("%s", refusals.byCode()).isZero();
        assertThat(darkSeen.get()).isFalse();
    }
}
