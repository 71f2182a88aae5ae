/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Mosquitto 2 broker as a child process, for integration tests and benchmarks: listener on 127.0.0.1 and a
 * free port, anonymous access, no persistence, TCP_NODELAY, unbounded per-client queues (so a slow subscriber loses
 * nothing: one that falls behind shows as a backlog, not as loss), log in a temporary folder. It can be stopped and
 * started again on the same port to simulate a broker restart.
 *
 * <p>The broker never outlives the JVM that started it: {@link #close()} stops it, a shutdown hook stops it on a normal
 * exit, and a watchdog shell stops it within a second of the JVM's end should the JVM be killed outright (which runs
 * no shutdown hook).
 *
 * <p>When Mosquitto is not installed the caller fails with the install step ({@link AssertionError}); a test is never
 * skipped, because a skipped integration test looks like a passing one.
 *
 * <p>Threading: one owner thread; {@link #cpuTimeNs()} from any thread.
 */
public final class MosquittoBroker implements AutoCloseable {

    public static final String INSTALL_STEP = "apt-get install mosquitto (or run ./greenwave test)";
    private static final List<Path> KNOWN_LOCATIONS = List.of(Path.of("/usr/sbin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/opt/homebrew/sbin/mosquitto"));
    private static final long START_TIMEOUT_MS = 10_000;
    private static final int START_ATTEMPTS = 5;
    /** Linux's USER_HZ, the unit of /proc/PID/stat CPU times; 100 on every mainstream kernel. */
    private static final long CLOCK_TICKS_PER_S = 100;

    private final Path binary;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;
    private Process watchdog;
    private Thread reaper;

    private MosquittoBroker(Path binary, Path dir, int port, List<String> listenerSettings) throws IOException {
        this(binary, dir, port, listenerSettings, true);
    }

    private MosquittoBroker(Path binary, Path dir, int port, List<String> listenerSettings, boolean testDefaults)
            throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                String.join("\n", listenerSettings),
                testDefaults ? "persistence false" : "",
                testDefaults ? "max_queued_messages 0" : "",
                "set_tcp_nodelay true",
                "log_dest file " + log,
                "log_type error",
                "log_type warning",
                "log_type notice",
                "connection_messages true",
                // As root, Mosquitto would switch to user "mosquitto", which cannot write the log here.
                "root".equals(System.getProperty("user.name")) ? "user root" : "",
                ""), StandardCharsets.UTF_8);
    }

    /** Starts Mosquitto on a free loopback port and waits until it accepts connections. */
    public static MosquittoBroker start() throws IOException {
        return start(List.of("allow_anonymous true"));
    }

    /**
     * Starts Mosquitto with {@code listenerSettings} after its listener line instead of anonymous access, e.g.
     * {@code allow_anonymous false} and {@code password_file F}, {@code certfile}, {@code keyfile} for TLS, or
     * {@code allow_anonymous true} with {@code max_inflight_messages N} and {@code sys_interval 1} for a benchmark.
     */
    public static MosquittoBroker start(List<String> listenerSettings) throws IOException {
        Path binary = findBinary(KNOWN_LOCATIONS, System.getenv("PATH"));
        MosquittoBroker b = new MosquittoBroker(binary, Files.createTempDirectory("greenwave-mosquitto-"),
                freePort(), listenerSettings);
        try {
            b.startProcess();
            return b;
        } catch (IOException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /**
     * Starts Mosquitto with a deployment's configuration file ({@code deploy/mosquitto/mosquitto.conf}): its
     * listener moved to 127.0.0.1 and a free port, its log to the test folder, and every path that starts with
     * {@code pathPrefix} taken from {@code files} instead.
     */
    public static MosquittoBroker startWithConfig(Path conf, String pathPrefix, Path files) throws IOException {
        List<String> settings = new ArrayList<>();
        for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("listener ") || t.startsWith("log_") || t.startsWith("user ")) {
                continue;
            }
            settings.add(line.replace(pathPrefix, files.toAbsolutePath() + "/"));
        }
        Path binary = findBinary(KNOWN_LOCATIONS, System.getenv("PATH"));
        MosquittoBroker b = new MosquittoBroker(binary, Files.createTempDirectory("greenwave-mosquitto-"),
                freePort(), settings, false);
        try {
            b.startProcess();
            return b;
        } catch (IOException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /**
     * The Mosquitto binary: a known location, else {@code mosquitto} on {@code path}.
     *
     * @throws AssertionError naming the install step when there is none
     */
    public static Path findBinary(List<Path> knownLocations, String path) {
        for (Path p : knownLocations) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mosquitto"))) {
                    return Path.of(d, "mosquitto");
                }
            }
        }
        throw new AssertionError("The MQTT integration tests need the Mosquitto broker, which is not installed "
                + "(looked in " + knownLocations + " and on PATH). Install it: " + INSTALL_STEP + ".");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The running broker's process id. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("Mosquitto is stopped");
        }
        return process.pid();
    }

    /** The configuration file the broker runs with, for a report. */
    public String config() {
        return readQuietly(config);
    }

    /**
     * User + system CPU time of the running broker process so far, ns (10 ms resolution, Linux's /proc); -1 when it
     * cannot be read. Any thread.
     */
    public long cpuTimeNs() {
        Process p = process;
        if (p == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_S);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 5 s); clients see their connections close. */
    public void stop() {
        if (process == null) {
            return;
        }
        if (watchdog != null) {
            watchdog.destroyForcibly();
            watchdog = null;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs anyway, harmlessly.
        }
        process = null;
    }

    /**
     * A broker outage: stops Mosquitto (its clients lose their connections), waits {@code ms}, and starts it again on
     * the same port with a fresh state. Any thread; not concurrently with other calls.
     */
    public void outage(long ms) throws IOException, InterruptedException {
        stop();
        Thread.sleep(ms);
        startProcess();
    }

    /** Starts the broker again on the same port, with a fresh (empty) state. */
    public void restart() throws IOException {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }

    /** The end of Mosquitto's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void startProcess() throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<String> argv = new ArrayList<>(List.of(binary.toString(), "-c", config.toString()));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
            p.getOutputStream().close();
            Thread hook = new Thread(p::destroyForcibly, "greenwave-mosquitto-reaper");
            Runtime.getRuntime().addShutdownHook(hook);
            process = p;
            reaper = hook;
            if (awaitPort(p)) {
                watchdog = watchdog(p.pid());
                return;
            }
            stop();
            // The port may still be held briefly by the previous instance's sockets; try again.
            if (attempt == START_ATTEMPTS) {
                throw new IOException("Mosquitto did not accept connections on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT_MS + " ms. Its log ends with:\n" + logTail() + "\n"
                        + readQuietly(dir.resolve("stdout.log")));
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /**
     * A shell that polls this JVM once a second and stops the broker when the JVM is gone, so that not even a SIGKILL
     * of the JVM leaves a broker behind.
     */
    private static Process watchdog(long brokerPid) throws IOException {
        long self = ProcessHandle.current().pid();
        String script = "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; kill " + brokerPid + " 2>/dev/null";
        Process w = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        w.getOutputStream().close();
        return w;
    }

    private boolean awaitPort(Process p) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadline < 0) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
