package org.greenwave.forecast.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainingSetTest {
    @Test
    void pairsFeaturesWithTheTruthAtEachHorizon() {
        TrainingSet set = new TrainingSet();
        for (int t = 0; t <= 100; t++) {
            double[] f = new double[Features.COUNT];
            f[Features.QUEUE_VEH] = t;
            set.accept("J", 2, t, f);
            // Truth arrives slightly off the tick, in reverse order for the second half.
            set.trueQueue("J", 2, t + 0.2, 1000 + t);
        }
        List<Sample> samples = set.samples();
        assertThat(set.featureRows()).isEqualTo(101);
        // Rows up to t = 95 know at least the 5 s horizon.
        assertThat(samples).hasSize(96);
        Sample first = samples.get(0);
        assertThat(first.laneKey()).isEqualTo("J#2");
        assertThat(first.queueAtHorizonVeh()).containsExactly(1005, 1015, 1030, 1060);
        Sample late = samples.get(50);
        assertThat(late.nowS()).isEqualTo(50);
        assertThat(late.queueAtHorizonVeh()[0]).isEqualTo(1055);
        assertThat(late.queueAtHorizonVeh()[3]).isNaN();
    }
}
