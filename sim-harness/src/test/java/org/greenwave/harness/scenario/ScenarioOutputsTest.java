package org.greenwave.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioOutputsTest {
    @TempDir
    Path tmp;
    Path scenarioDir;
    Path run;

    @BeforeEach
    void scenario() throws Exception {
        scenarioDir = Files.createDirectories(tmp.resolve("scenario"));
        run = tmp.resolve("run");
        Files.writeString(scenarioDir.resolve("x.net.xml"), "<net/>");
        Files.writeString(scenarioDir.resolve("x.rou.xml"), "<routes/>");
    }

    private Scenario load(String cfgBody, String... additional) throws Exception {
        StringBuilder adds = new StringBuilder();
        for (int i = 0; i < additional.length; i++) {
            Files.writeString(scenarioDir.resolve("a" + i + ".add.xml"), additional[i]);
            adds.append(i == 0 ? "" : ",").append("a").append(i).append(".add.xml");
        }
        Files.writeString(scenarioDir.resolve("x.sumocfg"), "<configuration>\n<input>\n"
                + "<net-file value=\"x.net.xml\"/>\n<route-files value=\"x.rou.xml\"/>\n"
                + (additional.length > 0 ? "<additional-files value=\"" + adds + "\"/>\n" : "")
                + "</input>\n" + cfgBody + "</configuration>\n");
        return Scenario.load(scenarioDir);
    }

    private String out(String relative) {
        return run.toAbsolutePath().normalize().resolve(ScenarioOutputs.DIR).resolve(relative).toString();
    }

    @Test
    void everyOutputTheConfigurationNamesGoesUnderTheRunsFolder() throws Exception {
        Scenario s = load("""
                <output>
                    <summary value="sums/summary.xml"/>
                    <tripinfo-output value="trips.xml"/>
                    <tripinfo-output.write-unfinished value="true"/>
                    <fcd-output value="../elsewhere/fcd.xml"/>
                    <fcd-output.geo value="true"/>
                    <netstate-dump value="/tmp/abs/dump.xml"/>
                    <device.rerouting.output value="weights.xml"/>
                    <output-prefix value="TIME"/>
                    <save-state.times value="60,120"/>
                    <save-state.files value="s60.xml,s120.xml"/>
                </output>
                <report><log value="sumo_log.txt"/><error-log value="err.txt"/><no-step-log value="true"/></report>
                """);
        List<String> args = ScenarioOutputs.redirect(s, List.of("--tripinfo-output", "/run/tripinfo.xml"), run)
                .sumoArgs();
        assertThat(args).containsSubsequence("--summary-output", out("sums/summary.xml"))
                .containsSubsequence("--fcd-output", out("fcd.xml"))
                .containsSubsequence("--netstate-dump", out("dump.xml"))
                .containsSubsequence("--device.rerouting.output", out("weights.xml"))
                .containsSubsequence("--output-prefix", "")
                .containsSubsequence("--save-state.files", out("s60.xml") + "," + out("s120.xml"))
                .containsSubsequence("--log", out("sumo_log.txt"))
                .containsSubsequence("--error-log", out("err.txt"));
        assertThat(args).as("the caller's own tripinfo output stays; SUMO refuses an option given twice")
                .doesNotContain("--tripinfo-output", "--save-state.prefix")
                .doesNotContain("--fcd-output.geo", "--tripinfo-output.write-unfinished", "--no-step-log");
        assertThat(Path.of(out("sums"))).isDirectory();
    }

    @Test
    void relativeOutputsOfTheUsersOwnOptionsGoUnderTheRunsFolderAndAbsoluteOnesStayAsGiven() throws Exception {
        Scenario s = load("<output><vehroute-output value=\"q.xml\"/></output>");
        List<String> user = List.of("--queue-output=q.xml", "--fcd-output", "sub/fcd.xml", "--netstate-dump",
                "/tmp/abs/n.xml", "-l", "log.txt", "--scale", "1.2", "--emission-output=NUL", "--save-state.files",
                "a.xml,b.xml", "--summary-output=../up.xml");
        ScenarioOutputs.Redirected r = ScenarioOutputs.redirect(s, user, user, run);
        assertThat(r.userArgs()).containsExactly("--queue-output=" + out("q.xml"), "--fcd-output", out("sub/fcd.xml"),
                "--netstate-dump", "/tmp/abs/n.xml", "-l", out("log.txt"), "--scale", "1.2", "--emission-output=NUL",
                "--save-state.files", out("a.xml") + "," + out("b.xml"), "--summary-output=" + out("up.xml"));
        assertThat(Path.of(out("sub"))).isDirectory();
        assertThat(r.sumoArgs()).as("the configuration's own q.xml is another file: it gets another name")
                .containsSubsequence("--vehroute-output", out("2-q.xml"));
        assertThat(ScenarioOutputs.redirect(s, List.of(), run).userArgs()).isEmpty();
    }

    @Test
    void stateSavedWithoutAPrefixGoesUnderTheRunsFolderToo() throws Exception {
        Scenario s = load("<output><save-state.period value=\"300\"/></output>\n");
        assertThat(ScenarioOutputs.redirect(s, List.of(), run).sumoArgs())
                .containsExactly("--save-state.prefix", out("state"));
    }

    @Test
    void aConfigurationThatSavesItselfAndStopsIsRefusedWithFileAndLine() throws Exception {
        Scenario s = load("<output>\n<save-configuration value=\"saved.sumocfg\"/>\n</output>\n");
        assertThatThrownBy(() -> ScenarioOutputs.redirect(s, List.of(), run)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("x.sumocfg").hasMessageContaining(":7")
                .hasMessageContaining("save-configuration").hasMessageContaining("without simulating");
    }

    @Test
    void additionalFilesNamingOutputsAreLoadedAsRedirectedCopies() throws Exception {
        Scenario s = load("", """
                <additional>
                    <e1Detector id="d1" lane="a_0" pos="10" freq="60" file="e1_output.xml"/>
                    <e1Detector id="d2" lane="a_1" pos="10" freq="60" file="e1_output.xml"/>
                    <laneAreaDetector id="d3" lane="a_0" pos="0" endPos="50" period="60" file="NUL"/>
                    <edgeData id="ed" period="300" file="data/edges.xml"/>
                    <rerouter id="r" edges="a" file="rerouter.def.xml"/>
                    <tlLogic id="J" programID="act" offset="0" type="actuated">
                        <phase duration="30" state="Gr"/>
                        <param key="file" value="act_det.xml"/>
                        <param key="max-gap" value="3"/>
                    </tlLogic>
                </additional>
                """, "<additional>\n    <busStop id=\"b\" lane=\"a_0\" startPos=\"0\" endPos=\"20\"/>\n</additional>\n");

        List<Path> files = ScenarioOutputs.redirect(s, List.of(), run).additionalFiles();

        assertThat(files.get(1)).as("a file naming no output is loaded as it is")
                .isEqualTo(scenarioDir.resolve("a1.add.xml").toAbsolutePath().normalize());
        Path copy = files.get(0);
        assertThat(copy).startsWith(run.toAbsolutePath().normalize().resolve(ScenarioOutputs.ADDITIONAL_DIR));
        String xml = Files.readString(copy);
        assertThat(xml).contains("file=\"" + out("e1_output.xml") + "\"")
                .contains("file=\"" + out("data/edges.xml") + "\"")
                .contains("file=\"NUL\"")
                .contains("file=\"" + scenarioDir.toAbsolutePath().normalize().resolve("rerouter.def.xml") + "\"")
                .contains("value=\"" + out("act_det.xml") + "\"")
                .contains("key=\"max-gap\" value=\"3\"")
                .contains("<phase duration=\"30\" state=\"Gr\"");
        assertThat(xml.split("e1_output.xml", -1)).as("both detectors share one output file, as before")
                .hasSize(3);
    }
}
