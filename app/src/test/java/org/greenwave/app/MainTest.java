package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void everyCommandHasHelp() {
        assertThat(Main.execute("--help")).isZero();
        assertThat(console.out()).contains("simulate").contains("demo");
        assertThat(Main.execute("simulate", "--help")).isZero();
        assertThat(console.out()).contains("--scenario").contains("--controller").contains("--seeds");
        assertThat(Main.execute("demo", "--help")).isZero();
        assertThat(console.out()).contains("--pace").contains("--port").contains("--no-dashboard");
        assertThat(Main.execute("serve", "--help")).isZero();
        assertThat(console.out()).contains("--port").contains("--no-dashboard");
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        assertThat(Main.execute("frobnicate")).isEqualTo(2);
        assertThat(console.err()).contains("frobnicate");
        assertThat(Main.execute("simulate", "--scenario", "x.sumocfg", "--controller", "fixed,psychic")).isEqualTo(2);
        assertThat(console.err()).contains("unknown controller 'psychic'").contains("max-pressure");
        assertThat(Main.execute("simulate")).isEqualTo(2);
        assertThat(console.err()).contains("--scenario");
        assertThat(Main.execute("simulate", "--scenario", "x.sumocfg", "--seeds", "one")).isEqualTo(2);
        assertThat(console.err()).contains("--seeds");
        assertThat(Main.execute("demo", "--pace", "-1")).isEqualTo(2);
        assertThat(console.err()).contains("--pace must be 0 or more");
        assertThat(Main.execute("demo", "--port", "70000")).isEqualTo(2);
        assertThat(console.err()).contains("--port must be 0..65535");
        assertThat(Main.execute("demo", "--controller", "psychic")).isEqualTo(2);
        assertThat(console.err()).contains("unknown controller 'psychic'");
    }

    @Test
    void aMissingScenarioFailsNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.sumocfg");
        assertThat(Main.execute("simulate", "--scenario", missing.toString())).isEqualTo(1);
        assertThat(console.err()).contains(missing.toString()).contains("not found");
    }

    @Test
    @Tag("sumo")
    void simulatesAShortWindowAndPrintsTheTable(@TempDir Path dir) throws Exception {
        Path scenario = Path.of("").toAbsolutePath().getParent().resolve("scenarios/intersection");
        int code = Main.execute("simulate", "--scenario", scenario.toString(), "--controller", "fixed,max-pressure",
                "--seeds", "1", "--begin", "0", "--end", "300", "--out", dir.toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out()).contains("| fixed").contains("| max-pressure").contains("delay s");
        assertThat(dir.resolve("fixed/seed-1/tripinfo.xml")).exists();
        assertThat(Files.readString(dir.resolve("max-pressure/seed-1/summary.json"))).contains("\"safetyViolations\" : 0");
        assertThat(console.out()).contains("person delay s").contains("bus delay s");
        java.util.List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).as("a header and one row per run").hasSize(3);
        java.util.List<String> header = java.util.List.of(csv.get(0).split(","));
        assertThat(header).startsWith("scenario", "controller", "seed")
                .contains("avg_delay_s", "avg_person_delay_s", "avg_bus_delay_s", "throughput_veh_per_h");
        assertThat(csv.get(1)).startsWith("intersection,fixed,1,");
        assertThat(csv.get(2)).startsWith("intersection,max-pressure,1,");
        String[] row = csv.get(2).split(",", -1);
        assertThat(row).hasSize(header.size());
        assertThat(row[header.indexOf("avg_person_delay_s")]).as("no persons: empty, not 0").isEmpty();
        assertThat(row[header.indexOf("persons")]).isEqualTo("0");
        assertThat(Long.parseLong(row[header.indexOf("buses")])).as("2 % of the mix are buses").isPositive();
        assertThat(Double.parseDouble(row[header.indexOf("avg_bus_delay_s")])).isPositive();
        assertThat(Double.parseDouble(row[header.indexOf("avg_delay_s")])).isPositive();
    }

    @Test
    void serveRejectsBadArguments() {
        assertThat(Main.execute("serve")).isEqualTo(2);
        assertThat(console.err()).contains("--scenario").contains("--net FILE");
        assertThat(Main.execute("serve", "--network", "x.net.xml", "--listen", "nowhere")).isEqualTo(2);
        assertThat(console.err()).contains("--listen must be HOST:PORT");
        assertThat(Main.execute("serve", "--network", "x.net.xml", "--tick-s", "0")).isEqualTo(2);
        assertThat(console.err()).contains("--tick-s");
    }

    @Test
    @Tag("broker")
    void servesTheCorridorOnAnEmbeddedBrokerAndStopsByItself() throws Exception {
        Path corridor = Path.of("").toAbsolutePath().getParent().resolve("scenarios/corridor");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path keys = java.nio.file.Files.createTempDirectory("greenwave-keys");
        String id = org.greenwave.adapters.mqtt.SigningKeys.generate(keys);
        int code = Main.execute("serve", "--scenario", corridor.toString(), "--listen", "127.0.0.1:" + port,
                "--run-for", "3", "--status-every", "1", "--plan-key", keys.resolve("plan-signing.key").toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out()).contains("serving 5 signal(s) of corridor.net.xml with greenwave on tcp://127.0.0.1:" + port)
                .contains("greenwave/v1/intersections/+/plan").contains("plans out").contains("signed with key " + id);
    }
}
