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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.harness.ntcip.VirtualControllerSite;
import org.greenwave.harness.ntcip.VirtualSignals;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --ntcip --broker}: the corridor's virtual NTCIP controllers over SNMPv3 and, beside them, the cameras'
 * lane-area readings from a real Mosquitto that wants a user name, a password and an access list. The readings reach
 * the engine's queue estimate, a malformed one is rejected and counted, the controllers are commanded, and nothing is
 * published on the broker.
 */
@Tag("broker")
class ServeNtcipCamerasIT {
    private static final Path SCENARIO = Path.of("").toAbsolutePath().getParent().resolve("scenarios/corridor");
    private static final String LANE_AREA = "greenwave/v1/intersections/J1/detectors/lane-area";

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    void camerasOnTheBrokerReachTheEngineWhilePlansGoToTheControllersOnly() throws Exception {
        Scenario s = Scenario.load(SCENARIO);
        List<ControlledIntersection> signals = ScenarioImport.importSignals(SumoNet.read(s.netFile(),
                s.additionalFiles()), List.of());
        VirtualSignals.Cabinets cabinets = VirtualSignals.cabinets(signals, VirtualSignals.DEFAULT_BACKUP_S);
        List<ActuatedController> controllers = cabinets.controllers();
        List<PhaseControl> controls = cabinets.controls();
        for (ActuatedController c : controllers) {
            c.reset(0, 0);
        }
        Path auth = Files.writeString(dir.resolve("auth.txt"), "central-auth-1\n");
        Path priv = Files.writeString(dir.resolve("priv.txt"), "central-priv-1\n");
        Path mapping = dir.resolve("corridor.map");
        // The engine may only read detector data; the camera system may only write it; a monitor reads everything.
        SecureBrokerFiles files = new SecureBrokerFiles(dir).users("s3cret-Pw", "greenwave", "cameras", "monitor");
        Path password = files.secret("broker.password", "s3cret-Pw");
        files.acl("user greenwave", "topic read greenwave/v1/intersections/+/detectors/#",
                "user cameras", "topic write greenwave/v1/intersections/+/detectors/#",
                "user monitor", "topic read #");
        int http = freePort();
        List<NtcipAgent> agents = VirtualControllerSite.startAgents(signals, controllers, controls, "127.0.0.1", 0,
                new SnmpV3User("central", "central-auth-1", "central-priv-1"), VirtualSignals.DEFAULT_BACKUP_S,
                mapping);
        try (MosquittoBroker broker = SecureBrokerFiles.start(files.passwordSettings())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            MqttClient monitor = connect(broker, "monitor");
            // (Paho's subscribe(String, int, listener) calls itself; the array form does not.)
            monitor.subscribe(new MqttSubscription[] {new MqttSubscription("#", 1)},
                    new IMqttMessageListener[] {(topic, m) -> seen.add(topic)});
            CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> Main.execute("serve",
                    "--scenario", SCENARIO.toString(), "--ntcip", mapping.toString(), "--snmp-user", "central",
                    "--auth-pass-file", auth.toString(), "--priv-pass-file", priv.toString(),
                    "--broker", broker.url(), "--broker-username", "greenwave", "--broker-password-file",
                    password.toString(), "--port", String.valueOf(http), "--run-for", "12", "--status-every", "1"));
            MqttClient cameras = connect(broker, "cameras");
            try {
                assertThat(awaitMetric(http, "greenwave_cameras_mqtt_connected", 1)).as(console.err()).isEqualTo(1);
                // J1's north approach: 9 vehicles in the camera's zone, 7 of them standing in a 50 m queue.
                for (int i = 0; i < 8; i++) {
                    publish(cameras, "{\"v\":1,\"readings\":[{\"detector\":\"gw_in_n1_in_0\",\"timeMs\":"
                            + System.currentTimeMillis() + ",\"vehicles\":9,\"halting\":7,\"jamM\":50.0}]}");
                    Thread.sleep(250);
                }
                publish(cameras, "{\"v\":1,\"readings\":[{\"detector\":\"gw_in_n1_in_0\"");
                assertThat(awaitMetric(http, "greenwave_queue_vehicles", 5)).as("the engine's queue estimate")
                        .isGreaterThanOrEqualTo(5);
                assertThat(awaitMetric(http, "greenwave_cameras_mqtt_rejected_total{reason=\"malformed-json\"}", 1))
                        .isEqualTo(1);
                assertThat(metrics(http)).contains("greenwave_cameras_mqtt_entries_applied_total 8")
                        .contains("greenwave_ntcip_connected 1");
            } finally {
                cameras.disconnect();
                cameras.close(true);
            }
            assertThat(serve.get()).as(console.err()).isZero();
            monitor.disconnect();
            monitor.close(true);

            assertThat(console.out()).contains("Camera readings in: greenwave/v1/intersections/+/detectors/lane-area on "
                    + broker.url()).contains("controllers CONNECTED")
                    .contains("cameras CONNECTED  msgs in 9  applied 8  rejected 1 (malformed-json 1)");
            for (PhaseControl control : controls) {
                assertThat(control.sets()).as("every controller commanded").isPositive();
            }
            assertThat(seen).as("on the broker only the cameras' readings: no plan, no health").isNotEmpty()
                    .allMatch(LANE_AREA::equals);
        } finally {
            VirtualControllerSite.closeAll(agents);
        }
    }

    @Test
    void theEmbeddedBrokerAndPlanSigningStayRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("a.txt"), "central-auth-1\n");
        for (String[] mqtt : List.of(new String[] {"--listen", "127.0.0.1:1883"}, new String[] {"--unsigned-plans"},
                new String[] {"--allow-anonymous"})) {
            List<String> args = new ArrayList<>(List.of("serve", "--scenario", SCENARIO.toString(), "--ntcip", "x.map",
                    "--snmp-user", "u", "--auth-pass-file", secret.toString(), "--priv-pass-file", secret.toString(),
                    "--no-dashboard"));
            args.addAll(List.of(mqtt));
            assertThat(Main.execute(args.toArray(String[]::new))).isEqualTo(2);
            assertThat(console.err()).contains(mqtt[0] + " is for field devices over MQTT");
        }
    }

    private static MqttClient connect(MosquittoBroker broker, String user) throws MqttException {
        MqttClient c = new MqttClient(broker.url(), "test-" + user, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword("s3cret-Pw".getBytes(StandardCharsets.UTF_8));
        c.connect(o);
        return c;
    }

    private static void publish(MqttClient cameras, String payload) throws MqttException {
        cameras.publish(LANE_AREA, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
    }

    private static String metrics(int http) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits (at most 20 s) until {@code /metrics} shows {@code name} at {@code atLeast} or more; returns its value. */
    private static double awaitMetric(int http, String name, double atLeast) throws Exception {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE);
        double last = Double.NaN;
        for (int i = 0; i < 200; i++) {
            try {
                Matcher m = line.matcher(metrics(http));
                if (m.find()) {
                    last = Double.parseDouble(m.group(1));
                    if (last >= atLeast) {
                        return last;
                    }
                }
            } catch (java.io.IOException e) {
                // The dashboard is not up yet.
            }
            Thread.sleep(100);
        }
        return last;
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
