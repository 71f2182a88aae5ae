/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks;

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
 * A real Mosquitto 2 broker as a child process, for benchmarks: one listener on 127.0.0.1 and a free port, anonymous,
 * no persistence, TCP_NODELAY, unbounded per-client queues (so the broker never drops for a slow subscriber: a
 * subscriber that falls behind shows as a backlog, not as loss), {@code $SYS} every second, log in a temporary folder.
 * The broker is stopped by {@link #close()}, by a JVM shutdown hook (which also deletes the folder), and, should this
 * JVM be killed outright, by a watchdog shell that stops it within a second of the JVM's end.
 *
 * <p>The same settings as the MQTT integration tests' broker ({@code MosquittoBroker}, test scope of
 * controller-adapters, so not reachable from here), plus the in-flight window and {@code $SYS}.
 *
 * <p>Threading: one owner thread; {@link #cpuTimeNs()} from any thread.
 */
final class MosquittoProcess implements AutoCloseable {

    static final String INSTALL_STEP = "apt-get install mosquitto (or run ./greenwave test, which installs it)";
    private static final List<Path> KNOWN_LOCATIONS = List.of(Path.of("/usr/sbin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/opt/homebrew/sbin/mosquitto"));
    private static final long START_TIMEOUT_MS = 10_000;
    private static final int START_ATTEMPTS = 3;
    /** Linux's USER_HZ, the unit of /proc/PID/stat CPU times; 100 on every mainstream kernel. */
    private static final long CLOCK_TICKS_PER_S = 100;

    private final Path dir;
    private final Path log;
    private final int port;
    private final String config;
    private final Process process;
    private final Process watchdog;
    private final Thread reaper;
    private boolean closed;

    private MosquittoProcess(Path dir, Path log, int port, String config, Process process, Process watchdog,
                             Thread reaper) {
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.config = config;
        this.process = process;
        this.watchdog = watchdog;
        this.reaper = reaper;
    }

    /**
     * Starts Mosquitto on a free loopback port and waits until it accepts connections.
     *
     * @param inflightMessages {@code max_inflight_messages}: QoS 1 messages in flight per client (the plans); the
     *                         broker's default is 20
     * @throws IllegalStateException naming the install step when Mosquitto is not installed
     * @throws IOException           when it does not start; the message carries the end of its log
     */
    static MosquittoProcess start(int inflightMessages) throws IOException {
        Path binary = findBinary();
        Path dir = Files.createTempDirectory("greenwave-bench-mosquitto-");
        Path log = dir.resolve("mosquitto.log");
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            String config = String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "set_tcp_nodelay true",
                    "max_queued_messages 0",
                    "max_inflight_messages " + inflightMessages,
                    "sys_interval 1",
                    "log_dest file " + log,
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    // As root, Mosquitto would switch to user "mosquitto", which cannot write the log here.
                    "root".equals(System.getProperty("user.name")) ? "user root" : "",
                    "");
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, config, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
            p.getOutputStream().close();
            Thread reaper = new Thread(() -> {
                p.destroyForcibly();
                try {
                    p.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                deleteQuietly(dir);
            }, "mqtt-e2e-mosquitto-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            if (awaitPort(p, port)) {
                Process watchdog = watchdog(p.pid());
                return new MosquittoProcess(dir, log, port, config, p, watchdog, reaper);
            }
            stop(p);
            Runtime.getRuntime().removeShutdownHook(reaper);
            // Another program may have taken the probed port before Mosquitto bound it.
            last = new IOException("Mosquitto (" + binary + ") did not accept connections on 127.0.0.1:" + port
                    + " within " + START_TIMEOUT_MS + " ms. Its log ends with:\n" + tail(log)
                    + tail(dir.resolve("stdout.log")));
        }
        deleteQuietly(dir);
        throw last;
    }

    /** The Mosquitto binary: a known location, else {@code mosquitto} on {@code PATH}. */
    private static Path findBinary() {
        for (Path p : KNOWN_LOCATIONS) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mosquitto"))) {
                    return Path.of(d, "mosquitto");
                }
            }
        }
        throw new IllegalStateException("the Mosquitto 2 broker is needed but not installed (looked in "
                + KNOWN_LOCATIONS + " and on PATH). Install it: " + INSTALL_STEP + ".");
    }

    /**
     * A shell that polls this JVM once a second and stops the broker when the JVM is gone, so that not even a
     * SIGKILL of the JVM (which runs no shutdown hook) leaves a broker behind.
     */
    private static Process watchdog(long brokerPid) throws IOException {
        long self = ProcessHandle.current().pid();
        String script = "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; kill " + brokerPid
                + " 2>/dev/null";
        Process w = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        w.getOutputStream().close();
        return w;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** The generated configuration, for the report. */
    String config() {
        return config;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User + system CPU time of the broker process so far, ns (10 ms resolution); -1 if unreadable. */
    long cpuTimeNs() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_S);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The last lines of the broker's log. */
    String logTail() {
        return tail(log);
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 5 s) and the watchdog, and deletes the folder. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process);
        watchdog.destroyForcibly();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs anyway, harmlessly.
        }
        deleteQuietly(dir);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitPort(Process p, int port) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0) {
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

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 20), lines.size())))
                    + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
