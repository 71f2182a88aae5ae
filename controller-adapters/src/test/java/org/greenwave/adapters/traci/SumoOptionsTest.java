/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SumoOptionsTest {

    private static final Path NET = Path.of("/scenarios/grid.net.xml");

    @Test
    void netRoutesAndAdditionalsWithDefaults() {
        SumoOptions options = SumoOptions.builder()
                .netFile(NET)
                .routeFiles(List.of(Path.of("/scenarios/a.rou.xml"), Path.of("/scenarios/b.rou.xml")))
                .additionalFiles(List.of(Path.of("/scenarios/det.add.xml")))
                .build();

        assertThat(options.commandLine(40001)).containsExactly(
                "sumo",
                "-n", "/scenarios/grid.net.xml",
                "-r", "/scenarios/a.rou.xml,/scenarios/b.rou.xml",
                "-a", "/scenarios/det.add.xml",
                "--remote-port", "40001",
                "--seed", "23",
                "--step-length", "1.0",
                "--no-step-log");
        assertThat(options.connectTimeoutMs()).isEqualTo(30_000);
        assertThat(options.logFile()).isEmpty();
    }

    @Test
    void configFileWithOverridesAndExtraArgumentsLast() {
        SumoOptions options = SumoOptions.builder()
                .binary("/opt/sumo/bin/sumo")
                .configFile(Path.of("/scenarios/run.sumocfg"))
                .seed(7)
                .stepLengthS(0.5)
                .begin(100.0)
                .end(700.0)
                .extraArgs(List.of("--time-to-teleport", "-1"))
                .build();

        assertThat(options.commandLine(5000)).containsExactly(
                "/opt/sumo/bin/sumo",
                "-c", "/scenarios/run.sumocfg",
                "--remote-port", "5000",
                "--seed", "7",
                "--step-length", "0.5",
                "--begin", "100.0",
                "--end", "700.0",
                "--no-step-log",
                "--time-to-teleport", "-1");
    }

    @Test
    void standaloneCommandLineIsTheSameRunWithoutTraci() {
        SumoOptions options = SumoOptions.builder()
                .configFile(Path.of("/scenarios/run.sumocfg"))
                .seed(7)
                .extraArgs(List.of("--time-to-teleport", "-1"))
                .build();

        assertThat(options.standaloneCommandLine()).containsExactly(
                "sumo",
                "-c", "/scenarios/run.sumocfg",
                "--seed", "7",
                "--step-length", "1.0",
                "--no-step-log",
                "--time-to-teleport", "-1");
    }

    @Test
    void relativePathsBecomeAbsolute() {
        SumoOptions options = SumoOptions.builder().netFile(Path.of("net.net.xml")).build();
        assertThat(options.commandLine(5000).get(2)).isEqualTo(Path.of("net.net.xml").toAbsolutePath().toString());
    }

    @Test
    void rejectsOptionsThatCannotDescribeARun() {
        assertThatThrownBy(() -> SumoOptions.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configFile");
        assertThatThrownBy(() -> SumoOptions.builder().netFile(NET).stepLengthS(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepLengthS");
        assertThatThrownBy(() -> SumoOptions.builder().netFile(NET).stepLengthS(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SumoOptions.builder().netFile(NET).begin(10.0).end(10.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after begin");
        assertThatThrownBy(() -> SumoOptions.builder().netFile(NET).connectTimeoutMs(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        SumoOptions ok = SumoOptions.builder().netFile(NET).build();
        assertThatThrownBy(() -> ok.commandLine(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builtOptionsAreImmutable() {
        SumoOptions.Builder builder = SumoOptions.builder().netFile(NET).seed(1);
        SumoOptions first = builder.build();
        builder.seed(2);
        assertThat(first.seed()).isEqualTo(1);
        assertThatThrownBy(() -> first.extraArgs().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
