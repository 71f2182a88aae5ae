package org.greenwave.adapters.ntcip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PhaseGroupsTest {
    @Test
    void phaseOneIsBitZeroOfGroupOneAndPhaseNineBitZeroOfGroupTwo() {
        assertThat(PhaseGroups.group(1)).isEqualTo(1);
        assertThat(PhaseGroups.group(8)).isEqualTo(1);
        assertThat(PhaseGroups.group(9)).isEqualTo(2);
        long phases = PhaseGroups.of(2) | PhaseGroups.of(6) | PhaseGroups.of(9);
        assertThat(PhaseGroups.groupValue(phases, 1)).isEqualTo(0b0010_0010);
        assertThat(PhaseGroups.groupValue(phases, 2)).isEqualTo(0b0000_0001);
        assertThat(PhaseGroups.toString(phases)).isEqualTo("2,6,9");
        assertThat(PhaseGroups.toString(0)).isEqualTo("none");
        assertThat(PhaseGroups.groupCount(8)).isEqualTo(1);
        assertThat(PhaseGroups.groupCount(16)).isEqualTo(2);
        assertThat(PhaseGroups.groupCount(0)).isZero();
    }

    @Test
    void aGroupValueReplacesOnlyItsOwnEightPhases() {
        long phases = PhaseGroups.of(1) | PhaseGroups.of(12);
        long changed = PhaseGroups.withGroup(phases, 1, 0b1000_0000);
        assertThat(PhaseGroups.toString(changed)).isEqualTo("8,12");
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> PhaseGroups.withGroup(0, 1, 256)).hasMessageContaining("0..255");
        assertThatThrownBy(() -> PhaseGroups.withGroup(0, 1, -1)).hasMessageContaining("0..255");
        assertThatThrownBy(() -> PhaseGroups.of(0)).hasMessageContaining("phase 0");
        assertThatThrownBy(() -> PhaseGroups.of(65)).hasMessageContaining("phase 65");
        assertThatThrownBy(() -> PhaseGroups.groupValue(0, 9)).hasMessageContaining("group 9");
    }

    @Property
    void groupsRoundTrip(@ForAll long phases) {
        long rebuilt = 0;
        for (int g = 1; g <= PhaseGroups.MAX_GROUPS; g++) {
            rebuilt = PhaseGroups.withGroup(rebuilt, g, PhaseGroups.groupValue(phases, g));
        }
        assertThat(rebuilt).isEqualTo(phases);
    }

    @Property
    void aPhaseIsInItsGroupsBit(@ForAll @IntRange(min = 1, max = 64) int phase) {
        int g = PhaseGroups.group(phase);
        assertThat(PhaseGroups.groupValue(PhaseGroups.of(phase), g)).isEqualTo(1 << ((phase - 1) % 8));
        assertThat(PhaseGroups.contains(PhaseGroups.of(phase), phase)).isTrue();
    }
}
