package org.greenwave.forecast.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.greenwave.core.state.IntersectionState;

/** Whatever the detectors report, including nonsense, the forecaster's outputs stay finite and within bounds. */
class QueueForecasterPropertiesTest {
    private static final double CAPACITY_VEH = 300 / 7.5;

    @Property(tries = 60)
    void outputsStayFiniteAndWithinBounds(@ForAll long seed, @ForAll boolean stopLine, @ForAll boolean advance,
                                          @ForAll boolean area) {
        Random r = new Random(seed);
        Junction j = new Junction(stopLine, advance, area);
        double[] upstream = new double[60];
        for (int t = 0; t < 400; t++) {
            j.at(t + (r.nextInt(20) == 0 ? r.nextDouble() : 0));
            j.green0(r.nextInt(40) != 0 ? (t / 30) % 2 == 0 : r.nextBoolean());
            for (int lane = 0; lane < 2; lane++) {
                j.state.addAdvanceCount(lane, r.nextInt(10) == 0 ? r.nextInt(50) : r.nextInt(2));
                j.state.addStopLineCount(lane, r.nextInt(2));
                j.state.advanceOccupancy(lane, junk(r), r.nextBoolean());
                j.state.stopLineOccupancy(lane, junk(r), r.nextBoolean());
                if (r.nextInt(3) != 0) {
                    int v = r.nextInt(40) - 2;
                    j.state.incomingArea(lane, v, r.nextInt(40) - 2, r.nextInt(15) == 0 ? Double.NaN : r.nextDouble() * 400);
                    j.state.incomingAreaReported(lane);
                }
            }
            if (r.nextInt(10) == 0) {
                for (int k = 0; k < 60; k++) {
                    upstream[k] = r.nextDouble() * 2;
                }
                j.forecaster.upstreamOutflow(r.nextInt(2), t, upstream, r.nextDouble() * 40);
            }
            j.tick();
            for (int lane = 0; lane < 2; lane++) {
                assertThat(j.state.queueVeh(lane)).isBetween(0.0, CAPACITY_VEH + 1e-9);
                assertThat(j.state.queueVarianceVeh2(lane)).isFinite().isGreaterThanOrEqualTo(0);
                for (int s = 0; s <= IntersectionState.HORIZON_S; s++) {
                    assertThat(j.state.predictedQueueVeh(lane, s)).isBetween(0.0, CAPACITY_VEH + 1e-9);
                }
                for (int k = 0; k < IntersectionState.HORIZON_S; k++) {
                    assertThat(j.state.predictedArrivalsVeh(lane, k)).isFinite().isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    private static double junk(Random r) {
        switch (r.nextInt(12)) {
            case 0:
                return Double.NaN;
            case 1:
                return -0.5;
            case 2:
                return 1.5;
            default:
                return r.nextDouble();
        }
    }
}
