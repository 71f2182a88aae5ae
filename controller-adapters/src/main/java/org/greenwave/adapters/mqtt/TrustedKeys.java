/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine keys a receiver (a field controller, a health reader) accepts signed payloads from (see {@link
 * MessageSigner} for the format). Several keys may be trusted at once, so a key can be rotated: trust the new key,
 * switch the engine to it, then drop the old one.
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

    private final Map<String, PublicKey> keys;

    public TrustedKeys(Collection<PublicKey> keys) {
        Map<String, PublicKey> m = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            if (!SigningKeys.ALGORITHM.equalsIgnoreCase(k.getAlgorithm())
                    && !"EdDSA".equalsIgnoreCase(k.getAlgorithm())) {
                throw new IllegalArgumentException("not an " + SigningKeys.ALGORITHM + " key: " + k.getAlgorithm());
            }
            m.put(SigningKeys.keyId(k), k);
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
        PublicKey key = keys.get(kid);
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
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initVerify(key);
            s.update(payload, 0, sigAt + 1);
            return s.verify(sig) ? Check.SIGNED : Check.FORGED;
        } catch (GeneralSecurityException e) {
            return Check.FORGED;
        }
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
