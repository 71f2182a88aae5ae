/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs the engine's JSON payloads (plans, health) with its Ed25519 key. A signed payload is the unsigned JSON object
 * with two members appended, always last and in this order:
 *
 * <pre>
 * {...,"kid":"3f9a0c2e71b4d856","sig":"&lt;86 characters&gt;"}
 * </pre>
 *
 * {@code kid} names the key ({@link SigningKeys#keyId}); {@code sig} is the Ed25519 signature, Base64url without
 * padding, of every byte of the payload before {@code ,"sig":"} (so the key id is signed too). See {@link
 * TrustedKeys#check} for the receiving side.
 *
 * <p>Signatures are computed with Bouncy Castle's RFC 8032 implementation: Ed25519 is deterministic, so they are the
 * very bytes the JDK's {@code Signature} gives, at about a tenth of its cost (a plan is signed every control period
 * for every intersection).
 *
 * <p>Thread-safe: any number of threads may sign at once.
 */
public final class MessageSigner {

    static final byte[] KID = ",\"kid\":\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SIG = "\",\"sig\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Length of a key id, hex digits. */
    static final int KID_CHARS = 16;
    /** Length of an Ed25519 signature (64 bytes) in Base64url without padding. */
    static final int SIG_CHARS = 86;
    /** Bytes a signature adds after the object's closing brace is removed: kid and sig members and the brace. */
    static final int TAIL = KID.length + KID_CHARS + SIG.length + SIG_CHARS + 2;

    private final byte[] secretKey;
    private final byte[] publicKey;
    private final String keyId;
    private final byte[] kidBytes;

    public MessageSigner(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        PublicKey pub = SigningKeys.publicOf(key);
        this.secretKey = SigningKeys.rawPrivate(key);
        this.publicKey = SigningKeys.rawPublic(pub);
        this.keyId = SigningKeys.keyId(pub);
        this.kidBytes = keyId.getBytes(StandardCharsets.US_ASCII);
    }

    /** The signer of the private key in {@code file} (see {@link SigningKeys#readPrivate}). */
    public static MessageSigner read(Path file) throws IOException {
        return new MessageSigner(SigningKeys.readPrivate(file));
    }

    /** The id of this signer's key, as messages carry it. */
    public String keyId() {
        return keyId;
    }

    /** Signs {@code json[0, length)}, a JSON object with at least one member and without {@code kid} or {@code sig}; returns the signed payload. */
    public byte[] sign(byte[] json, int length) {
        if (length < 3 || json[0] != '{' || json[length - 1] != '}' || json[length - 2] == '{') {
            throw new IllegalArgumentException("not a JSON object with members");
        }
        int body = length - 1;
        byte[] out = Arrays.copyOf(json, body + TAIL);
        int p = body;
        System.arraycopy(KID, 0, out, p, KID.length);
        p += KID.length;
        System.arraycopy(kidBytes, 0, out, p, KID_CHARS);
        p += KID_CHARS;
        int signedLength = p + 1; // up to and including the closing quote of the key id
        System.arraycopy(SIG, 0, out, p, SIG.length);
        p += SIG.length;
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secretKey, 0, publicKey, 0, out, 0, signedLength, sig, 0);
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode(sig);
        System.arraycopy(text, 0, out, p, SIG_CHARS);
        p += SIG_CHARS;
        out[p++] = '"';
        out[p++] = '}';
        return out;
    }

    /** Signs a whole array. */
    public byte[] sign(byte[] json) {
        return sign(json, json.length);
    }
}
