/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.json.JsonString;

/** The plan and health encoders' byte writer escapes strings as the project's one escaper does, then UTF-8. */
class JsonWriterTest {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(100),
                Arbitraries.strings().withChars("\"\\/\n\r\t\b\f\u0000\u001f\u007f<\u2028\u2029\u00e9\ud83d\ude00"
                        + "\ud800\udfff").ofMaxLength(40));
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD, as the writer encodes it. */
    private static String paired(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return b.toString();
    }

    @Property(tries = 2000)
    void writesTheOneEscapersTextInUtf8(@ForAll("texts") String s) {
        byte[] written = new JsonWriter(8).string(s).toByteArray();
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(JsonString.quote(paired(s)));
        assertThat(written).isEqualTo(JsonString.quote(paired(s)).getBytes(StandardCharsets.UTF_8));
    }

    @Example
    void controlCharactersAndLineSeparatorsAreEscaped() {
        String s = "a\"b\\c\nd\b\f\u0001\u2028</x>";
        assertThat(new String(new JsonWriter(8).string(s).toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\u0008\\u000c\\u0001\\u2028</x>\"");
        char[] chars = s.toCharArray();
        assertThat(new JsonWriter(8).string(chars, chars.length).toByteArray())
                .isEqualTo(new JsonWriter(8).string(s).toByteArray());
    }
}
