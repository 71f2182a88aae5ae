/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict RFC 8259 JSON tokenizer over a byte range, for decoders that know their schema. It allocates nothing:
 * a string is reported as a span of the input (or, when it holds escapes, of an internal scratch buffer it was
 * unescaped into), a number as a {@code long} and a {@code double}.
 *
 * <p>On the first syntax error a method returns false and records {@link #error()} (a constant message) and
 * {@link #errorPos()}; the scanner is then done with this input. Input is checked completely: strings must be valid
 * UTF-8 without raw control characters or unpaired surrogate escapes, numbers must follow the JSON grammar (no
 * leading zeros, no {@code NaN}), and containers may nest at most {@link #MAX_DEPTH} deep.
 *
 * <p>Not thread-safe: one scanner per decoding thread.
 */
final class JsonScanner {

    static final int MAX_DEPTH = 32;

    static final int END = -1;
    static final int INVALID = 0;
    static final int OBJECT = 1;
    static final int ARRAY = 2;
    static final int STRING = 3;
    static final int NUMBER = 4;
    static final int TRUE = 5;
    static final int FALSE = 6;
    static final int NULL = 7;

    private static final byte[] LIT_TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] LIT_FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] LIT_NULL = {'n', 'u', 'l', 'l'};
    /** Powers of ten exactly representable as doubles. */
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private byte[] buf;
    private int pos;
    private int end;

    private final byte[] scratch;
    private final boolean[] depthIsArray = new boolean[MAX_DEPTH];

    private byte[] strBuf;
    private int strOff;
    private int strLen;

    private boolean numInteger;
    private long numLong;
    private double numDouble;

    private String error;
    private int errorPos;

    /** @param maxInputBytes longest input that will be scanned; sizes the unescaping buffer */
    JsonScanner(int maxInputBytes) {
        this.scratch = new byte[maxInputBytes];
    }

    /** Starts scanning {@code b[off, off+len)}. */
    void reset(byte[] b, int off, int len) {
        if (len > scratch.length) {
            throw new IllegalArgumentException("input of " + len + " bytes exceeds the scanner's " + scratch.length);
        }
        buf = b;
        pos = off;
        end = off + len;
        error = null;
        errorPos = -1;
    }

    String error() {
        return error;
    }

    int errorPos() {
        return errorPos;
    }

    int pos() {
        return pos;
    }

    /** Records a syntax error (the first one wins) and returns false. */
    boolean fail(String message) {
        if (error == null) {
            error = message;
            errorPos = pos;
        }
        return false;
    }

    private void skipWs() {
        while (pos < end) {
            byte c = buf[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Skips whitespace and tells what the next value is, without consuming it. */
    int peekKind() {
        skipWs();
        if (pos >= end) {
            return END;
        }
        byte c = buf[pos];
        switch (c) {
            case '{':
                return OBJECT;
            case '[':
                return ARRAY;
            case '"':
                return STRING;
            case 't':
                return TRUE;
            case 'f':
                return FALSE;
            case 'n':
                return NULL;
            default:
                return c == '-' || (c >= '0' && c <= '9') ? NUMBER : INVALID;
        }
    }

    /** Skips whitespace and consumes {@code c} if it comes next. */
    boolean consume(char c) {
        skipWs();
        if (pos < end && buf[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** True when only whitespace is left. */
    boolean atEnd() {
        skipWs();
        return pos >= end;
    }

    /** Reads an object key and the colon after it. */
    boolean readKey() {
        if (peekKind() != STRING) {
            return fail("string key expected");
        }
        if (!readString()) {
            return false;
        }
        return consume(':') || fail("':' expected after key");
    }

    /** True when the last string read equals the ASCII/UTF-8 bytes {@code literal}. */
    boolean stringIs(byte[] literal) {
        return strLen == literal.length && Arrays.equals(strBuf, strOff, strOff + strLen, literal, 0, literal.length);
    }

    byte[] stringBuf() {
        return strBuf;
    }

    int stringOff() {
        return strOff;
    }

    int stringLen() {
        return strLen;
    }

    boolean numberIsInteger() {
        return numInteger;
    }

    /** The last number as a long: exact for integers that fit, saturated beyond, truncated for fractions. */
    long numberLong() {
        return numLong;
    }

    double numberDouble() {
        return numDouble;
    }

    /** Reads a string; the next byte must be its opening quote. */
    boolean readString() {
        int start = pos + 1;
        int i = start;
        while (true) {
            if (i >= end) {
                pos = i;
                return fail("unterminated string");
            }
            int c = buf[i];
            if (c == '"') {
                strBuf = buf;
                strOff = start;
                strLen = i - start;
                pos = i + 1;
                return true;
            }
            if (c == '\\') {
                return readEscapedString(start, i);
            }
            if (c >= 0 && c < 0x20) {
                pos = i;
                return fail("control character in string");
            }
            if (c < 0) {
                int next = validUtf8(i);
                if (next < 0) {
                    pos = i;
                    return fail("invalid UTF-8 in string");
                }
                i = next;
            } else {
                i++;
            }
        }
    }

    /** Slow path: the string from {@code start} has its first escape at {@code escape}; unescape into scratch. */
    private boolean readEscapedString(int start, int escape) {
        int n = escape - start;
        System.arraycopy(buf, start, scratch, 0, n);
        int i = escape;
        while (true) {
            if (i >= end) {
                pos = i;
                return fail("unterminated string");
            }
            int c = buf[i];
            if (c == '"') {
                strBuf = scratch;
                strOff = 0;
                strLen = n;
                pos = i + 1;
                return true;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    pos = i;
                    return fail("unterminated escape");
                }
                int e = buf[i + 1];
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        scratch[n++] = (byte) e;
                        i += 2;
                        break;
                    case 'b':
                        scratch[n++] = '\b';
                        i += 2;
                        break;
                    case 'f':
                        scratch[n++] = '\f';
                        i += 2;
                        break;
                    case 'n':
                        scratch[n++] = '\n';
                        i += 2;
                        break;
                    case 'r':
                        scratch[n++] = '\r';
                        i += 2;
                        break;
                    case 't':
                        scratch[n++] = '\t';
                        i += 2;
                        break;
                    case 'u': {
                        int cp = hex4(i + 2);
                        if (cp < 0) {
                            pos = i;
                            return fail("bad \\u escape");
                        }
                        i += 6;
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            int lo = i + 1 < end && buf[i] == '\\' && buf[i + 1] == 'u' ? hex4(i + 2) : -1;
                            if (lo < 0xDC00 || lo > 0xDFFF) {
                                pos = i;
                                return fail("unpaired surrogate escape");
                            }
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            i += 6;
                        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            pos = i;
                            return fail("unpaired surrogate escape");
                        }
                        n = putUtf8(cp, n);
                        break;
                    }
                    default:
                        pos = i;
                        return fail("bad escape");
                }
            } else if (c >= 0 && c < 0x20) {
                pos = i;
                return fail("control character in string");
            } else if (c < 0) {
                int next = validUtf8(i);
                if (next < 0) {
                    pos = i;
                    return fail("invalid UTF-8 in string");
                }
                while (i < next) {
                    scratch[n++] = buf[i++];
                }
            } else {
                scratch[n++] = (byte) c;
                i++;
            }
        }
    }

    private int hex4(int at) {
        if (at + 4 > end) {
            return -1;
        }
        int v = 0;
        for (int k = at; k < at + 4; k++) {
            int c = buf[k];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private int putUtf8(int cp, int n) {
        if (cp < 0x80) {
            scratch[n++] = (byte) cp;
        } else if (cp < 0x800) {
            scratch[n++] = (byte) (0xC0 | (cp >> 6));
            scratch[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            scratch[n++] = (byte) (0xE0 | (cp >> 12));
            scratch[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            scratch[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            scratch[n++] = (byte) (0xF0 | (cp >> 18));
            scratch[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            scratch[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            scratch[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }

    /**
     * Checks the multi-byte UTF-8 sequence starting at {@code i} (Unicode 15, table 3-7: no overlong forms, no
     * surrogates, nothing above U+10FFFF) and returns the index after it, or -1.
     */
    private int validUtf8(int i) {
        return utf8SequenceEnd(buf, i, end);
    }

    /**
     * The index after the multi-byte UTF-8 sequence that starts at {@code i} in {@code b} and ends before
     * {@code end}, or -1 when it is not well formed (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing
     * above U+10FFFF). No allocation.
     */
    static int utf8SequenceEnd(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        int len;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        if (i + len > end) {
            return -1;
        }
        int b1 = b[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return -1;
        }
        for (int k = i + 2; k < i + len; k++) {
            int c = b[k] & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return -1;
            }
        }
        return i + len;
    }

    /**
     * Reads a number. Integers (no fraction, no exponent) are exact in {@link #numberLong()} up to the long range and
     * saturate beyond. {@link #numberDouble()} is the correctly rounded value: computed directly for up to 15-16
     * significant digits and exponents within 22 (Clinger's fast path, which covers what sensors send); longer forms
     * go through {@link Double#parseDouble}, the one place the scanner allocates.
     */
    boolean readNumber() {
        int start = pos;
        boolean negative = false;
        if (buf[pos] == '-') {
            negative = true;
            pos++;
        }
        if (pos >= end) {
            return fail("digit expected");
        }
        long mantissa = 0;
        int exp10 = 0;
        boolean inexact = false;
        boolean overflow = false;
        byte c = buf[pos];
        if (c == '0') {
            pos++;
            if (pos < end && isDigit(buf[pos])) {
                return fail("leading zero in number");
            }
        } else if (c >= '1' && c <= '9') {
            while (pos < end && isDigit(buf[pos])) {
                int d = buf[pos] - '0';
                if (mantissa <= (Long.MAX_VALUE - d) / 10) {
                    mantissa = mantissa * 10 + d;
                } else {
                    overflow = true;
                    exp10++;
                    inexact |= d != 0;
                }
                pos++;
            }
        } else {
            return fail("digit expected");
        }
        boolean integer = true;
        if (pos < end && buf[pos] == '.') {
            integer = false;
            pos++;
            if (pos >= end || !isDigit(buf[pos])) {
                return fail("digit expected after '.'");
            }
            while (pos < end && isDigit(buf[pos])) {
                int d = buf[pos] - '0';
                if (mantissa <= (Long.MAX_VALUE - d) / 10) {
                    mantissa = mantissa * 10 + d;
                    exp10--;
                } else {
                    inexact |= d != 0;
                }
                pos++;
            }
        }
        if (pos < end && (buf[pos] == 'e' || buf[pos] == 'E')) {
            integer = false;
            pos++;
            boolean expNegative = false;
            if (pos < end && (buf[pos] == '+' || buf[pos] == '-')) {
                expNegative = buf[pos] == '-';
                pos++;
            }
            if (pos >= end || !isDigit(buf[pos])) {
                return fail("digit expected in exponent");
            }
            int exp = 0;
            while (pos < end && isDigit(buf[pos])) {
                if (exp < 100_000) {
                    exp = exp * 10 + (buf[pos] - '0');
                }
                pos++;
            }
            exp10 += expNegative ? -exp : exp;
        }
        numInteger = integer;
        if (integer) {
            numLong = overflow ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : (negative ? -mantissa : mantissa);
        }
        double value;
        if (mantissa == 0 && !inexact) {
            value = 0.0;
        } else if (!inexact && mantissa <= MAX_EXACT_MANTISSA && exp10 >= -22 && exp10 <= 22) {
            value = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
        } else {
            value = Double.parseDouble(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
            value = Math.abs(value);
        }
        numDouble = negative ? -value : value;
        if (!integer) {
            numLong = (long) numDouble;
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Reads {@code true}, {@code false} or {@code null} as announced by {@link #peekKind()}. */
    boolean readLiteral(int kind) {
        byte[] lit = kind == TRUE ? LIT_TRUE : kind == FALSE ? LIT_FALSE : LIT_NULL;
        if (end - pos < lit.length || !Arrays.equals(buf, pos, pos + lit.length, lit, 0, lit.length)) {
            return fail("invalid literal");
        }
        pos += lit.length;
        return true;
    }

    /** Reads and discards one complete value of any kind, checking its syntax. */
    boolean skipValue() {
        int depth = 0;
        while (true) {
            // A value is expected here.
            int kind = peekKind();
            switch (kind) {
                case STRING:
                    if (!readString()) {
                        return false;
                    }
                    break;
                case NUMBER:
                    if (!readNumber()) {
                        return false;
                    }
                    break;
                case TRUE:
                case FALSE:
                case NULL:
                    if (!readLiteral(kind)) {
                        return false;
                    }
                    break;
                case OBJECT:
                case ARRAY:
                    if (depth == MAX_DEPTH) {
                        return fail("nesting too deep");
                    }
                    pos++;
                    depthIsArray[depth++] = kind == ARRAY;
                    if (consume(kind == ARRAY ? ']' : '}')) {
                        depth--;
                        break;
                    }
                    if (kind == OBJECT && !readKey()) {
                        return false;
                    }
                    continue;
                case END:
                    return fail("value expected but input ended");
                default:
                    return fail("value expected");
            }
            // A value is complete: close containers until one continues with ','.
            while (true) {
                if (depth == 0) {
                    return true;
                }
                boolean array = depthIsArray[depth - 1];
                if (consume(',')) {
                    if (!array && !readKey()) {
                        return false;
                    }
                    break;
                }
                if (consume(array ? ']' : '}')) {
                    depth--;
                } else {
                    return fail(array ? "',' or ']' expected" : "',' or '}' expected");
                }
            }
        }
    }
}
