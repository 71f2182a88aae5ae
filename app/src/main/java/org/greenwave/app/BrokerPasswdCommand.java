package org.greenwave.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.greenwave.adapters.mqtt.PasswordFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code greenwave broker-passwd FILE USER}: adds or replaces a user in an MQTT password file. */
@Command(name = "broker-passwd", mixinStandardHelpOptions = true,
        header = "Adds a user to an MQTT password file, or changes or removes one.",
        description = {"Adds a user to an MQTT password file (Mosquitto's format: PBKDF2-SHA-512 with a random salt, "
                + "210000 iterations by default), or changes the user's password, or removes the user. The same file "
                + "serves serve --listen-passwords and Mosquitto's password_file. The password is read from "
                + "--broker-password-file, --broker-password-env, or else asked for (standard input when it is not "
                + "a terminal); never from the command line. The file is written owner-only (chmod 600). A field "
                + "device's user name is its intersection id; the engine's is greenwave-engine (docs/security.md)."})
public final class BrokerPasswdCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The password file; created when missing.")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
    String user;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = "--broker-password-env", paramLabel = "VAR",
            description = "Environment variable holding the password.")
    String passwordEnv;

    @Option(names = "--iterations", paramLabel = "N",
            description = "PBKDF2 iterations. Default: ${DEFAULT-VALUE}.")
    int iterations = PasswordFile.DEFAULT_ITERATIONS;

    @Option(names = "--delete", description = "Remove the user instead.")
    boolean delete;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                PasswordFile.read(file);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        boolean found = lines.removeIf(l -> l.startsWith(user + ":"));
        PrintWriter out = cl.getOut();
        if (delete) {
            if (!found) {
                throw new CommandLine.ParameterException(cl, "password file " + file + " has no user '" + user + "'");
            }
            write(lines);
            out.println("Removed " + user + " from " + file);
            return 0;
        }
        char[] password = ServeConfig.password(cl, passwordFile, passwordEnv, System::getenv, cl.getErr());
        if (password == null) {
            password = ask(cl);
        }
        try {
            lines.add(PasswordFile.entry(user, password, iterations));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
        write(lines);
        out.println((found ? "Changed the password of " : "Added ") + user + (found ? " in " : " to ") + file);
        return 0;
    }

    private char[] ask(CommandLine cl) throws IOException {
        java.io.Console console = System.console();
        if (console != null) {
            char[] a = console.readPassword("Password for %s: ", user);
            char[] b = console.readPassword("Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                throw new CommandLine.ParameterException(cl, "the two passwords differ");
            }
            Arrays.fill(b, '\0');
            return a;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "no password on standard input");
        }
        return line.toCharArray();
    }

    /** Writes the lines owner-only, through a temporary file moved into place. */
    private void write(List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".passwords-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system.
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
