package org.greenwave.app;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.adapters.traci.TraciException;
import org.greenwave.netimport.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code greenwave} command line. */
@Command(name = "greenwave", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Adaptive traffic-signal control engine, validated in SUMO.",
        subcommands = {SimulateCommand.class, ServeCommand.class, DemoCommand.class, ForecastEvalCommand.class,
            WhatIfCommand.class, SuiteCommand.class, OsmCommand.class,
            VirtualControllerCommand.class, InspectCommand.class, AuditCommand.class, UsersCommand.class,
            BrokerPasswdCommand.class, KeysCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    LoggingOptions logging;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code: 0 success, 1 failure, 2 bad arguments. */
    public static int execute(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        // Help paragraphs are wrapped to the terminal's width, not broken where the source breaks them.
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionStrategy(parsed -> {
            // Logging is set up (in this thread, before the command starts any other) only for a command that runs:
            // help and version answer at once.
            if (!helpRequested(parsed)) {
                Logging.verbosity(main.logging.verbosity(parsed.commandSpec().commandLine()));
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ScenarioException || ex instanceof IllegalArgumentException
                    || ex instanceof TraciException || ex instanceof java.io.IOException) {
                cmd.getErr().println("greenwave: " + ex.getMessage());
            } else {
                cmd.getErr().println("greenwave: " + ex);
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }

    private static boolean helpRequested(CommandLine.ParseResult parsed) {
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.isUsageHelpRequested() || c.isVersionHelpRequested()
                    || c.getCommand() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        names.remove("help");
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: " + String.join(", ", names) + " (see --help)");
    }

    /** The folder the launcher runs from, where {@code scenarios/} lives. */
    static Path home() {
        return Path.of(System.getProperty("greenwave.home", ".")).toAbsolutePath().normalize();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"greenwave " + version()};
        }
    }

    /** The version the jar's manifest carries, or "development build" when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The command line as a user would type it again: {@code greenwave} and the arguments, quoted for a shell. */
    static String commandLine(List<String> args) {
        StringBuilder b = new StringBuilder("greenwave");
        for (String a : args) {
            b.append(' ').append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
