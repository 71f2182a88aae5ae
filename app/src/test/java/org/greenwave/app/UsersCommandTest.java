package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.greenwave.app.dashboard.Role;
import org.greenwave.app.dashboard.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code greenwave users}: the password from standard input, never the command line; the file's lines. */
class UsersCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    @TempDir
    Path dir;
    private final InputStream stdin = System.in;

    @AfterEach
    void restore() {
        System.setIn(stdin);
    }

    private int withInput(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return Main.execute(args);
    }

    @Test
    void addsListsReplacesAndRemovesUsers() throws Exception {
        Path f = dir.resolve("users");
        assertThat(withInput("a long password\n", "users", "add", "--file", f.toString(), "--role", "operator",
                "olga")).as(console.err()).isZero();
        assertThat(console.out()).contains("Added olga (operator) in " + f);
        assertThat(Files.readString(f)).contains("olga:operator:$argon2id$").doesNotContain("a long password");
        assertThat(Users.read(f).find("olga").hash().matches("a long password".toCharArray())).isTrue();

        assertThat(withInput("another password\n", "users", "add", "--file", f.toString(), "--role", "viewer",
                "olga")).isEqualTo(1);
        assertThat(console.err()).contains("already in").contains("--replace");
        assertThat(withInput("another password\n", "users", "add", "--file", f.toString(), "--role", "admin",
                "--replace", "olga")).isZero();
        assertThat(Users.read(f).find("olga").role()).isEqualTo(Role.ADMIN);

        console.resetOut();
        assertThat(Main.execute("users", "list", "--file", f.toString())).isZero();
        assertThat(console.out().strip()).isEqualTo("olga admin");
        assertThat(Main.execute("users", "remove", "--file", f.toString(), "olga")).isZero();
        assertThat(Main.execute("users", "remove", "--file", f.toString(), "olga")).isEqualTo(1);
        assertThat(console.err()).contains("no user 'olga' in " + f);
    }

    @Test
    void refusesShortPasswordsUnknownRolesAndNoPassword() {
        Path f = dir.resolve("users");
        assertThat(withInput("short\n", "users", "add", "--file", f.toString(), "--role", "operator", "olga"))
                .isEqualTo(1);
        assertThat(console.err()).contains("at least " + UsersCommand.MIN_PASSWORD + " characters, had 5");
        assertThat(withInput("a long password\n", "users", "add", "--file", f.toString(), "--role", "root", "olga"))
                .isEqualTo(2);
        assertThat(console.err()).contains("--role: unknown role 'root'");
        assertThat(withInput("", "users", "add", "--file", f.toString(), "--role", "viewer", "olga")).isEqualTo(1);
        assertThat(console.err()).contains("no password on standard input");
        assertThat(f).doesNotExist();
    }
}
