package org.greenwave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.greenwave.app.dashboard.DashboardServer;
import org.greenwave.app.dashboard.DashboardTls;
import org.greenwave.app.dashboard.Users;
import org.greenwave.core.audit.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Who may use the dashboard and how it is reached: its port and address, users, HTTPS, the names it answers to, the
 * metrics token and the audit log; the same options in every command that serves a dashboard ({@code serve},
 * {@code demo}, watched runs).
 * Secrets (key store password, metrics token) are read from files or the environment, never from the command line.
 */
final class DashboardAccess {
    @Option(names = "--port", paramLabel = "PORT", description = "Dashboard HTTP port (also /metrics). Default: 8080.")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "HOST",
            description = "Address the dashboard listens on. Default: 127.0.0.1 (this machine only).")
    String bind = "127.0.0.1";

    @Option(names = "--users", paramLabel = "FILE",
            description = "Users who may log in to the dashboard, with their roles (viewer, operator, admin); create "
                    + "it with 'greenwave users add'. Without it nobody logs in: on 127.0.0.1 everyone acts as "
                    + "'local' (admin), bound wider everyone may only look.")
    Path users;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve the dashboard over HTTPS with this PEM certificate chain (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert, unencrypted.")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve the dashboard over HTTPS with this PKCS#12 key store (instead of --tls-cert/--tls-key);"
                    + " its password from --tls-keystore-password-file or --tls-keystore-password-env.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "A file whose first line is the --tls-keystore password.")
    Path tlsKeystorePasswordFile;

    @Option(names = "--tls-keystore-password-env", paramLabel = "VAR",
            description = "An environment variable holding the --tls-keystore password.")
    String tlsKeystorePasswordEnv;

    @Option(names = "--dashboard-host", paramLabel = "NAME", split = ",",
            description = "Further names the dashboard is reached by (e.g. its DNS name); requests for any other name "
                    + "are refused, so that a web page cannot rebind its own name to the dashboard's address.")
    List<String> hostNames = new ArrayList<>();

    @Option(names = "--metrics-token-file", paramLabel = "FILE",
            description = "A file holding a token (16 characters or more) that lets a scraper read /metrics with "
                    + "'Authorization: Bearer TOKEN'; otherwise /metrics needs a log-in like the rest.")
    Path metricsTokenFile;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append the audit log (log-ins, operator actions, mode changes, fallbacks) to this file; "
                    + "check it with 'greenwave audit verify FILE'.")
    Path auditLog;

    /** The option names, for commands that refuse them when no dashboard is served. */
    static final List<String> NAMES = List.of("--port", "--bind", "--users", "--tls-cert", "--tls-key", "--tls-keystore",
            "--tls-keystore-password-file", "--tls-keystore-password-env", "--dashboard-host", "--metrics-token-file",
            "--audit-log");

    /**
     * Fails with a usage error naming the option when a value is out of range, before anything starts.
     *
     * @throws CommandLine.ParameterException naming the option
     */
    void check(CommandLine cl) {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(cl, "--port must be 0..65535, was " + port);
        }
    }

    /**
     * The server's options from these.
     *
     * @throws CommandLine.ParameterException naming the option that is missing, contradictory or unreadable
     */
    DashboardServer.Options serverOptions(CommandLine cl, AuditLog audit, UnaryOperator<String> env) {
        DashboardServer.Options o = new DashboardServer.Options().bind(bind, port).audit(audit).hostNames(hostNames);
        try {
            if (users != null) {
                Users u = Users.read(users);
                if (u.size() == 0) {
                    throw new IllegalArgumentException("users file " + users + " holds no users; add one with "
                            + "'greenwave users add --file " + users + " NAME --role operator'");
                }
                String w = u.permissionWarning();
                if (w != null) {
                    cl.getErr().println("greenwave: warning: " + w);
                    cl.getErr().flush();
                }
                o.users(u);
            }
            o.tls(tls(env, cl.getErr()));
            if (metricsTokenFile != null) {
                String token = Secrets.firstLine("--metrics-token-file", metricsTokenFile, cl.getErr()).strip();
                if (token.length() < 16) {
                    throw new IllegalArgumentException("--metrics-token-file " + metricsTokenFile + ": the token must "
                            + "be 16 characters or more, was " + token.length());
                }
                o.metricsToken(token);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        return o;
    }

    private DashboardTls tls(UnaryOperator<String> env, PrintWriter err) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together (the certificate and its key)");
        }
        if (tlsKeystore != null && tlsCert != null) {
            throw new IllegalArgumentException("give either --tls-keystore or --tls-cert/--tls-key, not both");
        }
        if (tlsKeystore == null && (tlsKeystorePasswordFile != null || tlsKeystorePasswordEnv != null)) {
            throw new IllegalArgumentException("--tls-keystore-password-file and --tls-keystore-password-env are "
                    + "for --tls-keystore");
        }
        if (tlsCert != null) {
            return DashboardTls.pem(tlsCert, tlsKey);
        }
        if (tlsKeystore == null) {
            return null;
        }
        if ((tlsKeystorePasswordFile == null) == (tlsKeystorePasswordEnv == null)) {
            throw new IllegalArgumentException("--tls-keystore needs its password from either "
                    + "--tls-keystore-password-file or --tls-keystore-password-env");
        }
        String password = tlsKeystorePasswordFile != null
                ? Secrets.firstLine("--tls-keystore-password-file", tlsKeystorePasswordFile, err).strip()
                : Secrets.environment("--tls-keystore-password-env", tlsKeystorePasswordEnv, env);
        return DashboardTls.pkcs12(tlsKeystore, password.toCharArray());
    }

    /**
     * The audit log: {@code --audit-log FILE}, else {@code fallback} (null: kept in memory only).
     *
     * @throws IOException naming the file when it is broken, in use or cannot be created
     */
    AuditLog openAudit(Path fallback) throws IOException {
        Path f = auditLog != null ? auditLog : fallback;
        return f == null ? AuditLog.inMemory(System::currentTimeMillis) : AuditLog.open(f, System::currentTimeMillis);
    }

    /** Prints the server's warnings (exposure, no log-in) to standard error. */
    static void printWarnings(DashboardServer server, PrintWriter err) {
        for (String w : server.warnings()) {
            err.println(w);
        }
        err.flush();
    }
}
