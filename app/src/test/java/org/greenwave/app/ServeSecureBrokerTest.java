package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} against a real Mosquitto that wants a user name and password, and one that wants TLS. */
@Tag("broker")
class ServeSecureBrokerTest {
    private static final Path NET = Path.of("").toAbsolutePath().getParent()
            .resolve("scenarios/corridor/corridor.net.xml");
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + text).isZero();
    }

    private int serve(String... extra) {
        console.resetOut();
        console.resetErr();
        List<String> args = new ArrayList<>(List.of("serve", "--run-for", "3", "--status-every", "1",
                "--unsigned-plans"));
        args.addAll(List.of(extra));
        return Main.execute(args.toArray(String[]::new));
    }

    @Test
    void connectsWithTheUserAndPasswordOfTheConfigurationFileWithinItsAccessListAndNotWithAWrongPassword() throws Exception {
        run("mosquitto_passwd", "-b", "-c", "passwords", "greenwave", "s3cret-Pw");
        Path secret = dir.resolve("broker.password");
        Files.writeString(secret, "s3cret-Pw\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        // The engine's part of the access list README.md shows.
        Files.writeString(dir.resolve("acl"), String.join("\n",
                "user greenwave",
                "topic read  greenwave/v1/intersections/+/detectors/#",
                "topic read  greenwave/v1/intersections/+/status",
                "topic write greenwave/v1/intersections/+/plan",
                "topic readwrite greenwave/v1/engines/secured/#",
                ""));
        try (MosquittoBroker broker = MosquittoBroker.start(List.of("allow_anonymous false",
                "password_file " + dir.resolve("passwords"), "acl_file " + dir.resolve("acl")))) {
            Path config = dir.resolve("greenwave.yaml");
            Files.writeString(config, String.join("\n",
                    "engineId: secured",
                    "network: " + NET,
                    "broker:",
                    "  url: " + broker.url(),
                    "  username: greenwave",
                    "  passwordFile: broker.password",
                    "dashboard:",
                    "  enabled: false",
                    ""));
            assertThat(serve("--config", config.toString())).as(console.err()).isZero();
            assertThat(console.out()).contains("on " + broker.url()).contains("broker CONNECTED")
                    .contains("greenwave/v1/engines/secured/health");
            // The only warning is the one --unsigned-plans asks for: none about the broker's credentials or TLS.
            assertThat(console.err().lines().filter(l -> l.contains("warning") && !l.contains("--unsigned-plans")))
                    .isEmpty();

            Path wrong = dir.resolve("wrong.password");
            Files.writeString(wrong, "guess\n");
            Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(serve("--config", config.toString(), "--broker-password-file", wrong.toString())).isZero();
            assertThat(console.out()).doesNotContain("broker CONNECTED");
            assertThat(console.err()).contains("password file " + wrong
                    + " can be read by other users");
        }
    }

    @Test
    void connectsOverTlsWithTheBrokersAuthorityAndAClientCertificate() throws Exception {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=greenwave-test-ca");
        for (String who : List.of("server", "client")) {
            run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            run("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", who + ".pem", "-days", "2", "-extfile", "san.ext");
        }
        try (MosquittoBroker broker = MosquittoBroker.start(List.of("allow_anonymous true",
                "cafile " + dir.resolve("ca.pem"), "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"), "require_certificate true"))) {
            String url = "ssl://127.0.0.1:" + broker.port();
            assertThat(serve("--network", NET.toString(), "--no-dashboard", "--broker", url,
                    "--broker-ca", dir.resolve("ca.pem").toString(), "--broker-cert", dir.resolve("client.pem").toString(),
                    "--broker-key", dir.resolve("client.key").toString()))
                    .as(console.err()).isZero();
            assertThat(console.out()).contains("on " + url).contains("broker CONNECTED");

            // Without the client certificate the broker refuses the handshake.
            assertThat(serve("--network", NET.toString(), "--no-dashboard", "--broker", url,
                    "--broker-ca", dir.resolve("ca.pem").toString())).isZero();
            assertThat(console.out()).doesNotContain("broker CONNECTED");
        }
    }
}
