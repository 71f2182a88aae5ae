package org.greenwave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.core.policy.Policies;
import picocli.CommandLine;

/**
 * {@code serve --config FILE}: a deployment's settings in YAML (see docs/greenwave.yaml). Every key is checked when
 * the file is read: an unknown key, a value of the wrong type, a value out of range, a file that does not exist or a
 * key given twice is an error naming the file, line, column and key. Relative paths are relative to the
 * configuration file's folder. An option given on the command line overrides the file's key for it.
 *
 * <p>The broker password is never read from the file itself: {@code broker.passwordFile} names a file holding it,
 * {@code broker.passwordEnv} an environment variable; an inline {@code broker.password} is not used and draws a
 * warning.
 */
final class ServeConfig {
    /** The type of a key's value. */
    private enum Kind { SECTION, STRING, INT, NUMBER, BOOLEAN, FILE, PATH, STRING_LIST }

    /** Every key the file may hold, dotted for nested ones, in the order the documentation lists them. */
    private static final Map<String, Kind> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("engineId", Kind.STRING);
        KEYS.put("scenario", Kind.FILE);
        KEYS.put("network", Kind.FILE);
        KEYS.put("signals", Kind.STRING_LIST);
        KEYS.put("controller", Kind.STRING);
        KEYS.put("tickS", Kind.NUMBER);
        KEYS.put("shards", Kind.INT);
        KEYS.put("statusEveryS", Kind.INT);
        KEYS.put("runForS", Kind.INT);
        KEYS.put("queueModel", Kind.FILE);
        KEYS.put("broker", Kind.SECTION);
        KEYS.put("broker.url", Kind.STRING);
        KEYS.put("broker.listen", Kind.STRING);
        KEYS.put("broker.username", Kind.STRING);
        KEYS.put("broker.passwordFile", Kind.FILE);
        KEYS.put("broker.passwordEnv", Kind.STRING);
        KEYS.put("broker.password", Kind.STRING);
        KEYS.put("broker.tls", Kind.SECTION);
        KEYS.put("broker.tls.ca", Kind.FILE);
        KEYS.put("broker.tls.cert", Kind.FILE);
        KEYS.put("broker.tls.key", Kind.FILE);
        KEYS.put("broker.listenPasswords", Kind.FILE);
        KEYS.put("broker.listenAcl", Kind.FILE);
        KEYS.put("broker.allowAnonymous", Kind.BOOLEAN);
        KEYS.put("broker.listenMaxPacket", Kind.INT);
        KEYS.put("broker.listenTls", Kind.SECTION);
        KEYS.put("broker.listenTls.cert", Kind.FILE);
        KEYS.put("broker.listenTls.key", Kind.FILE);
        KEYS.put("broker.listenTls.clientCa", Kind.FILE);
        KEYS.put("plans", Kind.SECTION);
        KEYS.put("plans.signingKey", Kind.FILE);
        KEYS.put("plans.unsigned", Kind.BOOLEAN);
        KEYS.put("dashboard", Kind.SECTION);
        KEYS.put("dashboard.enabled", Kind.BOOLEAN);
        KEYS.put("dashboard.port", Kind.INT);
        KEYS.put("dashboard.bind", Kind.STRING);
        KEYS.put("dashboard.hosts", Kind.STRING_LIST);
        KEYS.put("dashboard.users", Kind.FILE);
        KEYS.put("dashboard.auditLog", Kind.PATH);
        KEYS.put("dashboard.metricsTokenFile", Kind.FILE);
        KEYS.put("dashboard.tls", Kind.SECTION);
        KEYS.put("dashboard.tls.cert", Kind.FILE);
        KEYS.put("dashboard.tls.key", Kind.FILE);
        KEYS.put("dashboard.tls.keystore", Kind.FILE);
        KEYS.put("dashboard.tls.keystorePasswordFile", Kind.FILE);
        KEYS.put("dashboard.tls.keystorePasswordEnv", Kind.STRING);
    }

    /** The keys that configure the embedded broker, in the order of {@link #KEYS}. */
    private static final List<String> EMBEDDED_KEYS = List.of("broker.listen", "broker.listenPasswords",
            "broker.listenAcl", "broker.allowAnonymous", "broker.listenMaxPacket", "broker.listenTls");

    /** A value and where it stands in the file. */
    private record Value(JsonNode node, int line, int column) {
    }

    private final Path file;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private ServeConfig(Path file) {
        this.file = file;
    }

    /**
     * Reads and checks the file.
     *
     * @param env the environment, for {@code broker.passwordEnv}
     * @throws IllegalArgumentException "FILE:LINE:COLUMN: KEY: what is wrong", or naming the file when it cannot be
     *                                  read or parsed at all
     */
    static ServeConfig read(Path file, UnaryOperator<String> env) {
        ServeConfig c = new ServeConfig(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + ": cannot be read ("
                    + (Files.exists(file) ? e.toString() : "no such file") + ")", e);
        }
        YAMLMapper yaml = new YAMLMapper();
        try (JsonParser p = yaml.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("configuration file " + file + ": is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw c.error(p.currentTokenLocation(), "(top level)", "must be a mapping of keys to values");
            }
            c.readObject(p, "");
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new IllegalArgumentException(file + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + ": " + e.getMessage(), e);
        }
        c.check(env);
        return c;
    }

    private void readObject(JsonParser p, String prefix) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonLocation at = p.currentTokenLocation();
            String key = prefix + p.currentName();
            Kind kind = KEYS.get(key);
            if (kind == null) {
                throw error(at, key, "unknown key; known " + (prefix.isEmpty() ? "keys" : "keys under "
                        + prefix.substring(0, prefix.length() - 1)) + ": " + String.join(", ", known(prefix)));
            }
            if (values.containsKey(key)) {
                Value first = values.get(key);
                throw error(at, key, "given twice (first at line " + first.line + ")");
            }
            JsonToken t = p.nextToken();
            JsonLocation valueAt = p.currentTokenLocation();
            if (kind == Kind.SECTION) {
                if (t != JsonToken.START_OBJECT) {
                    throw error(valueAt, key, "must be a section of keys: " + String.join(", ", known(key + ".")));
                }
                values.put(key, new Value(null, at.getLineNr(), at.getColumnNr()));
                readObject(p, key + ".");
                continue;
            }
            JsonNode node = p.readValueAsTree();
            Value v = new Value(node, valueAt.getLineNr(), valueAt.getColumnNr());
            checkType(key, kind, v);
            values.put(key, v);
        }
    }

    private static List<String> known(String prefix) {
        List<String> out = new ArrayList<>();
        for (String k : KEYS.keySet()) {
            if (k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0) {
                out.add(k.substring(prefix.length()));
            }
        }
        return out;
    }

    private void checkType(String key, Kind kind, Value v) {
        JsonNode n = v.node;
        if (n == null || n.isNull()) {
            throw error(v, key, "needs a value");
        }
        boolean ok = switch (kind) {
            case STRING, FILE, PATH -> n.isTextual() && !n.asText().isBlank();
            case INT -> n.isIntegralNumber() && n.canConvertToInt();
            case NUMBER -> n.isNumber();
            case BOOLEAN -> n.isBoolean();
            case STRING_LIST -> {
                boolean all = n.isArray() && !n.isEmpty();
                for (JsonNode e : n) {
                    all &= e.isTextual() && !e.asText().isBlank();
                }
                yield all;
            }
            case SECTION -> false;
        };
        if (!ok) {
            String want = switch (kind) {
                case STRING -> "a non-empty text";
                case FILE, PATH -> "a file path";
                case INT -> "a whole number";
                case NUMBER -> "a number";
                case BOOLEAN -> "true or false";
                case STRING_LIST -> "a list of ids, e.g. [J1, J2]";
                case SECTION -> "a section";
            };
            throw error(v, key, "must be " + want + ", was " + describe(n));
        }
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "'" + n.asText() + "'";
        }
        return n.isContainerNode() ? (n.isArray() ? "a list" : "a section") : n.toString();
    }

    /** Range and file checks, once every key has its type. */
    private void check(UnaryOperator<String> env) {
        range("tickS", 0.05, 60);
        range("shards", 1, 4096);
        range("statusEveryS", 1, 86_400);
        range("runForS", 0, Integer.MAX_VALUE);
        range("broker.listenMaxPacket", 1024, 268_435_455);
        range("dashboard.port", 0, 65_535);
        if (has("controller") && !Policies.names().contains(text("controller"))) {
            throw error("controller", "unknown controller '" + text("controller") + "'; known: "
                    + String.join(", ", Policies.names()));
        }
        if (has("engineId")) {
            try {
                Topics.checkLevel(text("engineId"), "engine id");
            } catch (IllegalArgumentException e) {
                throw error("engineId", e.getMessage());
            }
        }
        if (has("scenario") && has("network")) {
            throw error("network", "give either scenario or network, not both");
        }
        if (has("broker.url")) {
            String url = text("broker.url");
            try {
                URI uri = new URI(url);
                if (uri.getScheme() == null || !Set.of("tcp", "ssl", "ws", "wss").contains(uri.getScheme())
                        || uri.getHost() == null) {
                    throw error("broker.url", "must look like tcp://host:1883 or ssl://host:8883, was '" + url + "'");
                }
            } catch (URISyntaxException e) {
                throw error("broker.url", "not a URL: '" + url + "'");
            }
            for (String k : EMBEDDED_KEYS) {
                if (has(k)) {
                    throw error(k, "is for the embedded broker; it cannot go with broker.url (configure that broker "
                            + "instead, see deploy/mosquitto)");
                }
            }
        }
        if (has("broker.listenTls.cert") != has("broker.listenTls.key")) {
            String given = has("broker.listenTls.cert") ? "broker.listenTls.cert" : "broker.listenTls.key";
            throw error(given, "broker.listenTls.cert and broker.listenTls.key go together (the embedded broker's "
                    + "certificate and its key)");
        }
        if (has("broker.listenTls.clientCa") && !has("broker.listenTls.cert")) {
            throw error("broker.listenTls.clientCa", "client certificates need TLS: give broker.listenTls.cert and "
                    + "broker.listenTls.key too");
        }
        if (has("broker.listen")) {
            try {
                ServeCommand.hostPort(text("broker.listen"));
            } catch (IllegalArgumentException e) {
                throw error("broker.listen", e.getMessage());
            }
        }
        if (has("broker.tls.cert") != has("broker.tls.key")) {
            String given = has("broker.tls.cert") ? "broker.tls.cert" : "broker.tls.key";
            throw error(given, "broker.tls.cert and broker.tls.key go together (the client certificate and its key)");
        }
        if (has("dashboard.tls.cert") != has("dashboard.tls.key")) {
            String given = has("dashboard.tls.cert") ? "dashboard.tls.cert" : "dashboard.tls.key";
            throw error(given, "dashboard.tls.cert and dashboard.tls.key go together (the certificate and its key)");
        }
        if (has("dashboard.tls.keystore") && has("dashboard.tls.cert")) {
            throw error("dashboard.tls.keystore", "give either dashboard.tls.keystore or dashboard.tls.cert and key");
        }
        if (has("dashboard.tls.keystore") != (has("dashboard.tls.keystorePasswordFile")
                || has("dashboard.tls.keystorePasswordEnv"))) {
            String k = has("dashboard.tls.keystore") ? "dashboard.tls.keystore" : has("dashboard.tls.keystorePasswordFile")
                    ? "dashboard.tls.keystorePasswordFile" : "dashboard.tls.keystorePasswordEnv";
            throw error(k, "dashboard.tls.keystore needs its password from keystorePasswordFile or keystorePasswordEnv");
        }
        if (has("broker.passwordFile") && has("broker.passwordEnv")) {
            throw error("broker.passwordEnv", "give either broker.passwordFile or broker.passwordEnv, not both");
        }
        if (has("broker.passwordEnv") && env.apply(text("broker.passwordEnv")) == null) {
            throw error("broker.passwordEnv", "environment variable " + text("broker.passwordEnv") + " is not set");
        }
        if (has("broker.password")) {
            warnings.add(where(values.get("broker.password")) + ": broker.password: not used: the broker password is "
                    + "never read from the configuration file in clear; put it in a file only the engine can read and "
                    + "name it with broker.passwordFile, or name an environment variable with broker.passwordEnv");
        }
        for (Map.Entry<String, Value> e : values.entrySet()) {
            if (KEYS.get(e.getKey()) == Kind.FILE) {
                Path p = path(e.getKey());
                if (!Files.isRegularFile(p)) {
                    throw error(e.getKey(), (Files.exists(p) ? "not a regular file: " : "no such file: ") + p);
                }
            }
        }
        if (has("plans.signingKey")) {
            if (has("plans.unsigned") && bool("plans.unsigned")) {
                throw error("plans.unsigned", "give either plans.signingKey or plans.unsigned: true, not both");
            }
            try {
                org.greenwave.adapters.mqtt.SigningKeys.readPrivate(path("plans.signingKey"));
            } catch (IOException e) {
                throw error("plans.signingKey", e.getMessage());
            }
        }
    }

    private void range(String key, double min, double max) {
        if (has(key)) {
            double v = values.get(key).node.asDouble();
            if (!(v >= min && v <= max)) {
                throw error(key, "must be in " + fmt(min) + ".." + fmt(max) + ", was " + values.get(key).node);
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Warnings the file drew (each "FILE:LINE:COLUMN: KEY: ..."), in file order. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String text(String key) {
        return values.get(key).node.asText();
    }

    int integer(String key) {
        return values.get(key).node.asInt();
    }

    double number(String key) {
        return values.get(key).node.asDouble();
    }

    boolean bool(String key) {
        return values.get(key).node.asBoolean();
    }

    List<String> list(String key) {
        List<String> out = new ArrayList<>();
        values.get(key).node.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A path key, resolved against the configuration file's folder. */
    Path path(String key) {
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(text(key)).normalize();
    }

    private String where(Value v) {
        return file + ":" + v.line + ":" + v.column;
    }

    private IllegalArgumentException error(String key, String what) {
        return error(values.get(key), key, what);
    }

    private IllegalArgumentException error(Value v, String key, String what) {
        return new IllegalArgumentException(where(v) + ": " + key + ": " + what);
    }

    private IllegalArgumentException error(JsonLocation at, String key, String what) {
        return new IllegalArgumentException(file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + key + ": "
                + what);
    }

    /**
     * Sets every option of {@code serve} the command line left out from the file.
     *
     * @param given whether an option (by any of its names) was given on the command line
     */
    void applyTo(ServeCommand c, java.util.function.Predicate<String> given, PrintWriter err) {
        for (String w : warnings) {
            err.println("greenwave: warning: " + w);
        }
        err.flush();
        if (!given.test("--scenario") && !given.test("--network")) {
            c.scenario = has("scenario") ? path("scenario") : c.scenario;
            c.network = has("network") ? path("network") : c.network;
        }
        if (has("engineId") && !given.test("--engine-id")) {
            c.engineId = text("engineId");
        }
        if (has("signals") && !given.test("--tls")) {
            c.tls = list("signals");
        }
        if (has("controller") && !given.test("--controller")) {
            c.controller = text("controller");
        }
        if (has("tickS") && !given.test("--tick-s")) {
            c.tickS = number("tickS");
        }
        if (has("shards") && !given.test("--shards")) {
            c.shards = integer("shards");
        }
        if (has("statusEveryS") && !given.test("--status-every")) {
            c.statusEveryS = integer("statusEveryS");
        }
        if (has("queueModel") && !given.test("--queue-model")) {
            c.queueModel.file = path("queueModel");
        }
        if (!given.test("--broker") && !given.test("--listen")) {
            c.broker = has("broker.url") ? text("broker.url") : c.broker;
            c.listen = has("broker.listen") ? text("broker.listen") : c.listen;
        }
        if (has("runForS") && !given.test("--run-for")) {
            c.runForS = integer("runForS");
        }
        if (c.broker == null) {
            // The embedded broker's settings; a --broker on the command line leaves them unused.
            if (has("broker.listenPasswords") && !given.test("--listen-passwords")) {
                c.listenPasswords = path("broker.listenPasswords");
            }
            if (has("broker.listenAcl") && !given.test("--listen-acl")) {
                c.listenAcl = path("broker.listenAcl");
            }
            if (has("broker.allowAnonymous") && !given.test("--allow-anonymous")) {
                c.allowAnonymous = bool("broker.allowAnonymous");
            }
            if (has("broker.listenMaxPacket") && !given.test("--listen-max-packet")) {
                c.listenMaxPacket = integer("broker.listenMaxPacket");
            }
            if (!given.test("--listen-cert") && !given.test("--listen-key") && has("broker.listenTls.cert")) {
                c.listenCert = path("broker.listenTls.cert");
                c.listenKey = path("broker.listenTls.key");
            }
            if (has("broker.listenTls.clientCa") && !given.test("--listen-client-ca")) {
                c.listenClientCa = path("broker.listenTls.clientCa");
            }
        }
        if (has("broker.username") && !given.test("--broker-username")) {
            c.brokerUsername = text("broker.username");
        }
        if (!given.test("--broker-password-file") && !given.test("--broker-password-env")) {
            c.brokerPasswordFile = has("broker.passwordFile") ? path("broker.passwordFile") : c.brokerPasswordFile;
            c.brokerPasswordEnv = has("broker.passwordEnv") ? text("broker.passwordEnv") : c.brokerPasswordEnv;
        }
        if (has("broker.tls.ca") && !given.test("--broker-ca")) {
            c.brokerCa = path("broker.tls.ca");
        }
        if (!given.test("--broker-cert") && !given.test("--broker-key") && has("broker.tls.cert")) {
            c.brokerCert = path("broker.tls.cert");
            c.brokerKey = path("broker.tls.key");
        }
        if (!given.test("--plan-key") && !given.test("--unsigned-plans")) {
            c.planKey = has("plans.signingKey") ? path("plans.signingKey") : c.planKey;
            c.unsignedPlans = has("plans.unsigned") ? bool("plans.unsigned") : c.unsignedPlans;
        }
        if (has("dashboard.enabled") && !given.test("--no-dashboard")) {
            c.noDashboard = !bool("dashboard.enabled");
        }
        DashboardAccess a = c.access;
        if (has("dashboard.port") && !given.test("--port")) {
            a.port = integer("dashboard.port");
        }
        if (has("dashboard.bind") && !given.test("--bind")) {
            a.bind = text("dashboard.bind");
        }
        if (has("dashboard.hosts") && !given.test("--dashboard-host")) {
            a.hostNames = list("dashboard.hosts");
        }
        if (has("dashboard.users") && !given.test("--users")) {
            a.users = path("dashboard.users");
        }
        if (has("dashboard.auditLog") && !given.test("--audit-log")) {
            a.auditLog = path("dashboard.auditLog");
        }
        if (has("dashboard.metricsTokenFile") && !given.test("--metrics-token-file")) {
            a.metricsTokenFile = path("dashboard.metricsTokenFile");
        }
        boolean tlsGiven = given.test("--tls-cert") || given.test("--tls-key") || given.test("--tls-keystore");
        if (!tlsGiven) {
            a.tlsCert = has("dashboard.tls.cert") ? path("dashboard.tls.cert") : a.tlsCert;
            a.tlsKey = has("dashboard.tls.key") ? path("dashboard.tls.key") : a.tlsKey;
            a.tlsKeystore = has("dashboard.tls.keystore") ? path("dashboard.tls.keystore") : a.tlsKeystore;
            if (!given.test("--tls-keystore-password-file") && !given.test("--tls-keystore-password-env")) {
                a.tlsKeystorePasswordFile = has("dashboard.tls.keystorePasswordFile")
                        ? path("dashboard.tls.keystorePasswordFile") : a.tlsKeystorePasswordFile;
                a.tlsKeystorePasswordEnv = has("dashboard.tls.keystorePasswordEnv")
                        ? text("dashboard.tls.keystorePasswordEnv") : a.tlsKeystorePasswordEnv;
            }
        }
    }

    /**
     * The broker password from a file (its first line) or an environment variable; null when neither is named.
     *
     * @throws CommandLine.ParameterException naming the option, file or variable when it cannot be had
     */
    static char[] password(CommandLine cl, Path file, String envVar, UnaryOperator<String> env, PrintWriter err) {
        if (file != null && envVar != null) {
            throw new CommandLine.ParameterException(cl, "give either --broker-password-file or "
                    + "--broker-password-env, not both");
        }
        try {
            if (file != null) {
                return Secrets.firstLine("password file", file, err).toCharArray();
            }
            if (envVar != null) {
                return Secrets.environment("--broker-password-env", envVar, env).toCharArray();
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        return null;
    }
}
