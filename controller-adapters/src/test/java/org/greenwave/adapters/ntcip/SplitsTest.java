package org.greenwave.adapters.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final double[] MIN = {5, 5, 7};
    private static final double[] MAX = {40, 40, 40};
    private static final double[] CHANGE = {4, 4, 5.5};

    @Test
    void eachSplitIsTheWantedGreenWithinMinAndMaxAndItsChange() {
        assertThat(Splits.of(new double[] {20, 2.5, 60}, MIN, MAX, CHANGE, 255))
                .as("20 + 4; the minimum 5 + 4; the maximum 40 + 5.5 rounded").containsExactly(24, 9, 46);
        assertThat(Splits.leastSplitS(7, 5.5)).isEqualTo(13);
        assertThat(Splits.leastSplitS(5, 4)).isEqualTo(9);
    }

    @Test
    void aCycleAboveTheMaximumIsCutAboveTheMinimaInProportion() {
        // Wanted 30+4, 20+4, 40+5.5 = 104 s; minima 9, 9, 13 = 31 s; 60 s leaves 29 of the 73 above the minima.
        int[] s = Splits.of(new double[] {30, 20, 40}, MIN, MAX, CHANGE, 60);
        assertThat(s[0] + s[1] + s[2]).isEqualTo(60);
        assertThat(s).as("9 + 25 x 29/73, 9 + 15 x 29/73, 13 + 33 x 29/73, rounded down, 2 s back to the first two")
                .containsExactly(19, 15, 26);
        assertThat(Splits.of(new double[] {30, 20, 40}, MIN, MAX, CHANGE, 20)).as("the minima when nothing fits")
                .containsExactly(9, 9, 13);
    }
}
