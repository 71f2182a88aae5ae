/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greenwave.adapters.traci.TraciConstants.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Write-then-read round trips of every TraCI value type, and agreement with a hand-built encoding. */
class CodecPropertiesTest {

    /** A string list in the test model, to tell it apart from a compound of strings when writing. */
    record StrList(List<String> values) {
    }

    @Property
    void intsRoundTrip(@ForAll int value) {
        TraciWriter w = new TraciWriter(8);
        w.writeInt(value);
        w.writeTypedInt(value);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(r.readInt()).isEqualTo(value);
        assertThat(r.readTypedInt()).isEqualTo(value);
        assertThat(r.hasRemaining()).isFalse();
        assertThat(w.toByteArray()).isEqualTo(Bytes.of().i(value).typedInt(value).toArray());
    }

    @Property
    void doublesRoundTripBitForBit(@ForAll("doubles") double value) {
        TraciWriter w = new TraciWriter(8);
        w.writeTypedDouble(value);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(Double.doubleToRawLongBits(r.readTypedDouble())).isEqualTo(Double.doubleToRawLongBits(value));
        assertThat(w.toByteArray()).isEqualTo(Bytes.of().typedDouble(value).toArray());
    }

    @Property
    void bytesRoundTrip(@ForAll @IntRange(min = 0, max = 255) int unsigned,
                        @ForAll @IntRange(min = -128, max = 127) int signed) {
        TraciWriter w = new TraciWriter(8);
        w.writeTypedUnsignedByte(unsigned);
        w.writeTypedByte(signed);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(TraciCodec.readTypedValue(r)).isEqualTo(unsigned);
        assertThat(TraciCodec.readTypedValue(r)).isEqualTo(signed);
    }

    @Property
    void stringsRoundTrip(@ForAll("strings") String value) {
        TraciWriter w = new TraciWriter(8);
        w.writeTypedString(value);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(r.readTypedString()).isEqualTo(value);
        assertThat(r.hasRemaining()).isFalse();
        assertThat(w.toByteArray()).isEqualTo(Bytes.of().typedString(value).toArray());
    }

    @Property
    void stringListsRoundTrip(@ForAll @Size(max = 20) List<@From("strings") String> values) {
        TraciWriter w = new TraciWriter(8);
        w.writeTypedStringList(values);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(r.readTypedStringList()).isEqualTo(values);
        assertThat(w.toByteArray()).isEqualTo(Bytes.of().typedStringList(values.toArray(String[]::new)).toArray());
    }

    @Property
    void doubleListsRoundTrip(@ForAll @Size(max = 50) List<@From("doubles") Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        TraciWriter w = new TraciWriter(8);
        w.writeTypedDoubleList(array);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat((double[]) TraciCodec.readTypedValue(r)).isEqualTo(array);
    }

    @Property
    void compoundsRoundTrip(@ForAll("values") Object value) {
        TraciWriter w = new TraciWriter(8);
        write(w, value);
        TraciReader r = new TraciReader(w.toByteArray());
        assertThat(TraciCodec.readTypedValue(r)).isEqualTo(expected(value));
        assertThat(r.hasRemaining()).isFalse();
    }

    @Property
    void aTruncatedValueIsAProtocolErrorNotACrash(@ForAll("values") Object value, @ForAll @IntRange(min = 1) int cut) {
        TraciWriter w = new TraciWriter(8);
        write(w, value);
        byte[] full = w.toByteArray();
        int keep = full.length - 1 - (cut % full.length);
        TraciReader r = new TraciReader(Arrays.copyOf(full, keep));
        try {
            TraciCodec.readTypedValue(r);
            throw new AssertionError("reading " + keep + " of " + full.length + " bytes succeeded");
        } catch (TraciException e) {
            assertThat(e.getMessage()).startsWith("TraCI protocol error");
        }
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE, INVALID_DOUBLE_VALUE));
    }

    /** Well-formed Unicode (no lone surrogates, which UTF-8 cannot carry), including non-BMP characters. */
    @Provide
    Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return codePoints.list().ofMaxSize(40)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Provide
    Arbitrary<Object> values() {
        return value(3);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                doubles().map(d -> (Object) d),
                strings().map(s -> (Object) s),
                strings().list().ofMaxSize(5).map(l -> (Object) new StrList(l)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> compound = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(6).map(l -> (Object) l);
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, compound));
    }

    private static void write(TraciWriter w, Object value) {
        if (value instanceof Integer i) {
            w.writeTypedInt(i);
        } else if (value instanceof Double d) {
            w.writeTypedDouble(d);
        } else if (value instanceof String s) {
            w.writeTypedString(s);
        } else if (value instanceof StrList l) {
            w.writeTypedStringList(l.values());
        } else if (value instanceof List<?> items) {
            w.writeCompoundHeader(items.size());
            for (Object item : items) {
                write(w, item);
            }
        } else {
            throw new IllegalArgumentException(String.valueOf(value));
        }
    }

    /** What the generic reader returns for a model value: string lists and compounds both read as lists. */
    private static Object expected(Object value) {
        if (value instanceof StrList l) {
            return l.values();
        }
        if (value instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
                out.add(expected(item));
            }
            return out;
        }
        return value;
    }
}
