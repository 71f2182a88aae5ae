/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** What the allocating decoders accept as JSON text: well-formed UTF-8 only. */
class StrictJsonTest {

    @Test
    void aNameWithAnInvalidByteIsMalformedNotAnotherName() {
        // Jackson's byte parser reads "\u00ffeq" (0xFF, then "eq") as the name "eq".
        byte[] payload = "{\"v\":1,\"?eq\":5,\"issuedAtMs\":0,\"expiresAtMs\":1,\"entries\":[]}"
                .getBytes(StandardCharsets.US_ASCII);
        payload[8] = (byte) 0xFF;
        DecodeResult<PlanMessage> r = PlanDecoder.decode("j", payload);
        assertThat(r.isOk()).isFalse();
        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(r.detail()).contains("not valid UTF-8 at byte 8");
    }

    @Test
    void findsTheFirstByteThatIsNotWellFormedUtf8() {
        assertThat(StrictJson.firstInvalidUtf8("{\"a\":\"é€😀\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(StrictJson.firstInvalidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})).isEqualTo(1); // overlong
        assertThat(StrictJson.firstInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isZero(); // surrogate
        assertThat(StrictJson.firstInvalidUtf8(new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82})).isEqualTo(2); // cut short
        assertThat(StrictJson.firstInvalidUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
                .isZero(); // above U+10FFFF
        assertThat(StrictJson.firstInvalidUtf8(new byte[] {(byte) 0x80})).isZero(); // a lone continuation byte
    }

    @Property(tries = 2000)
    void agreesWithTheJdksStrictDecoder(@ForAll byte[] bytes) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdk = false;
        }
        assertThat(StrictJson.firstInvalidUtf8(bytes) < 0).isEqualTo(jdk);
    }
}
