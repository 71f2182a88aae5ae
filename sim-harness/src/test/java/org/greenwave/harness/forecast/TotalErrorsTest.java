package org.greenwave.harness.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;

import org.greenwave.core.forecast.PredictionBands;
import org.junit.jupiter.api.Test;

/** The intersection totals of {@code forecast-eval}: MAE against persistence, band coverage, the delay. */
class TotalErrorsTest {
    private static final int SECONDS = 400;

    /**
     * One intersection of two lanes whose true queues are 2 and t mod 10; the engine predicts the truth + 1 at every
     * horizon, its estimate is the truth now; the band [prediction − 2, prediction + 0.5] holds the truth, except at
     * odd seconds, where it is moved away.
     */
    private static ForecastRecorder run() {
        ForecastRecorder r = new ForecastRecorder(0, SECONDS - 1);
        ForecastRecorder.LaneSeries a = new ForecastRecorder.LaneSeries("x:a", "x", 0, 0, SECONDS);
        ForecastRecorder.LaneSeries b = new ForecastRecorder.LaneSeries("x:b", "x", 0, 1, SECONDS);
        r.lanes().add(a);
        r.lanes().add(b);
        ForecastRecorder.TotalSeries ts = new ForecastRecorder.TotalSeries("x", 0, SECONDS);
        r.totals().add(ts);
        for (int t = 0; t < SECONDS; t++) {
            a.truthVeh[t] = 2;
            b.truthVeh[t] = t % 10;
        }
        for (int t = 0; t < SECONDS; t++) {
            ts.predictedVeh[0][t] = 2 + t % 10;
            for (int h = 1; h < ForecastRecorder.HORIZONS_S.length; h++) {
                int target = t + ForecastRecorder.HORIZONS_S[h];
                double truth = target < SECONDS ? 2 + target % 10 : 0;
                ts.predictedVeh[h][t] = (float) (truth + 1);
                int slot = h - 1;
                float shift = t % 2 == 1 ? 10 : 0;
                ts.bandLow[slot][t] = (float) (truth + 1 - 2) + shift;
                ts.bandHigh[slot][t] = (float) (truth + 1 + 0.5) + shift;
            }
            double delay = 0;
            for (int s = 1; s <= 60 && t + s < SECONDS; s++) {
                delay += 2 + (t + s) % 10;
            }
            ts.delayVehS[t] = (float) (delay + 30);
            ts.bandLow[PredictionBands.SLOT_DELAY][t] = (float) delay;
            ts.bandHigh[PredictionBands.SLOT_DELAY][t] = (float) (delay + 60);
        }
        return r;
    }

    @Test
    void totalsAreJudgedAgainstTheSumOfTheLanesTruthAndPersistence() {
        ForecastRecorder r = run();
        float[] truth = r.truthTotalVeh(r.totals().get(0));
        assertThat(truth[13]).isEqualTo(5f);
        ForecastErrors e = new ForecastErrors().addTotals(r);
        int h30 = ForecastReport.index(e, 30);
        assertThat(e.totalMae(h30)).isCloseTo(1.0, offset(1e-6));
        // Persistence: truth now against truth 30 s later; t mod 10 repeats every 10 s, so it is exact.
        assertThat(e.totalPersistenceMae(h30)).isCloseTo(0.0, offset(1e-6));
        int h5 = ForecastReport.index(e, 5);
        assertThat(e.totalPersistenceMae(h5)).isCloseTo(5.0, offset(1e-6));
        assertThat(e.totalSamples(h30)).isEqualTo(SECONDS - ForecastErrors.WARM_UP_S - 30);
        // The band held the truth at even seconds only.
        assertThat(e.totalCoverage(h30)).isCloseTo(0.5, offset(0.01));
        assertThat(e.totalCoverage(0)).isNaN();
        assertThat(e.delayMaeVehS()).isCloseTo(30, offset(1e-3));
        assertThat(e.delayCoverage()).isEqualTo(1.0);
    }

    @Test
    void withoutBandsThereIsNoCoverage() {
        ForecastRecorder r = run();
        for (float[] slot : r.totals().get(0).bandLow) {
            Arrays.fill(slot, Float.NaN);
        }
        ForecastErrors e = new ForecastErrors().addTotals(r);
        assertThat(e.totalCoverage(ForecastReport.index(e, 30))).isNaN();
        assertThat(e.delayCoverage()).isNaN();
        assertThat(ForecastReport.percent(e.delayCoverage())).isEqualTo("no band");
        assertThat(ForecastReport.totalsTable(java.util.List.of(new ForecastReport.Condition("all working", e))))
                .contains("| all working | 30 | 1.00 | 0.00 |").contains("no band");
    }

    @Test
    void theCalibrationDelayInterpolatesBetweenTheHorizons() {
        // Estimate 0, then 5 at every horizon: seconds 1..5 ramp up 1..5, seconds 6..60 stay at 5.
        double[] acc = {0, 5, 5, 5, 5};
        assertThat(ForecastModels.interpolatedDelay(acc)).isCloseTo(15 + 55 * 5, offset(1e-9));
    }
}
