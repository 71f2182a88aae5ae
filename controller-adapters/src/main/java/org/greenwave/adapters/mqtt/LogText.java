/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * Makes text that came from outside (MQTT topics, payload bytes) safe to put in a log line: bounded in length, and
 * with every character that could forge a line, hide text or reorder it (controls, line and paragraph separators,
 * Unicode format characters such as bidirectional overrides, unpaired surrogates) escaped as {@code \n},
 * {@code \t}, {@code \r}, {@code \}{@code uXXXX} or, beyond the BMP, {@code \}{@code u{XXXXX}}; bytes that are
 * not UTF-8 appear as {@code \}{@code xNN}. In a quoted value the backslash and the double quote are escaped too, so
 * it cannot end early.
 *
 * <p>Stateless; allocates only the returned string. Meant for the rate-limited reject log, never for the hot path.
 */
final class LogText {
    /** Longest value shown, in characters (code points); longer ones are cut and their length given. */
    static final int MAX_VALUE_CHARS = 64;
    /** Longest topic or detail shown, in characters. */
    static final int MAX_TEXT_CHARS = 256;

    private LogText() {
    }

    /**
     * The bytes {@code b[off, off+len)} as a double-quoted, escaped string of at most {@code maxChars} characters
     * before escaping; a longer value ends in {@code …} and {@code (N bytes)}.
     */
    static String quoted(byte[] b, int off, int len, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(len, maxChars) + 16).append('"');
        int end = off + len;
        int i = off;
        int chars = 0;
        while (i < end && chars < maxChars) {
            int c = b[i] & 0xFF;
            int n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            int cp = -1;
            if (n == 1) {
                cp = c;
            } else if (n > 1 && i + n <= end) {
                cp = c & (0xFF >> (n + 1));
                for (int k = 1; k < n && cp >= 0; k++) {
                    int cc = b[i + k] & 0xFF;
                    cp = (cc & 0xC0) == 0x80 ? (cp << 6) | (cc & 0x3F) : -1;
                }
                // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
                if (cp >= 0 && (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                        || n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
                    cp = -1;
                }
            }
            if (cp < 0) {
                out.append(String.format("\\x%02x", c));
                i++;
            } else {
                appendEscaped(out, cp);
                i += n;
            }
            chars++;
        }
        out.append('"');
        if (i < end) {
            out.append("… (").append(len).append(" bytes)");
        }
        return out.toString();
    }

    /**
     * {@code s} for an unquoted place in a line: its control and format characters escaped (quotes and backslashes
     * kept as they are), cut to {@code maxChars} characters with {@code …} and its length when longer.
     */
    static String text(CharSequence s, int maxChars) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), maxChars) + 16);
        int i = 0;
        int chars = 0;
        while (i < s.length() && chars < maxChars) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(i + 1));
                i++;
            }
            if (cp == '"' || cp == '\\') {
                out.append((char) cp);
            } else {
                appendEscaped(out, cp);
            }
            i++;
            chars++;
        }
        if (i < s.length()) {
            out.append("… (").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int cp) {
        switch (cp) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            case '"' -> out.append("\\\"");
            default -> {
                int type = Character.getType(cp);
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
                    out.append(String.format(cp > 0xFFFF ? "\\u{%x}" : "\\u%04x", cp));
                } else {
                    out.appendCodePoint(cp);
                }
            }
        }
    }
}
