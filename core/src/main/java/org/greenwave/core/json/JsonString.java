package org.greenwave.core.json;

/**
 * The one way Greenwave writes a JSON string: quotes around it, and inside it {@code "} and {@code \} escaped, the
 * control characters below U+0020 escaped ({@code \n}, {@code \r}, {@code \t}, the others as {@code \}{@code u00xx}
 * with lower-case hex digits), and the JavaScript line separators U+2028 and U+2029 escaped as {@code \}{@code u2028}
 * and {@code \}{@code u2029}, so the text is safe inside a JavaScript string too. Every other character stands as
 * itself (encoding it, e.g. as UTF-8, is the writer's business). For text that ends up in an HTML page,
 * {@code escapeLessThan} also writes {@code <} as {@code \}{@code u003c}, so no {@code </script>} can appear.
 *
 * <p>The audit log's lines are hash-chained: what this writes for a given text must never change.
 *
 * <p>Thread-safe; {@link #escape} allocates nothing.
 */
public final class JsonString {
    /** Per ASCII character, its escape inside a JSON string, or null when it stands as itself. */
    private static final String[] ASCII = new String[0x80];
    private static final String LESS_THAN = "\\u003c";
    private static final String LINE_SEPARATOR = "\\u2028";
    private static final String PARAGRAPH_SEPARATOR = "\\u2029";

    static {
        for (char c = 0; c < 0x20; c++) {
            ASCII[c] = String.format("\\u%04x", (int) c);
        }
        ASCII['\n'] = "\\n";
        ASCII['\r'] = "\\r";
        ASCII['\t'] = "\\t";
        ASCII['"'] = "\\\"";
        ASCII['\\'] = "\\\\";
    }

    private JsonString() {
    }

    /**
     * The escape sequence of {@code c} inside a JSON string, or null when {@code c} stands as itself.
     *
     * @param escapeLessThan also escape {@code <} (for text in an HTML page)
     */
    public static String escape(char c, boolean escapeLessThan) {
        if (c < 0x80) {
            return c == '<' && escapeLessThan ? LESS_THAN : ASCII[c];
        }
        return c == '\u2028' ? LINE_SEPARATOR : c == '\u2029' ? PARAGRAPH_SEPARATOR : null;
    }

    /** Appends {@code s} as a JSON string, quotes included. */
    public static StringBuilder append(StringBuilder b, CharSequence s) {
        return append(b, s, false);
    }

    /**
     * Appends {@code s} as a JSON string, quotes included.
     *
     * @param escapeLessThan also escape {@code <} (for text in an HTML page)
     */
    public static StringBuilder append(StringBuilder b, CharSequence s, boolean escapeLessThan) {
        b.append('"');
        int n = s.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            String e = escape(s.charAt(i), escapeLessThan);
            if (e != null) {
                b.append(s, from, i).append(e);
                from = i + 1;
            }
        }
        return b.append(s, from, n).append('"');
    }

    /** {@code s} as a JSON string, quotes included. */
    public static String quote(CharSequence s) {
        return append(new StringBuilder(s.length() + 2), s, false).toString();
    }

    /** {@code s} as a JSON string for an HTML page: quotes included, {@code <} escaped as well. */
    public static String quoteForHtml(CharSequence s) {
        return append(new StringBuilder(s.length() + 2), s, true).toString();
    }
}
