package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.FlowProfiles;
import org.greenwave.forecast.learn.Predictor;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.learn.SyntheticSamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forecaster with a learned model, its flow profiles, and its allocation on the hot path. */
class LearnedForecastTest {
    private static QueueModel model;

    @BeforeAll
    static void train() {
        // Lane 0 of the test junction learns a correction; on lane 1 the queue stays as it is in validation.
        model = QueueModel.train(SyntheticSamples.samples(5, 1000, List.of("J#0"), List.of("J#1")),
                SyntheticSamples.samples(6, 300, List.of("J#0"), List.of(), List.of("J#1")),
                SyntheticSamples.quick(7));
    }

    /** One second of varied readings on both lanes; lane 0 green 30 s of every 60 s. */
    private static void drive(Junction j, int t) {
        j.at(t);
        j.green0(t % 60 >= 30);
        for (int lane = 0; lane < 2; lane++) {
            j.state.addAdvanceCount(lane, (t + lane) % 3 == 0 ? 1 : 0);
            j.state.advanceOccupancy(lane, (t + lane) % 3 == 0 ? 0.3 : 0, false);
            j.state.addStopLineCount(lane, j.state.laneGreen(lane) && t % 2 == 0 ? 1 : 0);
            j.state.stopLineOccupancy(lane, j.state.laneGreen(lane) ? 0.5 : 1, !j.state.laneGreen(lane));
            int v = (t * 7 + lane) % 11;
            j.state.incomingArea(lane, v, v / 2, v / 2 * 7.5);
            j.state.incomingAreaReported(lane);
        }
        j.tick();
    }

    @Test
    void eachLaneTakesItsChosenPredictorAtTheHorizonsAndTheRollOutsShapeBetween() {
        List<double[]> lane0 = new ArrayList<>();
        Junction j = new Junction(new QueueForecasterFactory.Config(), true, true, true, model,
                (id, lane, nowS, f) -> {
                    if (lane == 0) {
                        lane0.add(f);
                    }
                });
        Junction rollOut = new Junction(new QueueForecasterFactory.Config(), true, true, true, null, null);
        assertThat(j.forecaster.usesLearned(0)).isTrue();
        assertThat(j.forecaster.usesLearned(1)).isFalse();
        assertThat(j.forecaster.predictor(1, 2)).isEqualTo(Predictor.PERSISTENCE);
        assertThat(rollOut.forecaster.predictor(0, 2)).isEqualTo(Predictor.MODEL);
        for (int t = 0; t <= 100; t++) {
            drive(j, t);
            drive(rollOut, t);
        }
        double[] f = lane0.get(lane0.size() - 1);
        double[] p = model.predict(f);
        double capacity = 300 / 7.5;
        double q = j.state.predictedQueueVeh(0, 0);
        assertThat(q).isEqualTo(j.state.queueVeh(0));
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            assertThat(j.state.predictedQueueVeh(0, Features.horizonS(h))).isCloseTo(Math.min(capacity, p[h]),
                    within(1e-9));
        }
        // Between horizons: the roll-out plus the horizons' corrections interpolated (none at second 0).
        double[] correction = new double[Features.HORIZON_COUNT];
        for (int h = 0; h < correction.length; h++) {
            correction[h] = Math.min(capacity, p[h]) - rollOut.state.predictedQueueVeh(0, Features.horizonS(h));
        }
        assertThat(f[Features.MODEL_QUEUE_30S_VEH]).isEqualTo(rollOut.state.predictedQueueVeh(0, 30));
        assertThat(j.state.predictedQueueVeh(0, 1)).isCloseTo(Math.max(0,
                rollOut.state.predictedQueueVeh(0, 1) + correction[0] / 5), within(1e-9));
        assertThat(j.state.predictedQueueVeh(0, 10)).isCloseTo(Math.max(0,
                rollOut.state.predictedQueueVeh(0, 10) + (correction[0] + correction[1]) / 2), within(1e-9));
        assertThat(j.state.predictedQueueVeh(0, 45)).isCloseTo(Math.max(0,
                rollOut.state.predictedQueueVeh(0, 45) + (correction[2] + correction[3]) / 2), within(1e-9));
        // Lane 1 carries its estimate forward at every horizon.
        double q1 = j.state.queueVeh(1);
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            assertThat(j.state.predictedQueueVeh(1, Features.horizonS(h))).isCloseTo(q1, within(1e-9));
        }
    }

    @Test
    void flowProfilesAreLearnedPerBinAndSeedTheNextRun() {
        QueueForecasterFactory.Config cfg = new QueueForecasterFactory.Config();
        cfg.profileBinS = 600;
        QueueForecasterFactory factory = new QueueForecasterFactory(cfg);
        Junction shape = new Junction(true, true, false);
        QueueForecaster f = factory.create(shape.model, List.of(
                new org.greenwave.core.ingest.DetectorSpec("adv0", org.greenwave.core.ingest.DetectorKind.ADVANCE, 0),
                new org.greenwave.core.ingest.DetectorSpec("sl0", org.greenwave.core.ingest.DetectorKind.STOP_LINE, 0)));
        for (int t = 0; t <= 1300; t++) {
            shape.at(t);
            shape.state.addAdvanceCount(0, t % 4 == 0 ? 1 : 0);
            shape.state.advanceOccupancy(0, t % 4 == 0 ? 0.3 : 0, false);
            f.update(shape.state);
        }
        FlowProfiles profiles = factory.flowProfiles();
        double[] rates = profiles.rates("J#0");
        assertThat(rates).hasSize(144);
        assertThat(rates[0]).isCloseTo(0.25, within(0.01));
        assertThat(rates[1]).isCloseTo(0.25, within(0.01));
        assertThat(rates[2]).isNaN();

        QueueForecasterFactory next = new QueueForecasterFactory(cfg, model.withProfiles(profiles), null);
        QueueForecaster seeded = next.create(shape.model, List.of());
        double[] copy = new double[144];
        seeded.copyProfile(0, copy);
        assertThat(copy[1]).isEqualTo(rates[1]);
    }

    @Test
    void updateAllocatesNothingWithOrWithoutALearnedModel() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        for (QueueModel m : new QueueModel[] {null, model}) {
            Junction j = new Junction(new QueueForecasterFactory.Config(), true, true, true, m, null);
            double[] outflow = new double[60];
            java.util.Arrays.fill(outflow, 0.3);
            int t = 0;
            for (; t < 5_000; t++) {
                drive(j, t);
            }
            // The JVM itself allocates now and then around JIT compilation: one clean window of 500 ticks suffices,
            // while an allocation per tick would show in every window.
            List<Long> windows = new ArrayList<>();
            for (int w = 0; w < 10; w++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 500; i++, t++) {
                    if (t % 7 == 0) {
                        j.forecaster.upstreamOutflow(0, t, outflow, 12);
                    }
                    drive(j, t);
                }
                windows.add(threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertThat(windows).as("bytes per window, model %s", m).contains(0L);
        }
    }
}
