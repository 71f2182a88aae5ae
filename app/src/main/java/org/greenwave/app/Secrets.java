package org.greenwave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Secrets the commands take (broker passwords, the key store password, the metrics token): from the first line of a
 * file only its owner should read, or from an environment variable; never from the command line. One place for every
 * option that reads one, so each is read, checked and reported the same way.
 */
final class Secrets {
    private Secrets() {
    }

    /**
     * The first line of {@code file}, as it stands; a warning on {@code err} when other users can read the file.
     *
     * @param what how messages name the file, e.g. {@code password file} or {@code --metrics-token-file}
     * @throws IllegalArgumentException "WHAT FILE: cannot be read (...)" or "WHAT FILE: its first line is empty"
     */
    static String firstLine(String what, Path file, PrintWriter err) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + ": cannot be read ("
                    + (Files.exists(file) ? e.toString() : "no such file") + ")", e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new IllegalArgumentException(what + " " + file + ": its first line is empty");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        try {
            if (view != null && view.readAttributes().permissions().stream().anyMatch(p ->
                    p == PosixFilePermission.GROUP_READ || p == PosixFilePermission.OTHERS_READ)) {
                err.println("greenwave: warning: " + what + " " + file + " can be read by other users (chmod 600 it)");
                err.flush();
            }
        } catch (IOException e) {
            // the permissions are advice only
        }
        return lines.get(0);
    }

    /**
     * The value of environment variable {@code name}, named by {@code option}.
     *
     * @throws IllegalArgumentException "environment variable NAME (named by OPTION) is not set" when it is unset or
     *                                  empty
     */
    static String environment(String option, String name, UnaryOperator<String> env) {
        String v = env.apply(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + name + " (named by " + option
                    + ") is not set");
        }
        return v;
    }
}
