package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void aHashMatchesItsPasswordOnlyAndCarriesItsSaltAndParameters() {
        String h = PasswordHash.hash("correct horse".toCharArray());
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        PasswordHash parsed = PasswordHash.parse(h);
        assertThat(parsed.matches("correct horse".toCharArray())).isTrue();
        assertThat(parsed.matches("correct horsf".toCharArray())).isFalse();
        assertThat(parsed.matches("".toCharArray())).isFalse();
        assertThat(parsed.toString()).isEqualTo(h);
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        String a = PasswordHash.hash("pw".toCharArray());
        String b = PasswordHash.hash("pw".toCharArray());
        assertThat(a).isNotEqualTo(b);
        assertThat(PasswordHash.parse(b).matches("pw".toCharArray())).isTrue();
    }

    @Test
    void malformedOrDangerousHashesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> PasswordHash.parse("plaintext-password")).hasMessageContaining("not an Argon2id hash")
                .hasMessageNotContaining("plaintext-password");
        assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=19$m=4000000,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + "yb6rF5iFB04AqiPCkIl2vkdl0CGm7uFSUbHXDPkAfQo")).hasMessageContaining("outside");
        assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + "yb6rF5iFB04AqiPCkIl2vkdl0CGm7uFSUbHXDPkAfQo")).hasMessageContaining("outside");
        assertThatThrownBy(() -> PasswordHash.parse("$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                + "yb6rF5iFB04AqiPCkIl2vkdl0CGm7uFSUbHXDPkAfQo")).hasMessageContaining("not an Argon2id hash");
    }
}
