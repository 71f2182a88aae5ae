package org.greenwave.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one JSON string escaper writes exactly what the audit log's own escaper wrote before it (the log's lines are
 * hash-chained, so one changed byte would break every chain written before), and what the dashboard's wrote.
 */
class JsonStringTest {

    /** The audit log's escaper as it was (FlatJson.string), kept as the reference. */
    private static String auditLogBefore(String s) {
        StringBuilder b = new StringBuilder();
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The dashboard's escaper as it was (DashboardServer.quote), kept as the reference. */
    private static String dashboardBefore(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<' -> b.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Any text, and text made mostly of the characters an escaper treats specially. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("\"\\/\n\r\t\b\f\u0000\u0001\u001f\u0020\u007f<>&'\u2028\u2029"
                        + "\u00a0\u00e9\u4e2d\ud83d\ude00\ud800\udfff\ufffd\ufeff").ofMaxLength(60),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(80),
                Arbitraries.strings().withCharRange('\u2000', '\u2030').ofMaxLength(40));
    }

    @Property(tries = 3000)
    void writesExactlyTheBytesTheAuditLogWroteBefore(@ForAll("texts") String s) {
        assertThat(JsonString.quote(s)).isEqualTo(auditLogBefore(s));
        assertThat(JsonString.append(new StringBuilder("x"), s).toString()).isEqualTo("x" + auditLogBefore(s));
        assertThat(JsonString.quote(s).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(auditLogBefore(s).getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 3000)
    void forAPageItWritesWhatTheDashboardWroteBefore(@ForAll("texts") String s) {
        assertThat(JsonString.quoteForHtml(s)).isEqualTo(dashboardBefore(s));
    }

    @Property(tries = 500)
    void everyCharacterHasTheEscapeTheTextGets(@ForAll char c) {
        String e = JsonString.escape(c, false);
        assertThat(JsonString.quote(String.valueOf(c))).isEqualTo("\"" + (e == null ? String.valueOf(c) : e) + "\"");
    }

    @Example
    void everyCharacterBelowU0080AndTheLineSeparatorsAgreeWithTheReference() {
        for (char c = 0; c < 0x3000; c++) {
            String s = "a" + c + "b";
            assertThat(JsonString.quote(s)).as("U+%04X", (int) c).isEqualTo(auditLogBefore(s));
            assertThat(JsonString.quoteForHtml(s)).as("U+%04X", (int) c).isEqualTo(dashboardBefore(s));
        }
        assertThat(JsonString.quote("</script>\u2028")).isEqualTo("\"</script>\\u2028\"");
        assertThat(JsonString.quoteForHtml("</script>")).isEqualTo("\"\\u003c/script>\"");
        assertThat(JsonString.escape('\b', false)).isEqualTo("\\u0008");
        assertThat(JsonString.escape('a', true)).isNull();
    }
}
