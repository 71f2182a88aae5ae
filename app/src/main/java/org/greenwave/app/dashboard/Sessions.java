package org.greenwave.app.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Log-in sessions, in memory (a restart logs everyone out). A session's id, the cookie's value, is 32 random bytes;
 * each session has its own CSRF token, 32 other random bytes, that every state-changing request must carry. A session
 * ends when logged out, after {@code idleMs} without a request, or {@code maxAgeMs} after log-in, whichever comes
 * first; at most {@code maxSessions} live at once (the least recently used ends first).
 *
 * <p>Thread-safe.
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session; {@code name} is the user's, {@code role} their role at log-in. */
    public static final class Session {
        final String id;
        final String name;
        final Role role;
        final String csrf;
        final long createdMs;
        volatile long lastSeenMs;

        Session(String id, String name, Role role, String csrf, long createdMs) {
            this.id = id;
            this.name = name;
            this.role = role;
            this.csrf = csrf;
            this.createdMs = createdMs;
            this.lastSeenMs = createdMs;
        }

        public String name() {
            return name;
        }

        public Role role() {
            return role;
        }

        public String csrf() {
            return csrf;
        }

        /** Whether {@code token} is this session's CSRF token (constant-time comparison). */
        public boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private final LongSupplier wallMs;
    private final long idleMs;
    private final long maxAgeMs;
    private final int maxSessions;
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);

    public Sessions(LongSupplier wallMs, long idleMs, long maxAgeMs, int maxSessions) {
        if (idleMs <= 0 || maxAgeMs <= 0 || maxSessions <= 0) {
            throw new IllegalArgumentException("session idle time, age and count must be positive");
        }
        this.wallMs = wallMs;
        this.idleMs = idleMs;
        this.maxAgeMs = maxAgeMs;
        this.maxSessions = maxSessions;
    }

    /** Starts a session for {@code name}. */
    public synchronized Session create(String name, Role role) {
        long now = wallMs.getAsLong();
        Session s = new Session(token(), name, role, token(), now);
        byId.put(s.id, s);
        while (byId.size() > maxSessions) {
            Iterator<Map.Entry<String, Session>> it = byId.entrySet().iterator();
            it.next();
            it.remove();
        }
        return s;
    }

    /** The live session with id {@code id} (its idle time restarts), or null when there is none or it has expired. */
    public synchronized Session get(String id) {
        if (id == null) {
            return null;
        }
        Session s = byId.get(id);
        if (s == null) {
            return null;
        }
        long now = wallMs.getAsLong();
        if (now - s.lastSeenMs >= idleMs || now - s.createdMs >= maxAgeMs) {
            byId.remove(id);
            return null;
        }
        s.lastSeenMs = now;
        return s;
    }

    /** Ends the session {@code id}; false when there was none. */
    public synchronized boolean end(String id) {
        return id != null && byId.remove(id) != null;
    }

    /** Ends every session of user {@code name} (removed from the users file, or given another role). */
    public synchronized int endAll(String name) {
        int n = 0;
        for (Iterator<Session> it = byId.values().iterator(); it.hasNext(); ) {
            if (it.next().name.equals(name)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** Live sessions (expired ones not yet asked for count until then). */
    public synchronized int size() {
        return byId.size();
    }

    /** 32 random bytes, base64url without padding. */
    static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
