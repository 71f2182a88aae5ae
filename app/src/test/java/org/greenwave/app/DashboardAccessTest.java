package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.greenwave.app.dashboard.PasswordHash;
import org.greenwave.app.dashboard.Role;
import org.greenwave.app.dashboard.Users;
import org.greenwave.core.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The dashboard's access options as serve parses them: each mistake named by its option. */
class DashboardAccessTest {
    @TempDir
    Path dir;

    private DashboardAccess parse(CommandLine[] cl, String... args) {
        ServeCommand serve = new ServeCommand();
        cl[0] = new CommandLine(serve);
        cl[0].parseArgs(args);
        return serve.access;
    }

    private void refused(String message, String... args) {
        CommandLine[] cl = new CommandLine[1];
        DashboardAccess a = parse(cl, args);
        assertThatThrownBy(() -> a.serverOptions(cl[0], AuditLog.inMemory(() -> 0),
                Map.of("SET", "pw")::get)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(message);
    }

    @Test
    void mistakesAreNamedByTheirOption() throws Exception {
        Path empty = dir.resolve("empty-users");
        Files.writeString(empty, "# nobody yet\n");
        Path token = dir.resolve("token");
        Files.writeString(token, "short\n");
        refused("--tls-cert and --tls-key go together", "--tls-cert", "c.pem");
        refused("either --tls-keystore or --tls-cert", "--tls-keystore", "k.p12", "--tls-cert", "c.pem", "--tls-key",
                "k.pem");
        refused("--tls-keystore needs its password", "--tls-keystore", "k.p12");
        refused("environment variable UNSET (named by --tls-keystore-password-env) is not set", "--tls-keystore",
                "k.p12", "--tls-keystore-password-env", "UNSET");
        refused("are for --tls-keystore", "--tls-keystore-password-env", "SET");
        refused("holds no users", "--users", empty.toString());
        refused("no such file", "--users", dir.resolve("none").toString());
        refused("the token must be 16 characters or more, was 5", "--metrics-token-file", token.toString());
    }

    @Test
    void serveAndTheWatchedRunsShareThePortAndAddressAndTheirCheck() {
        CommandLine[] cl = new CommandLine[1];
        DashboardAccess a = parse(cl, "--port", "70000", "--bind", "0.0.0.0");
        assertThat(a.bind).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> a.check(cl[0])).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--port must be 0..65535, was 70000");
        SimulateCommand simulate = new SimulateCommand();
        CommandLine scl = new CommandLine(simulate);
        scl.parseArgs("--scenario", "x.sumocfg", "--dashboard", "--port", "70000");
        assertThatThrownBy(() -> simulate.dashboardOptions.check(scl, null))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessage("--port must be 0..65535, was 70000");
        assertThat(new DashboardAccess().port).isEqualTo(8080);
        assertThat(new DashboardAccess().bind).isEqualTo("127.0.0.1");
    }

    @Test
    void secretFilesAreCheckedAsTheBrokerPasswordIs() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "a-token-of-20-chars!\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        CommandLine[] cl = new CommandLine[1];
        DashboardAccess a = parse(cl, "--metrics-token-file", token.toString());
        java.io.StringWriter err = new java.io.StringWriter();
        cl[0].setErr(new java.io.PrintWriter(err, true));
        assertThat(a.serverOptions(cl[0], AuditLog.inMemory(() -> 0), k -> null)).isNotNull();
        assertThat(err.toString()).contains("greenwave: warning: --metrics-token-file " + token
                + " can be read by other users (chmod 600 it)");
        Path none = dir.resolve("none");
        refused("--tls-keystore-password-file " + none + ": cannot be read (no such file)", "--tls-keystore", "k.p12",
                "--tls-keystore-password-file", none.toString());
        Path blank = dir.resolve("blank");
        Files.writeString(blank, "  \n");
        refused("--metrics-token-file " + blank + ": its first line is empty", "--metrics-token-file",
                blank.toString());
    }

    @Test
    void validOptionsMakeTheServersOptions() throws Exception {
        Path users = dir.resolve("users");
        Users.add(users, "olga", Role.OPERATOR, PasswordHash.hash("olga's password".toCharArray()), false);
        Path token = dir.resolve("token");
        Files.writeString(token, "a-token-of-20-chars!\n");
        CommandLine[] cl = new CommandLine[1];
        DashboardAccess a = parse(cl, "--users", users.toString(), "--metrics-token-file", token.toString(),
                "--dashboard-host", "dash.city.example,dash", "--audit-log", dir.resolve("a.jsonl").toString());
        assertThat(a.serverOptions(cl[0], AuditLog.inMemory(() -> 0), k -> null)).isNotNull();
        assertThat(a.hostNames).containsExactly("dash.city.example", "dash");
        try (AuditLog log = a.openAudit(null)) {
            assertThat(log.file()).isEqualTo(dir.resolve("a.jsonl"));
        }
    }
}
