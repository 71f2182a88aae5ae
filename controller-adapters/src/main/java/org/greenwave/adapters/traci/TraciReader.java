/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads big-endian TraCI values from a byte range. Every read is bounds-checked: reading past the
 * end, a negative length or an unexpected type tag throws {@link TraciException} (a protocol error),
 * never an index exception. Strings are decoded as UTF-8.
 *
 * <p>Not thread-safe; the reader is reused for every response by its {@link TraciClient}.
 */
final class TraciReader {

    private byte[] buf;
    private int pos;
    private int limit;

    TraciReader(byte[] buf) {
        reset(buf, 0, buf.length);
    }

    /** Points the reader at {@code buf[offset, limit)}. */
    void reset(byte[] buf, int offset, int limit) {
        if (offset < 0 || limit > buf.length || offset > limit) {
            throw new IllegalArgumentException("bad range [" + offset + ", " + limit + ") of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    /** Moves to {@code newPosition}, which must lie within the readable range. */
    void position(int newPosition) {
        if (newPosition < 0 || newPosition > limit) {
            throw protocolError("position " + newPosition + " outside message of " + limit + " bytes");
        }
        pos = newPosition;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    int readUnsignedByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int readByte() {
        need(1);
        return buf[pos++];
    }

    int readInt() {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    double readDouble() {
        need(8);
        long hi = readInt() & 0xFFFFFFFFL;
        long lo = readInt() & 0xFFFFFFFFL;
        return Double.longBitsToDouble((hi << 32) | lo);
    }

    String readString() {
        int length = readInt();
        if (length < 0) {
            throw protocolError("negative string length " + length);
        }
        need(length);
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /**
     * If the string at the current position is {@code utf8}, skips it and returns true; otherwise leaves the position
     * unchanged and returns false. Compares bytes, without decoding.
     */
    boolean skipStringIfEquals(byte[] utf8) {
        if (limit - pos < 4 + utf8.length) {
            return false;
        }
        int length = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        if (length != utf8.length || !Arrays.equals(buf, pos + 4, pos + 4 + length, utf8, 0, length)) {
            return false;
        }
        pos += 4 + length;
        return true;
    }

    List<String> readStringList() {
        int count = readCount();
        if (count == 0) {
            return List.of();
        }
        // Each string takes at least its 4-byte length, which bounds a corrupt count.
        if (count > remaining() / 4) {
            throw protocolError("string list of " + count + " entries does not fit in " + remaining() + " bytes");
        }
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(readString());
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Reads a command length in either framing and returns the command's total length in bytes,
     * counted from the first length byte. The caller records {@link #position()} before the call to
     * know where the command ends.
     */
    int readCommandLength() {
        int start = pos;
        int length = readUnsignedByte();
        if (length == 0) {
            length = readInt();
            if (length < 6) {
                throw protocolError("long-form command length " + length + " is shorter than its header");
            }
        } else if (length < 2) {
            throw protocolError("command length " + length + " is shorter than its header");
        }
        if (length > limit - start) {
            throw protocolError("command of " + length + " bytes exceeds the " + (limit - start) + " bytes left");
        }
        return length;
    }

    /** Reads a type tag and checks it is {@code expected}. */
    void expectType(int expected) {
        int tag = readUnsignedByte();
        if (tag != expected) {
            throw protocolError(String.format("expected type 0x%02x but found 0x%02x", expected, tag));
        }
    }

    int readTypedInt() {
        expectType(TYPE_INTEGER);
        return readInt();
    }

    double readTypedDouble() {
        expectType(TYPE_DOUBLE);
        return readDouble();
    }

    String readTypedString() {
        expectType(TYPE_STRING);
        return readString();
    }

    List<String> readTypedStringList() {
        expectType(TYPE_STRINGLIST);
        return readStringList();
    }

    /** Reads a compound tag and its item count. */
    int readCompoundHeader() {
        expectType(TYPE_COMPOUND);
        return readCount();
    }

    /** Reads a non-negative 4-byte count. */
    int readCount() {
        int count = readInt();
        if (count < 0) {
            throw protocolError("negative count " + count);
        }
        return count;
    }

    static TraciException protocolError(String detail) {
        return new TraciException("TraCI protocol error: " + detail);
    }

    private void need(int n) {
        if (n > limit - pos) {
            throw protocolError("needed " + n + " more bytes at offset " + pos + " but the message ends at " + limit);
        }
    }
}
