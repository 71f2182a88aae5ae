package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
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
        SecureBrokerFiles files = new SecureBrokerFiles(dir).users("s3cret-Pw", "greenwave");
        files.secret("broker.password", "s3cret-Pw");
        // The engine's part of the access list README.md shows.
        files.acl("user greenwave",
                "topic read  greenwave/v1/intersections/+/detectors/#",
                "topic read  greenwave/v1/intersections/+/status",
                "topic write greenwave/v1/intersections/+/plan",
                "topic readwrite greenwave/v1/engines/secured/#");
        try (MosquittoBroker broker = SecureBrokerFiles.start(files.passwordSettings())) {
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

            Path wrong = files.secret("wrong.password", "guess");
            Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(serve("--config", config.toString(), "--broker-password-file", wrong.toString())).isZero();
            assertThat(console.out()).doesNotContain("broker CONNECTED");
            assertThat(console.err()).contains("password file " + wrong
                    + " can be read by other users");
        }
    }

    @Test
    void connectsOverTlsWithTheBrokersAuthorityAndAClientCertificate() throws Exception {
        SecureBrokerFiles files = new SecureBrokerFiles(dir).certificates("client");
        try (MosquittoBroker broker = SecureBrokerFiles.start(List.of("allow_anonymous true"),
                files.mutualTlsSettings())) {
            String url = SecureBrokerFiles.tlsUrl(broker);
            assertThat(serve("--network", NET.toString(), "--no-dashboard", "--broker", url,
                    "--broker-ca", files.ca().toString(), "--broker-cert", files.clientCert("client").toString(),
                    "--broker-key", files.clientKey("client").toString()))
                    .as(console.err()).isZero();
            assertThat(console.out()).contains("on " + url).contains("broker CONNECTED");

            // Without the client certificate the broker refuses the handshake.
            assertThat(serve("--network", NET.toString(), "--no-dashboard", "--broker", url,
                    "--broker-ca", files.ca().toString())).isZero();
            assertThat(console.out()).doesNotContain("broker CONNECTED");
        }
    }
}
