package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.greenwave.adapters.mqtt.TrustedKeys.Check;
import org.junit.jupiter.api.Test;

class MessageSignerTest {
    private static final KeyPair ENGINE = SigningKeys.newKeyPair();
    private static final KeyPair NEXT = SigningKeys.newKeyPair();
    private static final KeyPair STRANGER = SigningKeys.newKeyPair();
    private static final byte[] PLAN = ("{\"v\":1,\"seq\":7,\"issuedAtMs\":1000,\"expiresAtMs\":4000,"
            + "\"deviceProgram\":null,\"entries\":[{\"state\":\"GGrr\",\"durationMs\":3000}]}")
            .getBytes(StandardCharsets.UTF_8);

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aSignedPayloadIsTheSameJsonWithKeyIdAndSignatureLast() throws Exception {
        MessageSigner signer = new MessageSigner(ENGINE.getPrivate());
        byte[] signed = signer.sign(PLAN);
        JsonNode n = new ObjectMapper().readTree(signed);
        assertThat(n.get("kid").asText()).isEqualTo(signer.keyId()).isEqualTo(SigningKeys.keyId(ENGINE.getPublic()));
        assertThat(n.get("sig").asText()).hasSize(86).matches("[A-Za-z0-9_-]+");
        assertThat(text(signed)).startsWith(text(PLAN).substring(0, PLAN.length - 1) + ",\"kid\":\"");
        assertThat(new TrustedKeys(List.of(ENGINE.getPublic())).check(signed)).isEqualTo(Check.SIGNED);
        // The plan decoder reads a signed plan.
        assertThat(PlanDecoder.decode("x", signed).isOk()).isTrue();
    }

    @Test
    void unsignedForgedAndForeignPayloadsAreToldApart() {
        TrustedKeys trusted = new TrustedKeys(List.of(ENGINE.getPublic()));
        byte[] signed = new MessageSigner(ENGINE.getPrivate()).sign(PLAN);
        assertThat(trusted.check(PLAN)).isEqualTo(Check.UNSIGNED);
        assertThat(trusted.check("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(Check.UNSIGNED);
        assertThat(trusted.check(new byte[0])).isEqualTo(Check.UNSIGNED);
        // One digit of the plan changed: the signature no longer matches.
        byte[] altered = text(signed).replace("\"seq\":7", "\"seq\":9").getBytes(StandardCharsets.UTF_8);
        assertThat(trusted.check(altered)).isEqualTo(Check.FORGED);
        // A made-up signature under the engine's key id.
        String s = text(signed);
        int sig = s.indexOf(",\"sig\":\"") + 8;
        String madeUp = s.substring(0, sig) + "A".repeat(86) + "\"}";
        assertThat(trusted.check(madeUp.getBytes(StandardCharsets.UTF_8))).isEqualTo(Check.FORGED);
        // Not Base64url, and a signature of the wrong length.
        assertThat(trusted.check((s.substring(0, sig) + "!".repeat(86) + "\"}").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Check.FORGED);
        assertThat(trusted.check((s.substring(0, sig) + "AAAA\"}").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Check.FORGED);
        // Signed properly, by a key the receiver does not trust.
        assertThat(trusted.check(new MessageSigner(STRANGER.getPrivate()).sign(PLAN))).isEqualTo(Check.UNKNOWN_KEY);
        // The stranger's signature under the engine's key id.
        String foreign = text(new MessageSigner(STRANGER.getPrivate()).sign(PLAN));
        String engineKid = SigningKeys.keyId(ENGINE.getPublic());
        String strangerKid = SigningKeys.keyId(STRANGER.getPublic());
        assertThat(trusted.check(foreign.replace(strangerKid, engineKid).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Check.FORGED);
        // Bytes appended after a good signature.
        assertThat(trusted.check((s + " ").getBytes(StandardCharsets.UTF_8))).isEqualTo(Check.FORGED);
    }

    @Test
    void signaturesAreTheJdksEd25519SignaturesAndEitherSideReadsTheOthers() throws Exception {
        MessageSigner signer = new MessageSigner(ENGINE.getPrivate());
        TrustedKeys trusted = new TrustedKeys(List.of(ENGINE.getPublic()));
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 50; i++) {
            byte[] plan = ("{\"v\":1,\"seq\":" + random.nextInt(1_000_000) + ",\"state\":\""
                    + "Gr".repeat(1 + random.nextInt(40)) + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] signed = signer.sign(plan);
            int sigAt = signed.length - MessageSigner.SIG_CHARS - 2;
            byte[] sig = java.util.Base64.getUrlDecoder().decode(
                    new String(signed, sigAt, MessageSigner.SIG_CHARS, StandardCharsets.US_ASCII));
            // Ed25519 is deterministic: the JDK's signature of the same bytes is the same signature, and verifies.
            java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
            jdk.initSign(ENGINE.getPrivate());
            jdk.update(signed, 0, sigAt - MessageSigner.SIG.length + 1);
            byte[] jdkSig = jdk.sign();
            assertThat(sig).isEqualTo(jdkSig);
            java.security.Signature check = java.security.Signature.getInstance("Ed25519");
            check.initVerify(ENGINE.getPublic());
            check.update(signed, 0, sigAt - MessageSigner.SIG.length + 1);
            assertThat(check.verify(sig)).isTrue();
            // A payload signed by the JDK (an engine of an earlier release) is taken; one bit off is refused.
            assertThat(trusted.check(signed)).isEqualTo(Check.SIGNED);
            byte[] flipped = signed.clone();
            int at = random.nextInt(sigAt - MessageSigner.SIG.length + 1);
            flipped[at] ^= 1 << random.nextInt(7);
            assertThat(trusted.check(flipped)).isIn(Check.FORGED, Check.UNSIGNED, Check.UNKNOWN_KEY);
            if (at < sigAt - MessageSigner.SIG.length - MessageSigner.KID_CHARS - MessageSigner.KID.length) {
                assertThat(trusted.check(flipped)).isEqualTo(Check.FORGED);
            }
        }
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedByName() throws Exception {
        java.security.KeyPair ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrustedKeys(List.of(ec.getPublic())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MessageSigner(ec.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
    }

    @Test
    void duringARotationBothKeysAreTrusted() {
        TrustedKeys both = new TrustedKeys(List.of(ENGINE.getPublic(), NEXT.getPublic()));
        assertThat(both.keyIds()).hasSize(2);
        assertThat(both.check(new MessageSigner(ENGINE.getPrivate()).sign(PLAN))).isEqualTo(Check.SIGNED);
        assertThat(both.check(new MessageSigner(NEXT.getPrivate()).sign(PLAN))).isEqualTo(Check.SIGNED);
        // After the rotation the old key is dropped: its plans are refused.
        TrustedKeys after = new TrustedKeys(List.of(NEXT.getPublic()));
        assertThat(after.check(new MessageSigner(ENGINE.getPrivate()).sign(PLAN))).isEqualTo(Check.UNKNOWN_KEY);
    }

    @Test
    void signsFromManyThreadsAtOnce() throws Exception {
        MessageSigner signer = new MessageSigner(ENGINE.getPrivate());
        TrustedKeys trusted = new TrustedKeys(List.of(ENGINE.getPublic()));
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            int k = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    byte[] p = ("{\"v\":1,\"seq\":" + (k * 1000 + i) + "}").getBytes(StandardCharsets.UTF_8);
                    if (trusted.check(signer.sign(p)) != Check.SIGNED) {
                        bad.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(bad.get()).isZero();
    }
}
