/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * MQTT user names and salted slow password hashes in Mosquitto's password-file format, so that one file serves the
 * embedded broker and Mosquitto 2 alike: one line per user, {@code name:$7$iterations$salt$hash}, where {@code $7$}
 * is PBKDF2 with HMAC-SHA-512, the salt and the 64-byte hash are base64. {@code mosquitto_passwd} writes such lines
 * (with 101 iterations in Mosquitto 2.0); {@link #entry} writes them with {@link #DEFAULT_ITERATIONS}, which
 * Mosquitto reads as well. Blank lines and lines starting with {@code #} are skipped. Mosquitto's older
 * {@code $6$} (one round of SHA-512) and plain-text lines are refused: they are not slow hashes.
 *
 * <p>Immutable once read; {@link #verify} may be called from any thread.
 */
public final class PasswordFile {

    /** PBKDF2-HMAC-SHA-512 iterations of entries this class writes (OWASP's recommendation as of 2023). */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Entries with fewer iterations are accepted but reported by {@link #weakUsers()}. */
    public static final int WEAK_BELOW_ITERATIONS = 10_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    private final Path file;
    private final Map<String, Entry> users;
    /** A hash to spend the same time on for unknown users, so that timing does not tell which names exist. */
    private final Entry decoy;

    private PasswordFile(Path file, Map<String, Entry> users) {
        this.file = file;
        this.users = users;
        int iterations = DEFAULT_ITERATIONS;
        for (Entry e : users.values()) {
            iterations = e.iterations();
            break;
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        this.decoy = new Entry(iterations, salt, new byte[HASH_BYTES]);
    }

    /**
     * Reads a password file.
     *
     * @throws IllegalArgumentException naming the file, the line and what is wrong with it, or that it cannot be read
     */
    public static PasswordFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("password file " + file + ": cannot be read (" + e + ")", e);
        }
        Map<String, Entry> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "password file " + file + " line " + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + "expected user:$7$iterations$salt$hash");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (users.containsKey(user)) {
                throw new IllegalArgumentException(where + "user '" + user + "' appears a second time");
            }
            users.put(user, parse(hash, where + "user '" + user + "': "));
        }
        return new PasswordFile(file, Collections.unmodifiableMap(users));
    }

    private static Entry parse(String hash, String where) {
        if (hash.startsWith("$6$")) {
            throw new IllegalArgumentException(where + "a $6$ hash (one round of SHA-512) is too fast to guard a "
                    + "password; write the line again with mosquitto_passwd (Mosquitto 2) or greenwave broker-passwd");
        }
        if (!hash.startsWith("$7$")) {
            throw new IllegalArgumentException(where + "not a $7$ (PBKDF2-SHA-512) hash; plain-text passwords are not "
                    + "accepted: write the line with mosquitto_passwd or greenwave broker-passwd");
        }
        String[] parts = hash.substring(3).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(where + "expected $7$iterations$salt$hash");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "iterations '" + parts[0] + "' is not a number", e);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(where + "iterations must be 1.." + MAX_ITERATIONS + ", not "
                    + iterations);
        }
        byte[] salt;
        byte[] digest;
        try {
            salt = Base64.getDecoder().decode(parts[1]);
            digest = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "damaged base64 (" + e.getMessage() + ")", e);
        }
        if (salt.length < 8 || digest.length != HASH_BYTES) {
            throw new IllegalArgumentException(where + "expected a salt of at least 8 bytes and a 64-byte hash, got "
                    + salt.length + " and " + digest.length);
        }
        return new Entry(iterations, salt, digest);
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    public Set<String> users() {
        return users.keySet();
    }

    /** Users whose hash has fewer than {@link #WEAK_BELOW_ITERATIONS} iterations (mosquitto_passwd 2.0 writes 101). */
    public List<String> weakUsers() {
        List<String> weak = new ArrayList<>();
        users.forEach((u, e) -> {
            if (e.iterations() < WEAK_BELOW_ITERATIONS) {
                weak.add(u);
            }
        });
        return weak;
    }

    /**
     * Whether {@code password} (the bytes of an MQTT CONNECT) is {@code user}'s. Takes the hash's time whether or not
     * the user exists. Any thread.
     */
    public boolean verify(String user, ByteBuffer password) {
        Entry e = user == null ? null : users.get(user);
        char[] chars = utf8(password);
        try {
            Entry against = e != null ? e : decoy;
            // An empty or non-UTF-8 password is hashed as NUL for the time it takes, and refused.
            byte[] derived = derive(chars == null || chars.length == 0 ? new char[] {'\0'} : chars, against.salt(),
                    against.iterations());
            return MessageDigest.isEqual(derived, against.hash()) && e != null && chars != null && chars.length > 0;
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    /**
     * One line of a password file for {@code user}: {@code user:$7$iterations$salt$hash} with a fresh random salt.
     *
     * @throws IllegalArgumentException if the user name is empty or holds ':' or a line break, or the password is
     *                                  empty
     */
    public static String entry(String user, char[] password, int iterations) {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0 || user.indexOf('\n') >= 0
                || user.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a user name must be non-empty, without ':' or line breaks: '" + user
                    + "'");
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", not " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":$7$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            // The JDK's PBKDF2 feeds the password to HMAC as UTF-8, as Mosquitto feeds its bytes.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The password bytes as characters, or null when they are not UTF-8. */
    private static char[] utf8(ByteBuffer password) {
        if (password == null) {
            return null;
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(password.duplicate());
            char[] chars = new char[cb.remaining()];
            cb.get(chars);
            Arrays.fill(cb.array(), '\0');
            return chars;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
