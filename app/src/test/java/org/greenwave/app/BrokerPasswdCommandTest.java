package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.greenwave.adapters.mqtt.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BrokerPasswdCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void addsChangesAndRemovesUsersInAnOwnerOnlyFileThatVerifies() throws Exception {
        Path file = dir.resolve("passwords");
        Path secret = dir.resolve("pw");
        Files.writeString(secret, "first-pw\n");
        assertThat(Main.execute("broker-passwd", "--broker-password-file", secret.toString(), "--iterations", "1000",
                file.toString(), "J1")).as(console.err()).isZero();
        assertThat(console.out()).contains("Added J1 to " + file);
        Files.writeString(secret, "other-pw\n");
        assertThat(Main.execute("broker-passwd", "--broker-password-file", secret.toString(), "--iterations", "1000",
                file.toString(), "J2")).isZero();
        Files.writeString(secret, "second-pw\n");
        assertThat(Main.execute("broker-passwd", "--broker-password-file", secret.toString(), "--iterations", "1000",
                file.toString(), "J1")).isZero();
        assertThat(console.out()).contains("Changed the password of J1 in " + file);

        PasswordFile p = PasswordFile.read(file);
        assertThat(p.users()).containsExactlyInAnyOrder("J1", "J2");
        assertThat(p.verify("J1", utf8("second-pw"))).isTrue();
        assertThat(p.verify("J1", utf8("first-pw"))).isFalse();
        assertThat(p.verify("J2", utf8("other-pw"))).isTrue();
        assertThat(Files.readString(file)).doesNotContain("first-pw").doesNotContain("second-pw")
                .doesNotContain("other-pw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        assertThat(Main.execute("broker-passwd", "--delete", file.toString(), "J2")).isZero();
        assertThat(PasswordFile.read(file).users()).containsExactly("J1");
        assertThat(Main.execute("broker-passwd", "--delete", file.toString(), "J2")).isEqualTo(2);
        assertThat(console.err()).contains("has no user 'J2'");
    }

    @Test
    void aBrokenFileIsNamedAndLeftAlone() throws Exception {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "old:$6$abc$def\n");
        assertThat(Main.execute("broker-passwd", "--broker-password-env", "GREENWAVE_TEST_UNSET_VAR", file.toString(),
                "J1")).isEqualTo(2);
        assertThat(console.err()).contains("password file " + file + " line 1").contains("$6$");
        assertThat(Files.readString(file)).isEqualTo("old:$6$abc$def\n");
    }
}
