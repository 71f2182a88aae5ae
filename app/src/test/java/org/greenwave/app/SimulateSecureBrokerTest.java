package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.testsupport.MosquittoBroker;
import org.greenwave.testsupport.SecureBrokerFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --via mqtt} through a Mosquitto that wants TLS, passwords and keeps an access list: the engine and
 * the simulated field devices log in with users of their own, each allowed only its side of the topics.
 */
class SimulateSecureBrokerTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String PASSWORD = "s3cret-Pw";

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private String[] simulate(String... extra) {
        String[] base = {"simulate", "--scenario", ROOT.resolve("scenarios/intersection").toString(), "--controller",
            "max-pressure", "--seeds", "1", "--begin", "0", "--end", "120", "--via", "mqtt", "--out",
            dir.resolve("out").toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    @Test
    @Tag("sumo")
    @Tag("broker")
    void bothSidesLogInWithTheirOwnUsersOverTls() throws Exception {
        SecureBrokerFiles files = new SecureBrokerFiles(dir);
        files.certificates().users(PASSWORD, "greenwave-engine", "field");
        files.simulationAcl("greenwave-engine", "field");
        Path engineSecret = files.secret("engine.password", PASSWORD);
        Path fieldSecret = files.secret("field.password", PASSWORD);
        try (MosquittoBroker broker = SecureBrokerFiles.start(files.passwordSettings(), files.tlsSettings())) {
            assertThat(Main.execute(simulate("--broker", SecureBrokerFiles.tlsUrl(broker), "--broker-ca",
                    files.ca().toString(), "--broker-username", "greenwave-engine", "--broker-password-file",
                    engineSecret.toString(), "--field-username", "field", "--field-password-file",
                    fieldSecret.toString()))).as(console.err()).isZero();
        }
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/max-pressure/seed-1/summary.json").toFile());
        assertThat(summary.get("transport").asText()).isEqualTo("mqtt");
        assertThat(summary.get("safetyViolations").asLong()).isZero();
        assertThat(summary.at("/field/plansAccepted").asLong()).as("plans reached the field").isGreaterThan(60);
        assertThat(summary.at("/field/plansRefused").asLong()).isZero();
        assertThat(summary.at("/field/fallbacksEntered").asLong()).isZero();
        assertThat(console.out()).containsPattern("max-pressure seed 1: \\d+ followed, 0 refused; fell back 0 time");
    }

    @Test
    void brokerLogInOptionsAreChecked() throws Exception {
        assertThat(Main.execute(simulate("--broker-ca", "ca.pem"))).isEqualTo(2);
        assertThat(console.err()).contains("are for an external --broker");
        assertThat(Main.execute(simulate("--broker", "ssl://127.0.0.1:1", "--field-password-file", "f"))).isEqualTo(2);
        assertThat(console.err()).contains("--field-password-file needs --field-username");
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThat(Main.execute(simulate("--broker", "ssl://127.0.0.1:1", "--broker-ca", notPem.toString())))
                .isEqualTo(2);
        assertThat(console.err()).contains(notPem.toString());
        Path missing = dir.resolve("nothing");
        assertThat(Main.execute(simulate("--broker", "ssl://127.0.0.1:1", "--broker-username", "e",
                "--broker-password-file", missing.toString()))).isEqualTo(2);
        assertThat(console.err()).contains("password file " + missing + ": cannot be read (no such file)");
    }
}
