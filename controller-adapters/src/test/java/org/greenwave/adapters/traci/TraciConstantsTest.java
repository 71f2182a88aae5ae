/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every constant matches SUMO's own header, name for name and value for value. */
@Tag("sumo")
class TraciConstantsTest {

    private static final Path HEADER = Path.of("/usr/include/libsumo/TraCIConstants.h");
    private static final Pattern DEFINITION =
            Pattern.compile("TRACI_CONST\\s+(int|double)\\s+(\\w+)\\s*=\\s*(-?(?:0x[0-9A-Fa-f]+|[0-9.]+))\\s*;");

    @Test
    void constantsMatchSumosHeader() throws Exception {
        if (!Files.isReadable(HEADER)) {
            throw new AssertionError(HEADER + " is missing; it ships with SUMO. Install SUMO 1.15: "
                    + SumoTestSupport.INSTALL_STEP + ".");
        }
        Map<String, String> header = new HashMap<>();
        Matcher m = DEFINITION.matcher(Files.readString(HEADER));
        while (m.find()) {
            header.put(m.group(2), m.group(3));
        }
        int checked = 0;
        for (Field f : TraciConstants.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) {
                continue;
            }
            assertThat(header).as("header defines %s", f.getName()).containsKey(f.getName());
            String literal = header.get(f.getName());
            if (f.getType() == int.class) {
                assertThat(f.getInt(null)).as(f.getName()).isEqualTo(Integer.decode(literal));
            } else {
                assertThat(f.getDouble(null)).as(f.getName()).isEqualTo(Double.parseDouble(literal));
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(80);
    }
}
