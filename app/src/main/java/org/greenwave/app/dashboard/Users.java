package org.greenwave.app.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dashboard's users file: one user a line, {@code NAME:ROLE:HASH}, where ROLE is viewer, operator or admin and
 * HASH an Argon2id hash as {@link PasswordHash} writes it; blank lines and lines starting with {@code #} are ignored.
 * Written by {@code greenwave users add}, never by hand with a password in it.
 *
 * <p>The file is read again when it changes (checked at most once a second, on log-in and on each authenticated
 * request), so a user removed or given another role loses their sessions' rights without a restart. A file that has
 * become unreadable or invalid keeps the users last read and is reported once in the log.
 *
 * <p>Thread-safe.
 */
public final class Users {
    /** A user's name: letters, digits and {@code . _ @ -}, 1 to 64 characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Users.class);
    private static final long CHECK_EVERY_MS = 1000;

    /** One user. */
    public record User(String name, Role role, PasswordHash hash) {
    }

    private final Path file;
    private volatile Map<String, User> users;
    private volatile FileTime readMtime;
    private volatile long readSize;
    private volatile long checkedAtMs;
    private volatile String lastProblem;

    private Users(Path file, Map<String, User> users, FileTime mtime, long size) {
        this.file = file;
        this.users = users;
        this.readMtime = mtime;
        this.readSize = size;
    }

    /**
     * Reads the users file.
     *
     * @throws IllegalArgumentException "FILE:LINE: what is wrong", or naming the file when it cannot be read
     */
    public static Users read(Path file) {
        try {
            FileTime mtime = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return new Users(file, parse(file, Files.readAllLines(file, StandardCharsets.UTF_8)), mtime, size);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("users file " + file + ": no such file (create it with 'greenwave users"
                    + " add --file " + file + " NAME --role ROLE')", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("users file " + file + ": cannot be read (" + e + ")", e);
        }
    }

    /** A warning when the users file can be read by other users of this machine, else null. */
    public String permissionWarning() {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                    return "users file " + file + " can be read by other users of this machine (" 
                            + PosixFilePermissions.toString(p) + "); make it private: chmod 600 " + file;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The user named {@code name}, or null. */
    public User find(String name) {
        refresh();
        return users.get(name);
    }

    /** How many users the file holds. */
    public int size() {
        refresh();
        return users.size();
    }

    /** The users file. */
    public Path file() {
        return file;
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        if (now - checkedAtMs < CHECK_EVERY_MS) {
            return;
        }
        synchronized (this) {
            if (now - checkedAtMs < CHECK_EVERY_MS) {
                return;
            }
            checkedAtMs = now;
            try {
                FileTime mtime = Files.getLastModifiedTime(file);
                long size = Files.size(file);
                if (mtime.equals(readMtime) && size == readSize) {
                    return;
                }
                users = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
                readMtime = mtime;
                readSize = size;
                lastProblem = null;
                LOG.info("users file {} read again: {} users", file, users.size());
            } catch (IOException | IllegalArgumentException e) {
                String problem = e.getMessage();
                if (!problem.equals(lastProblem)) {
                    LOG.warn("users file {} could not be read again, keeping the {} users read before: {}", file,
                            users.size(), problem);
                    lastProblem = problem;
                }
            }
        }
    }

    static Map<String, User> parse(Path file, List<String> lines) {
        Map<String, User> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = file + ":" + (i + 1) + ": ";
            String[] f = line.split(":", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException(at + "expected NAME:ROLE:HASH, found " + (f.length - 1)
                        + " colon(s)");
            }
            if (!NAME.matcher(f[0]).matches()) {
                throw new IllegalArgumentException(at + "user name '" + f[0] + "' must be 1-64 letters, digits or . _ @ -");
            }
            if (out.containsKey(f[0])) {
                throw new IllegalArgumentException(at + "user '" + f[0] + "' given twice");
            }
            try {
                out.put(f[0], new User(f[0], Role.parse(f[1]), PasswordHash.parse(f[2])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "user '" + f[0] + "': " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Adds {@code name} to the file (creating it, private to its owner), or replaces their line when {@code replace};
     * the file is written anew and moved into place, so a reader never sees half of it.
     *
     * @return true when the user was new
     * @throws IllegalArgumentException when the name is invalid, the user exists and {@code replace} is false, or
     *                                  the existing file is invalid (naming its line)
     */
    public static boolean add(Path file, String name, Role role, String hash, boolean replace) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1-64 letters, digits or . _ @ -");
        }
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        Map<String, User> existing = parse(file, lines);
        String entry = name + ":" + role.label() + ":" + hash;
        boolean isNew = !existing.containsKey(name);
        if (!isNew && !replace) {
            throw new IllegalArgumentException("user '" + name + "' is already in " + file
                    + "; use --replace to give them a new password or role");
        }
        List<String> out = new ArrayList<>();
        if (lines.isEmpty()) {
            out.add("# Greenwave dashboard users: NAME:ROLE:ARGON2ID-HASH. Edit with 'greenwave users'.");
        }
        for (String l : lines) {
            out.add(isUser(l, name) ? entry : l);
        }
        if (isNew) {
            out.add(entry);
        }
        write(file, out);
        return isNew;
    }

    /**
     * Removes {@code name} from the file.
     *
     * @return false when there was no such user
     */
    public static boolean remove(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!parse(file, lines).containsKey(name)) {
            return false;
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!isUser(l, name)) {
                out.add(l);
            }
        }
        write(file, out);
        return true;
    }

    /** Names and roles in file order. */
    public List<User> list() {
        refresh();
        return List.copyOf(users.values());
    }

    private static boolean isUser(String line, String name) {
        String l = line.strip();
        return !l.startsWith("#") && l.startsWith(name + ":");
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            tmp = Files.createTempFile(dir, ".users", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            tmp = Files.createTempFile(dir, ".users", ".tmp");
        }
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
