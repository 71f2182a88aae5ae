/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.Arrays;

import org.greenwave.core.json.JsonString;

/**
 * Appends compact JSON to a reusable byte buffer. Apart from growing the buffer (rare: it keeps its size between
 * messages) it allocates nothing, except {@link #number(double)}, which goes through {@link Double#toString}.
 * Commas between members and elements are the caller's business ({@link #comma()}).
 *
 * <p>Not thread-safe: one writer per thread.
 */
final class JsonWriter {

    private byte[] buf;
    private int len;

    JsonWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    JsonWriter reset() {
        len = 0;
        return this;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    /** A copy of the bytes written, exactly sized. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    JsonWriter raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends {@code ascii} verbatim; it must be ASCII JSON syntax (no escaping is done). */
    JsonWriter raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    JsonWriter comma() {
        return raw(',');
    }

    /** {@code "name":}; {@code name} must be plain ASCII without quotes or backslashes. */
    JsonWriter key(String name) {
        raw('"');
        raw(name);
        return raw("\":");
    }

    JsonWriter nul() {
        return raw("null");
    }

    JsonWriter bool(boolean value) {
        return raw(value ? "true" : "false");
    }

    JsonWriter number(long value) {
        ensure(20);
        if (value == Long.MIN_VALUE) {
            return raw("-9223372036854775808");
        }
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int at = len + digits;
        len = at;
        do {
            buf[--at] = (byte) ('0' + (value % 10));
            value /= 10;
        } while (value != 0);
        return this;
    }

    /**
     * A finite double in Java's shortest round-tripping form, which is valid JSON. Allocates a String.
     *
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot carry
     */
    JsonWriter number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON cannot carry " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return number((long) value);
        }
        return raw(Double.toString(value));
    }

    /**
     * A JSON string: quotes, escapes ({@link JsonString}, the project's one rule), UTF-8. Unpaired surrogates become
     * U+FFFD.
     */
    JsonWriter string(CharSequence s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String escaped = JsonString.escape(c, false);
            if (escaped != null) {
                raw(escaped);
            } else if (c < 0x80) {
                ensure(1);
                buf[len++] = (byte) c;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, s.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                utf8(0xFFFD);
            } else {
                utf8(c);
            }
        }
        return raw('"');
    }

    /** A JSON string of {@code n} chars of {@code chars}. */
    JsonWriter string(char[] chars, int n) {
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            String escaped = JsonString.escape(c, false);
            if (escaped != null) {
                raw(escaped);
            } else if (c < 0x80) {
                ensure(1);
                buf[len++] = (byte) c;
            } else if (Character.isSurrogate(c)) {
                utf8(0xFFFD);
            } else {
                utf8(c);
            }
        }
        return raw('"');
    }

    private void utf8(int cp) {
        ensure(4);
        if (cp < 0x800) {
            buf[len++] = (byte) (0xC0 | (cp >> 6));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xE0 | (cp >> 12));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            buf[len++] = (byte) (0xF0 | (cp >> 18));
            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
        }
    }
}
