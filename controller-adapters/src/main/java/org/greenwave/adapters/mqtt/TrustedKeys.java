/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The engine keys a receiver (a field controller, a health reader) accepts signed payloads from (see {@link
 * MessageSigner} for the format). Several keys may be trusted at once, so a key can be rotated: trust the new key,
 * switch the engine to it, then drop the old one.
 *
 * <p>Signatures are verified with Bouncy Castle's RFC 8032 implementation (see {@link MessageSigner}), each key
 * decoded once.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedKeys {

    /** What {@link #check} found. */
    public enum Check {
        /** Signed by a trusted key. */
        SIGNED,
        /** No {@code kid} and {@code sig} members at the end of the payload. */
        UNSIGNED,
        /** Signed, or claiming to be, by a key that is not trusted. */
        UNKNOWN_KEY,
        /** The signature does not match the payload under the key it names, or is not a signature at all. */
        FORGED
    }

    /** Each trusted key by its id, decoded once into the point verification works on. */
    private final Map<String, Ed25519.PublicPoint> keys;

    public TrustedKeys(Collection<PublicKey> keys) {
        Map<String, Ed25519.PublicPoint> m = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            if (!SigningKeys.ALGORITHM.equalsIgnoreCase(k.getAlgorithm())
                    && !"EdDSA".equalsIgnoreCase(k.getAlgorithm())) {
                throw new IllegalArgumentException("not an " + SigningKeys.ALGORITHM + " key: " + k.getAlgorithm());
            }
            Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(SigningKeys.rawPublic(k), 0);
            if (point == null) {
                throw new IllegalArgumentException("not a point of " + SigningKeys.ALGORITHM + "'s curve: key "
                        + SigningKeys.keyId(k));
            }
            m.put(SigningKeys.keyId(k), point);
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("no trusted key");
        }
        this.keys = Map.copyOf(m);
    }

    /** The public keys in {@code files} (see {@link SigningKeys#readPublic}); errors name the file. */
    public static TrustedKeys read(List<Path> files) throws IOException {
        List<PublicKey> list = new ArrayList<>();
        for (Path f : files) {
            list.add(SigningKeys.readPublic(f));
        }
        if (list.isEmpty()) {
            throw new IOException("no public key file given");
        }
        return new TrustedKeys(list);
    }

    /** The ids of the trusted keys. */
    public java.util.Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * Checks a payload's signature. Only the tail's fixed layout is read, before any JSON parsing; the caller parses
     * the payload (with {@code kid} and {@code sig} as known members) after {@link Check#SIGNED}.
     */
    public Check check(byte[] payload) {
        int n = payload.length;
        int tail = MessageSigner.TAIL;
        if (n < tail + 1 || payload[n - 1] != '}' || payload[n - 2] != '"') {
            return contains(payload, "\"sig\"") ? Check.FORGED : Check.UNSIGNED;
        }
        int kidAt = n - tail;
        int sigAt = kidAt + MessageSigner.KID.length + MessageSigner.KID_CHARS;
        if (!regionIs(payload, kidAt, MessageSigner.KID) || !regionIs(payload, sigAt, MessageSigner.SIG)) {
            return contains(payload, "\"sig\"") ? Check.FORGED : Check.UNSIGNED;
        }
        String kid = new String(payload, kidAt + MessageSigner.KID.length, MessageSigner.KID_CHARS,
                StandardCharsets.ISO_8859_1);
        Ed25519.PublicPoint key = keys.get(kid);
        if (key == null) {
            return Check.UNKNOWN_KEY;
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(new String(payload, sigAt + MessageSigner.SIG.length,
                    MessageSigner.SIG_CHARS, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            return Check.FORGED;
        }
        if (sig.length != Ed25519.SIGNATURE_SIZE) {
            return Check.FORGED;
        }
        return Ed25519.verify(sig, 0, key, payload, 0, sigAt + 1) ? Check.SIGNED : Check.FORGED;
    }

    private static boolean regionIs(byte[] b, int at, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] b, String s) {
        return new String(b, StandardCharsets.ISO_8859_1).contains(s);
    }
}
