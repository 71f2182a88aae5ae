package org.greenwave.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave demo}: the peak hour on the corridor scenario under every baseline, compared. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the peak hour of the 5-signal corridor under the baseline controllers and compares them.")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: ./greenwave-demo.")
    Path out = Path.of("greenwave-demo");

    @Option(names = "--seeds", split = ",", paramLabel = "N", description = "SUMO seeds. Default: 1,2.")
    List<Long> seeds = List.of(1L, 2L);

    @Override
    public Integer call() throws Exception {
        Path corridor = Main.home().resolve("scenarios/corridor");
        if (!Files.isDirectory(corridor)) {
            throw new IllegalArgumentException("corridor scenario not found at " + corridor
                    + " (run from the Greenwave checkout, or through ./greenwave)");
        }
        Scenario s = Scenario.load(corridor);
        List<String> controllers = List.of(Policies.FIXED, Policies.WEBSTER, Policies.ACTUATED, Policies.MAX_PRESSURE);
        spec.commandLine().getOut().printf("Greenwave demo: peak hour on %s, controllers %s, seeds %s;%n"
                + "SUMO's detectors and the engine's plans travel over an embedded MQTT broker.%n", s.name(),
                String.join(", ", controllers), seeds);
        List<RunSummary> runs = SimulateCommand.runStudy(s, controllers, seeds, out, List.of(),
                Runtime.getRuntime().availableProcessors(), List.of(), true, null);
        String report = SimulateCommand.report(s, runs, out);
        java.nio.file.Files.writeString(out.resolve("comparison.md"), report);
        spec.commandLine().getOut().println(report);
        return 0;
    }
}
