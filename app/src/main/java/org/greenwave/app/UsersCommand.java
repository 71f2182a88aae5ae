package org.greenwave.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.greenwave.app.dashboard.PasswordHash;
import org.greenwave.app.dashboard.Role;
import org.greenwave.app.dashboard.Users;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code greenwave users}: the dashboard's users file (see docs/security.md). */
@Command(name = "users", mixinStandardHelpOptions = true,
        header = "Adds, removes and lists the dashboard's users.",
        description = {"The users file holds one user a line, NAME:ROLE:HASH, the hash an Argon2id hash of the "
                + "password; serve and demo read it with --users FILE and notice changes while running."},
        subcommands = {UsersCommand.Add.class, UsersCommand.Remove.class, UsersCommand.ListUsers.class})
public final class UsersCommand implements Runnable {
    /** Shortest password accepted. */
    static final int MIN_PASSWORD = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: users add, users remove or "
                + "users list");
    }

    /** {@code greenwave users add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            header = "Adds a user, or with --replace gives one a new password or role.",
            description = {"Asks for the password twice on the terminal (it is not shown), or reads one line from "
                    + "standard input when that is not a terminal; never from the command line. Passwords have at "
                    + "least " + MIN_PASSWORD + " characters. The file is created private to its owner (mode 600)."})
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file.")
        Path file;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (sees), operator (also acts on signals and alerts) or admin (also changes the "
                        + "deployment).")
        String role;

        @Option(names = "--replace", description = "Replace the user's line if they exist.")
        boolean replace;

        @Parameters(paramLabel = "NAME", description = "The user's name: letters, digits, . _ @ -.")
        String name;

        @Override
        public Integer call() throws IOException {
            CommandLine cl = spec.commandLine();
            Role r;
            try {
                r = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--role: " + e.getMessage());
            }
            char[] password = readPassword(cl);
            try {
                if (password.length < MIN_PASSWORD) {
                    throw new IllegalArgumentException("the password must have at least " + MIN_PASSWORD
                            + " characters, had " + password.length);
                }
                boolean isNew = Users.add(file, name, r, PasswordHash.hash(password), replace);
                cl.getOut().println((isNew ? "Added " : "Updated ") + name + " (" + r.label() + ") in " + file);
                cl.getOut().flush();
                return 0;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private char[] readPassword(CommandLine cl) throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] a = console.readPassword("Password for %s: ", name);
                char[] b = console.readPassword("Again: ");
                if (a == null || b == null) {
                    throw new IllegalArgumentException("no password given");
                }
                try {
                    if (!Arrays.equals(a, b)) {
                        throw new IllegalArgumentException("the two passwords differ");
                    }
                } finally {
                    Arrays.fill(b, '\0');
                }
                return a;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IllegalArgumentException("no password on standard input (one line expected)");
            }
            return line.toCharArray();
        }
    }

    /** {@code greenwave users remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, header = "Removes a user; their sessions end.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file.")
        Path file;

        @Parameters(paramLabel = "NAME", description = "The user's name.")
        String name;

        @Override
        public Integer call() throws IOException {
            if (!Users.remove(file, name)) {
                throw new IllegalArgumentException("no user '" + name + "' in " + file);
            }
            spec.commandLine().getOut().println("Removed " + name + " from " + file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code greenwave users list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, header = "Lists the users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file.")
        Path file;

        @Override
        public Integer call() {
            for (Users.User u : Users.read(file).list()) {
                spec.commandLine().getOut().println(u.name() + " " + u.role().label());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
