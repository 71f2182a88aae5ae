/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds TraCI messages in a reusable, growing big-endian byte buffer.
 *
 * <p>Usage: {@link #beginMessage()}, then per command {@link #beginCommand()}, the content,
 * {@link #endCommand(int, int)}; finally {@link #endMessage()}. Commands are framed in the short form
 * {@code [len:1][id:1][content]} when they fit in 255 bytes and in the long form
 * {@code [0:1][len:4][id:1][content]} otherwise; in both forms {@code len} counts the whole command
 * including its header. Strings are written as UTF-8.
 *
 * <p>Not thread-safe; owned by one {@link TraciClient} (or a test).
 */
final class TraciWriter {

    /** Bytes reserved for a command header: the long form's {@code 0, int length, id}. */
    private static final int LONG_HEADER = 6;
    private static final int SHORT_HEADER = 2;

    private byte[] buf;
    private int size;
    private int openCommands;

    TraciWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Discards everything and reserves the 4-byte message length. */
    void beginMessage() {
        size = 0;
        openCommands = 0;
        writeInt(0);
    }

    /** Patches the message length (which counts its own 4 bytes). */
    void endMessage() {
        if (openCommands != 0) {
            throw new IllegalStateException("message ended with an unterminated command");
        }
        putInt(0, size);
    }

    /** Starts a command; returns the token to pass to {@link #endCommand}. */
    int beginCommand() {
        int start = size;
        ensure(LONG_HEADER);
        size += LONG_HEADER;
        openCommands++;
        return start;
    }

    /** Frames the command started at {@code start} with id {@code commandId}, choosing short or long form. */
    void endCommand(int start, int commandId) {
        int contentStart = start + LONG_HEADER;
        int contentLength = size - contentStart;
        if (contentLength + SHORT_HEADER <= 255) {
            // Content was written after room for the long header; move it up to close the gap.
            System.arraycopy(buf, contentStart, buf, start + SHORT_HEADER, contentLength);
            buf[start] = (byte) (contentLength + SHORT_HEADER);
            buf[start + 1] = (byte) commandId;
            size -= LONG_HEADER - SHORT_HEADER;
        } else {
            buf[start] = 0;
            putInt(start + 1, contentLength + LONG_HEADER);
            buf[start + 5] = (byte) commandId;
        }
        openCommands--;
    }

    int size() {
        return size;
    }

    /** The backing array; valid bytes are {@code [0, size())}. */
    byte[] array() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void writeUnsignedByte(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("unsigned byte out of range: " + value);
        }
        ensure(1);
        buf[size++] = (byte) value;
    }

    void writeByte(int value) {
        if (value < -128 || value > 127) {
            throw new IllegalArgumentException("byte out of range: " + value);
        }
        ensure(1);
        buf[size++] = (byte) value;
    }

    void writeInt(int value) {
        ensure(4);
        putInt(size, value);
        size += 4;
    }

    void writeDouble(double value) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        putInt(size, (int) (bits >>> 32));
        putInt(size + 4, (int) bits);
        size += 8;
    }

    void writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    void writeStringList(List<String> values) {
        writeInt(values.size());
        for (String s : values) {
            writeString(s);
        }
    }

    void writeTypedUnsignedByte(int value) {
        writeUnsignedByte(TYPE_UBYTE);
        writeUnsignedByte(value);
    }

    void writeTypedByte(int value) {
        writeUnsignedByte(TYPE_BYTE);
        writeByte(value);
    }

    void writeTypedInt(int value) {
        writeUnsignedByte(TYPE_INTEGER);
        writeInt(value);
    }

    void writeTypedDouble(double value) {
        writeUnsignedByte(TYPE_DOUBLE);
        writeDouble(value);
    }

    void writeTypedString(String value) {
        writeUnsignedByte(TYPE_STRING);
        writeString(value);
    }

    void writeTypedStringList(List<String> values) {
        writeUnsignedByte(TYPE_STRINGLIST);
        writeStringList(values);
    }

    void writeTypedDoubleList(double[] values) {
        writeUnsignedByte(TYPE_DOUBLELIST);
        writeInt(values.length);
        for (double v : values) {
            writeDouble(v);
        }
    }

    /** Writes the compound tag and item count; the caller then writes {@code itemCount} typed values. */
    void writeCompoundHeader(int itemCount) {
        writeUnsignedByte(TYPE_COMPOUND);
        writeInt(itemCount);
    }

    private void putInt(int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
