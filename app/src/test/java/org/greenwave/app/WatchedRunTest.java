package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options that show a run on the dashboard, in demo, simulate and whatif (nothing runs). */
class WatchedRunTest {
    private static final Path SHARED = Path.of("").toAbsolutePath().getParent().resolveSibling("shared")
            .resolve("scenarios");

    private static <T> T parsed(String... args) {
        return CommandOptionsTest.parsed(args);
    }

    @Test
    void theWatchedRunIsGreenwavesElseTheFirstControllers() {
        assertThat(WatchedRun.controller(List.of("device", "greenwave", "fixed"))).isEqualTo("greenwave");
        assertThat(WatchedRun.controller(List.of("max-pressure", "fixed"))).isEqualTo("max-pressure");
        assertThat(WatchedRun.controller(List.of("fixed", "max-pressure"))).isEqualTo("fixed");
    }

    @Test
    void simulateAndWhatifTakeTheDashboardsOptionsOnlyWithDashboard() {
        SimulateCommand simulate = parsed("simulate", "--scenario", "x.sumocfg", "--dashboard", "--port", "9000",
                "--bind", "0.0.0.0", "--pace", "5");
        assertThat(simulate.dashboard).isTrue();
        assertThat(simulate.dashboardOptions.access.port).isEqualTo(9000);
        assertThat(simulate.dashboardOptions.access.bind).isEqualTo("0.0.0.0");
        assertThat(simulate.dashboardOptions.pace).isEqualTo(5.0);
        WhatIfCommand whatIf = parsed("whatif", "--scenario", "x.sumocfg", "--dashboard");
        assertThat(whatIf.dashboard).isTrue();
        assertThat(whatIf.dashboardOptions.access.port).as("the same defaults as demo and serve").isEqualTo(8080);
        assertThat(whatIf.dashboardOptions.access.bind).isEqualTo("127.0.0.1");
        assertThat(whatIf.dashboardOptions.pace).isEqualTo(20.0);

        SimulateCommand noDashboard = parsed("simulate", "--scenario", "x.sumocfg", "--pace", "5");
        assertThatThrownBy(noDashboard::call).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--pace needs --dashboard");
        WhatIfCommand portOnly = parsed("whatif", "--scenario", "x.sumocfg", "--port", "9000");
        assertThatThrownBy(portOnly::call).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--port needs --dashboard");
        SimulateCommand badPace = parsed("simulate", "--scenario", "x.sumocfg", "--dashboard", "--pace", "-1");
        assertThatThrownBy(badPace::call).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--pace must be 0 or more, was -1.0");
    }

    @Test
    void demoRunsTheScenarioGivenElseTheCorridor() {
        DemoCommand grid = parsed("demo", "--scenario", SHARED.resolve("external/sumo-rl/2x2grid").toString());
        Scenario s = grid.scenario();
        assertThat(s.name()).isEqualTo("2x2grid");
        assertThat(s.configFile().getFileName().toString()).isEqualTo("2x2grid.sumocfg");
        DemoCommand cfg = parsed("demo", "--scenario",
                SHARED.resolve("external/sumo-rl/2x2grid/2x2grid.sumocfg").toString());
        assertThat(cfg.scenario().netFile()).isEqualTo(s.netFile());

        String previous = System.getProperty("greenwave.home");
        System.setProperty("greenwave.home", Path.of("").toAbsolutePath().getParent().toString());
        try {
            DemoCommand corridor = parsed("demo");
            assertThat(corridor.scenario().name()).isEqualTo("corridor");
        } finally {
            if (previous == null) {
                System.clearProperty("greenwave.home");
            } else {
                System.setProperty("greenwave.home", previous);
            }
        }

        DemoCommand missing = parsed("demo", "--scenario", "no/such/folder.sumocfg");
        assertThatThrownBy(missing::scenario).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("folder.sumocfg").hasMessageContaining("not found");
    }
}
