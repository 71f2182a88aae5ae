package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.greenwave.core.state.IntersectionView;
import org.junit.jupiter.api.Test;

/**
 * The estimate of lane 0 of {@link Junction} after its lane-area detector has died (it never reports): what the loops,
 * the upstream neighbour and the learned profile still tell. Red 0–29 s, green 30–59 s of every minute; one tick per
 * second; a point queue that discharges one vehicle every 2 s on green.
 */
class DegradedEstimateTest {

    private static boolean greenAt(int t) {
        return t % 60 >= 30;
    }

    /** A vehicle every {@code headwayS} joins the queue; on green one leaves every 2 s while queued. */
    private static final class Lane {
        final int headwayS;
        double queueVeh;
        int joined;
        int departed;

        Lane(int headwayS) {
            this.headwayS = headwayS;
        }

        void step(int t, boolean green) {
            joined = t > 0 && t % headwayS == 0 ? 1 : 0;
            queueVeh += joined;
            departed = green && t % 2 == 0 && queueVeh >= 1 ? 1 : 0;
            queueVeh -= departed;
        }
    }

    @Test
    void zoneDeadWithVehiclesJoiningBetweenTheLoopsEstimatesFromBothLoopsBalanced() {
        Junction j = new Junction(true, true, true);
        Lane truth = new Lane(4);
        int checked = 0;
        for (int t = 0; t <= 900; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green);
            // Every second vehicle changes into the lane after the advance loop: it counts half of them.
            boolean counted = truth.joined > 0 && t % 8 == 0;
            j.state.addAdvanceCount(0, counted ? 1 : 0);
            j.state.advanceOccupancy(0, counted ? 0.3 : 0, false);
            j.state.addStopLineCount(0, truth.departed);
            boolean standing = !green && truth.queueVeh >= 1;
            j.state.stopLineOccupancy(0, standing ? 1 : truth.departed > 0 ? 0.5 : 0, standing);
            j.tick();
            if (t >= 420 && t % 60 == 29) {
                // The end of a red, when the queue is longest: 7 or 8 vehicles; plain counting sees half of them.
                assertThat(j.state.queueVeh(0)).as("queue at %d s", t).isCloseTo(truth.queueVeh, within(1.5));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(8);
        assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_AREA);
    }

    @Test
    void silentStopLineLoopIsNoEvidenceOfAnEmptyLaneOnceTheAdvanceLoopHasCountedThroughTwoGreens() {
        Junction j = new Junction(true, true, true);
        Lane truth = new Lane(4);
        for (int t = 0; t <= 149; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green);
            // The stop-line loop and the zone never report; the advance loop counts every arrival.
            j.state.addAdvanceCount(0, truth.joined);
            j.state.advanceOccupancy(0, truth.joined > 0 ? 0.3 : 0, false);
            j.tick();
        }
        // Two silent greens (30–59, 90–119 s): the estimate counts this red's arrivals and discharges by saturation
        // flow on green, instead of reading the loop's silence on red as an empty lane. The health rules have not
        // flagged the loop yet (they wait for 90 s of green), so no fault is reported.
        assertThat(j.state.detectorFaults(0) & IntersectionView.FAULT_STOP_LINE).isZero();
        assertThat(truth.queueVeh).isCloseTo(7, within(1.0));
        assertThat(j.state.queueVeh(0)).isCloseTo(truth.queueVeh, within(1.5));
    }

    @Test
    void zoneAndAdvanceLoopDeadEstimatesArrivalsAtTheStopLine() {
        Junction j = new Junction(true, true, true);
        Lane truth = new Lane(4);
        int checked = 0;
        for (int t = 0; t <= 209; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green);
            // Only the stop-line loop reports: 7 or 8 vehicles a cycle cross it, so it is the lane's arrival rate.
            j.state.addStopLineCount(0, truth.departed);
            boolean standing = !green && truth.queueVeh >= 1;
            j.state.stopLineOccupancy(0, standing ? 1 : truth.departed > 0 ? 0.5 : 0, standing);
            j.tick();
            if (t >= 180 && t % 60 == 29) {
                // Before the health rules call the advance loop dead (240 s of silence): its silence is not taken
                // for a lane nobody enters, and the rate measured at the stop line has had three cycles to settle.
                assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_AREA);
                assertThat(truth.queueVeh).isCloseTo(7.5, within(0.6));
                // The recent rate (a 120 s average) is still catching up from its first minutes of silence.
                assertThat(j.state.queueVeh(0)).as("queue at %d s", t).isCloseTo(truth.queueVeh, within(2.0));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1);
    }

    @Test
    void allDetectorsDeadEstimatesFromTheUpstreamOutflow() {
        Junction j = new Junction(true, true, true);
        double[] outflow = new double[60];
        Arrays.fill(outflow, 1 / 6.0);
        Lane truth = new Lane(6);
        for (int t = 0; t <= 269; t++) {
            boolean green = greenAt(t);
            j.at(t);
            j.green0(green);
            truth.step(t, green);
            // Nothing on the lane reports; the upstream intersection projects a vehicle every 6 s towards it, 12 s
            // away.
            j.tick();
            j.forecaster.upstreamOutflow(0, t, outflow, 12);
        }
        // A vehicle every 6 s over 30 s of red; the estimator's own rate assumption (0.1 veh/s) would give 3, and
        // loops taken for working would keep the estimate at 0.
        assertThat(truth.queueVeh).isCloseTo(5, within(0.6));
        assertThat(j.state.queueVeh(0)).isCloseTo(truth.queueVeh, within(1.0));
        assertThat(j.forecaster.recentRateVehPerS(0)).isCloseTo(1 / 6.0, within(0.03));
        assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_AREA);
    }

    @Test
    void quietLaneWithoutAnyExpectationKeepsItsLoops() {
        Junction j = new Junction(true, true, true);
        for (int t = 0; t <= 600; t++) {
            j.at(t);
            j.green0(greenAt(t));
            j.tick();
        }
        // No upstream outflow and no profile: the loops' silence is a quiet lane; nothing is estimated into it.
        assertThat(j.state.queueVeh(0)).isZero();
        assertThat(j.state.detectorFaults(0)).isEqualTo(IntersectionView.FAULT_AREA);
    }
}
