/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a secured broker and its clients need, made in a test's folder with the tools a deployment uses
 * ({@code openssl} through {@link TestCertificates}, {@code mosquitto_passwd}): a certificate authority, the broker's
 * certificate for 127.0.0.1 and localhost, client certificates, a password file, secrets in files of mode 600, an
 * access list; and the {@link MosquittoBroker} settings that use them.
 *
 * <p>Threading: one owner thread.
 */
public final class SecureBrokerFiles {
    private final Path dir;

    /** Files go into {@code dir} (a test's temporary folder). */
    public SecureBrokerFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Runs a tool in the folder.
     *
     * @throws AssertionError with the command and its output when it fails
     */
    public void run(String... command) throws IOException, InterruptedException {
        TestCertificates.run(dir, command);
    }

    /**
     * A certificate authority ({@link #ca()}), the broker's certificate and key for 127.0.0.1 and localhost
     * ({@code server.pem}, {@code server.key}) and, for each of {@code clients}, a client certificate and key
     * ({@link #clientCert}, {@link #clientKey}), all signed by the authority. Once per folder.
     */
    public SecureBrokerFiles certificates(String... clients) throws IOException, InterruptedException {
        String[] names = new String[clients.length + 1];
        names[0] = "server";
        System.arraycopy(clients, 0, names, 1, clients.length);
        TestCertificates.make(dir, names);
        return this;
    }

    /** The authority's certificate (PEM), for clients to trust the broker. */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path clientCert(String client) {
        return dir.resolve(client + ".pem");
    }

    public Path clientKey(String client) {
        return dir.resolve(client + ".key");
    }

    /** Adds {@code users}, each with {@code password}, to the broker's password file {@link #passwords()}. */
    public SecureBrokerFiles users(String password, String... users) throws IOException, InterruptedException {
        for (String u : users) {
            if (Files.exists(passwords())) {
                run("mosquitto_passwd", "-b", "passwords", u, password);
            } else {
                run("mosquitto_passwd", "-b", "-c", "passwords", u, password);
            }
        }
        return this;
    }

    /** The broker's password file (Mosquitto's format). */
    public Path passwords() {
        return dir.resolve("passwords");
    }

    /** Writes {@code secret} and a line end to file {@code name}, readable by its owner only. */
    public Path secret(String name, String secret) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, secret + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** Writes the broker's access list ({@code acl}, Mosquitto's acl_file syntax), one entry a line. */
    public Path acl(String... lines) throws IOException {
        Path f = dir.resolve("acl");
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    /**
     * Writes the access list of simulations over MQTT ({@code simulate --via mqtt}: each run has its topic tree under
     * {@code greenwave-sim/<run>/v1/}): {@code engine} reads detector data and status and writes plans and health,
     * {@code field} (the simulated devices) writes detector data and status and reads plans.
     */
    public Path simulationAcl(String engine, String field) throws IOException {
        return acl("user " + engine,
                "topic read greenwave-sim/+/v1/intersections/+/detectors/#",
                "topic read greenwave-sim/+/v1/intersections/+/status",
                "topic write greenwave-sim/+/v1/intersections/+/plan",
                "topic readwrite greenwave-sim/+/v1/engines/#",
                "user " + field,
                "topic write greenwave-sim/+/v1/intersections/+/detectors/#",
                "topic write greenwave-sim/+/v1/intersections/+/status",
                "topic read greenwave-sim/+/v1/intersections/+/plan");
    }

    /** Settings: only users of {@link #passwords()}, within the access list {@link #acl} wrote. */
    public List<String> passwordSettings() {
        return List.of("allow_anonymous false", "password_file " + passwords(), "acl_file " + dir.resolve("acl"));
    }

    /** Settings: TLS with the broker's certificate ({@link #certificates} first). */
    public List<String> tlsSettings() {
        return List.of("certfile " + dir.resolve("server.pem"), "keyfile " + dir.resolve("server.key"));
    }

    /** Settings: TLS, and every client must show a certificate of the authority. */
    public List<String> mutualTlsSettings() {
        List<String> s = new ArrayList<>(tlsSettings());
        s.add("cafile " + ca());
        s.add("require_certificate true");
        return s;
    }

    /** Starts Mosquitto with the given groups of settings, e.g. {@link #passwordSettings()} and {@link #tlsSettings()}. */
    @SafeVarargs
    public static MosquittoBroker start(List<String>... settings) throws IOException {
        List<String> all = new ArrayList<>();
        for (List<String> s : settings) {
            all.addAll(s);
        }
        return MosquittoBroker.start(all);
    }

    /** The {@code ssl://} URL of a broker started with {@link #tlsSettings()}. */
    public static String tlsUrl(MosquittoBroker broker) {
        return "ssl://127.0.0.1:" + broker.port();
    }
}
