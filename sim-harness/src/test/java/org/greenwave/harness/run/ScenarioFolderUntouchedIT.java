package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.scenario.ScenarioOutputs;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs write every output a scenario names under their own folder and never into the scenario's. */
@Tag("sumo")
class ScenarioFolderUntouchedIT {

    @Test
    void outputsTheConfigurationAndItsDetectorsNameGoUnderTheRunsFolder(@TempDir Path tmp) throws Exception {
        Sumo.requireInstalled();
        Path own = TestPaths.own("intersection").getParent();
        Path folder = Files.createDirectories(tmp.resolve("scenario"));
        Files.copy(own.resolve("intersection.net.xml"), folder.resolve("intersection.net.xml"));
        Files.copy(own.resolve("intersection.rou.xml"), folder.resolve("intersection.rou.xml"));
        Files.writeString(folder.resolve("loops.add.xml"), """
                <additional>
                    <e1Detector id="count" lane="E_in_0" pos="20" freq="60" file="loop_counts.xml"/>
                </additional>
                """);
        Files.writeString(folder.resolve("study.sumocfg"), """
                <configuration>
                    <input>
                        <net-file value="intersection.net.xml"/>
                        <route-files value="intersection.rou.xml"/>
                        <additional-files value="loops.add.xml"/>
                    </input>
                    <time><begin value="0"/><end value="90"/></time>
                    <output>
                        <summary-output value="summary.xml"/>
                        <tripinfo-output value="tripinfos.xml"/>
                        <save-state.times value="60"/>
                        <save-state.prefix value="states/snap"/>
                    </output>
                    <report><log value="sumo_log.txt"/></report>
                </configuration>
                """);
        readOnly(folder);
        Map<String, String> before = snapshot(folder);
        try {
            Scenario s = Scenario.load(folder);
            Path out = tmp.resolve("out");
            List<RunSummary> runs = new Study(s, List.of(Policies.FIXED), List.of(1L), out, List.of(), 1, List.of())
                    .run(null);

            assertThat(snapshot(folder)).as("the scenario's folder after the run").isEqualTo(before);
            Path run = out.resolve(Policies.FIXED).resolve("seed-1");
            Path outputs = run.resolve(ScenarioOutputs.DIR);
            assertThat(run.resolve("tripinfo.xml")).isNotEmptyFile();
            assertThat(Files.readString(outputs.resolve("summary.xml"))).contains("<step time=\"89.00\"");
            assertThat(Files.readString(outputs.resolve("sumo_log.txt"))).contains("Simulation version");
            assertThat(outputs.resolve("states/snap_60.00.xml.gz")).isNotEmptyFile();
            assertThat(Files.readString(outputs.resolve("loop_counts.xml"))).contains("id=\"count\"");
            assertThat(outputs.resolve("tripinfos.xml")).as("the run's own tripinfo output replaces the scenario's")
                    .doesNotExist();
            assertThat(runs.get(0).trips().vehicles()).isPositive();
        } finally {
            writable(folder);
        }
    }

    @Test
    void bolognaRunsWithItsFolderUntouchedAndReportsItsBuses(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Path folder = TestPaths.external("bologna-acosta");
        Map<String, String> before = snapshot(folder);
        Scenario full = Scenario.load(folder);
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), 0, 120);

        RunSummary r = new Study(s, List.of(Policies.FIXED), List.of(1L), out, List.of(), 1, List.of()).run(null)
                .get(0);

        assertThat(snapshot(folder)).as("bologna-acosta's folder after the run").isEqualTo(before);
        Path outputs = out.resolve(Policies.FIXED).resolve("seed-1").resolve(ScenarioOutputs.DIR);
        assertThat(outputs.resolve("sumo_log.txt")).as("the configuration's log").isNotEmptyFile();
        assertThat(outputs.resolve("e1_output.xml")).as("the detectors' output").isNotEmptyFile();
        assertThat(r.buses().buses()).as("buses due in the first two minutes").isPositive();
        assertThat(r.buses().avgDelayS()).isNotNull().isPositive();
        assertThat(r.buses().buses()).isLessThan(r.trips().vehicles());
        assertThat(r.persons().persons()).isZero();
        assertThat(r.persons().avgDelayS()).as("no persons: no person delay, not 0").isNull();
    }

    /** Every file under {@code dir}: its content's digest and its modification time. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                String key = dir.relativize(f).toString();
                if (Files.isDirectory(f)) {
                    m.put(key + "/", "dir");
                } else {
                    m.put(key, digest(f) + " " + Files.getLastModifiedTime(f));
                }
            }
        }
        return m;
    }

    private static String digest(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readOnly(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(f -> f.toFile().setWritable(false, false));
        }
    }

    private static void writable(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(f -> f.toFile().setWritable(true));
        }
    }
}
