package org.greenwave.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import picocli.CommandLine;

/**
 * The SUMO seeds a command runs, as every command takes them: exact seeds separated by commas, each a number or an
 * inclusive range, e.g. {@code 1,2,3}, {@code 1-3} or {@code 1-3,7}. One number is one seed.
 *
 * @param values the seeds, in the order given, each once
 */
record Seeds(List<Long> values) {
    /** Most seeds one option may name (a typing slip such as {@code 1-10000000} fails instead of running for ever). */
    static final int MAX_SEEDS = 10_000;
    /** What the help of every {@code --seeds} option says about the form. */
    static final String FORM = "SUMO seeds: exact seeds (1,2,3), a range (1-3) or both (1-3,7)";

    Seeds {
        values = List.copyOf(values);
    }

    static Seeds of(long... seeds) {
        List<Long> v = new ArrayList<>();
        for (long s : seeds) {
            v.add(s);
        }
        return new Seeds(v);
    }

    /**
     * Parses {@code 1,2,3}, {@code 1-3}, {@code 1-3,7}; empty parts (a trailing comma) are refused.
     *
     * @throws IllegalArgumentException naming the part at fault
     */
    static Seeds parse(String text) {
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (String raw : text.split(",", -1)) {
            String part = raw.trim();
            int dash = part.indexOf('-', 1);
            long first;
            long last;
            if (dash < 0) {
                first = seed(part, part);
                last = first;
            } else {
                first = seed(part.substring(0, dash).trim(), part);
                last = seed(part.substring(dash + 1).trim(), part);
                if (last < first) {
                    throw new IllegalArgumentException("'" + part + "' is an empty range (" + first + " is after "
                            + last + ")");
                }
            }
            if (last - first >= MAX_SEEDS || out.size() + (last - first) >= MAX_SEEDS) {
                throw new IllegalArgumentException("'" + text + "' names more than " + MAX_SEEDS + " seeds");
            }
            for (long s = first; s <= last; s++) {
                if (!out.add(s)) {
                    throw new IllegalArgumentException("seed " + s + " is named twice in '" + text + "'");
                }
            }
        }
        return new Seeds(new ArrayList<>(out));
    }

    private static long seed(String s, String part) {
        if (!s.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(part.isEmpty() ? "an empty seed (two commas, or one at an end)"
                    : "'" + part + "' is not a seed (a whole number 0 or more) or a range of seeds such as 1-3");
        }
        return Long.parseLong(s);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Long v : values) {
            b.append(b.length() == 0 ? "" : ",").append(v);
        }
        return b.toString();
    }

    /** Picocli's converter for {@code --seeds} and the like. */
    static final class Converter implements CommandLine.ITypeConverter<Seeds> {
        @Override
        public Seeds convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
