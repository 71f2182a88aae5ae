package org.greenwave.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector file written for SUMO against the model the engine plans with. */
class AdditionalFilesTest {
    @Test
    void theModelKnowsWhereEachAdvanceLoopIsWritten(@TempDir Path dir) throws IOException {
        // Bologna's approach stretches are as short as 26 m (the loop then sits at the stretch's start); cologne1's
        // reach the full 60 m. The distance the policy places vehicles by is the one the detector file gives SUMO.
        for (String scenario : List.of("external/bologna-acosta", "resco/cologne1")) {
            Scenario s = Scenario.load(scenario.startsWith("resco/") ? TestPaths.resco(scenario.substring(6))
                    : TestPaths.external(scenario.substring(9)));
            SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
            List<ControlledIntersection> cis = ScenarioImport.importSignals(net, List.of());
            Path file = dir.resolve(s.name() + ".det.add.xml");
            AdditionalFiles.writeDetectors(file, net, cis);
            String xml = Files.readString(file);
            for (ControlledIntersection ci : cis) {
                IntersectionModel m = ci.model();
                for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                    String id = ci.advanceLoops()[lane];
                    if (id == null) {
                        continue; // a walking area: no loops
                    }
                    java.util.regex.Matcher at = java.util.regex.Pattern.compile("<inductionLoop id=\""
                            + java.util.regex.Pattern.quote(id) + "\" lane=\"([^\"]+)\" pos=\"([0-9.]+)\"")
                            .matcher(xml);
                    assertThat(at.find()).as(id).isTrue();
                    List<String> stretch = ci.incomingStretches().get(lane);
                    int from = stretch.indexOf(at.group(1));
                    double distanceM = net.lane(at.group(1)).lengthM() - Double.parseDouble(at.group(2));
                    for (int i = from + 1; i < stretch.size(); i++) {
                        distanceM += net.lane(stretch.get(i)).lengthM();
                    }
                    assertThat(m.incomingAdvanceM(lane)).as(scenario + " " + id).isCloseTo(distanceM,
                            org.assertj.core.api.Assertions.within(0.02));
                    assertThat(m.incomingAdvanceM(lane)).isLessThanOrEqualTo(ScenarioImport.ADVANCE_DISTANCE_M);
                }
            }
        }
    }

    @Test
    void aSignalThatFeedsNoEngineGetsOnlyItsStopLineLoopsAndExitZones(@TempDir Path dir) throws IOException {
        Scenario s = Scenario.load(TestPaths.resco("grid4x4"));
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> cis = ScenarioImport.importSignals(net, List.of());
        boolean[] feeds = new boolean[cis.size()];
        feeds[0] = true;
        Path all = dir.resolve("all.det.add.xml");
        Path some = dir.resolve("some.det.add.xml");
        AdditionalFiles.writeDetectors(all, net, cis);
        AdditionalFiles.writeDetectors(some, net, cis, feeds);
        String full = Files.readString(all);
        String reduced = Files.readString(some);
        for (int i = 0; i < cis.size(); i++) {
            ControlledIntersection ci = cis.get(i);
            for (int lane = 0; lane < ci.model().incomingLaneCount(); lane++) {
                assertThat(reduced).contains("id=\"" + ci.stopLineLoops()[lane] + "\"");
                assertThat(reduced.contains("id=\"" + ci.advanceLoops()[lane] + "\"")).as(ci.advanceLoops()[lane])
                        .isEqualTo(feeds[i]);
                assertThat(reduced.contains("id=\"" + ci.incomingAreas()[lane][0] + "\""))
                        .as(ci.incomingAreas()[lane][0]).isEqualTo(feeds[i]);
            }
            for (int lane = 0; lane < ci.model().outgoingLaneCount(); lane++) {
                if (ci.outgoingAreas()[lane] != null) {
                    assertThat(reduced).contains("id=\"" + ci.outgoingAreas()[lane][0] + "\"");
                }
            }
        }
        // Every line of the reduced file is one of the full file's: the same detectors at the same places.
        assertThat(full.lines().toList()).containsAll(reduced.lines().toList());
    }
}
