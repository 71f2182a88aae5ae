package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.forecast.learn.Features;
import org.junit.jupiter.api.Test;

/** Hand-made detector sequences with known answers on lane 0 of {@link Junction}; one tick per second. */
class QueueForecasterTest {

    /** A point queue that the detectors of lane 0 observe. */
    private static final class Truth {
        double queueVeh;
        int arrived;
        int departed;

        /** One second: a vehicle arrives every {@code headwayS}; on green one leaves every 2 s while queued. */
        void step(int t, boolean green, int headwayS) {
            // The forecaster's first tick only takes the counters' starting values.
            arrived = t > 0 && t % headwayS == 0 ? 1 : 0;
            queueVeh += arrived;
            departed = green && t % 2 == 0 && queueVeh >= 1 ? 1 : 0;
            queueVeh -= departed;
        }
    }

    /** Feeds one second of lane 0's loops; the advance loop reports nothing when {@code advanceDead}. */
    private static void loops(Junction j, Truth truth, boolean green, boolean advanceDead) {
        if (!advanceDead) {
            j.state.addAdvanceCount(0, truth.arrived);
            j.state.advanceOccupancy(0, truth.arrived > 0 ? 0.3 : 0, false);
        } else {
            j.state.advanceOccupancy(0, 0, false);
        }
        j.state.addStopLineCount(0, truth.departed);
        boolean standing = !green && truth.queueVeh >= 1;
        j.state.stopLineOccupancy(0, standing ? 1 : truth.departed > 0 ? 0.5 : 0, standing);
    }

    private static boolean greenAt(int t) {
        return t % 60 >= 30;
    }

    @Test
    void queueBuildsOnRedAndDrainsOnGreen() {
        Junction j = new Junction(true, true, false);
        j.at(0);
        j.green0(false);
        j.tick();
        for (int t = 1; t <= 30; t++) {
            j.at(t);
            j.state.addAdvanceCount(0, t % 2 == 0 ? 1 : 0);
            j.state.advanceOccupancy(0, t % 2 == 0 ? 0.3 : 0, false);
            j.state.stopLineOccupancy(0, 1, true);
            j.tick();
        }
        assertThat(j.state.queueVeh(0)).isCloseTo(15, within(1e-9));
        assertThat(j.state.detectorFaults(0)).isZero();
        // Red has lasted its typical 30 s: one more second of red, then green discharges the queue.
        assertThat(j.state.predictedQueueVeh(0, 0)).isCloseTo(15, within(1e-9));
        assertThat(j.state.predictedQueueVeh(0, 1)).isGreaterThan(15);
        assertThat(j.state.predictedQueueVeh(0, 30)).isLessThan(j.state.predictedQueueVeh(0, 1) - 5);
        assertThat(j.state.predictedArrivalsVeh(0, 0)).isBetween(0.1, 0.5);

        j.green0(true);
        for (int t = 31; t <= 60; t++) {
            j.at(t);
            j.state.addStopLineCount(0, t % 2 == 0 ? 1 : 0);
            j.state.stopLineOccupancy(0, 0.5, false);
            j.state.advanceOccupancy(0, 0, false);
            j.tick();
            if (t == 40) {
                assertThat(j.state.queueVeh(0)).isCloseTo(10, within(1e-9));
                assertThat(j.state.predictedQueueVeh(0, 10)).isLessThan(10);
            }
        }
        assertThat(j.state.queueVeh(0)).isCloseTo(0, within(1e-9));
        assertThat(j.state.spilledBack(0)).isFalse();
    }

    @Test
    void deadAdvanceLoopIsFlaggedWithinFiveMinutesAndTheEstimateStaysClose() {
        Junction j = new Junction(true, true, false);
        Truth truth = new Truth();
        int deathS = 600;
        int flaggedAtS = -1;
        double worstErrorVeh = 0;
        for (int t = 0; t <= 1500; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green, 4);
            loops(j, truth, green, t >= deathS);
            j.tick();
            int faults = j.state.detectorFaults(0);
            assertThat(faults & IntersectionView.FAULT_STOP_LINE).as("stop line at %d s", t).isZero();
            if (t < deathS) {
                assertThat(faults).as("faults at %d s", t).isZero();
                assertThat(j.state.queueVeh(0)).isCloseTo(truth.queueVeh, within(1e-6));
            } else if (flaggedAtS < 0 && (faults & IntersectionView.FAULT_ADVANCE) != 0) {
                flaggedAtS = t;
            }
            if (flaggedAtS > 0 && t >= flaggedAtS + 240) {
                worstErrorVeh = Math.max(worstErrorVeh, Math.abs(j.state.queueVeh(0) - truth.queueVeh));
            }
        }
        assertThat(flaggedAtS).isBetween(deathS + 1, deathS + 300);
        assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_ADVANCE);
        // Once flagged (and a green has shown the queue empty), arrivals come from the learned rate (0.25 veh/s) and
        // departures still from the stop-line loop.
        assertThat(worstErrorVeh).isLessThan(4);
        assertThat(j.forecaster.recentRateVehPerS(0)).isCloseTo(0.25, within(0.1));
    }

    @Test
    void silentAreaDetectorIsFlaggedAndIgnored() {
        Junction j = new Junction(true, true, true);
        Truth truth = new Truth();
        int silentFromS = 330;
        int flaggedAtS = -1;
        for (int t = 0; t <= 600; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green, 4);
            loops(j, truth, green, false);
            if (t < silentFromS) {
                int q = (int) truth.queueVeh;
                j.area0(q, q, q * 7.5);
            }
            j.tick();
            if (t < silentFromS) {
                assertThat(j.state.detectorFaults(0)).as("faults at %d s", t).isZero();
            } else if (flaggedAtS < 0 && (j.state.detectorFaults(0) & IntersectionView.FAULT_AREA) != 0) {
                flaggedAtS = t;
            }
            if (t > silentFromS + 20) {
                // The frozen reading (the queue at 330 s) is not taken for the queue any more.
                assertThat(j.state.queueVeh(0)).as("queue at %d s", t).isCloseTo(truth.queueVeh, within(1.0));
            }
        }
        assertThat(flaggedAtS).isBetween(silentFromS + 1, silentFromS + 20);
        assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_AREA);
    }

    @Test
    void areaDetectorContradictingTheStopLineLoopIsFlagged() {
        Junction j = new Junction(true, true, true);
        j.green0(false);
        int flaggedAtS = -1;
        for (int t = 0; t <= 180; t++) {
            j.at(t);
            // A vehicle stands on the stop-line loop through the red, but the camera sees an empty approach.
            j.state.stopLineOccupancy(0, 1, true);
            j.area0(0, 0, 0);
            j.tick();
            if (flaggedAtS < 0 && (j.state.detectorFaults(0) & IntersectionView.FAULT_AREA) != 0) {
                flaggedAtS = t;
            }
        }
        assertThat(flaggedAtS).isBetween(30, 40);
    }

    @Test
    void queueCoveringTheAdvanceLoopIsSpillBack() {
        Junction j = new Junction(true, true, false);
        j.green0(false);
        for (int t = 0; t <= 20; t++) {
            j.at(t);
            j.state.addAdvanceCount(0, t > 0 && t % 2 == 0 ? 1 : 0);
            j.state.advanceOccupancy(0, t % 2 == 0 ? 0.3 : 0, false);
            j.state.stopLineOccupancy(0, 1, true);
            j.tick();
        }
        assertThat(j.state.spilledBack(0)).isFalse();
        for (int t = 21; t <= 35; t++) {
            j.at(t);
            j.state.advanceOccupancy(0, 1, true);
            j.state.stopLineOccupancy(0, 1, true);
            j.tick();
        }
        assertThat(j.state.spilledBack(0)).isTrue();
        assertThat(j.state.queueVeh(0)).isGreaterThanOrEqualTo(60 / 7.5);
        assertThat(j.state.detectorFaults(0)).isZero();
        for (int s = 0; s <= 60; s++) {
            assertThat(j.state.predictedQueueVeh(0, s)).isLessThanOrEqualTo(300 / 7.5 + 1e-9);
        }
    }

    @Test
    void movingPlatoonInTheZoneArrivesSpreadOverItsTravelTime() {
        Junction j = new Junction(false, false, true);
        j.at(0);
        j.area0(10, 0, 0);
        j.tick();
        // 200 m zone at 10 m/s: 10 moving vehicles arrive over 20 s; after that the initial rate of 0.1 veh/s.
        for (int k = 0; k < 20; k++) {
            assertThat(j.state.predictedArrivalsVeh(0, k)).isCloseTo(0.5, within(1e-12));
        }
        for (int k = 20; k < 60; k++) {
            assertThat(j.state.predictedArrivalsVeh(0, k)).isCloseTo(0.1, within(1e-12));
        }

        Junction jammed = new Junction(false, false, true);
        jammed.at(0);
        jammed.area0(14, 4, 45);
        jammed.tick();
        // Beyond a 45 m jam, 155 m to cover: 15.5 s.
        double sum = 0;
        for (int k = 0; k < 15; k++) {
            assertThat(jammed.state.predictedArrivalsVeh(0, k)).isCloseTo(10 / 15.5, within(1e-12));
            sum += jammed.state.predictedArrivalsVeh(0, k);
        }
        assertThat(jammed.state.predictedArrivalsVeh(0, 15)).isCloseTo(0.5 * 10 / 15.5 + 0.5 * 0.1, within(1e-12));
        sum += 0.5 * 10 / 15.5;
        assertThat(sum).isCloseTo(10, within(1e-9));
    }

    @Test
    void upstreamOutflowReplacesTheRateShiftedByItsTravelTime() {
        Junction j = new Junction(true, true, false);
        j.at(0);
        j.tick();
        double[] outflow = new double[60];
        java.util.Arrays.fill(outflow, 0.8);
        assertThat(j.forecaster.upstreamOutflow(0, 0, outflow, 10)).isTrue();
        j.at(1);
        j.tick();
        for (int k = 0; k < 9; k++) {
            assertThat(j.state.predictedArrivalsVeh(0, k)).isLessThan(0.1);
        }
        for (int k = 9; k < 60; k++) {
            assertThat(j.state.predictedArrivalsVeh(0, k)).isEqualTo(0.8);
        }
        assertThat(j.state.predictedArrivalsVeh(1, 30)).isLessThan(0.1);
        // Too old: back to the rate.
        j.at(7);
        j.tick();
        assertThat(j.state.predictedArrivalsVeh(0, 30)).isLessThan(0.1);

        outflow[3] = Double.NaN;
        assertThat(j.forecaster.upstreamOutflow(0, 7, outflow, 10)).isFalse();
        assertThat(j.forecaster.upstreamOutflow(5, 7, new double[60], 10)).isFalse();
        assertThat(j.forecaster.upstreamOutflow(0, 7, new double[59], 10)).isFalse();
        assertThat(j.forecaster.rejectedUpstream()).isEqualTo(3);
    }

    @Test
    void learnsTheLanesSignalPatternAndRollsOutUnderIt() {
        Junction j = new Junction(true, true, false);
        for (int t = 0; t <= 600; t++) {
            j.at(t);
            j.green0(t % 60 < 20);
            j.tick();
        }
        assertThat(j.forecaster.typicalGreenS(0)).isCloseTo(20, within(0.5));
        assertThat(j.forecaster.typicalRedS(0)).isCloseTo(40, within(0.5));
        assertThat(j.forecaster.typicalGreenS(1)).isCloseTo(40, within(0.5));
        // At 600 s lane 0 has just turned green with an empty queue: it stays empty while green lasts.
        assertThat(j.state.predictedQueueVeh(0, 19)).isCloseTo(0, within(1e-9));
        assertThat(j.state.predictedQueueVeh(0, 60)).isGreaterThan(0);
    }

    @Test
    void rejectsTimeGoingBackwardsAndDetectorsOfUnknownLanes() {
        Junction j = new Junction(true, true, true);
        j.at(10);
        j.tick();
        j.at(9);
        j.tick();
        assertThat(j.forecaster.rejectedTicks()).isEqualTo(1);

        List<DetectorSpec> bad = new ArrayList<>();
        bad.add(new DetectorSpec("x", DetectorKind.ADVANCE, 7));
        QueueForecasterFactory factory = new QueueForecasterFactory(new QueueForecasterFactory.Config());
        assertThatThrownBy(() -> factory.create(j.model, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detector x").hasMessageContaining("lane 7");
        QueueForecasterFactory.Config c = new QueueForecasterFactory.Config();
        c.profileBinS = 7;
        assertThatThrownBy(() -> new QueueForecasterFactory(c)).hasMessageContaining("profileBinS");
    }

    @Test
    void captureModeHandsOverEveryLanesFeatures() {
        List<double[]> captured = new ArrayList<>();
        List<Integer> lanes = new ArrayList<>();
        Junction j = new Junction(new QueueForecasterFactory.Config(), true, true, true, null,
                (id, lane, nowS, f) -> {
                    assertThat(id).isEqualTo("J");
                    lanes.add(lane);
                    captured.add(f);
                });
        j.at(0);
        j.green0(true);
        j.area0(3, 2, 15);
        j.tick();
        assertThat(lanes).containsExactly(0, 1);
        double[] f = captured.get(0);
        assertThat(f).hasSize(Features.COUNT);
        assertThat(f[Features.GREEN_NOW]).isEqualTo(1);
        assertThat(captured.get(1)[Features.GREEN_NOW]).isEqualTo(0);
        assertThat(f[Features.AREA_HALTING_VEH]).isEqualTo(2);
        assertThat(captured.get(1)[Features.AREA_HALTING_VEH]).isEqualTo(Features.MISSING);
        assertThat(f[Features.QUEUE_VEH]).isEqualTo(j.state.queueVeh(0));
        assertThat(f[Features.MODEL_QUEUE_30S_VEH]).isEqualTo(j.state.predictedQueueVeh(0, 30));
        assertThat(f[Features.UPSTREAM_30S_VEH]).isEqualTo(Features.MISSING);
        assertThat(f[Features.TIME_OF_DAY_COS]).isCloseTo(1, within(1e-12));
        assertThat(captured.get(0)).isNotSameAs(captured.get(1));
    }

    @Test
    void aWalkingAreaHasNoQueueAndNoArrivals() {
        // Link 1 is a pedestrian crossing from walking area "walk": no detectors, walkers are not detected.
        org.greenwave.core.model.IntersectionModel m = org.greenwave.core.model.IntersectionModel.builder("P", 2)
                .conflicts(org.greenwave.core.model.ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "in0", 300, 10, "out0").link(1, "walk", 10, 1.3, "walk_out").crossing(1)
                .greenPhase("Gr", 0, 30, 5, 90).greenPhase("rG", 1, 30, 5, 90).build();
        org.greenwave.core.safety.SafetyInterlock interlock = new org.greenwave.core.safety.SafetyInterlock(m);
        interlock.reset(0, 0);
        org.greenwave.core.state.IntersectionState state = new org.greenwave.core.state.IntersectionState(m, interlock);
        QueueForecaster f = new QueueForecasterFactory(new QueueForecasterFactory.Config(), null, null).create(m,
                List.of(new DetectorSpec("sl0", DetectorKind.STOP_LINE, 0)));
        assertThat(m.incomingLaneIsCrossing(1)).isTrue();
        assertThat(m.incomingLaneIsCrossing(0)).isFalse();
        for (int t = 0; t <= 900; t++) {
            state.now(t * 1000L);
            f.update(state);
        }
        assertThat(state.queueVeh(1)).isZero();
        assertThat(state.detectorFaults(1)).isZero();
        for (int k = 0; k < org.greenwave.core.state.IntersectionState.HORIZON_S; k++) {
            assertThat(state.predictedQueueVeh(1, k + 1)).isZero();
            assertThat(state.predictedArrivalsVeh(1, k)).isZero();
        }
    }

    @Test
    void theEnginesPublishedPlanIsTheRollOutsScheduleWhileFresh() {
        Junction planned = new Junction(false, false, true);
        Junction unplanned = new Junction(false, false, true);
        for (Junction j : new Junction[] {planned, unplanned}) {
            j.green0(false);
            for (int t = 0; t <= 2; t++) {
                j.at(t);
                j.area0(10, 10, 75);
                if (j == planned && t == 2) {
                    // Published at the tick before: lane 0 red for 4 more seconds, then green for the rest.
                    j.state.planBegin(1);
                    j.state.planState("rG".toCharArray(), 0, 5);
                    j.state.planState("Gr".toCharArray(), 5, 60);
                }
                j.tick();
            }
        }
        double q = planned.state.predictedQueueVeh(0, 0);
        assertThat(q).isCloseTo(10, within(0.5));
        assertThat(planned.state.predictedQueueVeh(0, 3)).as("still red").isGreaterThanOrEqualTo(q);
        assertThat(planned.state.predictedQueueVeh(0, 20)).as("discharging from second 4").isLessThan(q - 3);
        assertThat(unplanned.state.predictedQueueVeh(0, 20)).as("the learned pattern: red on")
                .isGreaterThanOrEqualTo(q);

        // A plan older than planValidityS is not used.
        planned.at(9);
        planned.area0(10, 10, 75);
        planned.tick();
        assertThat(planned.state.predictedQueueVeh(0, 15)).isGreaterThanOrEqualTo(planned.state.predictedQueueVeh(0, 0));
    }

    @Test
    void underTheDevicesOwnProgramTheRollOutFollowsTheReportedSignalAndLearnsItsTiming() {
        Junction reported = new Junction(false, false, true);
        Junction unreported = new Junction(false, false, true);
        for (Junction j : new Junction[] {reported, unreported}) {
            // The engine's interlock shows lane 0 red throughout: the field's own program runs the signal.
            j.green0(false);
            j.state.fieldInCharge(true);
        }
        // The program: lane 0 green for 10 s, then red for 20 s; reported as the controller's status.
        for (int t = 0; t <= 248; t++) {
            boolean green = t % 30 < 10;
            for (Junction j : new Junction[] {reported, unreported}) {
                j.at(t);
                // Vehicles keep coming: 6 moving in the zone, 2 standing at the stop line.
                j.area0(8, 2, 15);
                if (j == reported) {
                    assertThat(j.state.fieldStatus(green ? "Gr" : "rG", green ? 0 : 1,
                            (t - t % 30 + (green ? 0 : 10)) * 1000L))
                            .isTrue();
                }
                j.tick();
            }
        }
        assertThat(reported.state.laneGreen(0)).as("t = 248: green since 240").isTrue();
        assertThat(unreported.state.laneGreen(0)).isFalse();
        assertThat(reported.forecaster.typicalGreenS(0)).isCloseTo(10.0, within(2.0));
        assertThat(reported.forecaster.typicalRedS(0)).isCloseTo(20.0, within(2.0));
        assertThat(unreported.forecaster.typicalGreenS(0)).as("never saw a green: the initial guess")
                .isEqualTo(new QueueForecasterFactory.Config().initialGreenS);

        // Green for 8 s of a typical 10: the queue discharges for about 2 s, then grows on red for about 20 s.
        double q = reported.state.predictedQueueVeh(0, 0);
        assertThat(reported.state.predictedQueueVeh(0, 2)).isLessThan(q - 0.2);
        assertThat(reported.state.predictedQueueVeh(0, 20)).isGreaterThan(reported.state.predictedQueueVeh(0, 3) + 2);
        assertThat(unreported.state.predictedQueueVeh(0, 2)).as("red as far as the interlock knows")
                .isGreaterThanOrEqualTo(unreported.state.predictedQueueVeh(0, 0));
    }

    @Test
    void aFieldStatusThatDoesNotFitTheSignalIsRefused() {
        Junction j = new Junction(false, false, true);
        j.green0(false);
        j.state.fieldInCharge(true);
        j.at(0);
        assertThat(j.state.fieldStatus("G", 0, 0)).isFalse();
        assertThat(j.state.fieldStatus("Gx", 0, 0)).isFalse();
        assertThat(j.state.signalFromField()).isFalse();
        assertThat(j.state.laneGreen(0)).isFalse();
        assertThat(j.state.fieldStatus("Gr", 0, -4000)).isTrue();
        assertThat(j.state.laneGreen(0)).isTrue();
        assertThat(j.state.fieldPhaseElapsedS()).isEqualTo(4.0);
        j.state.fieldInCharge(false);
        assertThat(j.state.laneGreen(0)).as("the engine drives again: its interlock").isFalse();
    }
}
