package org.greenwave.adapters.ntcip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The OIDs against NTCIP 1202's MIB (asc = 1.3.6.1.4.1.1206.4.2.1). */
class NtcipObjectsTest {
    @Test
    void phaseStatusAndControlColumns() {
        assertThat(NtcipObjects.column(NtcipObjects.PHASE_STATUS_GROUP_GREENS, 1))
                .hasToString("1.3.6.1.4.1.1206.4.2.1.1.4.1.4.1");
        assertThat(NtcipObjects.column(NtcipObjects.PHASE_STATUS_GROUP_REDS, 2))
                .hasToString("1.3.6.1.4.1.1206.4.2.1.1.4.1.2.2");
        assertThat(NtcipObjects.PHASE_STATUS_GROUP_YELLOWS).hasToString("1.3.6.1.4.1.1206.4.2.1.1.4.1.3");
        assertThat(NtcipObjects.PHASE_STATUS_GROUP_PHASE_NEXTS).hasToString("1.3.6.1.4.1.1206.4.2.1.1.4.1.11");
        assertThat(NtcipObjects.PHASE_CONTROL_GROUP_PHASE_OMIT).hasToString("1.3.6.1.4.1.1206.4.2.1.1.5.1.2");
        assertThat(NtcipObjects.PHASE_CONTROL_GROUP_HOLD).hasToString("1.3.6.1.4.1.1206.4.2.1.1.5.1.4");
        assertThat(NtcipObjects.PHASE_CONTROL_GROUP_FORCE_OFF).hasToString("1.3.6.1.4.1.1206.4.2.1.1.5.1.5");
        assertThat(NtcipObjects.PHASE_CONTROL_GROUP_VEH_CALL).hasToString("1.3.6.1.4.1.1206.4.2.1.1.5.1.6");
        assertThat(NtcipObjects.PHASE_CONTROL_GROUP_PED_CALL).hasToString("1.3.6.1.4.1.1206.4.2.1.1.5.1.7");
    }

    @Test
    void detectorAndUnitObjects() {
        assertThat(NtcipObjects.MAX_PHASES).hasToString("1.3.6.1.4.1.1206.4.2.1.1.1.0");
        assertThat(NtcipObjects.column(NtcipObjects.DETECTOR_VOLUME, 3)).hasToString("1.3.6.1.4.1.1206.4.2.1.2.5.4.1.1.3");
        assertThat(NtcipObjects.DETECTOR_OCCUPANCY).hasToString("1.3.6.1.4.1.1206.4.2.1.2.5.4.1.2");
        assertThat(NtcipObjects.VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE).hasToString("1.3.6.1.4.1.1206.4.2.1.2.4.1.2");
        assertThat(NtcipObjects.VOLUME_OCCUPANCY_SEQUENCE).hasToString("1.3.6.1.4.1.1206.4.2.1.2.5.1.0");
        assertThat(NtcipObjects.UNIT_BACKUP_TIME).hasToString("1.3.6.1.4.1.1206.4.2.1.3.3.0");
        assertThat(NtcipObjects.PHASE_MINIMUM_GREEN).hasToString("1.3.6.1.4.1.1206.4.2.1.1.2.1.4");
    }
}
