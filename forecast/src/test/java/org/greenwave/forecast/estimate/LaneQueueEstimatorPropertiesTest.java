package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.greenwave.core.ingest.DetectorKind;

class LaneQueueEstimatorPropertiesTest {

    /** One random tick: time step, counts, signal, occupancy, area reading and a fault toggle. */
    record Tick(double dtS, int arrivals, int departures, boolean green, double occupancy, int halting, int fault) {
    }

    @Property(tries = 300)
    void estimateAndVarianceStayNonNegativeAndFinite(@ForAll("ticks") List<Tick> ticks, @ForAll boolean area) {
        LaneQueueEstimator est = new LaneQueueEstimator(new LaneQueueEstimator.Config(), area);
        double now = 0;
        for (Tick tick : ticks) {
            now += tick.dtS();
            switch (tick.fault()) {
                case 1 -> est.detectorFault(DetectorKind.ADVANCE, true);
                case 2 -> est.detectorFault(DetectorKind.ADVANCE, false);
                case 3 -> est.detectorFault(DetectorKind.STOP_LINE, true);
                case 4 -> est.detectorFault(DetectorKind.STOP_LINE, false);
                default -> { }
            }
            if (area) {
                est.update(now, tick.arrivals(), tick.departures(), tick.green(), tick.occupancy(),
                        tick.halting(), tick.halting(), tick.halting() * 7.5);
            } else {
                est.update(now, tick.arrivals(), tick.departures(), tick.green(), tick.occupancy());
            }
            assertThat(est.queueVeh()).isGreaterThanOrEqualTo(0).isFinite();
            assertThat(est.queueM()).isGreaterThanOrEqualTo(0).isFinite();
            assertThat(est.varianceVeh2()).isGreaterThanOrEqualTo(0).isFinite();
        }
        assertThat(est.rejectedUpdates()).isZero();
    }

    @Provide
    Arbitrary<List<Tick>> ticks() {
        Arbitrary<Tick> tick = Combinators.combine(
                Arbitraries.doubles().between(0, 5),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(true, false),
                Arbitraries.of(0.0, 0.1, 0.5, 0.96, 1.0),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 12)).as(Tick::new);
        return tick.list().ofMaxSize(400);
    }
}
