package org.greenwave.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.greenwave.testsupport.Sumo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file option of the installed SUMO is either a known input or an output the runs redirect. */
@Tag("sumo")
class SumoOutputOptionsIT {
    /** File options SUMO reads (or, for the save-* ones, that a run refuses): everything else is an output. */
    private static final Set<String> NOT_REDIRECTED = Set.of("configuration-file", "net-file", "route-files",
            "additional-files", "weight-files", "load-state", "fcd-output.filter-edges.input-file",
            "device.ssm.filter-edges.input-file", "astar.all-distances", "astar.landmark-distances", "phemlight-path",
            "gui-settings-file", "edgedata-files", "save-configuration", "save-template", "save-schema");

    @Test
    void everyFileOptionOfSumoIsAnInputOrARedirectedOutput(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Path template = dir.resolve("template.sumocfg");
        Process p = new ProcessBuilder("sumo", "--save-template", template.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sumo.log").toFile()).start();
        assertThat(p.waitFor()).isZero();
        Matcher m = Pattern.compile("<([A-Za-z0-9.-]+) value=\"[^\"]*\"(?: synonymes=\"[^\"]*\")? type=\"FILE\"")
                .matcher(Files.readString(template));
        List<String> files = new ArrayList<>();
        while (m.find()) {
            files.add(m.group(1));
        }
        assertThat(files).contains("tripinfo-output", "summary-output", "log", "net-file").hasSizeGreaterThan(40);
        List<String> unhandled = new ArrayList<>();
        for (String option : files) {
            if (!NOT_REDIRECTED.contains(option) && !ScenarioOutputs.isOutputFile(option)) {
                unhandled.add(option);
            }
        }
        assertThat(unhandled).as("file options of SUMO that runs would neither read nor redirect").isEmpty();
    }
}
