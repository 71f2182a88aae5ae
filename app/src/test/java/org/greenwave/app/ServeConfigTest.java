package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --config}: the documented example is valid, the command line overrides it, bad files are located. */
class ServeConfigTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("greenwave.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static ServeConfig read(Path f, Map<String, String> env) {
        return ServeConfig.read(f, env::get);
    }

    /** A {@code serve} whose options were parsed from {@code args}, with {@code config} applied. */
    private static ServeCommand serve(ServeConfig config, StringWriter err, String... args) {
        ServeCommand c = new ServeCommand();
        CommandLine cl = new CommandLine(c);
        cl.parseArgs(args);
        config.applyTo(c, cl.getParseResult()::hasMatchedOption, new PrintWriter(err, true));
        return c;
    }

    @Test
    void theDocumentedExampleIsValidAndTheCommandLineOverridesIt() throws IOException {
        Files.copy(ROOT.resolve("docs/greenwave.yaml"), dir.resolve("greenwave.yaml"));
        for (String f : List.of("city.net.xml", "queue-model.zip", "secrets/broker.password", "tls/city-ca.pem",
                "tls/engine.pem", "tls/engine.key", "users.txt")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "x\n");
        }
        org.greenwave.adapters.mqtt.SigningKeys.generate(dir.resolve("keys"));
        ServeConfig config = read(dir.resolve("greenwave.yaml"), NO_ENV);
        assertThat(config.warnings()).isEmpty();

        ServeCommand fromFile = serve(config, new StringWriter());
        assertThat(fromFile.engineId).isEqualTo("north-district");
        assertThat(fromFile.network).isEqualTo(dir.resolve("city.net.xml"));
        assertThat(fromFile.tls).containsExactly("J1", "J2", "J7");
        assertThat(fromFile.controller).isEqualTo("greenwave");
        assertThat(fromFile.shards).isEqualTo(2);
        assertThat(fromFile.queueModel.file).isEqualTo(dir.resolve("queue-model.zip"));
        assertThat(fromFile.broker).isEqualTo("ssl://broker.city.example:8883");
        assertThat(fromFile.brokerUsername).isEqualTo("greenwave-north");
        assertThat(fromFile.brokerPasswordFile).isEqualTo(dir.resolve("secrets/broker.password"));
        assertThat(fromFile.brokerCa).isEqualTo(dir.resolve("tls/city-ca.pem"));
        assertThat(fromFile.brokerCert).isEqualTo(dir.resolve("tls/engine.pem"));
        assertThat(fromFile.brokerKey).isEqualTo(dir.resolve("tls/engine.key"));
        assertThat(fromFile.noDashboard).isFalse();
        assertThat(fromFile.access.port).isEqualTo(8080);
        assertThat(fromFile.access.users).isEqualTo(dir.resolve("users.txt"));
        assertThat(fromFile.access.auditLog).isEqualTo(dir.resolve("greenwave-audit.jsonl"));
        assertThat(fromFile.access.tlsCert).isNull();
        assertThat(fromFile.planKey).isEqualTo(dir.resolve("keys/plan-signing.key"));
        assertThat(fromFile.unsignedPlans).isFalse();

        ServeCommand overridden = serve(config, new StringWriter(), "--port", "9090", "--engine-id", "test",
                "--tls", "J9", "--scenario", "other.sumocfg", "--broker-password-env", "PW", "--no-dashboard",
                "--broker", "tcp://10.0.0.5:1883");
        assertThat(overridden.access.port).isEqualTo(9090);
        assertThat(overridden.engineId).isEqualTo("test");
        assertThat(overridden.tls).containsExactly("J9");
        assertThat(overridden.scenario).isEqualTo(Path.of("other.sumocfg"));
        assertThat(overridden.network).as("the command line's --scenario replaces the file's network").isNull();
        assertThat(overridden.brokerPasswordEnv).isEqualTo("PW");
        assertThat(overridden.brokerPasswordFile).isNull();
        assertThat(overridden.noDashboard).isTrue();
        assertThat(overridden.broker).isEqualTo("tcp://10.0.0.5:1883");
        assertThat(overridden.brokerUsername).as("not overridden").isEqualTo("greenwave-north");
        ServeCommand unsigned = serve(config, new StringWriter(), "--unsigned-plans");
        assertThat(unsigned.planKey).as("--unsigned-plans overrides the file's key").isNull();
        assertThat(unsigned.unsignedPlans).isTrue();
    }

    @Test
    void everyKindOfMistakeNamesFileLineColumnAndKey() throws IOException {
        Files.writeString(dir.resolve("pw"), "secret\n");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("engineId: a\nbroker:\n  usrname: x\n",
                ":3:3: broker.usrname: unknown key; known keys under broker: url, listen, username, passwordFile, "
                        + "passwordEnv, password, tls");
        cases.put("colour: red\n", ":1:1: colour: unknown key; known keys: engineId, scenario");
        cases.put("dashboard:\n  port: eighty\n", ":2:9: dashboard.port: must be a whole number, was 'eighty'");
        cases.put("dashboard:\n  port: 70000\n", ":2:9: dashboard.port: must be in 0..65535, was 70000");
        cases.put("dashboard:\n  enabled: maybe\n", ":2:12: dashboard.enabled: must be true or false, was 'maybe'");
        cases.put("tickS: 0\n", ":1:8: tickS: must be in 0.05..60, was 0");
        cases.put("shards: 2.5\n", ":1:9: shards: must be a whole number, was 2.5");
        cases.put("signals: J1\n", ":1:10: signals: must be a list of ids, e.g. [J1, J2], was 'J1'");
        cases.put("controller: psychic\n", ":1:13: controller: unknown controller 'psychic'; known: ");
        cases.put("engineId: a/b\n", ":1:11: engineId: engine id 'a/b' cannot be an MQTT topic level");
        cases.put("\nqueueModel: models/q.zip\n", ":2:13: queueModel: no such file: " + dir.resolve("models/q.zip"));
        cases.put("broker:\n  tls:\n    ca: ca.pem\n", ":3:9: broker.tls.ca: no such file: " + dir.resolve("ca.pem"));
        cases.put("broker:\n  tls:\n    cert: pw\n", ":3:11: broker.tls.cert: broker.tls.cert and broker.tls.key go "
                + "together");
        cases.put("broker:\n  url: mqtt://x\n", ":2:8: broker.url: must look like tcp://host:1883");
        cases.put("broker:\n  passwordEnv: GW_NOT_SET\n", ":2:16: broker.passwordEnv: environment variable GW_NOT_SET "
                + "is not set");
        cases.put("broker: tcp://x:1883\n", ":1:9: broker: must be a section of keys: url, listen");
        cases.put("tickS: 1\ntickS: 2\n", ":2:1: tickS: given twice (first at line 1)");
        cases.put("scenario: pw\nnetwork: pw\n", ":2:10: network: give either scenario or network, not both");
        cases.put("engineId:\n", ":1:10: engineId: needs a value");
        cases.put("plans:\n  signingKey: pw\n", ":2:15: plans.signingKey: " + dir.resolve("pw")
                + ": no '-----BEGIN PRIVATE KEY-----'");
        cases.put("broker:\n  url: tcp://h:1883\n  listenAcl: pw\n", ":3:14: broker.listenAcl: is for the embedded "
                + "broker; it cannot go with broker.url");
        cases.put("broker:\n  url: tcp://h:1883\n  listenTls:\n    cert: pw\n    key: pw\n", ":3:3: broker.listenTls: is "
                + "for the embedded broker; it cannot go with broker.url");
        cases.put("broker:\n  listenMaxPacket: 10\n", ":2:20: broker.listenMaxPacket: must be in 1024..268435455, "
                + "was 10");
        cases.put("broker:\n  allowAnonymous: sometimes\n", ":2:19: broker.allowAnonymous: must be true or false");
        cases.put("broker:\n  listenPasswords: nope\n", ":2:20: broker.listenPasswords: no such file: "
                + dir.resolve("nope"));
        cases.put("broker:\n  listenTls:\n    key: pw\n", ":3:10: broker.listenTls.key: broker.listenTls.cert and "
                + "broker.listenTls.key go together");
        cases.put("broker:\n  listenTls:\n    clientCa: pw\n", ":3:15: broker.listenTls.clientCa: client "
                + "certificates need TLS");
        cases.put("runForS: -1\n", ":1:10: runForS: must be in 0..2147483647, was -1");
        cases.put("plans:\n  signingKey: pw\n  unsigned: true\n", ":3:13: plans.unsigned: give either "
                + "plans.signingKey or plans.unsigned: true, not both");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path f = write(e.getKey());
            assertThatThrownBy(() -> read(f, NO_ENV)).as(e.getKey()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(f + e.getValue().substring(0, e.getValue().indexOf(' ')))
                    .hasMessageContaining(e.getValue());
        }
        Path notYaml = write("engineId: 'open\n");
        assertThatThrownBy(() -> read(notYaml, NO_ENV)).hasMessageStartingWith(notYaml + ":")
                .hasMessageContaining("not valid YAML");
        Path list = write("- a\n- b\n");
        assertThatThrownBy(() -> read(list, NO_ENV)).hasMessageContaining("must be a mapping of keys to values");
        assertThatThrownBy(() -> read(dir.resolve("absent.yaml"), NO_ENV))
                .hasMessage("configuration file " + dir.resolve("absent.yaml") + ": cannot be read (no such file)");
    }

    @Test
    void theEmbeddedBrokersKeysAsDocumentedAreReadAndTheCommandLineOverridesThem() throws IOException {
        // The documented block of embedded-broker keys, uncommented, in place of the external broker's.
        List<String> block = new java.util.ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(ROOT.resolve("docs/greenwave.yaml"))) {
            in |= line.startsWith("  # listen:");
            if (in && !line.startsWith("  #")) {
                break;
            }
            if (in) {
                block.add("  " + line.substring("  # ".length()));
            }
        }
        assertThat(block).hasSizeGreaterThanOrEqualTo(9);
        for (String f : List.of("broker/passwords", "broker/acl", "tls/broker.pem", "tls/broker.key",
                "tls/devices-ca.pem", "other-passwords")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "x\n");
        }
        Path f = write("runForS: 3600\nbroker:\n" + String.join("\n", block) + "\n");
        ServeConfig config = read(f, NO_ENV);

        ServeCommand fromFile = serve(config, new StringWriter());
        assertThat(fromFile.broker).isNull();
        assertThat(fromFile.listen).isEqualTo("0.0.0.0:8883");
        assertThat(fromFile.listenPasswords).isEqualTo(dir.resolve("broker/passwords"));
        assertThat(fromFile.listenAcl).isEqualTo(dir.resolve("broker/acl"));
        assertThat(fromFile.allowAnonymous).isFalse();
        assertThat(fromFile.listenMaxPacket).isEqualTo(131072);
        assertThat(fromFile.listenCert).isEqualTo(dir.resolve("tls/broker.pem"));
        assertThat(fromFile.listenKey).isEqualTo(dir.resolve("tls/broker.key"));
        assertThat(fromFile.listenClientCa).isEqualTo(dir.resolve("tls/devices-ca.pem"));
        assertThat(fromFile.runForS).isEqualTo(3600);

        ServeCommand overridden = serve(config, new StringWriter(), "--listen-passwords", "other-passwords",
                "--allow-anonymous", "--listen-max-packet", "4096", "--listen-cert", "c.pem", "--listen-key", "k.pem",
                "--run-for", "5");
        assertThat(overridden.listenPasswords).isEqualTo(Path.of("other-passwords"));
        assertThat(overridden.allowAnonymous).isTrue();
        assertThat(overridden.listenMaxPacket).isEqualTo(4096);
        assertThat(overridden.listenCert).isEqualTo(Path.of("c.pem"));
        assertThat(overridden.listenKey).isEqualTo(Path.of("k.pem"));
        assertThat(overridden.listenAcl).as("not overridden").isEqualTo(dir.resolve("broker/acl"));
        assertThat(overridden.runForS).isEqualTo(5);

        ServeCommand external = serve(config, new StringWriter(), "--broker", "tcp://10.0.0.5:1883");
        assertThat(external.broker).isEqualTo("tcp://10.0.0.5:1883");
        assertThat(external.listenPasswords).as("an external broker on the command line: the file's embedded "
                + "broker is not used").isNull();
        assertThat(external.listenCert).isNull();
    }

    @Test
    void serveStartsTheEmbeddedBrokerWithTheFilesAccessList() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Files.writeString(dir.resolve("acl"), "user J1\ntopic write a/#/b\n");
            Path f = write("network: " + ROOT.resolve("scenarios/corridor/corridor.net.xml") + "\nbroker:\n"
                    + "  listenAcl: acl\n");
            assertThat(Main.execute("serve", "--config", f.toString())).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("embedded broker: access-list file "
                    + dir.resolve("acl") + " line 2");
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void anInlinePasswordIsNotUsedAndDrawsAWarning() throws IOException {
        Path f = write("broker:\n  url: tcp://127.0.0.1:1883\n  username: u\n  password: hunter2\n");
        ServeConfig config = read(f, NO_ENV);
        assertThat(config.warnings()).singleElement().asString().startsWith(f + ":4:13: broker.password: not used")
                .contains("broker.passwordFile").doesNotContain("hunter2");
        StringWriter err = new StringWriter();
        ServeCommand c = serve(config, err);
        assertThat(err.toString()).contains("greenwave: warning: " + f + ":4:13: broker.password: not used");
        assertThat(c.brokerPasswordFile).isNull();
        assertThat(c.brokerPasswordEnv).isNull();

        Path env = write("broker:\n  passwordEnv: GW_PW\n");
        assertThat(serve(read(env, Map.of("GW_PW", "s3cret")), new StringWriter()).brokerPasswordEnv)
                .isEqualTo("GW_PW");
    }

    @Test
    void serveStopsAtStartOnABadConfigurationOrBrokerSetting() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Path f = write("network: " + ROOT.resolve("scenarios/corridor/corridor.net.xml") + "\ndashboard:\n"
                    + "  prot: 8080\n");
            assertThat(Main.execute("serve", "--config", f.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("greenwave: " + f
                    + ":3:3: dashboard.prot: unknown key; known keys under dashboard: enabled, port, bind");

            err.reset();
            assertThat(Main.execute("serve", "--network", "x.net.xml", "--broker-username", "u")).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("are for an external --broker");

            err.reset();
            assertThat(Main.execute("serve", "--network", "x.net.xml", "--broker", "tcp://127.0.0.1:1",
                    "--broker-password-file", dir.resolve("nope").toString())).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("password file " + dir.resolve("nope")
                    + ": cannot be read (no such file)");

            err.reset();
            Path ca = dir.resolve("ca.pem");
            Files.writeString(ca, "not a certificate\n");
            assertThat(Main.execute("serve", "--network", "x.net.xml", "--broker", "ssl://127.0.0.1:1",
                    "--broker-ca", ca.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("certificate file " + ca);

            err.reset();
            assertThat(Main.execute("serve", "--network", "x.net.xml", "--broker", "tcp://127.0.0.1:1",
                    "--broker-ca", ca.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not ssl:// or wss://");
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void theDashboardsAccessKeysAreCheckedAndOverriddenByTheCommandLine() throws IOException {
        for (String f : List.of("users.txt", "d.crt", "d.key", "d.p12", "other-users.txt")) {
            Files.writeString(dir.resolve(f), "x\n");
        }
        ServeConfig c = read(write("dashboard:\n  users: users.txt\n  hosts: [dash.city.example]\n"
                + "  auditLog: logs/audit.jsonl\n  tls:\n    cert: d.crt\n    key: d.key\n"), NO_ENV);
        ServeCommand s = serve(c, new StringWriter(), "--users", "other-users.txt");
        assertThat(s.access.users).isEqualTo(Path.of("other-users.txt"));
        assertThat(s.access.hostNames).containsExactly("dash.city.example");
        assertThat(s.access.auditLog).isEqualTo(dir.resolve("logs/audit.jsonl"));
        assertThat(s.access.tlsCert).isEqualTo(dir.resolve("d.crt"));
        assertThat(s.access.tlsKey).isEqualTo(dir.resolve("d.key"));

        assertThatThrownBy(() -> read(write("dashboard:\n  tls:\n    cert: d.crt\n"), NO_ENV))
                .hasMessageContaining(":3:11: dashboard.tls.cert: dashboard.tls.cert and dashboard.tls.key go together");
        assertThatThrownBy(() -> read(write("dashboard:\n  tls:\n    keystore: d.p12\n"), NO_ENV))
                .hasMessageContaining("dashboard.tls.keystore: dashboard.tls.keystore needs its password");
        assertThatThrownBy(() -> read(write("dashboard:\n  users: missing.txt\n"), NO_ENV))
                .hasMessageContaining(":2:10: dashboard.users: no such file");
        assertThatThrownBy(() -> read(write("dashboard:\n  password: x\n"), NO_ENV))
                .hasMessageContaining("dashboard.password: unknown key").hasMessageContaining("users");
    }
}
