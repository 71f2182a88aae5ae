/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An MQTT 5 broker inside this JVM: HiveMQ Community Edition (Apache-2.0) in embedded mode. For
 * {@code greenwave serve} without an external broker, for demos and for tests.
 *
 * <p>It listens on one TCP listener (default 127.0.0.1 and a free port), keeps everything in memory, sends no usage
 * statistics, and keeps its configuration folder in a temporary directory that {@link #close()} deletes (a JVM
 * shutdown hook closes a broker the application forgot). Its INFO logging is turned down to WARN when the SLF4J
 * backend is Logback (which HiveMQ brings along) or slf4j-simple, unless the application configured the
 * {@code com.hivemq} logger itself. HiveMQ's own logging bootstrap is disabled, so it
 * never resets the application's logging configuration.
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread; accessors are immutable.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 3;
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 30;

    private final EmbeddedHiveMQ hivemq;
    private final String host;
    private final int port;
    private final Path folder;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, String host, int port, Path folder) {
        this.hivemq = hivemq;
        this.host = host;
        this.port = port;
        this.folder = folder;
        // Ctrl-C or System.exit without close(): still stop HiveMQ and delete the folder.
        this.shutdownHook = new Thread(this::close, "greenwave-embedded-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker on 127.0.0.1 and a free port. */
    public static EmbeddedBroker start() throws IOException {
        return start(LOOPBACK, 0);
    }

    /**
     * Starts a broker listening on {@code host:port} and waits until it accepts connections.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1} (only this machine) or {@code 0.0.0.0}
     * @param port the TCP port, or 0 for a free one
     * @throws IOException if the temporary folder cannot be written, or the broker does not start (e.g. the port is
     *                     taken); the message says which
     */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        quietLogging();
        for (int attempt = 1; ; attempt++) {
            int p = port != 0 ? port : freePort(host);
            Path folder = Files.createTempDirectory("greenwave-hivemq-");
            EmbeddedHiveMQ hivemq = null;
            try {
                Path conf = Files.createDirectories(folder.resolve("conf"));
                Files.writeString(conf.resolve("config.xml"), config(host, p), StandardCharsets.UTF_8);
                hivemq = EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(Files.createDirectories(folder.resolve("data")))
                        .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")))
                        .withoutLoggingBootstrap()
                        .build();
                hivemq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
                return new EmbeddedBroker(hivemq, host, p, folder);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                stopQuietly(hivemq);
                deleteQuietly(folder);
                // Another program may have taken the probed port before HiveMQ bound it.
                if (port == 0 && attempt < PORT_ATTEMPTS) {
                    continue;
                }
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IOException("the embedded MQTT broker (HiveMQ CE) did not start on " + host + ":" + p
                        + ": " + cause + ". Is the port in use?", cause);
            } catch (InterruptedException e) {
                stopQuietly(hivemq);
                deleteQuietly(folder);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the embedded MQTT broker", e);
            } catch (IOException e) {
                stopQuietly(hivemq);
                deleteQuietly(folder);
                throw e;
            }
        }
    }

    private static String config(String host, int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <receive-maximum>
                      <server-receive-maximum>1000</server-receive-maximum>
                    </receive-maximum>
                  </mqtt>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                </hivemq>
                """.formatted(port, xmlEscape(host));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code tcp://host:port}, for {@link MqttGatewayOptions.Builder#brokerUrl}. */
    public String url() {
        return "tcp://" + host + ":" + port;
    }

    /** Stops the broker (clients are disconnected) and deletes its folder. Idempotent; never throws. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook may run but finds the broker closed.
            }
        }
        stopQuietly(hivemq);
        deleteQuietly(folder);
    }

    private static void stopQuietly(EmbeddedHiveMQ hivemq) {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // close() below releases what is left.
        }
        try {
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // Nothing more can be done.
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is harmless.
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Turns HiveMQ's INFO start-up chatter down to WARN, unless the application set a level for {@code com.hivemq}.
     * Reflective because the logging backend is a runtime choice of the application, not a compile-time dependency.
     */
    private static void quietLogging() {
        String simpleKey = "org.slf4j.simpleLogger.log.com.hivemq";
        if (System.getProperty(simpleKey) == null) {
            System.setProperty(simpleKey, "warn");
        }
        try {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "com.hivemq");
            if (!logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
                return;
            }
            Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, logger.getClass().getClassLoader());
            Method getLevel = logger.getClass().getMethod("getLevel");
            if (getLevel.invoke(logger) == null) {
                logger.getClass().getMethod("setLevel", level).invoke(logger, level.getField("WARN").get(null));
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Another backend, or none: its own configuration applies.
        }
    }
}
