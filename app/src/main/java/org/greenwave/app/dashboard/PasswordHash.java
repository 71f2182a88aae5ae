package org.greenwave.app.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes for the users file: Argon2id (RFC 9106) from Bouncy Castle, with a random 16-byte salt per
 * password, in the PHC string format {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH} (base64 without padding), so
 * that stronger parameters can be chosen later while old hashes still verify.
 *
 * <p>The defaults, 19 MiB of memory, 2 passes, 1 lane, are OWASP's recommended minimum for Argon2id; a hash takes
 * about 50 ms on one core here. Hashes whose parameters are below {@link #MIN_MEMORY_KIB} and {@link #MIN_PASSES} or
 * above {@link #MAX_MEMORY_KIB} (a users file must not make a log-in allocate gigabytes) are refused when the file is
 * read.
 */
public final class PasswordHash {
    static final int MEMORY_KIB = 19 * 1024;
    static final int PASSES = 2;
    static final int LANES = 1;
    static final int MIN_MEMORY_KIB = 8 * 1024;
    static final int MIN_PASSES = 1;
    static final int MAX_MEMORY_KIB = 1024 * 1024;
    static final int MAX_PASSES = 20;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,})\\$([A-Za-z0-9+/]{16,})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int memoryKiB;
    private final int passes;
    private final int lanes;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int memoryKiB, int passes, int lanes, byte[] salt, byte[] hash) {
        this.memoryKiB = memoryKiB;
        this.passes = passes;
        this.lanes = lanes;
        this.salt = salt;
        this.hash = hash;
    }

    /** A new hash of {@code password} with a fresh random salt and the default parameters. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = argon2(password, salt, MEMORY_KIB, PASSES, LANES, HASH_BYTES);
        return new PasswordHash(MEMORY_KIB, PASSES, LANES, salt, h).toString();
    }

    /**
     * Reads a PHC string.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never echoing it)
     */
    public static PasswordHash parse(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Argon2id hash of the form $argon2id$v=19$m=M,t=T,p=P$SALT$HASH"
                    + " (create users with 'greenwave users add')");
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        if (mem < MIN_MEMORY_KIB || mem > MAX_MEMORY_KIB || t < MIN_PASSES || t > MAX_PASSES || p < 1 || p > 16
                || mem < 8 * p) {
            throw new IllegalArgumentException("Argon2id parameters m=" + mem + ",t=" + t + ",p=" + p
                    + " are outside m=" + MIN_MEMORY_KIB + ".." + MAX_MEMORY_KIB + " KiB, t=" + MIN_PASSES + ".."
                    + MAX_PASSES + ", p=1..16");
        }
        Base64.Decoder d = Base64.getDecoder();
        byte[] salt;
        byte[] hash;
        try {
            salt = d.decode(m.group(4));
            hash = d.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hash's salt or value is not base64", e);
        }
        if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("the hash's salt (at least 8 bytes) or value (16..64 bytes) is too "
                    + "short or too long");
        }
        return new PasswordHash(mem, t, p, salt, hash);
    }

    /** Whether {@code password} hashes to this hash (compared in constant time). */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, argon2(password, salt, memoryKiB, passes, lanes, hash.length));
    }

    @Override
    public String toString() {
        Base64.Encoder e = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + passes + ",p=" + lanes + "$" + e.encodeToString(salt) + "$"
                + e.encodeToString(hash);
    }

    private static byte[] argon2(char[] password, byte[] salt, int memoryKiB, int passes, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKiB).withIterations(passes).withParallelism(lanes).build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(params);
        byte[] out = new byte[length];
        byte[] pw = toUtf8(password);
        try {
            g.generateBytes(pw, out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    private static byte[] toUtf8(char[] password) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }
}
