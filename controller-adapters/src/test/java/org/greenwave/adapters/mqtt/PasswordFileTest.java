/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    /** Written by {@code mosquitto_passwd -b -c file dev1 secret} (Mosquitto 2.0.11). */
    private static final String MOSQUITTO_LINE = "dev1:$7$101$H6lOkKPceX89OC7n$aQ/fk1zJpzq+8qCb7LKibwKqC9eMRkmE9JFPwBasEol"
            + "mbcXCG73YG0iFF3BmP7MClDExW7DF8fyN2sjRne3vuQ==";

    @TempDir
    Path dir;

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private PasswordFile file(String... lines) throws Exception {
        Path f = dir.resolve("passwords");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return PasswordFile.read(f);
    }

    @Test
    void verifiesAHashMosquittoPasswdWroteAndReportsItsFewIterations() throws Exception {
        PasswordFile p = file("# field devices", "", MOSQUITTO_LINE);
        assertThat(p.users()).containsExactly("dev1");
        assertThat(p.verify("dev1", utf8("secret"))).isTrue();
        assertThat(p.verify("dev1", utf8("Secret"))).isFalse();
        assertThat(p.verify("dev2", utf8("secret"))).isFalse();
        assertThat(p.verify("dev1", null)).isFalse();
        assertThat(p.verify(null, utf8("secret"))).isFalse();
        assertThat(p.weakUsers()).containsExactly("dev1");
    }

    @Test
    void entriesItWritesVerifyWithTheirPasswordOnly() throws Exception {
        String line = PasswordFile.entry("A0", "zebra-Ö-42".toCharArray(), 1000);
        assertThat(line).startsWith("A0:$7$1000$");
        assertThat(PasswordFile.entry("A0", "zebra-Ö-42".toCharArray(), 1000)).as("a fresh salt each time")
                .isNotEqualTo(line);
        PasswordFile p = file(line, PasswordFile.entry("B1", "other".toCharArray(), PasswordFile.DEFAULT_ITERATIONS));
        assertThat(p.verify("A0", utf8("zebra-Ö-42"))).isTrue();
        assertThat(p.verify("A0", utf8("other"))).isFalse();
        assertThat(p.verify("B1", utf8("other"))).isTrue();
        assertThat(p.verify("A0", ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xfe}))).isFalse();
        assertThat(p.weakUsers()).containsExactly("A0");
        assertThatThrownBy(() -> PasswordFile.entry("a:b", "x".toCharArray(), 1000)).hasMessageContaining("':'");
        assertThatThrownBy(() -> PasswordFile.entry("a", new char[0], 1000)).hasMessageContaining("empty");
    }

    @Test
    void weakOrBrokenLinesAreRefusedNamingFileAndLine() throws Exception {
        Path f = dir.resolve("passwords");
        assertThatThrownBy(() -> file("# ok", "old:$6$c2FsdA==$aGFzaA=="))
                .hasMessageContaining("password file " + f + " line 2").hasMessageContaining("$6$");
        assertThatThrownBy(() -> file("plain:secret")).hasMessageContaining("line 1")
                .hasMessageContaining("plain-text");
        assertThatThrownBy(() -> file("nocolon")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> file(MOSQUITTO_LINE, MOSQUITTO_LINE)).hasMessageContaining("line 2")
                .hasMessageContaining("second time");
        assertThatThrownBy(() -> file("x:$7$abc$c2FsdHNhbHQ=$aGFzaA==")).hasMessageContaining("iterations 'abc'");
        assertThatThrownBy(() -> file("x:$7$10$c2FsdHNhbHQ=$aGFzaA==")).hasMessageContaining("64-byte hash");
        assertThatThrownBy(() -> PasswordFile.read(dir.resolve("missing"))).hasMessageContaining("cannot be read");
    }
}
