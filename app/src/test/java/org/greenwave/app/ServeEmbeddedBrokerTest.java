package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.greenwave.adapters.mqtt.PasswordFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s embedded broker: users from a password file, the access list, refusals on the status line. */
@Tag("broker")
class ServeEmbeddedBrokerTest {
    private static final Path NET = Path.of("").toAbsolutePath().getParent()
            .resolve("scenarios/corridor/corridor.net.xml");
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static MqttClient connect(int port, String user, String password) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "test-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        o.setConnectionTimeout(5);
        try {
            c.connect(o);
        } catch (MqttException e) {
            c.close(true);
            throw e;
        }
        return c;
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    @Test
    void devicesGetInWithTheirPasswordOnlyWriteTheirOwnIntersectionAndEveryRefusalIsCounted() throws Exception {
        // corridor's first signal; a device's user name is its intersection id.
        String device = "J1";
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, PasswordFile.entry(device, "j1-pw".toCharArray(), 1000) + "\n");
        int mqtt = freePort();
        int http = freePort();
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> Main.execute("serve", "--network",
                NET.toString(), "--listen", "127.0.0.1:" + mqtt, "--listen-passwords", passwords.toString(),
                "--port", String.valueOf(http), "--run-for", "40", "--status-every", "1", "--unsigned-plans"));
        // 40 s: the embedded broker alone may take 10 s to start on a loaded 2-core machine, the refused and accepted
        // connections as long again, and the dashboard must still answer after the device has come and gone (with
        // 20 s, serve once stopped before /metrics was asked on a loaded machine).
        awaitListening(mqtt);
        assertThatRefused(() -> connect(mqtt, null, null));
        assertThatRefused(() -> connect(mqtt, device, "wrong"));
        MqttClient j1 = connect(mqtt, device, "j1-pw");
        try {
            j1.publish("greenwave/v1/intersections/" + device + "/detectors/events",
                    new MqttMessage("{\"v\":1,\"entries\":[]}".getBytes(StandardCharsets.UTF_8), 1, false, null));
            try {
                j1.publish("greenwave/v1/intersections/" + device + "/plan",
                        new MqttMessage("{\"forged\":true}".getBytes(StandardCharsets.UTF_8), 1, false, null));
            } catch (MqttException e) {
                // Refused with PUBACK 0x87 (Paho may also drop the connection on it).
            }
        } finally {
            // Bounded: after the refused publish the broker may be closing the connection while Paho's plain
            // disconnect() waits for an answer without a time limit (a run once hung there).
            if (j1.isConnected()) {
                try {
                    j1.disconnectForcibly(1_000, 2_000);
                } catch (MqttException e) {
                    // Already gone.
                }
            }
            j1.close(true);
        }
        Thread.sleep(1_500);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(serve.get()).as(console.err()).isZero();
        assertThat(console.out()).contains("Embedded broker: tcp://127.0.0.1:" + mqtt + ", 1 user(s) from "
                + passwords + ", access list: built-in (deploy/mosquitto/acl), anonymous clients refused")
                .contains("broker refused 3 (").contains("anonymous 1").contains("bad-credentials 1")
                .contains("publish-denied 1");
        assertThat(metrics).contains("greenwave_mqtt_broker_refused_total{reason=\"publish-denied\"} 1")
                .contains("greenwave_mqtt_broker_refused_total{reason=\"anonymous\"} 1")
                .contains("greenwave_mqtt_broker_refused_total{reason=\"bad-credentials\"} 1");
    }

    private interface Connect {
        MqttClient run() throws MqttException;
    }

    private static void assertThatRefused(Connect c) {
        try {
            c.run().close(true);
        } catch (MqttException e) {
            return;
        }
        throw new AssertionError("the embedded broker let the client in");
    }

    @Test
    void embeddedBrokerSettingsAreCheckedAndNamed() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user J1\ntopic write a/#/b\n");
        assertThat(Main.execute("serve", "--network", NET.toString(), "--listen-acl", acl.toString())).isEqualTo(2);
        assertThat(console.err()).contains("embedded broker: access-list file " + acl + " line 2");
        assertThat(Main.execute("serve", "--network", NET.toString(), "--broker", "tcp://127.0.0.1:1",
                "--allow-anonymous")).isEqualTo(2);
        assertThat(console.err()).contains("configure the embedded broker");
        assertThat(Main.execute("serve", "--network", NET.toString(), "--listen-client-ca", acl.toString()))
                .isEqualTo(2);
        assertThat(console.err()).contains("need TLS");
    }

    @Test
    void anonymousClientsBeyondThisMachineDrawAWarning() throws Exception {
        assertThat(Main.execute("serve", "--network", NET.toString(), "--listen", "0.0.0.0:" + freePort(),
                "--allow-anonymous", "--no-dashboard", "--run-for", "2", "--status-every", "1", "--unsigned-plans"))
                .as(console.err()).isZero();
        assertThat(console.err()).contains("lets ANONYMOUS clients in on 0.0.0.0")
                .contains("without TLS: passwords and data travel in clear");
        assertThat(List.of(console.out().split("\n"))).anyMatch(l -> l.contains("anonymous clients allowed"));
    }
}
