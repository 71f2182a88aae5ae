package org.greenwave.harness.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forecast evaluation end to end in SUMO: training, a saved model, errors against ground truth, the report. */
class ForecastEvaluationIT {

    @Test
    void trainsEvaluatesAndReportsOnTheIntersection(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario full = Scenario.load(TestPaths.own("intersection"));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), full.beginS(), full.beginS() + 1200);
        ForecastEvaluation.Result r = new ForecastEvaluation(s, "actuated", List.of(1L), List.of(2L), List.of(), out, List.of(), 2,
                0.2, 7).run(System.out);

        assertThat(r.conditions()).hasSize(2);
        ForecastErrors working = r.conditions().get(0).errors();
        assertThat(working.samples(0)).isGreaterThan(1000);
        assertThat(working.mae(0)).as("estimate MAE, veh").isLessThan(1.5);
        assertThat(working.meanTruthVeh()).as("the intersection has queues to estimate").isGreaterThan(0.5);
        for (int h = 1; h < working.horizonsS().length; h++) {
            assertThat(working.mae(h)).isFinite().isPositive();
        }
        assertThat(QueueModel.load(r.model()).laneChoices()).isNotEmpty();
        String md = Files.readString(out.resolve("forecast.md"));
        assertThat(md).contains("| all working | 30 |", "| 20 % dead | 30 |", "persistence MAE");
        String html = Files.readString(r.report());
        assertThat(html).contains("<svg", "Mean absolute error by horizon", "SUMO truth").doesNotContain("<script");
        assertThat(out.resolve("errors.json")).exists();
    }

    @Test
    void validationRunsCalibrateTheIntersectionBandsThatTheEvaluationJudges(@TempDir Path out) throws Exception {
        Sumo.requireInstalled();
        Scenario full = Scenario.load(TestPaths.own("intersection"));
        Scenario s = new Scenario(full.name(), full.configFile(), full.netFile(), full.routeFiles(),
                full.additionalFiles(), full.beginS(), full.beginS() + 420);
        ForecastEvaluation.Result r = new ForecastEvaluation(s, "actuated", List.of(1L), List.of(2L), List.of(3L), out,
                List.of(), 1, 0, 7).run(System.out);

        PredictionBands bands = QueueModel.load(r.model()).bands();
        assertThat(bands).as("bands saved with the model").isNotNull();
        assertThat(bands.upperVeh(PredictionBands.INTERSECTION, 2, 5))
                .isGreaterThan(bands.lowerVeh(PredictionBands.INTERSECTION, 2, 5));
        ForecastErrors e = r.conditions().get(0).errors();
        int h30 = ForecastReport.index(e, 30);
        assertThat(e.totalSamples(h30)).isGreaterThan(200);
        assertThat(e.totalMae(h30)).isFinite().isPositive();
        assertThat(e.totalCoverage(h30)).as("the evaluation run's totals all carry a band").isBetween(0.0, 1.0);
        assertThat(e.totalBandSamples(h30)).isEqualTo(e.totalSamples(h30));
        assertThat(e.delayCoverage()).isBetween(0.0, 1.0);
        assertThat(Files.readString(out.resolve("forecast.md"))).contains("Intersection totals", "band coverage")
                .doesNotContain("no band");
        assertThat(Files.readString(out.resolve("errors.json"))).contains("\"totals\":[{\"horizonS\":5,")
                .contains("\"delay\":{\"maeVehS\":");
    }

    @Test
    void refusesOverlappingTrainingAndEvaluationSeeds() {
        Scenario s = Scenario.load(TestPaths.own("intersection"));
        assertThatThrownBy(() -> new ForecastEvaluation(s, "actuated", List.of(1L, 2L), List.of(2L), List.of(), Path.of("x"),
                List.of(), 1, 0.2, 1)).hasMessageContaining("seed 2 is among both the training and the evaluation seeds");
    }
}
