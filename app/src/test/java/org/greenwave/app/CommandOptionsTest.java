package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"simulate", "whatif", "suite", "demo", "forecast-eval"})
    void everyCommandReadsSeedsAsExactSeedsWithRanges(String command) {
        assertThat(seeds(command, "3")).containsExactly(3L);
        assertThat(seeds(command, "1-3")).containsExactly(1L, 2L, 3L);
        assertThat(seeds(command, "1-3,7,10-11")).containsExactly(1L, 2L, 3L, 7L, 10L, 11L);
        assertThat(seeds(command, "5,2")).containsExactly(5L, 2L);
    }

    private static List<Long> seeds(String command, String value) {
        Object c = parsed(withScenario(command, "--seeds", value));
        if (c instanceof SimulateCommand s) {
            return s.seeds.values();
        } else if (c instanceof WhatIfCommand w) {
            return w.seeds.values();
        } else if (c instanceof SuiteCommand s) {
            return s.seeds.values();
        } else if (c instanceof ForecastEvalCommand f) {
            return f.seeds.values();
        }
        return ((DemoCommand) c).seeds.values();
    }

    /** {@code command} with a scenario where it needs one, and {@code more}. */
    private static String[] withScenario(String command, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        if (!command.equals("demo")) {
            args.addAll(List.of("--scenario", "x.sumocfg"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void forecastEvalTrainSeedsTakeTheSameForm() {
        ForecastEvalCommand f = parsed("forecast-eval", "--scenario", "x", "--train-seeds", "4-6");
        assertThat(f.trainSeeds.values()).containsExactly(4L, 5L, 6L);
        assertThat(((ForecastEvalCommand) parsed("forecast-eval", "--scenario", "x")).trainSeeds.values()).isEmpty();
        ForecastEvalCommand g = parsed("forecast-eval", "--scenarios", "a,b", "--scenario", "c", "--train-seeds", "4",
                "--validation-seeds", "7-8");
        assertThat(g.validationSeeds.values()).containsExactly(7L, 8L);
        assertThat(g.scenarios).containsExactly(Path.of("a"), Path.of("b"), Path.of("c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simulate", "whatif", "suite", "demo", "forecast-eval"})
    void aBadSeedListIsRefusedNamingThePart(String command) {
        for (String[] bad : new String[][] {{"3-1", "'3-1' is an empty range"}, {"1,x", "'x' is not a seed"},
            {"1,,2", "an empty seed"}, {"-2", "'-2' is not a seed"}, {"1-3,2", "seed 2 is named twice"},
            {"1-100000", "names more than 10000 seeds"}}) {
            assertThatThrownBy(() -> parsed(withScenario(command, "--seeds", bad[0])))
                    .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--seeds")
                    .hasMessageContaining(bad[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--controller", "--controllers"})
    void everyCommandTakesControllersUnderBothSpellings(String option) {
        List<String> two = List.of("greenwave", "fixed");
        assertThat(((SimulateCommand) parsed("simulate", option, "greenwave,fixed")).controllers).isEqualTo(two);
        assertThat(((WhatIfCommand) parsed("whatif", "--scenario", "x", option, "greenwave,fixed")).controllers)
                .isEqualTo(two);
        assertThat(((SuiteCommand) parsed("suite", option, "greenwave,fixed")).controllers).isEqualTo(two);
        assertThat(((DemoCommand) parsed("demo", option, "greenwave,fixed")).controllers).isEqualTo(two);
        assertThat(((ServeCommand) parsed("serve", option, "device")).controller).isEqualTo("device");
        assertThat(((ForecastEvalCommand) parsed("forecast-eval", "--scenario", "x", option, "greenwave,fixed"))
                .controllers).isEqualTo(two);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--net", "--network"})
    void simulateAndServeTakeTheNetworkUnderBothSpellings(String option) {
        assertThat(((SimulateCommand) parsed("simulate", option, "a.net.xml")).net).isEqualTo(Path.of("a.net.xml"));
        assertThat(((ServeCommand) parsed("serve", option, "a.net.xml")).network).isEqualTo(Path.of("a.net.xml"));
    }

    @Test
    void suiteTakesScenariosUnderBothSpellingsAndForecastEvalTheFailureShareAsWhatIfNamesIt() {
        assertThat(((SuiteCommand) parsed("suite", "--scenario", "a,b")).roots).containsExactly(Path.of("a"), Path.of("b"));
        assertThat(((SuiteCommand) parsed("suite", "--scenarios", "a")).roots).containsExactly(Path.of("a"));
        assertThat(((ForecastEvalCommand) parsed("forecast-eval", "--scenario", "x", "--detector-failure", "0.3"))
                .deadShare).isEqualTo(0.3);
        assertThat(((ForecastEvalCommand) parsed("forecast-eval", "--scenario", "x", "--dead-detectors", "0.1"))
                .deadShare).isEqualTo(0.1);
    }
}
