package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.osm.OsmImport;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code greenwave osm}: from an OpenStreetMap extract made for the test to a scenario every controller runs. */
class OsmCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    private static Path resource(String name) {
        return Path.of("src/test/resources/osm").resolve(name).toAbsolutePath();
    }

    /** Everything in {@code dir}, hidden build folders included. */
    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingFileFailsNamingItAndCreatesNothing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nowhere.osm");
        assertThat(Main.execute("osm", missing.toString(), "--out", dir.resolve("study").toString())).isEqualTo(1);
        assertThat(console.err()).contains(missing.toString()).contains("OpenStreetMap file not found");
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void aFileThatIsNotOsmXmlFailsNamingTheFileAndLine(@TempDir Path dir) throws Exception {
        Path html = Files.writeString(dir.resolve("map.osm"), "<!DOCTYPE html>\n<html><body>rate limited</body></html>\n");
        assertThat(Main.execute("osm", html.toString(), "--out", dir.resolve("a").toString())).isEqualTo(1);
        assertThat(console.err()).contains(html + ":2: not OpenStreetMap XML: the root element is <html>, expected <osm>");

        Path broken = Files.writeString(dir.resolve("broken.osm"),
                "<osm version=\"0.6\">\n  <node id=\"1\" lat=\"52.5\" lon=\"13.4\">\n</osm>\n");
        assertThat(Main.execute("osm", broken.toString(), "--out", dir.resolve("b").toString())).isEqualTo(1);
        assertThat(console.err()).contains(broken + ":3: not OpenStreetMap XML (malformed XML)");

        Path pbf = Files.write(dir.resolve("area.osm.pbf"), new byte[] {0, 0, 0, 13, 10, 9});
        assertThat(Main.execute("osm", pbf.toString(), "--out", dir.resolve("c").toString())).isEqualTo(1);
        assertThat(console.err()).contains(pbf + ": OSM PBF is not supported").contains("osmium cat");

        Path noRoads = Files.writeString(dir.resolve("park.osm"), "<osm version=\"0.6\">\n"
                + "  <node id=\"1\" lat=\"52.5\" lon=\"13.4\"/>\n  <way id=\"2\"><nd ref=\"1\"/>"
                + "<tag k=\"leisure\" v=\"park\"/></way>\n</osm>\n");
        assertThat(Main.execute("osm", noRoads.toString(), "--out", dir.resolve("d").toString())).isEqualTo(1);
        assertThat(console.err()).contains(noRoads + ": no roads: no <way> tagged highway=*");
        assertThat(entries(dir)).containsExactly("area.osm.pbf", "broken.osm", "map.osm", "park.osm");
    }

    @Test
    void anAreaWithoutMappedSignalsFailsAndPointsToGuessSignals(@TempDir Path dir) throws Exception {
        String grid = Files.readString(resource("grid.osm")).replace("v=\"traffic_signals\"", "v=\"stop\"");
        Path noSignals = Files.writeString(dir.resolve("stops.osm"), grid);
        assertThat(Main.execute("osm", noSignals.toString(), "--out", dir.resolve("study").toString())).isEqualTo(1);
        assertThat(console.err()).contains(noSignals + ": no node is tagged highway=traffic_signals")
                .contains("--guess-signals");
        assertThat(entries(dir)).containsExactly("stops.osm");
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        String osm = resource("grid.osm").toString();
        assertThat(Main.execute("osm", osm, "--demand", "600", "--period", "2")).isEqualTo(2);
        assertThat(console.err()).contains("give either --demand or --period, not both");
        assertThat(Main.execute("osm", osm, "--demand", "0")).isEqualTo(2);
        assertThat(console.err()).contains("--demand must be a positive number of vehicles per hour, was 0.0");
        assertThat(Main.execute("osm", osm, "--period", "-1")).isEqualTo(2);
        assertThat(console.err()).contains("--period must be a positive number of seconds");
        assertThat(Main.execute("osm", osm, "--window", "0")).isEqualTo(2);
        assertThat(console.err()).contains("--window must be a positive number of seconds");
        assertThat(Main.execute("osm", osm, "--fringe-factor", "0.5")).isEqualTo(2);
        assertThat(console.err()).contains("--fringe-factor must be a number of at least 1, or max, was '0.5'");
        assertThat(Main.execute("osm", osm, "--signal-type", "psychic")).isEqualTo(2);
        assertThat(console.err()).contains("--signal-type must be one of static, actuated, delay_based, was 'psychic'");
        assertThat(Main.execute("osm", osm, "--name", "my study")).isEqualTo(2);
        assertThat(console.err()).contains("--name must be letters, digits");
        assertThat(Main.execute("osm")).isEqualTo(2);
        assertThat(console.err()).contains("FILE");
    }

    @Test
    void anExistingFolderIsNeverOverwrittenWithoutForce(@TempDir Path dir) throws Exception {
        Path study = Files.createDirectories(dir.resolve("study"));
        Files.writeString(study.resolve("notes.txt"), "mine");
        assertThat(Main.execute("osm", resource("grid.osm").toString(), "--out", study.toString())).isEqualTo(1);
        assertThat(console.err()).contains(study + " already exists and is not empty").contains("--force");
        assertThat(entries(study)).containsExactly("notes.txt");
        assertThat(entries(dir)).containsExactly("study");
    }

    @Test
    void aMissingPythonStopsBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        // A SUMO install whose netconvert and randomTrips.py exist, on a PATH without python3.
        Path home = dir.resolve("sumo");
        Path netconvert = Files.createDirectories(home.resolve("bin")).resolve("netconvert");
        Files.writeString(netconvert, "#!/bin/sh\nexit 0\n");
        assertThat(netconvert.toFile().setExecutable(true)).isTrue();
        Files.createDirectories(home.resolve("tools"));
        Files.writeString(home.resolve("tools/randomTrips.py"), "");
        Path emptyPath = Files.createDirectories(dir.resolve("empty-bin"));
        Path study = dir.resolve("study");
        OsmImport.Settings s = new OsmImport.Settings().osmFile(resource("grid.osm")).outDir(study);
        assertThatThrownBy(() -> OsmImport.run(s, Map.of("SUMO_HOME", home.toString(), "PATH", emptyPath.toString()),
                System.err))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("python3 not found on PATH")
                .hasMessageContaining("randomTrips.py")
                .hasMessageContaining("apt-get install python3");
        assertThat(study).doesNotExist();
    }

    @Test
    @Tag("sumo")
    void buildsAStudyFromTheGridAndEveryControllerRunsItWithoutASafetyViolation(@TempDir Path dir) throws Exception {
        Path study = dir.resolve("grid-study");
        int code = Main.execute("osm", resource("grid.osm").toString(), "--out", study.toString(), "--demand", "900");
        assertThat(code).as(console.err()).isZero();

        // The junctions tagged in OSM, and the one whose signals are mapped on its approaches; not the pedestrian
        // light on the plain road (node 3001).
        SumoNet net = SumoNet.read(study.resolve("grid.net.xml"));
        assertThat(net.tlLogics().keySet()).containsExactlyInAnyOrder("1011", "1012", "1013", "GS_1021");
        assertThat(console.out()).contains("signals  4, from 8 OSM node(s) tagged highway=traffic_signals")
                .contains("1011").contains("1012").contains("1013").contains("GS_1021")
                .contains("900 veh/h").contains("greenwave inspect --scenario " + study)
                .contains("greenwave simulate --scenario " + study);
        assertThat(entries(study)).containsExactly("build.sh", "grid.net.xml", "grid.netccfg", "grid.rou.xml",
                "grid.sumocfg", "grid.trips.xml", "netconvert.log", "randomTrips.log");
        assertThat(entries(dir)).containsExactly("grid-study");
        Scenario scenario = Scenario.load(study);
        assertThat(scenario.beginS()).isZero();
        assertThat(scenario.endS()).isEqualTo(3600);
        assertThat(scenario.netFile()).isEqualTo(study.resolve("grid.net.xml"));
        long vehicles = Files.readString(study.resolve("grid.rou.xml")).split("<vehicle ", -1).length - 1;
        assertThat(vehicles).isBetween(850L, 901L);

        Path results = dir.resolve("results");
        List<String> controllers = Stream.of(Policies.GREENWAVE, "device", Policies.FIXED)
                .filter(Policies.names()::contains).toList();
        code = Main.execute("simulate", "--scenario", study.toString(), "--controller", String.join(",", controllers),
                "--seeds", "1", "--end", "120", "--out", results.toString());
        assertThat(code).as(console.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        for (String c : controllers) {
            JsonNode summary = json.readTree(results.resolve(c).resolve("seed-1/summary.json").toFile());
            assertThat(summary.get("signals").asInt()).as(c).isEqualTo(4);
            assertThat(summary.get("safetyViolations").asLong()).as(c).isZero();
            JsonNode trips = summary.get("trips");
            assertThat(trips.get("vehicles").asLong() - trips.get("undeparted").asLong()).as(c + " inserted")
                    .isGreaterThan(20);
            assertThat(trips.get("arrived").asLong()).as(c + " arrived").isGreaterThan(0);
        }
    }

    @Test
    @Tag("sumo")
    void guessSignalsAddsNetconvertsSignalsAndForceReplacesTheFolder(@TempDir Path dir) throws Exception {
        Path study = Files.createDirectories(dir.resolve("study"));
        Files.writeString(study.resolve("old.txt"), "replaced");
        int code = Main.execute("osm", resource("grid.osm").toString(), "--out", study.toString(), "--guess-signals",
                "--force", "--window", "600", "--period", "4", "--name", "guessed", "--signal-type", "static");
        assertThat(code).as(console.err()).isZero();
        SumoNet net = SumoNet.read(study.resolve("guessed.net.xml"));
        // 1010: where the primary road meets a residential street, which OSM leaves unsignalled.
        assertThat(net.tlLogics().keySet()).contains("1010", "1011", "1012", "1013", "GS_1021");
        assertThat(net.tlLogics().values()).allSatisfy(p -> assertThat(p.get(0).type()).isEqualTo("static"));
        assertThat(entries(study)).doesNotContain("old.txt").contains("guessed.sumocfg");
        assertThat(entries(dir)).containsExactly("study");
        assertThat(Scenario.load(study).endS()).isEqualTo(600);
        assertThat(console.out()).contains("150 vehicles over 0-600 s, 900 veh/h");
    }

    @Test
    @Tag("sumo")
    void toolErrorsAreQuotedAndLeaveNoFolderBehind(@TempDir Path dir) throws Exception {
        Path osm = resource("grid.osm");
        assertThat(Main.execute("osm", osm.toString(), "--out", dir.resolve("a").toString(),
                "--netconvert-arg=--no-such-option")).isEqualTo(1);
        assertThat(console.err()).contains("netconvert failed on " + osm + " (exit code 1)")
                .contains("Error: ").contains("no-such-option");

        assertThat(Main.execute("osm", osm.toString(), "--out", dir.resolve("b").toString(),
                "--random-trips-arg=--no-such-option")).isEqualTo(1);
        assertThat(console.err()).contains("randomTrips.py failed on the network built from " + osm + " (exit code 2)")
                .contains("error: unrecognized arguments: --no-such-option");

        assertThat(Main.execute("osm", osm.toString(), "--out", dir.resolve("c").toString(),
                "--typemap", "noSuchMap.typ.xml")).isEqualTo(1);
        assertThat(console.err()).contains("--typemap: no file 'noSuchMap.typ.xml'");
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    @Tag("sumo")
    void anAreaWhoseOnlySignalIsAPedestrianLightFailsNamingTheNode(@TempDir Path dir) throws Exception {
        Path osm = resource("pedestrian-light.osm");
        assertThat(Main.execute("osm", osm.toString(), "--out", dir.resolve("study").toString())).isEqualTo(1);
        assertThat(console.err()).contains(osm + ": netconvert kept no traffic signal in this area")
                .contains("(3) are on plain road sections").contains("--guess-signals");
        assertThat(entries(dir)).isEmpty();
    }
}
