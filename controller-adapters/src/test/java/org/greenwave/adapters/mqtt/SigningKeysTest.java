package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatesAKeyPairWithAnOwnerOnlyPrivateKeyAndNeverOverwrites() throws Exception {
        Path keys = dir.resolve("keys");
        String id = SigningKeys.generate(keys);
        Path priv = keys.resolve(SigningKeys.PRIVATE_FILE);
        Path pub = keys.resolve(SigningKeys.PUBLIC_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(SigningKeys.keyId(SigningKeys.readPublic(pub))).isEqualTo(id).hasSize(16);
        assertThat(MessageSigner.read(priv).keyId()).as("the key id follows from the private key").isEqualTo(id);

        byte[] before = Files.readAllBytes(priv);
        assertThatThrownBy(() -> SigningKeys.generate(keys)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(SigningKeys.PRIVATE_FILE).hasMessageContaining("never overwritten");
        assertThat(Files.readAllBytes(priv)).isEqualTo(before);
        // Only the public key there: still refused, and no private key is written beside it.
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.copy(pub, other.resolve(SigningKeys.PUBLIC_FILE));
        assertThatThrownBy(() -> SigningKeys.generate(other)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(other.resolve(SigningKeys.PRIVATE_FILE)).doesNotExist();
    }

    @Test
    void badKeyFilesAreNamedInTheError() throws Exception {
        Path missing = dir.resolve("none.key");
        assertThatThrownBy(() -> SigningKeys.readPrivate(missing)).hasMessageContaining(missing.toString())
                .hasMessageContaining("no such key file");
        Path text = dir.resolve("text.pub");
        Files.writeString(text, "hello\n");
        assertThatThrownBy(() -> SigningKeys.readPublic(text)).hasMessageContaining(text.toString())
                .hasMessageContaining("BEGIN PUBLIC KEY");
        SigningKeys.generate(dir);
        // A public key where the private one belongs, and a non-Ed25519 key.
        Path swapped = dir.resolve("swapped.key");
        Files.writeString(swapped, Files.readString(dir.resolve(SigningKeys.PUBLIC_FILE)).replace("PUBLIC", "PRIVATE"));
        assertThatThrownBy(() -> SigningKeys.readPrivate(swapped)).hasMessageContaining(swapped.toString())
                .hasMessageContaining("not an Ed25519 private key");
        Path rsa = dir.resolve("rsa.pub");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        Files.writeString(rsa, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                g.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> SigningKeys.readPublic(rsa)).hasMessageContaining("not an Ed25519 public key");
    }

    @Test
    void readsKeysThatOpensslWrites() throws Exception {
        // openssl genpkey -algorithm ed25519 -out k.pem; openssl pkey -in k.pem -pubout -out k.pub
        Path priv = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub");
        Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        Process q = new ProcessBuilder("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString())
                .redirectErrorStream(true).start();
        assertThat(q.waitFor()).isZero();
        MessageSigner signer = MessageSigner.read(priv);
        TrustedKeys trusted = TrustedKeys.read(List.of(pub));
        assertThat(trusted.keyIds()).containsExactly(signer.keyId());
        assertThat(trusted.check(signer.sign("{\"v\":1}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(TrustedKeys.Check.SIGNED);
    }

    @Test
    void publicKeyDerivedFromThePrivateKeyIsThePairsOwn() {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = SigningKeys.newKeyPair();
            assertThat(SigningKeys.publicOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }
}
