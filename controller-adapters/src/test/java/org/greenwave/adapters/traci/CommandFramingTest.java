/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Short ({@code [len:1][id]}) versus long ({@code [0][len:4][id]}) command framing around 255 bytes. */
class CommandFramingTest {

    private static byte[] content(int length) {
        byte[] c = new byte[length];
        for (int i = 0; i < length; i++) {
            c[i] = (byte) (i * 31 + 7);
        }
        return c;
    }

    private static byte[] frame(int commandId, byte[] content) {
        TraciWriter w = new TraciWriter(4);
        int token = w.beginCommand();
        for (byte b : content) {
            w.writeUnsignedByte(b & 0xFF);
        }
        w.endCommand(token, commandId);
        return w.toByteArray();
    }

    @Example
    void contentOf253BytesIsTheLargestShortFrame() {
        byte[] framed = frame(0xc2, content(253));
        assertThat(framed).hasSize(255);
        assertThat(framed[0] & 0xFF).isEqualTo(255);
        assertThat(framed[1] & 0xFF).isEqualTo(0xc2);
        assertThat(Arrays.copyOfRange(framed, 2, 255)).isEqualTo(content(253));
    }

    @Example
    void contentOf254BytesNeedsTheLongFrame() {
        byte[] framed = frame(0xc2, content(254));
        assertThat(framed).hasSize(260);
        assertThat(framed[0]).isZero();
        TraciReader r = new TraciReader(framed);
        r.readUnsignedByte();
        assertThat(r.readInt()).as("long length counts the whole command").isEqualTo(260);
        assertThat(r.readUnsignedByte()).isEqualTo(0xc2);
        assertThat(Arrays.copyOfRange(framed, 6, 260)).isEqualTo(content(254));
    }

    @Property
    void framingMatchesTheHandBuiltEncodingAndReadsBack(@ForAll @IntRange(min = 0, max = 700) int length,
                                                       @ForAll @IntRange(min = 0, max = 255) int commandId) {
        byte[] framed = frame(commandId, content(length));
        assertThat(framed).isEqualTo(Bytes.of().command(commandId, Bytes.of().raw(content(length))).toArray());

        TraciReader r = new TraciReader(framed);
        int total = r.readCommandLength();
        assertThat(total).isEqualTo(framed.length);
        assertThat(r.readUnsignedByte()).isEqualTo(commandId);
        assertThat(r.remaining()).isEqualTo(length);
    }

    @Property
    void severalCommandsInOneMessage(@ForAll @IntRange(min = 0, max = 400) int first,
                                     @ForAll @IntRange(min = 0, max = 400) int second) {
        TraciWriter w = new TraciWriter(4);
        w.beginMessage();
        for (int length : new int[] {first, second}) {
            int token = w.beginCommand();
            for (byte b : content(length)) {
                w.writeUnsignedByte(b & 0xFF);
            }
            w.endCommand(token, 0xab);
        }
        w.endMessage();
        byte[] message = w.toByteArray();
        TraciReader r = new TraciReader(message);
        assertThat(r.readInt()).isEqualTo(message.length);
        for (int length : new int[] {first, second}) {
            int start = r.position();
            int total = r.readCommandLength();
            assertThat(r.readUnsignedByte()).isEqualTo(0xab);
            r.position(start + total);
            assertThat(total - (length + 2 <= 255 ? 2 : 6)).isEqualTo(length);
        }
        assertThat(r.hasRemaining()).isFalse();
    }

    @Example
    void aCommandLongerThanTheMessageIsAProtocolError() {
        TraciReader r = new TraciReader(Bytes.of().ub(0).i(100).ub(0x02).toArray());
        assertThatThrownBy(r::readCommandLength).isInstanceOf(TraciException.class)
                .hasMessageContaining("exceeds");
    }

    @Example
    void aLongLengthShorterThanItsHeaderIsAProtocolError() {
        TraciReader r = new TraciReader(Bytes.of().ub(0).i(3).ub(0x02).toArray());
        assertThatThrownBy(r::readCommandLength).isInstanceOf(TraciException.class)
                .hasMessageContaining("shorter than its header");
    }
}
