package org.greenwave.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An append-only, hash-chained audit log in a file of JSON lines:
 *
 * <pre>{"seq":1,"time":"2026-12-06T19:48:44.123Z","actor":"alice","action":"signal.mode","target":"signal:J1","detail":"own program","prev":"000…0"}</pre>
 *
 * <p>Each line carries in {@code prev} the SHA-256 (hex) of the previous line's bytes (without its newline), the first
 * line 64 zeros; {@code seq} counts lines from 1. Changing, removing, inserting or reordering any line but the last
 * breaks the chain at the line after it, which {@link #verify(Path)} reports. Changing or cutting off the newest lines
 * cannot be seen from the file alone: {@link #head()} (also printed by {@code greenwave audit verify}) is the hash to
 * note elsewhere to detect that.
 *
 * <p>Threading: {@link #record} may be called from any thread; records are written one at a time, in the order of
 * their {@code seq}. Each record is written and forced to the storage device before {@code record} returns; a record
 * that cannot be written throws and leaves the log refusing every later record (fail closed: an action whose record
 * failed must not be carried out, and a torn line must not be followed by lines chained to a guess).
 *
 * <p>Only one process may write a log file at a time (a file lock is held while open).
 */
public final class AuditLog implements AutoCloseable {
    /** {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);
    /** Entries kept in memory for {@link #recent(int)}. */
    public static final int RECENT = 200;
    /** Longest field value written, characters; longer ones are cut with a marker (a log line stays readable). */
    public static final int MAX_FIELD_CHARS = 4096;

    private static final String[] FIELDS = {"seq", "time", "actor", "action", "target", "detail", "prev"};

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final LongSupplier wallMs;
    private final ArrayDeque<AuditEntry> recent = new ArrayDeque<>();
    private long seq;
    private String head;
    private IOException failure;

    private AuditLog(Path file, FileChannel channel, FileLock lock, LongSupplier wallMs, long seq, String head,
                     List<AuditEntry> tail) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.wallMs = wallMs;
        this.seq = seq;
        this.head = head;
        for (AuditEntry e : tail) {
            remember(e);
        }
    }

    /**
     * Opens (creating it if absent) the log in {@code file}, continuing its chain. An existing file is verified first.
     *
     * @param wallMs the wall clock, milliseconds since the epoch
     * @throws IOException naming the file and line when the existing file is broken (it is then left as it is, to be
     *                     kept as evidence), when another process holds it, or when it cannot be read or created
     */
    public static AuditLog open(Path file, LongSupplier wallMs) throws IOException {
        Objects.requireNonNull(wallMs, "wallMs");
        List<AuditEntry> tail = new ArrayList<>();
        Verification v = Verification.OK_EMPTY;
        if (Files.exists(file)) {
            v = verify(file, tail);
            if (!v.ok()) {
                throw new IOException("audit log " + file + " is broken at line " + v.line() + ": " + v.reason()
                        + "; keep it as evidence and give the audit log another file");
            }
        } else {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("audit log " + file + " is in use by another process (or another log in this one)");
        }
        return new AuditLog(file, channel, lock, wallMs, v.lines(), v.head(), tail);
    }

    /** A log kept in memory only, for runs that keep no file (a watched simulation) and for tests. */
    public static AuditLog inMemory(LongSupplier wallMs) {
        return new AuditLog(null, null, null, Objects.requireNonNull(wallMs, "wallMs"), 0, GENESIS, List.of());
    }

    /**
     * Appends one record, written and forced to the storage device before returning.
     *
     * @param actor  who did it (a user's name; {@code engine} or {@code field:ID} for the software itself)
     * @param action a short dotted verb, e.g. {@code signal.mode}
     * @param target what it was done to, e.g. {@code signal:J1}; null or empty for nothing in particular
     * @param detail free text or a small JSON document; null or empty for none
     * @return the entry as written
     * @throws UncheckedIOException when the line cannot be written (then and after: the log refuses further records)
     */
    public synchronized AuditEntry record(String actor, String action, String target, String detail) {
        if (actor == null || actor.isEmpty() || action == null || action.isEmpty()) {
            throw new IllegalArgumentException("an audit record needs an actor and an action");
        }
        if (failure != null) {
            throw new UncheckedIOException("audit log " + file + " failed earlier and takes no more records",
                    failure);
        }
        if (channel != null && !channel.isOpen()) {
            throw new IllegalStateException("audit log " + file + " is closed");
        }
        long timeMs = wallMs.getAsLong();
        long n = seq + 1;
        String line = format(n, timeMs, cut(actor), cut(action), cut(nullToEmpty(target)), cut(nullToEmpty(detail)),
                head);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (channel != null) {
            try {
                ByteBuffer buf = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(false);
            } catch (IOException e) {
                failure = e;
                throw new UncheckedIOException("audit log " + file + ": cannot write record " + n, e);
            }
        }
        String hash = sha256(bytes);
        AuditEntry e = new AuditEntry(n, timeMs, cut(actor), cut(action), cut(nullToEmpty(target)),
                cut(nullToEmpty(detail)), head, hash);
        seq = n;
        head = hash;
        remember(e);
        return e;
    }

    /** The newest {@code n} entries (at most {@value #RECENT}), oldest first. */
    public synchronized List<AuditEntry> recent(int n) {
        List<AuditEntry> all = new ArrayList<>(recent);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** SHA-256 (hex) of the newest line, {@link #GENESIS} while the log is empty. */
    public synchronized String head() {
        return head;
    }

    /** Lines in the log. */
    public synchronized long size() {
        return seq;
    }

    /** The log's file; null for a log in memory. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** What {@link #verify(Path)} found. */
    public record Verification(boolean ok, long lines, String head, long line, String reason) {
        static final Verification OK_EMPTY = new Verification(true, 0, GENESIS, 0, null);

        /** One line for people: {@code OK: N lines, head H} or {@code BROKEN at line N: why}. */
        public String describe() {
            return ok ? "OK: " + lines + " line" + (lines == 1 ? "" : "s") + ", head " + head
                    : "BROKEN at line " + line + ": " + reason + " (the " + lines + " line" + (lines == 1 ? "" : "s")
                    + " before it chain correctly)";
        }
    }

    /**
     * Checks the whole chain of {@code file}: every line a JSON object with exactly the log's fields, {@code seq}
     * counting from 1, a valid time, {@code prev} the hash of the line before, and a newline after the last line.
     *
     * @return OK with the number of lines and the newest line's hash, or the first broken line (1-based) and why
     * @throws IOException when the file cannot be read
     */
    public static Verification verify(Path file) throws IOException {
        return verify(file, null);
    }

    private static Verification verify(Path file, List<AuditEntry> tail) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String prev = GENESIS;
        long n = 0;
        int start = 0;
        while (start < all.length) {
            int end = start;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            long lineNo = n + 1;
            if (end == all.length) {
                return new Verification(false, n, prev, lineNo, "the line is incomplete (no newline at its end)");
            }
            byte[] bytes = java.util.Arrays.copyOfRange(all, start, end);
            Map<String, Object> fields;
            try {
                fields = FlatJson.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return new Verification(false, n, prev, lineNo, "not a JSON object of the log's fields: "
                        + e.getMessage());
            }
            String wrong = checkFields(fields);
            if (wrong != null) {
                return new Verification(false, n, prev, lineNo, wrong);
            }
            if (((Long) fields.get("seq")) != lineNo) {
                return new Verification(false, n, prev, lineNo, "seq is " + fields.get("seq") + ", expected "
                        + lineNo + " (a line was removed, inserted or moved)");
            }
            if (!prev.equals(fields.get("prev"))) {
                return new Verification(false, n, prev, lineNo, "prev does not match the hash of line " + n
                        + (n == 0 ? " (the first line must carry 64 zeros)" : " (that line or this one was changed)"));
            }
            long timeMs;
            try {
                timeMs = Instant.parse((String) fields.get("time")).toEpochMilli();
            } catch (DateTimeParseException e) {
                return new Verification(false, n, prev, lineNo, "time is not an ISO-8601 instant: "
                        + fields.get("time"));
            }
            String hash = sha256(bytes);
            if (tail != null) {
                tail.add(new AuditEntry(lineNo, timeMs, (String) fields.get("actor"), (String) fields.get("action"),
                        (String) fields.get("target"), (String) fields.get("detail"), prev, hash));
                if (tail.size() > RECENT) {
                    tail.remove(0);
                }
            }
            prev = hash;
            n = lineNo;
            start = end + 1;
        }
        return new Verification(true, n, prev, 0, null);
    }

    private static String checkFields(Map<String, Object> fields) {
        for (String f : FIELDS) {
            Object v = fields.get(f);
            if (v == null) {
                return "field \"" + f + "\" is missing";
            }
            if (f.equals("seq") ? !(v instanceof Long) : !(v instanceof String)) {
                return "field \"" + f + "\" has the wrong type";
            }
        }
        if (fields.size() != FIELDS.length) {
            List<String> extra = new ArrayList<>(fields.keySet());
            extra.removeAll(List.of(FIELDS));
            return "unknown field(s) " + extra;
        }
        return null;
    }

    static String format(long seq, long timeMs, String actor, String action, String target, String detail,
                         String prev) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", Instant.ofEpochMilli(timeMs).toString());
        m.put("actor", actor);
        m.put("action", action);
        m.put("target", target);
        m.put("detail", detail);
        m.put("prev", prev);
        return FlatJson.write(m);
    }

    private void remember(AuditEntry e) {
        recent.addLast(e);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String cut(String s) {
        return s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS) + "…[cut]";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
