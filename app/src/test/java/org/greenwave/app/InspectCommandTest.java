package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code greenwave inspect} on shared and shipped networks: text, JSON, and the errors. Needs no SUMO. */
class InspectCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    /** The checkout's root (the folder holding the launcher). */
    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("greenwave"))) {
            p = p.getParent();
        }
        assertThat(p).as("project root above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    /** {@code ../shared/scenarios/PATH} beside the checkout. */
    static Path shared(String path) {
        Path p = projectRoot().resolveSibling("shared").resolve("scenarios").resolve(path);
        assertThat(p).as("shared scenario beside the checkout").exists();
        return p;
    }

    private JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("inspect", "--format", "json"));
        all.addAll(List.of(args));
        console.resetOut();
        assertThat(Main.execute(all.toArray(new String[0]))).as(console.err()).isZero();
        return new ObjectMapper().readTree(console.out());
    }

    private static JsonNode signal(JsonNode doc, String id) {
        for (JsonNode s : doc.get("signals")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no signal " + id + " in " + doc.get("signals").size() + " signals");
    }

    @Test
    void theYellowMajorStateOf3x3gridIsTheNetsTwoSecondAmber() {
        Path grid = shared("external/sumo-rl/3x3grid");
        assertThat(Main.execute("inspect", "--scenario", grid.toString(), "--tls", "0")).as(console.err()).isZero();
        String text = console.out();
        assertThat(text).contains("== Signal 0 at x 250, y 550")
                .contains("Program '0', type static")
                .contains("YYYYrrrrYYYYrrrr")
                .contains("Clearance after every green: amber 2 s, then all-red 1 s")
                .contains("phase 0 -> 3: amber 2 s (phase 1), all-red 1 s")
                .contains("gw_stop_0Ni_0").contains("greenwave/v1/intersections/0/detectors/events")
                .contains("saturation 1661.6 veh/h")
                .doesNotContain("3.5 s")
                .doesNotContain("== Signal 1 ");
        assertThat(text.lines().filter(l -> l.matches("\\s+1\\s+YYYYrrrrYYYYrrrr\\s+2\\s.*")).toList())
                .singleElement().asString().contains("amber").contains("amber 0,1,2,3,8,9,10,11");
    }

    @Test
    void jsonOf3x3gridHasEveryPhaseClearanceConflictAndDetector() throws Exception {
        JsonNode doc = json("--scenario", shared("external/sumo-rl/3x3grid").toString());
        assertThat(doc.get("schema").asText()).isEqualTo("greenwave-inspect/1");
        assertThat(doc.get("signals")).hasSize(9);
        JsonNode s = signal(doc, "0");
        assertThat(s.get("amberS").asDouble()).isEqualTo(2.0);
        assertThat(s.get("allRedS").asDouble()).isEqualTo(1.0);
        assertThat(s.get("program").get("type").asText()).isEqualTo("static");
        JsonNode phases = s.get("phases");
        assertThat(phases).hasSize(6);
        assertThat(phases.get(0).get("role").asText()).isEqualTo("green");
        assertThat(phases.get(0).get("enginePhase").asInt()).isZero();
        assertThat(phases.get(0).get("permissive").toString()).isEqualTo("[3,11]");
        assertThat(phases.get(1).get("state").asText()).isEqualTo("YYYYrrrrYYYYrrrr");
        assertThat(phases.get(1).get("role").asText()).isEqualTo("amber");
        assertThat(phases.get(1).get("durationS").asDouble()).isEqualTo(2.0);
        assertThat(phases.get(2).get("role").asText()).isEqualTo("red");
        assertThat(phases.get(3).get("enginePhase").asInt()).isEqualTo(1);
        assertThat(s.get("greenPhases")).hasSize(2);
        assertThat(s.get("greenPhases").get(1).get("minGreenS").asDouble()).isEqualTo(5.0);
        assertThat(s.get("greenPhases").get(1).get("maxGreenS").asDouble()).isEqualTo(120.0);
        assertThat(s.get("transitions")).hasSize(2);
        assertThat(s.get("transitions").get(1).get("fromPhase").asInt()).isEqualTo(3);
        assertThat(s.get("transitions").get(1).get("toPhase").asInt()).isZero();
        JsonNode conflict = s.get("conflicts").get(0);
        assertThat(conflict.get("a").asInt()).isLessThan(conflict.get("b").asInt());
        assertThat(conflict.get("aFrom").asText()).isEqualTo(s.get("links").get(conflict.get("a").asInt()).get("fromLane").asText());
        assertThat(s.get("incomingLanes")).hasSize(8);
        assertThat(s.get("incomingLanes").get(0).get("walkingArea").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        s.get("detectors").forEach(d -> ids.add(d.get("mqttId").asText()));
        assertThat(ids).contains("gw_stop_0Ni_0", "gw_adv_0Ni_0", "gw_in_0Ni_0", "gw_out_0Wo_0");
        JsonNode stop = s.get("detectors").get(0);
        assertThat(stop.get("kind").asText()).isEqualTo("STOP_LINE");
        assertThat(stop.get("topics").toString()).contains("greenwave/v1/intersections/0/detectors/events",
                "greenwave/v1/intersections/0/detectors/aggregates");
        assertThat(s.get("position").get("lon").isNull()).isTrue();
        assertThat(doc.get("projection").get("lonLat").asBoolean()).isFalse();
    }

    @Test
    void anUnusedStateIndexOfDoubleIsShownAndWarned(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/double.json");
        assertThat(Main.execute("inspect", "--scenario", shared("external/sumo-rl/double/double.sumocfg").toString(),
                "--format", "json", "--out", file.toString())).as(console.err()).isZero();
        assertThat(console.out()).isEmpty();
        JsonNode b = signal(new ObjectMapper().readTree(file.toFile()), "B");
        assertThat(b.get("linkCount").asInt()).isEqualTo(18);
        assertThat(b.get("links").get(5).get("used").asBoolean()).isFalse();
        assertThat(b.get("links").get(5).get("fromLane").isNull()).isTrue();
        assertThat(b.get("warnings").toString()).contains("state indices 5, 14 of 18 are used by no connection");

        assertThat(Main.execute("inspect", "--scenario", shared("external/sumo-rl/double").toString(), "--tls", "B"))
                .as(console.err()).isZero();
        assertThat(console.out()).contains("    5  (no connection)").contains("Warnings")
                .contains("! state indices 5, 14 of 18 are used by no connection");
    }

    @Test
    void aGeographicNetShowsLongitudeAndLatitudeAsSumoComputesThem() throws Exception {
        // netconvert -s cologne1.net.xml --plain-output-prefix c1 --proj.plain-geo true writes this junction at
        // x="6.926515" y="50.930961".
        JsonNode doc = json("--net", shared("resco/cologne1/cologne1.net.xml").toString());
        JsonNode pos = signal(doc, "GS_cluster_357187_359543").get("position");
        assertThat(pos.get("lon").asDouble()).isCloseTo(6.926515, within(1e-6));
        assertThat(pos.get("lat").asDouble()).isCloseTo(50.930961, within(1e-6));
        assertThat(doc.get("projection").get("lonLat").asBoolean()).isTrue();
    }

    @Test
    void badInputFailsWithAClearMessage(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertThat(Main.execute("inspect", "--scenario", missing.toString())).isEqualTo(1);
        assertThat(console.err()).contains(missing.toString()).contains("not found");
        console.resetErr();
        assertThat(Main.execute("inspect", "--net", dir.resolve("no.net.xml").toString())).isEqualTo(1);
        assertThat(console.err()).contains("no.net.xml").contains("network file not found");
        console.resetErr();
        assertThat(Main.execute("inspect", "--scenario", dir.toString())).isEqualTo(1);
        assertThat(console.err()).contains("expected exactly one .sumocfg in the folder, found 0");
        console.resetErr();
        assertThat(Main.execute("inspect", "--scenario", shared("external/sumo-rl/3x3grid").toString(), "--tls", "9x"))
                .isEqualTo(1);
        assertThat(console.err()).contains("no traffic light '9x' in the network");
        console.resetErr();
        assertThat(Main.execute("inspect")).isEqualTo(2);
        assertThat(console.err()).contains("--scenario").contains("--net");
        console.resetErr();
        assertThat(Main.execute("inspect", "--net", "x.net.xml", "--format", "xml")).isEqualTo(2);
        assertThat(console.err()).contains("--format must be text or json, was 'xml'");
    }
}
