package org.greenwave.app;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The global options {@code --quiet} and {@code --verbose}: every command takes them, before or after its name. A
 * mixin of {@link Main}; its subcommands inherit the options, so they need no field of their own.
 */
final class LoggingOptions {
    @Option(names = "--quiet", scope = ScopeType.INHERIT,
            description = "Log only warnings and errors (on standard error). A command's own output is unchanged.")
    boolean quiet;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log debug detail too, and the libraries' information (e.g. the embedded broker's).")
    boolean verbose;

    /** The verbosity the options ask for; both at once are refused. */
    Logging.Verbosity verbosity(CommandLine commandLine) {
        if (quiet && verbose) {
            throw new CommandLine.ParameterException(commandLine, "--quiet and --verbose contradict each other; give one");
        }
        return quiet ? Logging.Verbosity.QUIET : verbose ? Logging.Verbosity.VERBOSE : Logging.Verbosity.NORMAL;
    }
}
