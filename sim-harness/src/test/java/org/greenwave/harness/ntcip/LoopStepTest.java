package org.greenwave.harness.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.greenwave.adapters.traci.LoopVehicleData;
import org.junit.jupiter.api.Test;

/** One simulation step of a loop as a detector card samples it. */
class LoopStepTest {
    private static LoopVehicleData v(double entryS, double leaveS) {
        return new LoopVehicleData("v" + entryS, 5, entryS, leaveS, "car");
    }

    @Test
    void twoVehiclesInOneSecondAreTwoArrivalsWithTheirOccupiedTime() {
        // Step (10, 11]: one vehicle left at 10.2 (it arrived in the step before), two arrived, one is still on.
        List<LoopVehicleData> step = List.of(v(9.8, 10.2), v(10.4, 10.7), v(10.9, -1));

        assertThat(LoopStep.arrivals(step, 10)).isEqualTo(2);
        assertThat(LoopStep.occupiedMs(step, 10, 11)).isEqualTo(200 + 300 + 100);
        assertThat(LoopStep.occupiedAtEnd(step)).isTrue();
    }

    @Test
    void aVehicleStandingOnTheLoopOccupiesTheWholeStepAndIsNotCountedAgain() {
        List<LoopVehicleData> step = List.of(v(3.0, -1));

        assertThat(LoopStep.arrivals(step, 10)).isZero();
        assertThat(LoopStep.occupiedMs(step, 10, 11)).isEqualTo(1000);
        assertThat(LoopStep.occupiedAtEnd(step)).isTrue();
        assertThat(LoopStep.occupiedAtEnd(List.of())).isFalse();
        assertThat(LoopStep.occupiedMs(List.of(v(10.1, -1), v(10.2, -1)), 10, 11)).as("at most the step")
                .isEqualTo(1000);
    }
}
