package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.greenwave.adapters.mqtt.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code greenwave keys generate}, and serve's signing key options. */
class KeysCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    void generatesAnOwnerOnlyPrivateKeyAndItsPublicKeyAndNeverOverwrites() throws Exception {
        Path out = dir.resolve("keys");
        assertThat(Main.execute("keys", "generate", "--out", out.toString())).as(console.err()).isZero();
        Path priv = out.resolve("plan-signing.key");
        Path pub = out.resolve("plan-signing.pub");
        String id = SigningKeys.keyId(SigningKeys.readPublic(pub));
        assertThat(console.out()).contains("Key " + id + " written:").contains(priv + "  private: serve --plan-key")
                .contains(pub + "  public: copy it to every field controller");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");

        byte[] before = Files.readAllBytes(priv);
        console.resetOut();
        assertThat(Main.execute("keys", "generate", "--out", out.toString())).isEqualTo(1);
        assertThat(console.err()).contains("greenwave: " + priv + ": a key file is there already")
                .contains("never overwritten");
        assertThat(Files.readAllBytes(priv)).isEqualTo(before);

        assertThat(Main.execute("keys", "generate")).isEqualTo(2);
        assertThat(console.err()).contains("--out");
        assertThat(Main.execute("keys")).isEqualTo(2);
        assertThat(console.err()).contains("name a keys command: generate");
    }

    @Test
    void serveWantsASigningKeyOrAnExplicitUnsignedTrial() throws Exception {
        assertThat(Main.execute("serve", "--network", "x.net.xml")).isEqualTo(2);
        assertThat(console.err()).contains("give --plan-key FILE").contains("greenwave keys generate --out DIR")
                .contains("--unsigned-plans");

        console.resetErr();
        Path notAKey = dir.resolve("not-a.key");
        Files.writeString(notAKey, "hello\n");
        assertThat(Main.execute("serve", "--network", "x.net.xml", "--plan-key", notAKey.toString())).isEqualTo(2);
        assertThat(console.err()).contains("--plan-key " + notAKey + ": no '-----BEGIN PRIVATE KEY-----'");

        console.resetErr();
        assertThat(Main.execute("serve", "--network", "x.net.xml", "--plan-key", notAKey.toString(),
                "--unsigned-plans")).isEqualTo(2);
        assertThat(console.err()).contains("either --plan-key FILE or --unsigned-plans, not both");
    }
}
