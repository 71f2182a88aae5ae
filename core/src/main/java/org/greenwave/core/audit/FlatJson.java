package org.greenwave.core.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.greenwave.core.json.JsonString;

/**
 * The JSON the audit log needs and no more: one object whose values are strings or integers, written compactly and
 * read strictly (anything else is an error naming the offset), so the core needs no JSON library.
 */
final class FlatJson {
    private FlatJson() {
    }

    static String write(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder(256).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            Object v = e.getValue();
            if (v instanceof Long l) {
                b.append(l.longValue());
            } else {
                string(b, (String) v);
            }
        }
        return b.append('}').toString();
    }

    /** {@code s} as a JSON string, quotes included ({@link JsonString}, whose output the chain depends on). */
    static void string(StringBuilder b, String s) {
        JsonString.append(b, s);
    }

    /**
     * Reads one object of string and integer values; a repeated key, another value type, or text after the object is
     * an error.
     */
    static Map<String, Object> parse(String s) {
        Parser p = new Parser(s);
        Map<String, Object> m = new LinkedHashMap<>();
        p.skip();
        p.expect('{');
        p.skip();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skip();
                String key = p.string();
                p.skip();
                p.expect(':');
                p.skip();
                Object v = p.peek() == '"' ? p.string() : p.integer();
                if (m.put(key, v) != null) {
                    throw new IllegalArgumentException("key \"" + key + "\" given twice");
                }
                p.skip();
                if (p.peek() == ',') {
                    p.pos++;
                    continue;
                }
                p.expect('}');
                break;
            }
        }
        p.skip();
        if (p.pos != s.length()) {
            throw new IllegalArgumentException("text after the object at offset " + p.pos);
        }
        return m;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end at offset " + pos);
            }
            return s.charAt(pos);
        }

        void skip() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string at offset " + (pos - 1));
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape at offset " + pos);
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw new IllegalArgumentException("bad \\u escape at offset " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape at offset " + (pos - 1));
                }
            }
        }

        Long integer() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == start || (pos == start + 1 && s.charAt(start) == '-')) {
                throw new IllegalArgumentException("expected a string or an integer at offset " + start);
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer out of range at offset " + start);
            }
        }
    }
}
