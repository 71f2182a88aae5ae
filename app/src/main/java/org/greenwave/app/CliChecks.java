package org.greenwave.app;

import java.util.List;

import org.greenwave.core.policy.Policies;
import picocli.CommandLine;

/** Checks of command-line values that several commands share, failing with picocli's usage error. */
final class CliChecks {
    private CliChecks() {
    }

    /** Every name is a known controller. */
    static void controllers(CommandLine cl, List<String> names) {
        for (String c : names) {
            if (!Policies.names().contains(c)) {
                throw new CommandLine.ParameterException(cl, "unknown controller '" + c + "'; known: "
                        + String.join(", ", Policies.names()));
            }
        }
    }

    /** {@code parallel} runs at once is at least one. */
    static void parallel(CommandLine cl, int parallel) {
        if (parallel < 1) {
            throw new CommandLine.ParameterException(cl, "--parallel must be at least 1, was " + parallel);
        }
    }
}
