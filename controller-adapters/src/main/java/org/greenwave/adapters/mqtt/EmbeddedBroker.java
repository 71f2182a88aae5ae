/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An MQTT 5 broker inside this JVM: HiveMQ Community Edition (Apache-2.0) in embedded mode. For
 * {@code greenwave serve} without an external broker, for demos and for tests.
 *
 * <p>Secure by default ({@link Settings}): clients authenticate with a user name and password from a
 * {@link PasswordFile} (anonymous clients only where {@link Settings#allowAnonymous} says so), and every publish and
 * subscription is checked against an {@link AccessList} (by default Greenwave's layout, {@link AccessList#defaultText}).
 * The public listener speaks TCP or, with a certificate and key, TLS only, optionally requiring client certificates
 * from a given authority (mutual TLS). Packets above {@link Settings#maxPacketBytes} are refused at the socket: the
 * broker disconnects the sender before buffering the message. Everything it refuses or drops is counted in
 * {@link #counters()}. The in-process engine connects on a second, internal listener on 127.0.0.1 with a random
 * secret made at start ({@link #engineUrl()}, {@link #engineCredentials()}), so it needs no file and no certificate.
 *
 * <p>It keeps everything in memory, sends no usage statistics, and keeps its configuration folder in a temporary
 * directory that {@link #close()} deletes (a JVM shutdown hook closes a broker the application forgot). Its INFO
 * logging is turned down to WARN when the SLF4J backend is Logback (which HiveMQ brings along) or slf4j-simple, unless
 * the application configured the {@code com.hivemq} logger itself. HiveMQ's own logging bootstrap is disabled, so it
 * never resets the application's logging configuration.
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread; accessors are immutable or thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";
    /** Default largest MQTT packet a client may send: the engine's largest detector payload (64 KiB) and room. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 128 * 1024;
    private static final int PORT_ATTEMPTS = 3;
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 30;

    /** The in-process engine's user name and secret on the internal listener. */
    public record Credentials(String username, char[] password) {
    }

    /**
     * How the broker listens and whom it lets in. Built with {@link #settings()}; {@link #check()} validates and reads
     * the files. Defaults: 127.0.0.1 and a free port, no anonymous clients, no password file (so only the engine can
     * connect), Greenwave's access list for the topic prefix {@code greenwave}, plain TCP,
     * {@link #DEFAULT_MAX_PACKET_BYTES}.
     */
    public static final class Settings {
        private String host = LOOPBACK;
        private int port;
        private Topics topics = Topics.defaults();
        private Path passwordFile;
        private Path aclFile;
        private boolean allowAnonymous;
        private Path certFile;
        private Path keyFile;
        private Path clientCaFile;
        private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
        private int maxQueuedMessages = 1000;

        private Settings() {
        }

        /** Address to bind, e.g. {@code 127.0.0.1} (only this machine, the default) or {@code 0.0.0.0}. */
        public Settings host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** TCP port, or 0 (the default) for a free one. */
        public Settings port(int port) {
            this.port = port;
            return this;
        }

        /** The topic tree whose access list applies when no {@link #aclFile} is given; default prefix greenwave. */
        public Settings topics(Topics topics) {
            this.topics = Objects.requireNonNull(topics, "topics");
            return this;
        }

        /** Users and password hashes (Mosquitto format, see {@link PasswordFile}); default none. */
        public Settings passwordFile(Path file) {
            this.passwordFile = file;
            return this;
        }

        /** Access list (Mosquitto {@code acl_file} syntax); default {@link AccessList#defaultText} of the topics. */
        public Settings aclFile(Path file) {
            this.aclFile = file;
            return this;
        }

        /**
         * Lets clients connect without a user name; they get the access list's anonymous lines (by default: write
         * field data, read plans; never write plans or health). Default false.
         */
        public Settings allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /** TLS on the public listener: its PEM certificate chain and PKCS #8 key; default none (plain TCP). */
        public Settings tls(Path certFile, Path keyFile) {
            this.certFile = certFile;
            this.keyFile = keyFile;
            return this;
        }

        /** Mutual TLS: clients must present a certificate signed by one of these PEM authorities. Needs {@link #tls}. */
        public Settings clientCa(Path caFile) {
            this.clientCaFile = caFile;
            return this;
        }

        /** Largest MQTT packet a client may send, bytes (1 KiB .. 256 MiB); larger ones disconnect the client. */
        public Settings maxPacketBytes(int bytes) {
            this.maxPacketBytes = bytes;
            return this;
        }

        /** Messages queued per subscriber before the broker drops (and counts) new ones; default 1000. */
        public Settings maxQueuedMessages(int n) {
            this.maxQueuedMessages = n;
            return this;
        }

        public String host() {
            return host;
        }

        public boolean allowAnonymous() {
            return allowAnonymous;
        }

        public boolean isTls() {
            return certFile != null;
        }

        public boolean isMutualTls() {
            return clientCaFile != null;
        }

        public Path passwordFile() {
            return passwordFile;
        }

        public Path aclFile() {
            return aclFile;
        }

        public int maxPacketBytes() {
            return maxPacketBytes;
        }

        /** True when {@link #host} is a loopback address: nothing beyond this machine can connect. */
        public boolean isLoopbackOnly() {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        /**
         * Checks every value and reads the files, as {@link EmbeddedBroker#start(Settings)} does first.
         *
         * @throws IllegalArgumentException naming the setting or file (and line) that is wrong
         */
        public void validate() {
            check();
        }

        Checked check() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (maxPacketBytes < 1024 || maxPacketBytes > 268_435_455) {
                throw new IllegalArgumentException("the largest MQTT packet must be 1024..268435455 bytes, not "
                        + maxPacketBytes);
            }
            if (maxQueuedMessages < 1) {
                throw new IllegalArgumentException("queued messages per client must be at least 1, not "
                        + maxQueuedMessages);
            }
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("TLS needs both the broker's certificate and its key");
            }
            if (clientCaFile != null && certFile == null) {
                throw new IllegalArgumentException("client certificates (mutual TLS) need TLS: give the broker's "
                        + "certificate and key too");
            }
            PasswordFile passwords = passwordFile == null ? null : PasswordFile.read(passwordFile);
            AccessList acl = aclFile == null ? AccessList.defaults(topics) : AccessList.read(aclFile);
            java.security.cert.Certificate[] chain = null;
            java.security.PrivateKey key = null;
            List<java.security.cert.Certificate> clientCas = null;
            if (certFile != null) {
                chain = MqttTls.certificates(certFile).toArray(new java.security.cert.Certificate[0]);
                key = MqttTls.privateKey(keyFile);
            }
            if (clientCaFile != null) {
                clientCas = MqttTls.certificates(clientCaFile);
            }
            return new Checked(this, passwords, acl, chain, key, clientCas);
        }
    }

    /** Settings with their files read. */
    record Checked(Settings s, PasswordFile passwords, AccessList acl, java.security.cert.Certificate[] chain,
                   java.security.PrivateKey key, List<java.security.cert.Certificate> clientCas) {
    }

    private final EmbeddedHiveMQ hivemq;
    private final String host;
    private final int port;
    private final int internalPort;
    private final boolean tls;
    private final char[] engineSecret;
    private final BrokerCounters counters;
    private final Checked checked;
    private final Path folder;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, String host, int port, int internalPort, boolean tls,
                           char[] engineSecret, BrokerCounters counters, Checked checked, Path folder) {
        this.checked = checked;
        this.hivemq = hivemq;
        this.host = host;
        this.port = port;
        this.internalPort = internalPort;
        this.tls = tls;
        this.engineSecret = engineSecret;
        this.counters = counters;
        this.folder = folder;
        // Ctrl-C or System.exit without close(): still stop HiveMQ and delete the folder.
        this.shutdownHook = new Thread(this::close, "greenwave-embedded-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** New settings with the defaults (secure: no anonymous clients). */
    public static Settings settings() {
        return new Settings();
    }

    /**
     * A broker for local tools and tests: 127.0.0.1, a free port, anonymous clients allowed (with the access list's
     * anonymous rights: field data in, plans out), topic prefix {@code greenwave}.
     */
    public static EmbeddedBroker start() throws IOException {
        return start(settings().allowAnonymous(true));
    }

    /**
     * Starts a broker and waits until it accepts connections.
     *
     * @throws IllegalArgumentException if a setting or file is wrong (the message names it)
     * @throws IOException              if the temporary folder cannot be written, or the broker does not start (e.g.
     *                                  the port is taken); the message says which
     */
    public static EmbeddedBroker start(Settings settings) throws IOException {
        Checked checked = settings.check();
        String host = settings.host;
        int port = settings.port;
        quietLogging();
        for (int attempt = 1; ; attempt++) {
            int p = port != 0 ? port : freePort(host);
            if (port != 0) {
                // HiveMQ starts even when one of its listeners cannot bind; find out before.
                try (ServerSocket probe = new ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(new InetSocketAddress(InetAddress.getByName(host), p));
                } catch (IOException e) {
                    throw new IOException("the embedded MQTT broker cannot listen on " + host + ":" + p + ": " + e
                            .getMessage() + ". Is the port in use?", e);
                }
            }
            int internal = freePort(LOOPBACK);
            Path folder = Files.createTempDirectory("greenwave-hivemq-");
            EmbeddedHiveMQ hivemq = null;
            try {
                Path conf = Files.createDirectories(folder.resolve("conf"));
                String tlsXml = checked.chain() == null ? null : tlsXml(checked, folder);
                Files.writeString(conf.resolve("config.xml"), config(host, p, internal, tlsXml, settings),
                        StandardCharsets.UTF_8);
                char[] secret = secret();
                BrokerCounters counters = new BrokerCounters();
                BrokerGuard guard = new BrokerGuard(BrokerGuard.utf8(secret), checked.passwords(), checked.acl(),
                        AccessList.engine(settings.topics), settings.allowAnonymous, checked.clientCas() != null,
                        counters);
                hivemq = EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(Files.createDirectories(folder.resolve("data")))
                        .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")))
                        .withEmbeddedExtension(EmbeddedExtension.builder().withId("greenwave-guard")
                                .withName("Greenwave access control").withVersion("1").withAuthor("Greenwave")
                                .withPriority(1000).withStartPriority(1000).withExtensionMain(guard).build())
                        .withoutLoggingBootstrap()
                        .build();
                hivemq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
                counters.attach(hivemq.getMetricRegistry());
                return new EmbeddedBroker(hivemq, host, p, internal, checked.chain() != null, secret, counters,
                        checked, folder);
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

    /** 32 random bytes as base64: the in-process engine's password, valid for this broker's life only. */
    private static char[] secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    /**
     * Writes the key and trust stores HiveMQ reads (PKCS #12, owner-only, random store password) and returns the
     * listener's {@code <tls>} element. Client certificates are OPTIONAL at the TLS layer, so that a client without
     * one completes the handshake and is refused, and counted, by {@link BrokerGuard}; a certificate from another
     * authority still fails the handshake.
     */
    private static String tlsXml(Checked c, Path folder) throws IOException {
        char[] pass = secret();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("broker", c.key(), pass, c.chain());
            Path keyStore = ownerOnly(folder.resolve("broker-keys.p12"));
            try (var out = Files.newOutputStream(keyStore)) {
                keys.store(out, pass);
            }
            String trust = "";
            if (c.clientCas() != null) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (java.security.cert.Certificate ca : c.clientCas()) {
                    cas.setCertificateEntry("client-ca-" + i++, ca);
                }
                Path trustStore = ownerOnly(folder.resolve("client-cas.p12"));
                try (var out = Files.newOutputStream(trustStore)) {
                    cas.store(out, pass);
                }
                trust = """
                          <truststore><path>%s</path><password>%s</password></truststore>
                          <client-authentication-mode>OPTIONAL</client-authentication-mode>
                        """.formatted(xmlEscape(trustStore.toString()), new String(pass));
            }
            return """
                    <tls>
                      <keystore><path>%s</path><password>%s</password><private-key-password>%s</private-key-password></keystore>
                      %s
                      <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                    </tls>
                    """.formatted(xmlEscape(keyStore.toString()), new String(pass), new String(pass), trust);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the broker's TLS certificate and key: " + e.getMessage(), e);
        }
    }

    private static Path ownerOnly(Path file) throws IOException {
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the temporary folder's own protection applies.
        }
        return file;
    }

    private static String config(String host, int port, int internalPort, String tlsXml, Settings s) {
        String publicListener = tlsXml == null
                ? """
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>%s</name>
                    </tcp-listener>
                  """.formatted(port, xmlEscape(host), BrokerGuard.PUBLIC_LISTENER)
                : """
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>%s</name>
                      %s
                    </tls-tcp-listener>
                  """.formatted(port, xmlEscape(host), BrokerGuard.PUBLIC_LISTENER, tlsXml);
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                %s
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>%s</name>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                    <receive-maximum>
                      <server-receive-maximum>1000</server-receive-maximum>
                    </receive-maximum>
                    <packets>
                      <max-packet-size>%d</max-packet-size>
                    </packets>
                  </mqtt>
                  <restrictions>
                    <max-client-id-length>256</max-client-id-length>
                    <max-topic-length>1024</max-topic-length>
                    <no-connect-idle-timeout>10000</no-connect-idle-timeout>
                  </restrictions>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                </hivemq>
                """.formatted(publicListener, internalPort, LOOPBACK, BrokerGuard.INTERNAL_LISTENER,
                s.maxQueuedMessages, s.maxPacketBytes);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The public listener: {@code tcp://host:port}, or {@code ssl://host:port} with TLS. */
    public String url() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }

    /** The internal listener for the in-process engine, {@code tcp://127.0.0.1:port}; use with {@link #engineCredentials}. */
    public String engineUrl() {
        return "tcp://" + LOOPBACK + ":" + internalPort;
    }

    /** The in-process engine's user name and secret (a copy), for {@link #engineUrl}. */
    public Credentials engineCredentials() {
        return new Credentials(AccessList.ENGINE_USER, engineSecret.clone());
    }

    /**
     * One line on who may connect, e.g. {@code Embedded broker: tcp://127.0.0.1:1883, 12 users from passwords,
     * access list: built-in, anonymous clients refused, largest packet 131072 bytes}.
     */
    public String describe() {
        Settings s = checked.s();
        return "Embedded broker: " + url() + (s.isMutualTls() ? " (TLS, client certificates required)"
                : s.isTls() ? " (TLS)" : "") + ", "
                + (checked.passwords() == null ? (s.allowAnonymous() ? "no users" : "no users (only the engine connects;"
                + " give --listen-passwords FILE)") : checked.passwords().users().size() + " user(s) from "
                + checked.passwords().file()) + ", access list: "
                + (s.aclFile() == null ? "built-in (deploy/mosquitto/acl)" : s.aclFile().toString()) + ", anonymous "
                + "clients " + (s.allowAnonymous() ? "allowed" : "refused") + ", largest packet " + s.maxPacketBytes()
                + " bytes";
    }

    /** What an operator should know about these settings; empty when nothing is amiss. */
    public List<String> warnings() {
        Settings s = checked.s();
        List<String> w = new java.util.ArrayList<>();
        boolean local = s.isLoopbackOnly();
        if (s.allowAnonymous() && !local) {
            w.add("the embedded broker lets ANONYMOUS clients in on " + s.host() + ", beyond this machine: anyone who "
                    + "reaches it can feed detector data and read plans");
        }
        if (!s.isTls() && !local && (checked.passwords() != null || s.allowAnonymous())) {
            w.add("the embedded broker listens on " + s.host() + " without TLS: passwords and data travel in clear "
                    + "(--listen-cert, --listen-key)");
        }
        if (checked.passwords() != null && !checked.passwords().weakUsers().isEmpty()) {
            w.add("password hashes with fewer than " + PasswordFile.WEAK_BELOW_ITERATIONS + " iterations in "
                    + checked.passwords().file() + " (users " + String.join(", ", checked.passwords().weakUsers())
                    + "); write them again with greenwave broker-passwd");
        }
        return w;
    }

    /** What the broker refused or dropped so far, and the publishes it carried. */
    public BrokerCounters counters() {
        return counters;
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
