package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What each command's options mean when given, and when left out. */
class CommandOptionsTest {
    /** The command object {@code args} select, with the options parsed into it (nothing runs). */
    @SuppressWarnings("unchecked")
    static <T> T parsed(String... args) {
        CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs(args);
        return (T) r.subcommand().commandSpec().userObject();
    }

    @Test
    void theComparisonCommandsRunGreenwaveAgainstTheSignalsOwnProgramAndTheAdaptiveBaselinesByDefault() {
        List<String> expected = List.of("greenwave", "device", "actuated", "max-pressure");
        SimulateCommand simulate = parsed("simulate", "--scenario", "x.sumocfg");
        WhatIfCommand whatIf = parsed("whatif", "--scenario", "x.sumocfg");
        SuiteCommand suite = parsed("suite");
        assertThat(simulate.controllers).isEqualTo(expected);
        assertThat(whatIf.controllers).isEqualTo(expected);
        assertThat(suite.controllers).isEqualTo(expected);
    }

    @Test
    void serveRunsGreenwaveByDefault() {
        ServeCommand serve = parsed("serve", "--scenario", "x.sumocfg");
        assertThat(serve.controller).isEqualTo("greenwave");
    }
}
