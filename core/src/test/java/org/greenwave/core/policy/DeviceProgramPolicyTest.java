package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.junit.jupiter.api.Test;

class DeviceProgramPolicyTest {

    @Test
    void namesItsProgram() {
        assertThat(new DeviceProgramPolicy("utopia-3").deviceProgram()).isEqualTo("utopia-3");
    }

    @Test
    void proposesNothingNewIfTheEngineStepsItAnyway() {
        IntersectionModel m = TestModels.twoPhase(3, 2, 5, 10);
        Ticker t = new Ticker(m, new DeviceProgramPolicy("0"), 1, 0);

        for (int s = 0; s <= 9; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isEqualTo(1);
        }
        // Only the interlock's maximum green moves the signal; during the transition the policy follows it.
        t.tick(10);
        assertThat(t.tick(11)).isZero();
        assertThat(t.interlock.invalidProposals()).isZero();
    }
}
