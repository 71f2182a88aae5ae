package org.greenwave.core.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PredictionBandsTest {
    private static final double[] EDGES = PredictionBands.DEFAULT_BUCKET_EDGES_VEH;

    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertThat(PredictionBands.quantile(sorted, 11, 0.1)).isEqualTo(2.0);
        assertThat(PredictionBands.quantile(sorted, 11, 0.9)).isEqualTo(10.0);
        assertThat(PredictionBands.quantile(sorted, 11, 0.5)).isEqualTo(6.0);
        assertThat(PredictionBands.quantile(sorted, 4, 0.5)).isEqualTo(2.5);
        assertThat(PredictionBands.quantile(sorted, 1, 0.9)).isEqualTo(1.0);
        assertThat(PredictionBands.quantile(sorted, 0, 0.9)).isNaN();
    }

    @Test
    void aCalibratedBandHoldsItsShareOfFreshResidualsFromTheSameDistribution() {
        Random r = new Random(11);
        PredictionBands.Calibrator c = new PredictionBands.Calibrator();
        for (int i = 0; i < 5000; i++) {
            double predicted = 4 + r.nextDouble();
            c.add(PredictionBands.INTERSECTION, 2, predicted, predicted + 1 + 2 * r.nextGaussian());
        }
        PredictionBands bands = c.build(0.1, 0.9);
        int inside = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            double predicted = 4 + r.nextDouble();
            double truth = predicted + 1 + 2 * r.nextGaussian();
            if (truth >= bands.lowerVeh(PredictionBands.INTERSECTION, 2, predicted)
                    && truth <= bands.upperVeh(PredictionBands.INTERSECTION, 2, predicted)) {
                inside++;
            }
        }
        assertThat((double) inside / n).isCloseTo(0.8, offset(0.02));
        // The band is the prediction plus the residuals' 10 % and 90 % quantiles: 1 ∓ 1.2816 × 2.
        assertThat(bands.lowerVeh(PredictionBands.INTERSECTION, 2, 4.5)).isCloseTo(4.5 + 1 - 2.563, offset(0.15));
        assertThat(bands.upperVeh(PredictionBands.INTERSECTION, 2, 4.5)).isCloseTo(4.5 + 1 + 2.563, offset(0.15));
    }

    @Test
    void bucketsBySizeAndPoolsABucketWithTooFewResiduals() {
        PredictionBands.Calibrator c = new PredictionBands.Calibrator(EDGES);
        // Small queues (bucket 0, below 1 veh) err by ±0.5, large ones (bucket 5, 20..40 veh) by ±10.
        for (int i = 0; i <= 100; i++) {
            c.add(PredictionBands.APPROACH, 0, 0.5, 0.5 - 0.5 + i / 100.0);
            c.add(PredictionBands.APPROACH, 0, 30, 30 - 10 + 20 * i / 100.0);
        }
        // Three residuals in bucket 3 (6..10 veh): too few, so it takes the slot's pooled quantiles.
        c.add(PredictionBands.APPROACH, 0, 8, 8);
        c.add(PredictionBands.APPROACH, 0, 8, 8);
        c.add(PredictionBands.APPROACH, 0, 8, 8);
        PredictionBands b = c.build(0.1, 0.9);
        assertThat(b.lowerVeh(PredictionBands.APPROACH, 0, 0.5)).isCloseTo(0.1, offset(1e-9));
        assertThat(b.upperVeh(PredictionBands.APPROACH, 0, 0.5)).isCloseTo(0.9, offset(1e-9));
        assertThat(b.lowerVeh(PredictionBands.APPROACH, 0, 30)).isCloseTo(22, offset(1e-9));
        assertThat(b.upperVeh(PredictionBands.APPROACH, 0, 30)).isCloseTo(38, offset(1e-9));
        double[] pooled = new double[205];
        int k = 0;
        for (int i = 0; i <= 100; i++) {
            pooled[k++] = -0.5 + i / 100.0;
            pooled[k++] = -10 + 20 * i / 100.0;
        }
        Arrays.sort(pooled);
        assertThat(b.lowerVeh(PredictionBands.APPROACH, 0, 8))
                .isCloseTo(8 + PredictionBands.quantile(pooled, 205, 0.1), offset(1e-9));
        // Never below 0, and other slots and scopes saw nothing: no band.
        assertThat(b.lowerVeh(PredictionBands.APPROACH, 0, 0)).isGreaterThanOrEqualTo(0);
        assertThat(b.lowerVeh(PredictionBands.INTERSECTION, 0, 5)).isNaN();
        assertThat(b.upperVeh(PredictionBands.APPROACH, PredictionBands.SLOT_DELAY, 100)).isNaN();
    }

    @Test
    void aDelayIsBucketedByItsMeanQueueOverTheMinute() {
        assertThat(PredictionBands.bucket(EDGES, PredictionBands.SLOT_DELAY, 60 * 0.5)).isZero();
        assertThat(PredictionBands.bucket(EDGES, PredictionBands.SLOT_DELAY, 60 * 25)).isEqualTo(5);
        assertThat(PredictionBands.bucket(EDGES, 1, 25)).isEqualTo(5);
        assertThat(PredictionBands.bucket(EDGES, 1, 1)).isEqualTo(1);
        assertThat(PredictionBands.bucket(EDGES, 1, 400)).isEqualTo(EDGES.length);
    }

    @Test
    void storedBandsAreCheckedAndNameWhatIsWrong() {
        int n = PredictionBands.SCOPES * PredictionBands.SLOTS * (EDGES.length + 1);
        double[] low = new double[n];
        double[] high = new double[n];
        Arrays.fill(high, 1);
        assertThat(PredictionBands.of(0.1, 0.9, EDGES, low, high).upperVeh(0, 0, 2)).isEqualTo(3);
        assertThatThrownBy(() -> PredictionBands.of(0.9, 0.1, EDGES, low, high))
                .hasMessageContaining("0 < low < high < 1");
        assertThatThrownBy(() -> PredictionBands.of(0.1, 0.9, new double[]{3, 1}, low, high))
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> PredictionBands.of(0.1, 0.9, EDGES, new double[3], high))
                .hasMessageContaining("need " + n);
        double[] crossed = low.clone();
        crossed[4] = 2;
        assertThatThrownBy(() -> PredictionBands.of(0.1, 0.9, EDGES, crossed, high)).hasMessageContaining("band 4");
        double[] oneNull = low.clone();
        oneNull[5] = Double.NaN;
        assertThatThrownBy(() -> PredictionBands.of(0.1, 0.9, EDGES, oneNull, high)).hasMessageContaining("band 5");
    }
}
