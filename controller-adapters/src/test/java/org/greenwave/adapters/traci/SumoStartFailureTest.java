/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SUMO failing at start-up must surface SUMO's own reason, not a bare connection timeout. */
@Tag("sumo")
class SumoStartFailureTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireSumo() {
        SumoTestSupport.requireOnPath("sumo");
    }

    @Test
    void routeFileWithUnknownEdgeFailsWithSumosErrorLine() throws Exception {
        SumoTestSupport.Scenario scenario = SumoTestSupport.grid(dir, 2, 600);
        Path broken = dir.resolve("broken.rou.xml");
        Files.writeString(broken, "<routes>\n"
                + "  <route id=\"r0\" edges=\"left0A0 no_such_edge\"/>\n"
                + "  <vehicle id=\"v0\" route=\"r0\" depart=\"0\"/>\n"
                + "</routes>\n");
        SumoOptions options = scenario.options().routeFiles(List.of(broken)).build();

        String sumoLine = "Error: The edge 'no_such_edge' within the route 'r0' is not known.";
        assertThatThrownBy(() -> SumoProcess.start(options))
                .isInstanceOfSatisfying(TraciException.class, e -> {
                    assertThat(e.getMessage()).contains(sumoLine).contains(dir.resolve("sumo.log").toString());
                    assertThat(e.sumoError()).hasValueSatisfying(text -> assertThat(text).contains(sumoLine));
                });
    }

    @Test
    void malformedRouteXmlFailsWithSumosErrorLine() throws Exception {
        SumoTestSupport.Scenario scenario = SumoTestSupport.grid(dir, 2, 600);
        Path broken = dir.resolve("malformed.rou.xml");
        Files.writeString(broken, "<routes>\n  <vehicle id=\"v0\" depart=\"0\">\n</routes>\n");
        SumoOptions options = scenario.options().routeFiles(List.of(broken)).build();

        assertThatThrownBy(() -> SumoProcess.start(options))
                .isInstanceOf(TraciException.class)
                .hasMessageContaining("exited with code")
                .hasMessageMatching("(?s).*Error: .*malformed\\.rou\\.xml.*");
    }

    @Test
    void missingBinaryNamesTheInstallStep() throws Exception {
        SumoOptions options = SumoOptions.builder()
                .binary(dir.resolve("no-such-sumo").toString())
                .netFile(dir.resolve("any.net.xml"))
                .logFile(dir.resolve("sumo.log"))
                .build();

        assertThatThrownBy(() -> SumoProcess.start(options))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("apt-get install sumo sumo-tools");
    }

    @Test
    void noLeftoverProcessAfterAFailedStart() throws Exception {
        SumoOptions options = SumoOptions.builder()
                .netFile(dir.resolve("missing.net.xml"))
                .logFile(dir.resolve("sumo.log"))
                .build();
        long before = sumoChildren();
        assertThatThrownBy(() -> SumoProcess.start(options))
                .isInstanceOf(TraciException.class)
                .hasMessageContaining("missing.net.xml");
        assertThat(sumoChildren()).isEqualTo(before);
    }

    private static long sumoChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
    }
}
