package org.greenwave.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

class ConflictMatrixTest {

    @Test
    void aPairConflictsBothWays() {
        ConflictMatrix m = ConflictMatrix.builder(3).conflict(0, 2).build();

        assertThat(m.conflicts(0, 2)).isTrue();
        assertThat(m.conflicts(2, 0)).isTrue();
        assertThat(m.conflicts(0, 1)).isFalse();
        assertThat(m.conflicts(1, 2)).isFalse();
        assertThat(m.linkCount()).isEqualTo(3);
    }

    @Test
    void selfPairsAreIgnored() {
        ConflictMatrix m = ConflictMatrix.builder(2).conflict(1, 1).conflict(0, 0).build();

        assertThat(m.conflicts(0, 0)).isFalse();
        assertThat(m.conflicts(1, 1)).isFalse();
        assertThat(m).isEqualTo(ConflictMatrix.builder(2).build());
    }

    @Test
    void linksBeyondOneWordAreAddressedCorrectly() {
        ConflictMatrix m = ConflictMatrix.builder(130).conflict(3, 129).conflict(63, 64).conflict(64, 127).build();

        assertThat(m.conflicts(129, 3)).isTrue();
        assertThat(m.conflicts(64, 63)).isTrue();
        assertThat(m.conflicts(127, 64)).isTrue();
        assertThat(m.conflicts(3, 65)).isFalse();
        assertThat(m.conflicts(1, 3)).isFalse();
        assertThat(m.conflicts(63, 0)).isFalse();
    }

    @Test
    void outOfRangeLinksAreRejectedNamingThem() {
        ConflictMatrix.Builder b = ConflictMatrix.builder(4);

        assertThatThrownBy(() -> b.conflict(-1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1, 2").hasMessageContaining("links: 4");
        assertThatThrownBy(() -> b.conflict(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0, 4");
        assertThatThrownBy(() -> ConflictMatrix.builder(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void aBuiltMatrixIsNotChangedByLaterBuilderCalls() {
        ConflictMatrix.Builder b = ConflictMatrix.builder(3).conflict(0, 1);
        ConflictMatrix first = b.build();

        b.conflict(1, 2);

        assertThat(first.conflicts(1, 2)).isFalse();
        assertThat(b.build().conflicts(1, 2)).isTrue();
    }

    @Test
    void equalMatricesAreEqualWhateverTheOrderOfPairs() {
        ConflictMatrix a = ConflictMatrix.builder(5).conflict(0, 4).conflict(1, 2).build();
        ConflictMatrix b = ConflictMatrix.builder(5).conflict(2, 1).conflict(4, 0).conflict(0, 4).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ConflictMatrix.builder(5).conflict(0, 4).build());
        assertThat(ConflictMatrix.builder(0).build().linkCount()).isZero();
    }

    /** The matrix is exactly the symmetric closure of the recorded pairs, without the diagonal. */
    @Property(tries = 200)
    void matrixIsTheSymmetricClosureOfItsPairs(@ForAll("pairs") Tuple2<Integer, List<Tuple2<Integer, Integer>>> input) {
        int n = input.get1();
        List<Tuple2<Integer, Integer>> pairs = input.get2();
        ConflictMatrix.Builder b = ConflictMatrix.builder(n);
        boolean[][] expected = new boolean[n][n];
        for (Tuple2<Integer, Integer> p : pairs) {
            b.conflict(p.get1(), p.get2());
            if (!p.get1().equals(p.get2())) {
                expected[p.get1()][p.get2()] = true;
                expected[p.get2()][p.get1()] = true;
            }
        }
        ConflictMatrix m = b.build();
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                assertThat(m.conflicts(x, y)).as("conflicts(%d, %d)", x, y).isEqualTo(expected[x][y]);
            }
        }
    }

    @Provide
    Arbitrary<Tuple2<Integer, List<Tuple2<Integer, Integer>>>> pairs() {
        return Arbitraries.integers().between(1, 140).flatMap(n -> {
            Arbitrary<Integer> link = Arbitraries.integers().between(0, n - 1);
            Arbitrary<Tuple2<Integer, Integer>> pair = Combinators.combine(link, link).as(Tuple::of);
            return pair.list().ofMaxSize(60).map(l -> Tuple.of(n, l));
        });
    }
}
