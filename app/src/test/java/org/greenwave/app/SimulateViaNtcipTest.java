package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --via ntcip}: the corridor's signals under virtual NTCIP controllers the engine commands over SNMPv3. */
class SimulateViaNtcipTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    @Tag("sumo")
    void theCorridorRunsThroughVirtualNtcipControllers() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/corridor").toString(),
                "--seeds", "1", "--begin", "0", "--end", "120", "--via", "ntcip", "--out", out.toString());

        assertThat(code).as(console.err()).isZero();
        Path run = out.resolve("greenwave/seed-1");
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.get("transport").asText()).isEqualTo("ntcip");
        assertThat(summary.get("safetyViolations").asLong()).isZero();
        assertThat(summary.at("/field/plansAccepted").asLong()).as("phase-control sets sent, one a second per "
                + "controller").isGreaterThanOrEqualTo(5 * 110);
        assertThat(summary.at("/field/fallbacksEntered").asLong()).isZero();
        assertThat(Files.readString(run.resolve("ntcip.map"))).containsPattern("signal J1 127\\.0\\.0\\.1:\\d+");
        assertThat(out.resolve("max-pressure/seed-1/summary.json")).as("the default comparison's engine controllers")
                .exists();
        assertThat(out.resolve("actuated")).as("no device program: an NTCIP controller has none").doesNotExist();
        assertThat(console.out()).contains("detectors and plans over NTCIP (SNMPv3) to virtual controllers, cameras "
                        + "through their own feed")
                .containsPattern("greenwave seed 1: \\d+ followed, 0 refused; fell back 0 time\\(s\\)");
    }

    @Test
    @Tag("sumo")
    void inModePatternTheVirtualControllersRunTheEnginesPatterns() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/corridor").toString(),
                "--controller", "greenwave", "--seeds", "1", "--begin", "0", "--end", "300", "--via", "ntcip",
                "--ntcip-mode", "pattern", "--out", out.toString());

        assertThat(code).as(console.err()).isZero();
        Path run = out.resolve("greenwave/seed-1");
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.get("transport").asText()).isEqualTo("ntcip-pattern");
        assertThat(summary.get("safetyViolations").asLong()).isZero();
        assertThat(summary.at("/field/fallbacksEntered").asLong()).as("selected again every second").isZero();
        assertThat(summary.at("/field/plansAccepted").asLong()).as("pattern sets and re-selections").isPositive();
        assertThat(Files.readString(run.resolve("ntcip.map"))).contains("mode pattern");
        assertThat(console.out()).contains("over NTCIP (SNMPv3) to virtual controllers running the engine's patterns");
    }

    @Test
    @Tag("sumo")
    void inProcessOnLoopsOnlyIsTheNtcipRunsInProcessCounterpart() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/corridor").toString(),
                "--controller", "greenwave", "--seeds", "1", "--begin", "0", "--end", "120", "--via",
                "in-process-loops", "--out", out.toString());

        assertThat(code).as(console.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("greenwave/seed-1/summary.json").toFile());
        assertThat(summary.get("transport").asText()).isEqualTo("in-process-loops");
        assertThat(summary.get("safetyViolations").asLong()).isZero();
        assertThat(console.out()).contains("detectors and plans in process, loops only");
    }

    @Test
    @Tag("sumo")
    void ntcipOnLoopsOnlyLeavesTheCamerasOut() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/corridor").toString(),
                "--controller", "greenwave", "--seeds", "1", "--begin", "0", "--end", "120", "--via", "ntcip-loops",
                "--out", out.toString());

        assertThat(code).as(console.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("greenwave/seed-1/summary.json").toFile());
        assertThat(summary.get("transport").asText()).isEqualTo("ntcip-loops");
        assertThat(summary.get("safetyViolations").asLong()).isZero();
        assertThat(console.out()).contains("over NTCIP (SNMPv3) to virtual controllers, loops only");
    }

    @Test
    void deviceProgramsAndMqttOptionsAreRefused() {
        String scenario = ROOT.resolve("scenarios/corridor").toString();
        String outDir = dir.resolve("x").toString();
        assertThat(Main.execute("simulate", "--scenario", scenario, "--controllers", "greenwave,actuated", "--via",
                "ntcip", "--out", outDir)).isEqualTo(2);
        assertThat(console.err()).contains("--via ntcip runs the engine's plans on NTCIP controllers; controller "
                + "'actuated' runs SUMO's own signal program");
        assertThat(Main.execute("simulate", "--scenario", scenario, "--controller", "greenwave", "--via", "ntcip",
                "--broker", "tcp://x:1883",
                "--out", outDir)).isEqualTo(2);
        assertThat(console.err()).contains("--broker needs --via mqtt");
        assertThat(Main.execute("simulate", "--scenario", scenario, "--via", "snmp", "--out", outDir)).isEqualTo(2);
        assertThat(console.err()).contains("--via must be in-process, in-process-loops, mqtt, ntcip or ntcip-loops, "
                + "was 'snmp'");
        assertThat(Main.execute("simulate", "--scenario", scenario, "--controllers", "greenwave,fixed", "--via",
                "ntcip-loops", "--out", outDir)).isEqualTo(2);
        assertThat(console.err()).contains("--via ntcip-loops runs the engine's plans on NTCIP controllers; "
                + "controller 'fixed' runs SUMO's own signal program");
        assertThat(Main.execute("simulate", "--scenario", scenario, "--via", "ntcip", "--ntcip-mode", "cycle",
                "--out", outDir)).isEqualTo(2);
        assertThat(console.err()).contains("--ntcip-mode: 'cycle' is not an NTCIP mode (phase-control or pattern)");
        assertThat(Main.execute("simulate", "--scenario", scenario, "--ntcip-mode", "pattern", "--out", outDir))
                .isEqualTo(2);
        assertThat(console.err()).contains("--ntcip-mode needs --via ntcip or ntcip-loops");
    }
}
