package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.greenwave.adapters.field.FieldController;
import org.greenwave.adapters.field.PlanReceiver;
import org.greenwave.adapters.field.PlanRefusal;
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.mqtt.MessageSigner;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
import org.greenwave.adapters.mqtt.MqttTls;
import org.greenwave.adapters.mqtt.SigningKeys;
import org.greenwave.adapters.mqtt.TrustedKeys;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed plans end to end, on a real Mosquitto with TLS, passwords and an access list: {@code serve} signs, a field
 * controller behind the broker checks. A client whose credentials can write plan topics (a stolen or misconfigured
 * account) sends an unsigned plan, a forged one, a replayed one and a signed request to switch the signal off without
 * an operator: each is refused and counted by its reason, the signal is never handed to {@code off}, and the genuine
 * plans of a restarted engine are followed at once. A forged retained health message is told from the engine's.
 */
@Tag("broker")
class SignedPlansBrokerTest {
    private static final Path NET = Path.of("").toAbsolutePath().getParent()
            .resolve("scenarios/intersection/intersection.net.xml");
    private static final String PASSWORD = "s3cret-Pw";

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private MqttClient client(String url, String user, MqttCallback callback) throws MqttException {
        MqttClient c = new MqttClient(url, user + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(new MqttTls(dir.resolve("ca.pem"), null, null).socketFactory());
        o.setCleanStart(true);
        if (callback != null) {
            c.setCallback(callback);
        }
        c.connect(o);
        return c;
    }

    /** Runs serve for {@code seconds} on a thread of its own. */
    private Thread serve(String url, Path key, int seconds) {
        Thread t = new Thread(() -> Main.execute("serve", "--network", NET.toString(), "--broker", url,
                "--broker-ca", dir.resolve("ca.pem").toString(), "--broker-username", "greenwave",
                "--broker-password-file", dir.resolve("engine.password").toString(), "--engine-id", "signed",
                "--no-dashboard", "--run-for", Integer.toString(seconds), "--status-every", "1",
                "--plan-key", key.toString()), "serve");
        t.start();
        return t;
    }

    private static void await(long timeoutMs, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for: " + what).isNegative();
            Thread.sleep(20);
        }
    }

    @Test
    void forgedReplayedUnsignedAndDarkPlansAreRefusedAndARestartedEngineIsFollowed() throws Exception {
        SecureBrokerFiles files = new SecureBrokerFiles(dir).certificates()
                .users(PASSWORD, "greenwave", "field", "intruder");
        files.secret("engine.password", PASSWORD);
        files.acl(
                "user greenwave",
                "topic read  greenwave/v1/intersections/+/detectors/#",
                "topic read  greenwave/v1/intersections/+/status",
                "topic write greenwave/v1/intersections/+/plan",
                "topic readwrite greenwave/v1/engines/signed/#",
                "user field",
                "topic read  greenwave/v1/intersections/+/plan",
                "topic read  greenwave/v1/engines/#",
                // An account that should never write plans or health, but can: the signatures must hold.
                "user intruder",
                "topic write greenwave/v1/intersections/+/plan",
                "topic write greenwave/v1/engines/#");
        SigningKeys.generate(dir.resolve("keys"));
        Path key = dir.resolve("keys").resolve(SigningKeys.PRIVATE_FILE);
        TrustedKeys trusted = TrustedKeys.read(List.of(dir.resolve("keys").resolve(SigningKeys.PUBLIC_FILE)));

        ControlledIntersection signal = ScenarioImport.importSignals(SumoNet.read(NET), List.of()).get(0);
        String planTopic = "greenwave/v1/intersections/" + signal.id() + "/plan";
        PlanRefusals refusals = new PlanRefusals();
        FieldController field = new FieldController(signal.model(), java.util.Set.of(signal.model().sourceProgramId()),
                FieldController.MAX_PLAN_LIFETIME_MS, refusals);
        PlanReceiver receiver = new PlanReceiver(trusted, refusals);
        AtomicReference<byte[]> lastTaken = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean darkSeen = new java.util.concurrent.atomic.AtomicBoolean();

        try (MosquittoBroker broker = SecureBrokerFiles.start(files.passwordSettings(), files.tlsSettings())) {
            String url = SecureBrokerFiles.tlsUrl(broker);
            MqttClient fieldClient = client(url, "field", new Callback() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    synchronized (field) {
                        if (receiver.deliver(signal.id(), m.getPayload(), field, System.currentTimeMillis())) {
                            lastTaken.set(m.getPayload());
                        }
                        field.step(System.currentTimeMillis());
                        darkSeen.compareAndSet(false, FieldController.OFF_PROGRAM.equals(field.deviceProgram()));
                    }
                }
            });
            fieldClient.subscribe(planTopic, 1);
            MqttClient intruder = client(url, "intruder", null);
            field.reset(0, System.currentTimeMillis());

            Thread first = serve(url, key, 6);
            await(20_000, () -> field.plansTaken() >= 2, "genuine plans of the first engine");
            byte[] genuine = lastTaken.get();
            String text = new String(genuine, StandardCharsets.UTF_8);

            // Replayed: the plan just taken, sent again while it is still valid.
            intruder.publish(planTopic, genuine, 1, false);
            // Forged: the genuine plan with one duration changed, signature kept.
            intruder.publish(planTopic, text.replaceFirst("\"durationMs\":(\\d)", "\"durationMs\":9$1")
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            // Unsigned: the finding's payload that switched the signal dark.
            intruder.publish(planTopic, ("{\"v\":1,\"seq\":9223372036854775806,\"issuedAtMs\":0,"
                    + "\"expiresAtMs\":9223372036854775807,\"deviceProgram\":\"off\",\"entries\":[]}")
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            // Signed with the engine's own key (as a faulty engine would), fresh, but asking for off without an
            // operator's flash request.
            long now = System.currentTimeMillis();
            intruder.publish(planTopic, MessageSigner.read(key).sign(("{\"v\":1,\"seq\":9223372036854775806,"
                    + "\"issuedAtMs\":" + now + ",\"expiresAtMs\":" + (now + 3000) + ",\"deviceProgram\":\"off\","
                    + "\"entries\":[]}").getBytes(StandardCharsets.UTF_8)), 1, false);
            await(10_000, () -> refusals.total() >= 4, "four refusals, counted " + refusals.byCode());
            assertThat(refusals.get(PlanRefusal.REPLAYED)).as("%s", refusals.byCode()).isEqualTo(1);
            assertThat(refusals.get(PlanRefusal.FORGED)).isEqualTo(1);
            assertThat(refusals.get(PlanRefusal.UNSIGNED)).isEqualTo(1);
            assertThat(refusals.get(PlanRefusal.DARK_WITHOUT_OPERATOR)).isEqualTo(1);
            long takenBefore = field.plansTaken();
            await(10_000, () -> field.plansTaken() > takenBefore, "genuine plans after the attacks");
            first.join(30_000);
            assertThat(first.isAlive()).isFalse();
            assertThat(console.out()).contains("signed with key " + trusted.keyIds().iterator().next());

            // The engine restarts: its plans are followed at once, though its process began anew.
            long takenFirst = field.plansTaken();
            long refusedFirst = refusals.total();
            Thread second = serve(url, key, 4);
            await(20_000, () -> field.plansTaken() >= takenFirst + 2, "genuine plans after the restart");
            assertThat(refusals.total()).as("nothing genuine refused: %s", refusals.byCode()).isEqualTo(refusedFirst);
            // A plan of the first engine sent again now is refused too (it has expired by now).
            intruder.publish(planTopic, genuine, 1, false);
            await(10_000, () -> refusals.total() > refusedFirst, "the old plan refused");
            assertThat(refusals.get(PlanRefusal.EXPIRED) + refusals.get(PlanRefusal.REPLAYED)).isEqualTo(2);
            second.join(30_000);
            assertThat(darkSeen.get()).as("the signal was never handed to 'off'").isFalse();

            // Health: the engine's retained health is signed; a forged retained "online" is not, and is told apart.
            String healthTopic = "greenwave/v1/engines/signed/health";
            AtomicReference<byte[]> health = new AtomicReference<>();
            MqttClient reader = client(url, "field", new Callback() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    health.set(m.getPayload());
                }
            });
            reader.subscribe(healthTopic, 1);
            await(10_000, () -> health.get() != null, "the engine's retained health");
            assertThat(trusted.check(health.get())).as(new String(health.get(), StandardCharsets.UTF_8))
                    .isEqualTo(TrustedKeys.Check.SIGNED);
            health.set(null);
            intruder.publish(healthTopic, "{\"v\":1,\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
            await(10_000, () -> health.get() != null, "the forged health");
            assertThat(trusted.check(health.get())).isEqualTo(TrustedKeys.Check.UNSIGNED);
            reader.disconnect();
            intruder.disconnect();
            fieldClient.disconnect();
        }
    }

    /** A callback that only reads messages. */
    private abstract static class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
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
    }
}
