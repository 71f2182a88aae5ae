package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
    @TempDir
    Path dir;

    @Test
    void addReplaceAndRemoveKeepThePrivateFileValid() throws Exception {
        Path f = dir.resolve("users");
        assertThat(Users.add(f, "olga", Role.OPERATOR, PasswordHash.hash("o-pw".toCharArray()), false)).isTrue();
        assertThat(Users.add(f, "vic", Role.VIEWER, PasswordHash.hash("v-pw".toCharArray()), false)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        Users users = Users.read(f);
        assertThat(users.permissionWarning()).isNull();
        assertThat(users.find("olga").role()).isEqualTo(Role.OPERATOR);
        assertThat(users.find("olga").hash().matches("o-pw".toCharArray())).isTrue();
        assertThat(users.find("nobody")).isNull();

        assertThatThrownBy(() -> Users.add(f, "olga", Role.ADMIN, PasswordHash.hash("x".toCharArray()), false))
                .hasMessageContaining("already in").hasMessageContaining("--replace");
        assertThat(Users.add(f, "olga", Role.ADMIN, PasswordHash.hash("new".toCharArray()), true)).isFalse();
        Users again = Users.read(f);
        assertThat(again.find("olga").role()).isEqualTo(Role.ADMIN);
        assertThat(again.find("olga").hash().matches("new".toCharArray())).isTrue();
        assertThat(again.size()).isEqualTo(2);
        assertThat(Files.readString(f)).doesNotContain("o-pw").doesNotContain("new");

        assertThat(Users.remove(f, "vic")).isTrue();
        assertThat(Users.remove(f, "vic")).isFalse();
        assertThat(Users.read(f).list()).extracting(Users.User::name).containsExactly("olga");
    }

    @Test
    void errorsNameFileAndLine() throws Exception {
        Path f = dir.resolve("users");
        String good = "olga:operator:" + PasswordHash.hash("pw".toCharArray());
        Files.writeString(f, "# comment\n\n" + good + "\nvic:superuser:" + PasswordHash.hash("x".toCharArray()) + "\n");
        assertThatThrownBy(() -> Users.read(f)).hasMessage(f + ":4: user 'vic': unknown role 'superuser'; roles are "
                + "viewer, operator, admin");
        Files.writeString(f, good + "\n" + good + "\n");
        assertThatThrownBy(() -> Users.read(f)).hasMessageStartingWith(f + ":2: user 'olga' given twice");
        Files.writeString(f, "olga:operator:secret\n");
        assertThatThrownBy(() -> Users.read(f)).hasMessageStartingWith(f + ":1: user 'olga': not an Argon2id hash")
                .hasMessageNotContaining("secret");
        Files.writeString(f, "olga operator\n");
        assertThatThrownBy(() -> Users.read(f)).hasMessageStartingWith(f + ":1: expected NAME:ROLE:HASH");
        assertThatThrownBy(() -> Users.read(dir.resolve("none"))).hasMessageContaining("no such file")
                .hasMessageContaining("greenwave users add");
        assertThatThrownBy(() -> Users.add(f, "bad name", Role.VIEWER, "x", false)).hasMessageContaining("bad name");
    }

    @Test
    void aReadableFileDrawsAWarningAndChangesAreReadAgain() throws Exception {
        Path f = dir.resolve("users");
        Users.add(f, "olga", Role.OPERATOR, PasswordHash.hash("pw".toCharArray()), false);
        Users users = Users.read(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(users.permissionWarning()).contains("chmod 600");
        Users.add(f, "olga", Role.VIEWER, PasswordHash.hash("pw".toCharArray()), true);
        Thread.sleep(1100);
        assertThat(users.find("olga").role()).isEqualTo(Role.VIEWER);
        Files.writeString(f, "garbage\n");
        Thread.sleep(1100);
        assertThat(users.find("olga")).as("an invalid file keeps the users read before").isNotNull();
    }
}
