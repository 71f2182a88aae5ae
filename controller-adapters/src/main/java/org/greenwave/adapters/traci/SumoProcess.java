/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A running SUMO child process and the {@link TraciClient} connected to it.
 *
 * <p>{@link #close()} shuts SUMO down on every path: it asks politely over TraCI, waits, and kills.
 * Until then the process is registered with a JVM shutdown hook, so Ctrl-C or {@code System.exit}
 * never leave an orphan {@code sumo}.
 *
 * <p>The TraCI port. SUMO 1.15 has no option to bind its TraCI port to one address: it listens on every interface
 * from start-up until its first client connects, and then closes the listener ({@code --num-clients 1}), so whoever
 * connects first owns the simulation. Greenwave narrows that window by connecting as soon as SUMO listens (polling
 * every few milliseconds), verifies the connection with TraCI's version handshake, and before every attempt checks
 * the system's TCP table ({@code /proc/net/tcp}, Linux): if another program holds a connection to SUMO's port, SUMO
 * is stopped at once and the start fails naming that program's address. What remains: a program that connects
 * within those milliseconds can reach SUMO for that long, and on systems without {@code /proc/net} the theft is
 * reported only as a connection time-out. A firewall that closes the ephemeral ports to other hosts removes the rest.
 *
 * <p>Threading: like its client, owned by one thread; only the shutdown hook acts from elsewhere, and
 * it touches nothing but the {@link Process}.
 */
public final class SumoProcess implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_BYTES = 8192;
    private static final long GRACEFUL_EXIT_MS = 5_000;
    private static final long TERMINATE_EXIT_MS = 1_000;
    /** SUMO closes its socket just before exiting; this long we wait to tell a crash from a hang-up. */
    private static final long EXIT_NOTICE_MS = 500;
    private static final String INSTALL_HINT =
            "Install SUMO 1.15 (apt-get install sumo sumo-tools, or run ./greenwave test) or set SumoOptions.binary to its path.";

    private final Process process;
    private final TraciClient client;
    private final Path logFile;
    private final boolean ownsLogFile;
    private final int port;
    private boolean closed;

    private SumoProcess(Process process, TraciClient client, Path logFile, boolean ownsLogFile, int port) {
        this.process = process;
        this.client = client;
        this.logFile = logFile;
        this.ownsLogFile = ownsLogFile;
        this.port = port;
    }

    /**
     * Starts SUMO on a free loopback port and connects to it, retrying until
     * {@link SumoOptions#connectTimeoutMs()}.
     *
     * @throws IOException    if the SUMO binary cannot be executed (the message says how to install it)
     *                        or the log file cannot be created
     * @throws TraciException if SUMO exits before accepting the connection or does not accept it in
     *                        time; the message carries the tail of SUMO's log, which names the real
     *                        reason (e.g. a broken route file). Also for an unsupported TraCI version.
     */
    public static SumoProcess start(SumoOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        boolean ownsLog = options.logFile().isEmpty();
        Path log = ownsLog ? Files.createTempFile("greenwave-sumo-", ".log") : options.logFile().get();
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            Process process;
            try {
                process = launch(options, port, log, attempt > 1);
            } catch (IOException | RuntimeException e) {
                releasePort(port);
                throw e;
            }
            boolean started = false;
            try {
                SumoReaper.register(process);
                TraciClient client = TraciClient.connect(LOOPBACK, port, options.connectTimeoutMs(),
                        () -> failIfExited(process, port, log), () -> exitDiagnostics(process, log));
                started = true;
                return new SumoProcess(process, client, log, ownsLog, port);
            } catch (TraciException e) {
                boolean exitedByItself = awaitExit(process, EXIT_NOTICE_MS);
                kill(process);
                if (!exitedByItself) {
                    throw e;
                }
                // Another program may have taken the port between our probe and SUMO's bind.
                if (attempt < PORT_ATTEMPTS && logTail(log).contains("Address already in use")) {
                    continue;
                }
                throw startupFailure(process, log, e);
            } catch (IOException e) {
                kill(process);
                throw new TraciException("SUMO did not accept a TraCI connection on port " + port + " within "
                        + options.connectTimeoutMs() + " ms. " + describeLog(log), e);
            } catch (RuntimeException | Error e) {
                kill(process);
                throw e;
            } finally {
                if (!started) {
                    releasePort(port);
                }
            }
        }
    }

    /** The connected client. Valid until {@link #close()}. */
    public TraciClient client() {
        return client;
    }

    /** The file receiving SUMO's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Operating-system process id of SUMO. */
    public long pid() {
        return process.pid();
    }

    /** The TraCI port SUMO listens on. */
    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Closes the TraCI connection (SUMO then ends the simulation and exits), waits up to about 5 s
     * for the exit, then terminates and finally kills SUMO. Idempotent; never throws. Deletes a
     * temporary log file if SUMO exited cleanly.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        } finally {
            boolean clean = awaitExit();
            SumoReaper.deregister(process);
            releasePort(port);
            if (ownsLogFile && clean) {
                try {
                    Files.deleteIfExists(logFile);
                } catch (IOException e) {
                    // A leftover temporary log is harmless.
                }
            }
        }
    }

    /** Waits for SUMO to exit, escalating to terminate and kill; true if it exited with status 0. */
    private boolean awaitExit() {
        boolean interrupted = false;
        try {
            if (waitFor(GRACEFUL_EXIT_MS)) {
                return process.exitValue() == 0;
            }
            process.destroy();
            if (!waitFor(TERMINATE_EXIT_MS)) {
                process.destroyForcibly();
                waitFor(GRACEFUL_EXIT_MS);
            }
            return false;
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean waitFor(long ms) throws InterruptedException {
        return process.waitFor(ms, TimeUnit.MILLISECONDS);
    }

    /** Appended to connection-loss errors: if SUMO died, its exit code and last log lines say why. */
    private static String exitDiagnostics(Process process, Path logFile) {
        awaitExit(process, EXIT_NOTICE_MS);
        String state = process.isAlive() ? "SUMO is still running." : "SUMO exited with code " + process.exitValue() + ".";
        return state + " " + describeLog(logFile);
    }

    private static Process launch(SumoOptions options, int port, Path log, boolean append) throws IOException {
        List<String> argv = options.commandLine(port);
        ProcessBuilder pb = new ProcessBuilder(argv);
        options.workingDirectory().ifPresent(dir -> pb.directory(dir.toFile()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log.toFile())
                : ProcessBuilder.Redirect.to(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = pb.environment();
        if (!isDirectory(env.get("SUMO_HOME"))) {
            env.put("SUMO_HOME", options.sumoHome().toString());
        }
        try {
            Process process = pb.start();
            // SUMO never reads stdin; closing it avoids a pipe that nothing drains.
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new IOException("cannot start SUMO binary '" + options.binary() + "': " + e.getMessage() + ". "
                    + INSTALL_HINT, e);
        }
    }

    private static boolean isDirectory(String path) {
        if (path == null || path.isBlank()) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static void failIfExited(Process process, int port, Path log) {
        if (!process.isAlive()) {
            throw new TraciException("SUMO exited before accepting the TraCI connection on port " + port);
        }
        String thief = foreignConnection(port);
        if (thief != null) {
            kill(process);
            throw new TraciException("another program (" + thief + ") connected to SUMO's TraCI port " + port
                    + " before Greenwave could; SUMO was stopped. SUMO listens on every interface until its first "
                    + "client connects: keep its ports closed to other hosts (see docs/security.md)");
        }
    }

    /** TCP state ESTABLISHED in {@code /proc/net/tcp}. */
    private static final String ESTABLISHED = "01";

    /**
     * The remote {@code address:port} of an established TCP connection to local port {@code port} (SUMO's side of a
     * client's connection), from Linux's {@code /proc/net/tcp} and {@code tcp6}; null when there is none or the
     * tables cannot be read. A socket connected to itself (local and remote port {@code port}) does not count.
     */
    static String foreignConnection(int port) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 4 || !f[3].equals(ESTABLISHED)) {
                    continue;
                }
                int local = hexPort(f[1]);
                int remote = hexPort(f[2]);
                if (local == port && remote != port) {
                    return hexAddress(f[2]) + ":" + remote;
                }
            }
        }
        return null;
    }

    private static int hexPort(String addressAndPort) {
        int colon = addressAndPort.lastIndexOf(':');
        try {
            return Integer.parseInt(addressAndPort.substring(colon + 1), 16);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** An address of {@code /proc/net/tcp}: 32-bit words in host (little-endian) order, as hex. */
    private static String hexAddress(String addressAndPort) {
        String hex = addressAndPort.substring(0, Math.max(0, addressAndPort.lastIndexOf(':')));
        try {
            byte[] b = new byte[hex.length() / 2];
            for (int w = 0; w < b.length / 4; w++) {
                for (int k = 0; k < 4; k++) {
                    b[w * 4 + k] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - k) * 2, w * 8 + (3 - k) * 2 + 2),
                            16);
                }
            }
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (IOException | RuntimeException e) {
            return hex;
        }
    }

    /**
     * The error for a SUMO that exited during start-up: exit code and log tail in the message, the
     * log's "Error:" lines as {@link TraciException#sumoError()}.
     */
    private static TraciException startupFailure(Process process, Path log, TraciException cause) {
        String tail = logTail(log);
        String errors = tail.lines().filter(l -> l.startsWith("Error:")).collect(Collectors.joining("\n"));
        return new TraciException("SUMO exited with code " + process.exitValue() + " during start-up. "
                + describeLog(log), -1, errors.isEmpty() ? null : errors, cause);
    }

    private static boolean awaitExit(Process process, long ms) {
        try {
            return process.waitFor(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(GRACEFUL_EXIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SumoReaper.deregister(process);
    }

    /**
     * Ports handed to SUMO processes of this JVM that are still running. The operating system may offer a port again
     * as soon as the probe closes it, before SUMO binds it; without this set, two runs started together could get the
     * same port and one client would connect to the other run's SUMO.
     */
    private static final java.util.Set<Integer> RESERVED_PORTS = new java.util.HashSet<>();

    private static int freeLoopbackPort() throws IOException {
        synchronized (RESERVED_PORTS) {
            for (int i = 0; i < 100; i++) {
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                    if (RESERVED_PORTS.add(probe.getLocalPort())) {
                        return probe.getLocalPort();
                    }
                }
            }
            throw new IOException("no free loopback port for SUMO after 100 tries");
        }
    }

    private static void releasePort(int port) {
        synchronized (RESERVED_PORTS) {
            RESERVED_PORTS.remove(port);
        }
    }

    static String describeLog(Path log) {
        String tail = logTail(log);
        return tail.isEmpty() ? "SUMO's log " + log + " is empty."
                : "SUMO's log " + log + " ends with:\n" + tail;
    }

    /** The last lines of SUMO's log (at most {@value #LOG_TAIL_LINES}), or "" if unreadable. */
    static String logTail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, LOG_TAIL_BYTES);
            byte[] bytes = new byte[n];
            f.seek(length - n);
            f.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).strip().split("\\R");
            List<String> all = Arrays.asList(lines);
            List<String> tail = all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size());
            return String.join("\n", tail).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
