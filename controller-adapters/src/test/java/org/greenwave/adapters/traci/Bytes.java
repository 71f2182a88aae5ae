/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Hand-builds TraCI bytes for tests with {@link DataOutputStream}, independently of
 * {@link TraciWriter}, so codec tests do not check the writer against itself.
 */
final class Bytes {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    static Bytes of() {
        return new Bytes();
    }

    Bytes ub(int v) {
        return io(() -> out.writeByte(v));
    }

    Bytes i(int v) {
        return io(() -> out.writeInt(v));
    }

    Bytes d(double v) {
        return io(() -> out.writeDouble(v));
    }

    Bytes s(String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        i(b.length);
        return raw(b);
    }

    Bytes raw(byte[] b) {
        return io(() -> out.write(b));
    }

    Bytes typedInt(int v) {
        return ub(TYPE_INTEGER).i(v);
    }

    Bytes typedDouble(double v) {
        return ub(TYPE_DOUBLE).d(v);
    }

    Bytes typedString(String v) {
        return ub(TYPE_STRING).s(v);
    }

    Bytes typedStringList(String... values) {
        ub(TYPE_STRINGLIST).i(values.length);
        for (String v : values) {
            s(v);
        }
        return this;
    }

    Bytes compound(int items) {
        return ub(TYPE_COMPOUND).i(items);
    }

    /** Appends a framed command: short form if it fits in 255 bytes, long form otherwise. */
    Bytes command(int id, Bytes content) {
        byte[] c = content.toArray();
        if (c.length + 2 <= 255) {
            ub(c.length + 2).ub(id);
        } else {
            ub(0).i(c.length + 6).ub(id);
        }
        return raw(c);
    }

    /** Appends a status response. */
    Bytes status(int commandId, int result, String description) {
        return command(commandId, of().ub(result).s(description));
    }

    byte[] toArray() {
        return bytes.toByteArray();
    }

    /** A reader over the bytes built so far. */
    TraciReader reader() {
        return new TraciReader(toArray());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private Bytes io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
