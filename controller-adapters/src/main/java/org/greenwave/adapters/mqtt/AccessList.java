/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may publish and subscribe to which topics, in Mosquitto's {@code acl_file} syntax so that one file serves the
 * embedded broker and Mosquitto 2 alike:
 *
 * <pre>
 * # comment
 * topic [read|write|readwrite|deny] TOPIC     before any user line: anonymous clients
 * user NAME                                   the following topic lines are NAME's
 * topic [read|write|readwrite|deny] TOPIC     (no access word: readwrite)
 * pattern [read|write|readwrite|deny] TOPIC   every client; %u is its user name, %c its client id
 * </pre>
 *
 * As in Mosquitto: a matching {@code deny} anywhere wins; otherwise a matching grant allows; otherwise the access is
 * denied. {@code write} allows publishing to topics the line's filter matches; {@code read} allows subscribing to a
 * filter that the line's filter covers entirely and receiving messages on topics it matches. A pattern whose %u or %c
 * would not be one plain topic level (anonymous, or a name with '/', '+' or '#') matches nothing.
 *
 * <p>{@link #defaultText} is Greenwave's layout, shipped as {@code deploy/mosquitto/acl} (see docs/security.md):
 * the engine ({@value #ENGINE_USER}) alone writes plans and health; a field device, whose user name is its
 * intersection's id, writes that intersection's detector and status topics and reads its plan; {@value #MONITOR_USER}
 * reads everything; anonymous clients (where allowed at all) write field data and read plans, never write plans.
 *
 * <p>Immutable; the checks are thread-safe.
 */
public final class AccessList {

    /** The engine's user name in the default layout. */
    public static final String ENGINE_USER = "greenwave-engine";
    /** The read-only user in the default layout. */
    public static final String MONITOR_USER = "monitor";

    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int DENY = 0;

    /** One topic or pattern line: its filter's levels and access. */
    private record Rule(String[] levels, int access, boolean pattern, String text) {
    }

    private final List<Rule> anonymous;
    private final Map<String, List<Rule>> byUser;
    private final List<Rule> patterns;
    private final boolean denials;
    private final String source;

    private AccessList(List<Rule> anonymous, Map<String, List<Rule>> byUser, List<Rule> patterns, String source) {
        this.anonymous = anonymous;
        this.byUser = byUser;
        this.patterns = patterns;
        this.source = source;
        boolean d = false;
        for (Rule r : all()) {
            d |= r.access() == DENY;
        }
        this.denials = d;
    }

    private List<Rule> all() {
        List<Rule> all = new ArrayList<>(anonymous);
        byUser.values().forEach(all::addAll);
        all.addAll(patterns);
        return all;
    }

    /**
     * Reads an access-list file.
     *
     * @throws IllegalArgumentException naming the file and line of what is wrong, or that it cannot be read
     */
    public static AccessList read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), "access-list file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("access-list file " + file + ": cannot be read (" + e + ")", e);
        }
    }

    /**
     * Parses access-list text.
     *
     * @param source names the text in messages, e.g. "access-list file acl"
     * @throws IllegalArgumentException naming the source and line of what is wrong
     */
    public static AccessList parse(String text, String source) {
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> byUser = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> current = anonymous;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] words = line.split("\\s+", 3);
            switch (words[0]) {
                case "user" -> {
                    if (words.length < 2) {
                        throw new IllegalArgumentException(where + "'user' needs a user name");
                    }
                    String user = line.substring(4).strip();
                    current = byUser.computeIfAbsent(user, u -> new ArrayList<>());
                }
                case "topic" -> current.add(rule(words, line, false, where));
                case "pattern" -> patterns.add(rule(words, line, true, where));
                default -> throw new IllegalArgumentException(where + "unknown keyword '" + words[0]
                        + "'; expected user, topic or pattern");
            }
        }
        return new AccessList(List.copyOf(anonymous), Map.copyOf(byUser), List.copyOf(patterns), source);
    }

    private static Rule rule(String[] words, String line, boolean pattern, String where) {
        if (words.length < 2) {
            throw new IllegalArgumentException(where + "'" + words[0] + "' needs a topic");
        }
        int access;
        String filter;
        switch (words[1]) {
            case "read" -> access = READ;
            case "write" -> access = WRITE;
            case "readwrite" -> access = READ | WRITE;
            case "deny" -> access = DENY;
            default -> access = -1;
        }
        if (access < 0) {
            filter = line.substring(words[0].length()).strip();
            access = READ | WRITE;
        } else {
            if (words.length < 3) {
                throw new IllegalArgumentException(where + "'" + words[0] + " " + words[1] + "' needs a topic");
            }
            filter = words[2].strip();
        }
        checkFilter(filter, where);
        return new Rule(filter.split("/", -1), access, pattern, line);
    }

    private static void checkFilter(String filter, String where) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if ((l.contains("#") && (!l.equals("#") || i != levels.length - 1)) || (l.contains("+") && !l.equals("+"))) {
                throw new IllegalArgumentException(where + "'" + filter + "' is not a valid MQTT topic filter ('#' "
                        + "only as the last level, '+' only as a whole level)");
            }
        }
    }

    /** Greenwave's layout for topic prefix {@code topics}; the text of {@code deploy/mosquitto/acl} for the default. */
    public static String defaultText(Topics topics) {
        String i = topics.root() + "/intersections/";
        String e = topics.root() + "/engines/";
        return String.join("\n",
                "# Greenwave's MQTT access list (Mosquitto acl_file syntax; the embedded broker reads it too).",
                "# A matching 'deny' wins; otherwise a matching grant allows; everything else is denied.",
                "",
                "# Anonymous clients, only where anonymous access is on at all (a local demo on 127.0.0.1):",
                "# field data in and plans out, never plans or health in.",
                "topic write " + i + "+/detectors/+",
                "topic write " + i + "+/status",
                "topic read " + i + "+/plan",
                "topic read " + e + "+/health",
                "",
                "# The engine: the only writer of timing plans and of engine health.",
                "user " + ENGINE_USER,
                "topic read " + i + "+/detectors/+",
                "topic read " + i + "+/status",
                "topic write " + i + "+/plan",
                "topic readwrite " + e + "+/health",
                "",
                "# Monitors (dashboards, loggers): read everything, write nothing.",
                "user " + MONITOR_USER,
                "topic read " + topics.root() + "/#",
                "",
                "# Field devices: the user name is the intersection id. A device writes its own intersection's",
                "# detector data and status and reads its own plan; nothing else.",
                "pattern write " + i + "%u/detectors/+",
                "pattern write " + i + "%u/status",
                "pattern read " + i + "%u/plan",
                "");
    }

    /** {@link #defaultText} parsed. */
    public static AccessList defaults(Topics topics) {
        return parse(defaultText(topics), "the built-in access list");
    }

    /** The engine's own rights (the {@value #ENGINE_USER} section of {@link #defaultText}), for everyone. */
    static AccessList engine(Topics topics) {
        String i = topics.root() + "/intersections/";
        return parse(String.join("\n",
                "topic read " + i + "+/detectors/+",
                "topic read " + i + "+/status",
                "topic write " + i + "+/plan",
                "topic readwrite " + topics.root() + "/engines/+/health"), "the engine's access list");
    }

    /** Where it was read from, for messages. */
    public String source() {
        return source;
    }

    /** True when some line denies: received messages must then be checked one by one. */
    boolean hasDenials() {
        return denials;
    }

    /** Whether {@code user} (null: anonymous) with {@code clientId} may publish to {@code topic}. */
    public boolean canPublish(String user, String clientId, String topic) {
        return allowed(user, clientId, topic, WRITE, false);
    }

    /** Whether the client may subscribe to {@code filter}: some read line covers every topic it matches. */
    public boolean canSubscribe(String user, String clientId, String filter) {
        return allowed(user, clientId, filter, READ, true);
    }

    /** Whether the client may receive a message published to {@code topic}. */
    public boolean canReceive(String user, String clientId, String topic) {
        return allowed(user, clientId, topic, READ, false);
    }

    private boolean allowed(String user, String clientId, String topicOrFilter, int access, boolean subscribe) {
        List<Rule> own = user == null ? anonymous : byUser.getOrDefault(user, List.of());
        // A deny that matches anywhere wins.
        if (denials && (anyMatch(own, user, clientId, topicOrFilter, DENY, subscribe)
                || anyMatch(patterns, user, clientId, topicOrFilter, DENY, subscribe))) {
            return false;
        }
        return anyMatch(own, user, clientId, topicOrFilter, access, subscribe)
                || anyMatch(patterns, user, clientId, topicOrFilter, access, subscribe);
    }

    private static boolean anyMatch(List<Rule> rules, String user, String clientId, String topicOrFilter, int access,
                                    boolean subscribe) {
        for (int k = 0; k < rules.size(); k++) {
            Rule r = rules.get(k);
            boolean kind = access == DENY ? r.access() == DENY : (r.access() & access) != 0;
            if (!kind) {
                continue;
            }
            String[] levels = r.pattern() ? substitute(r.levels(), user, clientId) : r.levels();
            if (levels == null) {
                continue;
            }
            // A deny is checked by whether it matches the subscription's filter as a topic, as Mosquitto does.
            if (subscribe && access != DENY ? covers(levels, topicOrFilter) : matches(levels, topicOrFilter)) {
                return true;
            }
        }
        return false;
    }

    /** The pattern with %u and %c replaced, or null if a value is missing or not one plain topic level. */
    private static String[] substitute(String[] levels, String user, String clientId) {
        String[] out = levels;
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (!l.contains("%u") && !l.contains("%c")) {
                continue;
            }
            if ((l.contains("%u") && !plainLevel(user)) || (l.contains("%c") && !plainLevel(clientId))) {
                return null;
            }
            if (out == levels) {
                out = levels.clone();
            }
            out[i] = l.replace("%u", user == null ? "" : user).replace("%c", clientId == null ? "" : clientId);
        }
        return out;
    }

    private static boolean plainLevel(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    /** MQTT matching of a topic name against a filter's levels; '$' topics are not matched by a leading wildcard. */
    static boolean matches(String[] filter, String topic) {
        if (topic.startsWith("$") && (filter[0].equals("+") || filter[0].equals("#"))) {
            return false;
        }
        int pos = 0;
        for (int i = 0; i < filter.length; i++) {
            String f = filter[i];
            if (f.equals("#")) {
                return true;
            }
            if (pos > topic.length()) {
                return false;
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) {
                end = topic.length();
            }
            if (!f.equals("+") && !topic.regionMatches(pos, f, 0, f.length())) {
                return false;
            }
            if (!f.equals("+") && f.length() != end - pos) {
                return false;
            }
            pos = end + 1;
        }
        return pos == topic.length() + 1;
    }

    /** Whether every topic that {@code subscription} matches is matched by {@code filter}. */
    static boolean covers(String[] filter, String subscription) {
        String[] sub = subscription.split("/", -1);
        if (sub[0].startsWith("$") != filter[0].startsWith("$")) {
            return false;
        }
        for (int i = 0; i < filter.length; i++) {
            String f = filter[i];
            if (f.equals("#")) {
                return true;
            }
            if (i >= sub.length) {
                return false;
            }
            String s = sub[i];
            if (s.equals("#")) {
                return false;
            }
            if (f.equals("+")) {
                continue;
            }
            if (s.equals("+") || !s.equals(f)) {
                return false;
            }
        }
        return sub.length == filter.length;
    }
}
