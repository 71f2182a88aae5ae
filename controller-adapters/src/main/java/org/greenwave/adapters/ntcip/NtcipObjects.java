package org.greenwave.adapters.ntcip;

import org.snmp4j.smi.OID;

/**
 * The NTCIP 1202 (Actuated Signal Controller) objects Greenwave reads and writes, under {@code asc}
 * (1.3.6.1.4.1.1206.4.2.1), each named as in the standard's MIB. Table columns are given without their index: append
 * the phase number, the group number or the detector number (see {@link #column}).
 *
 * <p>Phase groups: the phase status and phase control tables hold one row per group of eight phases; group
 * {@code g} covers phases {@code 8g-7 .. 8g}, phase {@code 8g-7} in bit 0 (see {@link PhaseGroups}).
 */
public final class NtcipObjects {
    /** {@code asc}: the Actuated Signal Controller node of NTCIP 1202. */
    public static final OID ASC = new OID("1.3.6.1.4.1.1206.4.2.1");

    // phase (asc.1)
    /** {@code maxPhases.0}: phases the controller supports. */
    public static final OID MAX_PHASES = scalar("1.1");
    /** {@code phaseMinimumGreen.<phase>}: seconds. */
    public static final OID PHASE_MINIMUM_GREEN = col("1.2.1.4");
    /** {@code phasePedestrianClear.<phase>}: seconds of pedestrian clearance before the phase's yellow. */
    public static final OID PHASE_PEDESTRIAN_CLEAR = col("1.2.1.3");
    /** {@code phasePassage.<phase>}: tenths of a second. */
    public static final OID PHASE_PASSAGE = col("1.2.1.5");
    /** {@code phaseMaximum1.<phase>}: seconds. */
    public static final OID PHASE_MAXIMUM1 = col("1.2.1.6");
    /** {@code phaseYellowChange.<phase>}: tenths of a second. */
    public static final OID PHASE_YELLOW_CHANGE = col("1.2.1.8");
    /** {@code phaseRedClear.<phase>}: tenths of a second. */
    public static final OID PHASE_RED_CLEAR = col("1.2.1.9");
    /** {@code phaseRing.<phase>}: the ring the phase belongs to (0: not used). */
    public static final OID PHASE_RING = col("1.2.1.22");
    /** {@code maxPhaseGroups.0}. */
    public static final OID MAX_PHASE_GROUPS = scalar("1.3");
    /** {@code phaseStatusGroupReds.<group>}: bit set when the phase shows red. */
    public static final OID PHASE_STATUS_GROUP_REDS = col("1.4.1.2");
    /** {@code phaseStatusGroupYellows.<group>}. */
    public static final OID PHASE_STATUS_GROUP_YELLOWS = col("1.4.1.3");
    /** {@code phaseStatusGroupGreens.<group>}. */
    public static final OID PHASE_STATUS_GROUP_GREENS = col("1.4.1.4");
    /** {@code phaseStatusGroupVehCalls.<group>}: a vehicle call is registered on the phase. */
    public static final OID PHASE_STATUS_GROUP_VEH_CALLS = col("1.4.1.8");
    /** {@code phaseStatusGroupPhaseOns.<group>}: the phase is active (green or its clearance). */
    public static final OID PHASE_STATUS_GROUP_PHASE_ONS = col("1.4.1.10");
    /** {@code phaseStatusGroupPhaseNexts.<group>}: the phase the controller will serve next. */
    public static final OID PHASE_STATUS_GROUP_PHASE_NEXTS = col("1.4.1.11");
    /** {@code phaseControlGroupPhaseOmit.<group>}: while set, the phase is not served. */
    public static final OID PHASE_CONTROL_GROUP_PHASE_OMIT = col("1.5.1.2");
    /** {@code phaseControlGroupPedOmit.<group>}. */
    public static final OID PHASE_CONTROL_GROUP_PED_OMIT = col("1.5.1.3");
    /** {@code phaseControlGroupHold.<group>}: while set, a green phase keeps its green. */
    public static final OID PHASE_CONTROL_GROUP_HOLD = col("1.5.1.4");
    /** {@code phaseControlGroupForceOff.<group>}: while set, a green phase ends once its minimum green is served. */
    public static final OID PHASE_CONTROL_GROUP_FORCE_OFF = col("1.5.1.5");
    /** {@code phaseControlGroupVehCall.<group>}: while set, a vehicle call is placed on the phase. */
    public static final OID PHASE_CONTROL_GROUP_VEH_CALL = col("1.5.1.6");
    /** {@code phaseControlGroupPedCall.<group>}. */
    public static final OID PHASE_CONTROL_GROUP_PED_CALL = col("1.5.1.7");

    // detector (asc.2)
    /** {@code maxVehicleDetectors.0}. */
    public static final OID MAX_VEHICLE_DETECTORS = scalar("2.1");
    /** {@code vehicleDetectorCallPhase.<detector>}: the phase the detector calls (0: none). */
    public static final OID VEHICLE_DETECTOR_CALL_PHASE = col("2.2.1.4");
    /** {@code vehicleDetectorStatusGroupActive.<group>}: bit set while the detector is occupied (8 per group). */
    public static final OID VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE = col("2.4.1.2");
    /** {@code volumeOccupancySequence.0}: increases by one (mod 256) with every completed period. */
    public static final OID VOLUME_OCCUPANCY_SEQUENCE = scalar("2.5.1");
    /** {@code volumeOccupancyPeriod.0}: the collection period, seconds. */
    public static final OID VOLUME_OCCUPANCY_PERIOD = scalar("2.5.2");
    /** {@code detectorVolume.<detector>}: vehicles in the last completed period. */
    public static final OID DETECTOR_VOLUME = col("2.5.4.1.1");
    /** {@code detectorOccupancy.<detector>}: 0..200, half-percent occupancy of the last completed period. */
    public static final OID DETECTOR_OCCUPANCY = col("2.5.4.1.2");

    // unit (asc.3)
    /**
     * {@code unitBackupTime.0}: seconds without a set from the central system after which the controller drops the
     * central system's phase control and runs its own timing.
     */
    public static final OID UNIT_BACKUP_TIME = scalar("3.3");

    // coordination (asc.4)
    /** {@code coordCorrectionMode.0}: how the controller reaches a new offset; see {@link #CORRECTION_DWELL}. */
    public static final OID COORD_CORRECTION_MODE = scalar("4.2");
    /** {@code coordMaximumMode.0}: which maximum limits a green under a pattern; see {@link #MAXIMUM_MODE_MAXIMUM1}. */
    public static final OID COORD_MAXIMUM_MODE = scalar("4.3");
    /** {@code coordForceMode.0}: where force-offs fall in the cycle; see {@link #FORCE_MODE_FIXED}. */
    public static final OID COORD_FORCE_MODE = scalar("4.4");
    /** {@code maxPatterns.0}: rows of the pattern table. */
    public static final OID MAX_PATTERNS = scalar("4.5");
    /** {@code patternCycleTime.<pattern>}: seconds (0..255); 0 runs the pattern free. */
    public static final OID PATTERN_CYCLE_TIME = col("4.7.1.2");
    /** {@code patternOffsetTime.<pattern>}: seconds from the system reference to the pattern's local zero. */
    public static final OID PATTERN_OFFSET_TIME = col("4.7.1.3");
    /** {@code patternSplitNumber.<pattern>}: the split table the pattern uses. */
    public static final OID PATTERN_SPLIT_NUMBER = col("4.7.1.4");
    /** {@code maxSplits.0}: split tables. */
    public static final OID MAX_SPLITS = scalar("4.8");
    /** {@code splitTime.<split>.<phase>}: seconds the phase may take, green and its clearance, before its force-off. */
    public static final OID SPLIT_TIME = col("4.9.1.3");
    /** {@code splitMode.<split>.<phase>}: see {@link #SPLIT_MODE_NONE}. */
    public static final OID SPLIT_MODE = col("4.9.1.4");
    /** {@code splitCoordPhase.<split>.<phase>}: 1 for the coordinated phase, else 0. */
    public static final OID SPLIT_COORD_PHASE = col("4.9.1.5");
    /** {@code coordPatternStatus.0}: the pattern running (1..253), 254 free, 255 flash. */
    public static final OID COORD_PATTERN_STATUS = scalar("4.10");
    /** {@code localFreeStatus.0}: why the controller runs free, or {@link #LOCAL_FREE_NOT_FREE}. */
    public static final OID LOCAL_FREE_STATUS = scalar("4.11");
    /** {@code coordCycleStatus.0}: seconds left in the running pattern's cycle (counts down to its local zero). */
    public static final OID COORD_CYCLE_STATUS = scalar("4.12");
    /**
     * {@code systemPatternControl.0}: the pattern the central system selects: 0 standby (the controller's own
     * selection), 1..253 a pattern, 254 free, 255 flash. A controller resets it to 0 after its backup time without a set.
     */
    public static final OID SYSTEM_PATTERN_CONTROL = scalar("4.14");

    /** {@code systemPatternControl} and {@code coordPatternStatus}: standby, free and flash. */
    public static final int PATTERN_STANDBY = 0;
    public static final int PATTERN_FREE = 254;
    public static final int PATTERN_FLASH = 255;
    /** {@code splitMode}: none, minimumVehicleRecall, maximumVehicleRecall. */
    public static final int SPLIT_MODE_NONE = 2;
    public static final int SPLIT_MODE_MIN_RECALL = 3;
    public static final int SPLIT_MODE_MAX_RECALL = 4;
    /** {@code coordCorrectionMode} dwell, {@code coordMaximumMode} maximum1, {@code coordForceMode} fixed. */
    public static final int CORRECTION_DWELL = 2;
    public static final int MAXIMUM_MODE_MAXIMUM1 = 2;
    public static final int FORCE_MODE_FIXED = 3;
    /** {@code localFreeStatus} values. */
    public static final int LOCAL_FREE_NOT_FREE = 2;
    public static final int LOCAL_FREE_COMMAND_FREE = 3;
    public static final int LOCAL_FREE_COORD_FREE = 6;
    public static final int LOCAL_FREE_BAD_PLAN = 7;
    public static final int LOCAL_FREE_BAD_CYCLE_TIME = 8;
    public static final int LOCAL_FREE_SPLIT_OVERRUN = 9;
    public static final int LOCAL_FREE_INVALID_OFFSET = 10;

    private NtcipObjects() {
    }

    /** The instance of table column {@code column} for row {@code index}. */
    public static OID column(OID column, int index) {
        return new OID(column).append(index);
    }

    /** The instance of a two-index table column, e.g. {@code splitTime.<split>.<phase>}. */
    public static OID column(OID column, int index1, int index2) {
        return new OID(column).append(index1).append(index2);
    }

    /** The name of a {@code localFreeStatus} value, as NTCIP 1202 spells it. */
    public static String localFreeStatusName(int value) {
        return switch (value) {
            case 1 -> "other";
            case LOCAL_FREE_NOT_FREE -> "notFree";
            case LOCAL_FREE_COMMAND_FREE -> "commandFree";
            case 4 -> "transitionFree";
            case 5 -> "inputFree";
            case LOCAL_FREE_COORD_FREE -> "coordFree";
            case LOCAL_FREE_BAD_PLAN -> "badPlan";
            case LOCAL_FREE_BAD_CYCLE_TIME -> "badCycleTime";
            case LOCAL_FREE_SPLIT_OVERRUN -> "splitOverrun";
            case LOCAL_FREE_INVALID_OFFSET -> "invalidOffset";
            case 11 -> "failed";
            default -> "unknown (" + value + ")";
        };
    }

    private static OID scalar(String suffix) {
        return new OID(ASC).append(suffix).append(0);
    }

    private static OID col(String suffix) {
        return new OID(ASC).append(suffix);
    }
}
