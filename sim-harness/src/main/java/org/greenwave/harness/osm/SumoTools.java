package org.greenwave.harness.osm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.greenwave.adapters.traci.SumoOptions;

/**
 * The SUMO command-line tools the OpenStreetMap import runs: {@code netconvert}, and {@code randomTrips.py} under
 * {@code python3}. Located once, before any work starts, so a missing tool stops the import before it writes anything.
 *
 * @param netconvert  the netconvert binary
 * @param python      the python3 interpreter
 * @param randomTrips SUMO's {@code tools/randomTrips.py}
 * @param sumoHome    the SUMO data folder given to the tools as {@code SUMO_HOME}
 */
public record SumoTools(Path netconvert, Path python, Path randomTrips, Path sumoHome) {
    /** Lines of a tool's output that state its error: SUMO's "Error: …", argparse's "…: error: …", Python's. */
    private static final Pattern ERROR_LINE = Pattern.compile(
            "^(Error:.*|.*: error: .*|([A-Za-z_][\\w.]*)?(Error|Exception)(: .*)?)$");
    /** At most this many error lines are quoted in a failure message. */
    private static final int MAX_QUOTED_LINES = 8;

    /** Thrown when a tool exits with an error: the message names the tool, its exit code and its own error lines. */
    public static final class ToolFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ToolFailure(String message) {
            super(message);
        }
    }

    /**
     * Finds the tools from the process environment: {@code SUMO_HOME} (else {@code /usr/share/sumo}), netconvert in
     * {@code $SUMO_HOME/bin} or on {@code PATH}, python3 on {@code PATH}.
     *
     * @throws IOException naming the missing tool and how to install it
     */
    public static SumoTools locate(Map<String, String> env) throws IOException {
        Path home = SumoOptions.DEFAULT_SUMO_HOME;
        String given = env.get("SUMO_HOME");
        if (given != null && !given.isBlank() && isDirectory(given)) {
            home = Path.of(given);
        }
        String path = env.getOrDefault("PATH", "");
        Path netconvert = executable(home.resolve("bin").resolve("netconvert"));
        if (netconvert == null) {
            netconvert = onPath("netconvert", path);
        }
        if (netconvert == null) {
            throw new IOException("netconvert not found (looked in " + home.resolve("bin") + " and on PATH): install "
                    + "SUMO 1.15 or newer (Debian/Ubuntu: apt-get install sumo sumo-tools; ./greenwave installs them)");
        }
        Path randomTrips = home.resolve("tools").resolve("randomTrips.py");
        if (!Files.isRegularFile(randomTrips)) {
            throw new IOException(randomTrips + " not found: install SUMO's tools (Debian/Ubuntu: apt-get install "
                    + "sumo-tools) or set SUMO_HOME to the folder holding tools/");
        }
        Path python = onPath("python3", path);
        if (python == null) {
            throw new IOException("python3 not found on PATH; SUMO's randomTrips.py, which builds the demand, needs it "
                    + "(Debian/Ubuntu: apt-get install python3; ./greenwave installs it)");
        }
        return new SumoTools(netconvert, python, randomTrips, home);
    }

    /**
     * Runs a tool in {@code dir} with its standard output and error in {@code log}, and waits for it.
     *
     * @param tool    the tool's name for messages
     * @param subject what the run works on, named in a failure message
     * @throws ToolFailure when it exits with a non-zero code, quoting its error lines
     * @throws IOException when it cannot be started
     */
    void run(String tool, List<String> argv, Path dir, Path log, String subject) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().put("SUMO_HOME", sumoHome.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + tool + " (" + argv.get(0) + "): " + e.getMessage(), e);
        }
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(tool + " interrupted", e);
        }
        if (code != 0) {
            throw new ToolFailure(tool + " failed on " + subject + " (exit code " + code + "):\n"
                    + String.join("\n", errorLines(log)).indent(2).stripTrailing());
        }
    }

    /** The tool's own error lines from its log; the last lines when none looks like one. */
    static List<String> errorLines(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        List<String> errors = new ArrayList<>();
        for (String l : lines) {
            if (ERROR_LINE.matcher(l.strip()).matches()) {
                errors.add(l.strip());
            }
        }
        if (errors.isEmpty()) {
            for (int i = Math.max(0, lines.size() - 3); i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    errors.add(lines.get(i).strip());
                }
            }
        }
        if (errors.isEmpty()) {
            errors.add("(no output)");
        }
        return errors.size() > MAX_QUOTED_LINES ? errors.subList(0, MAX_QUOTED_LINES) : errors;
    }

    private static File nullDevice() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }

    private static Path onPath(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path p = executable(Path.of(dir).resolve(name));
                if (p != null) {
                    return p;
                }
            } catch (InvalidPathException e) {
                // an unusable PATH entry names no tool
            }
        }
        return null;
    }

    private static Path executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }

    private static boolean isDirectory(String path) {
        try {
            return Files.isDirectory(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
