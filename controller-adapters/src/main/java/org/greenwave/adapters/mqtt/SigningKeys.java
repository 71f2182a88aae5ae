/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 key pairs for signing plans and health, in the files {@code openssl genpkey -algorithm ed25519} writes: the
 * private key as PEM PKCS #8 ({@code -----BEGIN PRIVATE KEY-----}), the public key as PEM X.509 SubjectPublicKeyInfo
 * ({@code -----BEGIN PUBLIC KEY-----}). A key is named in messages by its {@linkplain #keyId id}, derived from the
 * public key, so engine and field side need no further configuration to agree on it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigningKeys {

    /** The JDK's algorithm name (JDK 15 and later). */
    public static final String ALGORITHM = "Ed25519";
    /** File name of the private key that {@link #generate} writes. */
    public static final String PRIVATE_FILE = "plan-signing.key";
    /** File name of the public key that {@link #generate} writes. */
    public static final String PUBLIC_FILE = "plan-signing.pub";

    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private SigningKeys() {
    }

    /** A fresh key pair, e.g. for a simulation that runs engine and field side in one process. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no " + ALGORITHM + " (Java 15 or later has)", e);
        }
    }

    /**
     * Writes a new key pair into {@code dir} (created if missing): {@link #PRIVATE_FILE} readable by its owner only
     * (0600 where the file system has POSIX permissions) and {@link #PUBLIC_FILE}. Refuses to overwrite either.
     *
     * @return the new key's id
     * @throws FileAlreadyExistsException if either file exists; nothing is written then
     */
    public static String generate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(p.toString(), null, "a key file is there already; "
                        + "move it away or choose another folder (keys are never overwritten)");
            }
        }
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        if (posix) {
            Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(priv);
        }
        Files.writeString(priv, pem(PRIVATE_PEM, pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(pub, pem(PUBLIC_PEM, pair.getPublic().getEncoded()), StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW);
        return keyId(pair.getPublic());
    }

    /** Reads a PEM PKCS #8 Ed25519 private key; errors name the file. */
    public static PrivateKey readPrivate(Path file) throws IOException {
        byte[] der = der(file, PRIVATE_PEM);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": not an " + ALGORITHM + " private key (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a PEM X.509 Ed25519 public key; errors name the file. */
    public static PublicKey readPublic(Path file) throws IOException {
        byte[] der = der(file, PUBLIC_PEM);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": not an " + ALGORITHM + " public key (" + e.getMessage() + ")", e);
        }
    }

    /** The public key of a private one: Ed25519's public key follows from the private key. */
    public static PublicKey publicOf(PrivateKey key) {
        try {
            // The PKCS #8 form (the JDK's, openssl's) carries no public key. The JDK's generator takes the private key
            // as 32 random bytes and derives the public key from them: hand it this key's bytes as the randomness.
            java.security.interfaces.EdECPrivateKey ed = (java.security.interfaces.EdECPrivateKey) key;
            byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("private key has no bytes"));
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(new java.security.spec.NamedParameterSpec(ALGORITHM), new FixedRandom(seed));
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        }
    }

    /** The X.509 SubjectPublicKeyInfo header of every Ed25519 public key; the key's 32 bytes follow it. */
    private static final byte[] X509_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** The 32 bytes of an Ed25519 private key (RFC 8032's secret key, the seed the key pair is derived from). */
    static byte[] rawPrivate(PrivateKey key) {
        if (key instanceof java.security.interfaces.EdECPrivateKey ed) {
            java.util.Optional<byte[]> bytes = ed.getBytes();
            if (bytes.isPresent() && bytes.get().length == 32) {
                return bytes.get();
            }
        }
        throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + key.getAlgorithm());
    }

    /** The 32 bytes of an Ed25519 public key (RFC 8032's encoding), read from its X.509 form. */
    static byte[] rawPublic(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != X509_HEADER.length + 32
                || !java.util.Arrays.equals(der, 0, X509_HEADER.length, X509_HEADER, 0, X509_HEADER.length)) {
            throw new IllegalArgumentException("not an " + ALGORITHM + " public key: " + key.getAlgorithm());
        }
        return java.util.Arrays.copyOfRange(der, X509_HEADER.length, der.length);
    }

    /** The id messages name a key by: the first 8 bytes of the SHA-256 of its X.509 encoding, 16 hex digits. */
    public static String keyId(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type) throws IOException {
        String text;
        try {
            if (Files.size(file) > 16_384) {
                throw new IOException(file + ": too large for a key file");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such key file", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not a PEM file (it has non-ASCII bytes)", e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0) {
            throw new IOException(file + ": no '" + begin + "' ... '" + end + "' block (a "
                    + (type.equals(PRIVATE_PEM) ? "private" : "public") + " key in PEM is expected)");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": the PEM block is not valid Base64", ex);
        }
    }

    /** Hands the generator the private key's seed, so it derives that key's public half. */
    private static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
