package org.greenwave.harness.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanCiTest {

    @Test
    void studentTIntervalOfKnownData() {
        // 1..5: mean 3, sd √2.5 = 1.5811; t(0.975, 4) = 2.7764; half-width 2.7764 × 1.5811 / √5 = 1.9632.
        MeanCi ci = MeanCi.of(new double[] {1, 2, 3, 4, 5});
        assertThat(ci.n()).isEqualTo(5);
        assertThat(ci.mean()).isEqualTo(3.0);
        assertThat(ci.halfWidth()).isCloseTo(1.9632, within(1e-4));
        assertThat(ci.low()).isCloseTo(1.0368, within(1e-4));
        assertThat(ci.high()).isCloseTo(4.9632, within(1e-4));
        // Two values: t(0.975, 1) = 12.706; 10 and 12 give sd √2, half-width 12.706 × √2 / √2.
        assertThat(MeanCi.of(new double[] {10, 12}).halfWidth()).isCloseTo(12.7062, within(1e-4));
    }

    @Test
    void oneValueHasNoIntervalAndNaNsAreNotCounted() {
        MeanCi one = MeanCi.of(new double[] {7, Double.NaN});
        assertThat(one.n()).isEqualTo(1);
        assertThat(one.mean()).isEqualTo(7.0);
        assertThat(one.halfWidth()).isNaN();
        assertThat(one.excludesZero()).isFalse();
        assertThat(MeanCi.of(new double[0]).n()).isZero();
        assertThat(MeanCi.of(new double[0]).mean()).isNaN();
    }

    @Test
    void tQuantilesMatchTheTablesBeyondThirtyDegreesOfFreedom() {
        assertThat(MeanCi.t975(30)).isEqualTo(2.0423);
        assertThat(MeanCi.t975(31)).isCloseTo(2.0395, within(1e-4));
        assertThat(MeanCi.t975(40)).isCloseTo(2.0211, within(1e-4));
        assertThat(MeanCi.t975(60)).isCloseTo(2.0003, within(1e-4));
        assertThat(MeanCi.t975(120)).isCloseTo(1.9799, within(1e-4));
        assertThat(MeanCi.t975(100000)).isCloseTo(1.96, within(1e-3));
        assertThatThrownBy(() -> MeanCi.t975(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void excludesZeroOnlyWhenTheWholeIntervalIsOnOneSide() {
        assertThat(MeanCi.of(new double[] {-3, -2.5, -3.2}).excludesZero()).isTrue();
        assertThat(MeanCi.of(new double[] {-3, 2, -1}).excludesZero()).isFalse();
    }
}
