package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The cluster search on hand-made profiles: two or three phases, 1 s bins, 0.5 veh/s per phase. */
class ScheduleSearchTest {
    private static final double SWITCH_S = 5;

    private static ScheduleSearch search(int phases) {
        double[] minGreen = new double[phases];
        Arrays.fill(minGreen, 5);
        ScheduleSearch s = new ScheduleSearch(phases, 61, 1024, 3, minGreen);
        s.clear();
        for (int p = 0; p < phases; p++) {
            s.serviceVehPerS[p] = 0.5;
        }
        return s;
    }

    @Test
    void servesTheShortQueueFirstWhenThatWaitsLess() {
        ScheduleSearch s = search(2);
        s.profileVeh[0][0] = 2;
        s.profileVeh[1][0] = 12;
        // Serving 2 first: 12 wait 4 + 5 s; serving 12 first: 2 wait 5 + 24 + 5 s.
        assertThat(s.solve(0, true, 0, SWITCH_S)).isZero();
        assertThat(s.scheduleLength()).isEqualTo(2);
        assertThat(s.schedulePhase(1)).isEqualTo(1);
        assertThat(s.totalDelayVehS()).isCloseTo(12 * 9, within(1e-6));
    }

    @Test
    void switchesForTheBigQueueWhenTheCurrentPhaseHasNothingNow() {
        ScheduleSearch s = search(2);
        s.profileVeh[1][0] = 10;
        s.profileVeh[0][30] = 1;
        assertThat(s.solve(0, true, 0, SWITCH_S)).isEqualTo(1);
    }

    @Test
    void skipsPhasesWithoutClustersAndReportsNothingWhenAllAreEmpty() {
        ScheduleSearch s = search(3);
        assertThat(s.solve(0, true, 0, SWITCH_S)).isEqualTo(-1);
        s.profileVeh[2][0] = 4;
        assertThat(s.solve(0, true, 0, SWITCH_S)).isEqualTo(2);
        assertThat(s.clusterCount(1)).isZero();
        assertThat(s.scheduleLength()).isEqualTo(1);
    }

    @Test
    void splitsArrivalsIntoClustersAtGapsAndKeepsWithinTheStateBudget() {
        ScheduleSearch s = search(2);
        s.profileVeh[0][0] = 3;
        for (int k = 5; k <= 8; k++) {
            s.profileVeh[0][k] = 1;
        }
        for (int k = 20; k <= 22; k++) {
            s.profileVeh[0][k] = 1;
        }
        s.profileVeh[1][0] = 1;
        s.solve(0, true, 0, SWITCH_S);
        assertThat(s.clusterCount(0)).as("queue, then two platoons").isEqualTo(3);

        ScheduleSearch tight = new ScheduleSearch(2, 61, 4, 3, new double[] {5, 5});
        tight.clear();
        tight.serviceVehPerS[0] = 0.5;
        tight.serviceVehPerS[1] = 0.5;
        for (int k = 0; k <= 60; k += 6) {
            tight.profileVeh[0][k] = 1;
            tight.profileVeh[1][k] = 1;
        }
        tight.solve(0, true, 0, SWITCH_S);
        assertThat((tight.clusterCount(0) + 1) * (tight.clusterCount(1) + 1)).isLessThanOrEqualTo(4);
    }

    @Test
    void holdsTheCurrentPhaseForAPlatoonArrivingSoon() {
        ScheduleSearch s = search(2);
        for (int k = 2; k <= 9; k++) {
            s.profileVeh[0][k] = 1;
        }
        s.profileVeh[1][0] = 1;
        assertThat(s.solve(0, true, 0, SWITCH_S)).isZero();
    }

    @Test
    void doesNotScheduleTheCurrentPhaseFirstAtItsMaximumGreen() {
        ScheduleSearch s = search(2);
        s.profileVeh[0][0] = 20;
        s.profileVeh[1][0] = 1;
        assertThat(s.solve(0, false, 0, SWITCH_S)).isEqualTo(1);
    }
}
