package org.greenwave.core.model;

/**
 * Small hand-made intersections shared by the core tests.
 *
 * <p>The crossing has four signalled links, one per approach, each with its own incoming and outgoing lane:
 * <pre>
 *   link 0  NORTH: n_in -> s_out        link 2  EAST: e_in -> w_out
 *   link 1  SOUTH: s_in -> n_out        link 3  WEST: w_in -> e_out
 * </pre>
 * Two pairs conflict: 0 with 2 and 1 with 3. Incoming lane {@code i} and outgoing lane {@code i} belong to link
 * {@code i}, in the order above.
 */
public final class TestModels {
    public static final int NORTH = 0;
    public static final int SOUTH = 1;
    public static final int EAST = 2;
    public static final int WEST = 3;

    public static final double LANE_LENGTH_M = 100;
    public static final double LANE_SPEED_MPS = 13.89;
    /** Every lane of the crossing discharges a queue at this rate, vehicles per second (1,800 veh/h). */
    public static final double LANE_SATURATION_VEH_PER_S = 0.5;

    private TestModels() {
    }

    /**
     * Three links: 0 runs north-south with pedestrian crossing 2 beside it, 1 runs east-west across both. Phases
     * {@code GrG} and {@code rGr} (5..30 s), 3 s amber, no all-red; the crossing's walkers need 8 s after its green.
     */
    public static IntersectionModel crossingBesideThrough() {
        return IntersectionModel.builder("ped", 3)
                .link(0, "n", LANE_LENGTH_M, LANE_SPEED_MPS, "s").link(1, "e", LANE_LENGTH_M, LANE_SPEED_MPS, "w")
                .link(2, "walk_a", 10, 1.3, "walk_b")
                .conflicts(ConflictMatrix.builder(3).conflict(0, 1).conflict(1, 2).build())
                .greenPhase("GrG", 0, 20, 5, 30).greenPhase("rGr", 1, 20, 5, 30)
                .pedestrianClearance(2, 8).yellowS(3).allRedS(0).build();
    }

    /** The crossing's conflicts: 0-2 and 1-3. */
    public static ConflictMatrix crossingConflicts() {
        return ConflictMatrix.builder(4).conflict(NORTH, EAST).conflict(SOUTH, WEST).build();
    }

    /** The crossing with its lanes, conflicts and clearance times, but no green phase yet. */
    public static IntersectionModel.Builder crossing(double yellowS, double allRedS) {
        return IntersectionModel.builder("crossing", 4)
                .conflicts(crossingConflicts())
                .link(NORTH, "n_in", LANE_LENGTH_M, LANE_SPEED_MPS, "s_out")
                .link(SOUTH, "s_in", LANE_LENGTH_M, LANE_SPEED_MPS, "n_out")
                .link(EAST, "e_in", LANE_LENGTH_M, LANE_SPEED_MPS, "w_out")
                .link(WEST, "w_in", LANE_LENGTH_M, LANE_SPEED_MPS, "e_out")
                .laneSaturationVehPerS("n_in", LANE_SATURATION_VEH_PER_S)
                .laneSaturationVehPerS("s_in", LANE_SATURATION_VEH_PER_S)
                .laneSaturationVehPerS("e_in", LANE_SATURATION_VEH_PER_S)
                .laneSaturationVehPerS("w_in", LANE_SATURATION_VEH_PER_S)
                .yellowS(yellowS)
                .allRedS(allRedS);
    }

    /**
     * The crossing with two phases, north-south ({@code GGrr}) then east-west ({@code rrGG}), each with a 20 s
     * program green and the given minimum and maximum green.
     */
    public static IntersectionModel twoPhase(double yellowS, double allRedS, double minGreenS, double maxGreenS) {
        return crossing(yellowS, allRedS)
                .greenPhase("GGrr", 0, 20, minGreenS, maxGreenS)
                .greenPhase("rrGG", 2, 20, minGreenS, maxGreenS)
                .build();
    }

    /**
     * Three phases of different speed: phase 0 ({@code GGGrrr}) greens three lanes side by side (incoming lanes 0-2),
     * phase 1 ({@code rrrGGr}) two (3, 4), phase 2 ({@code rrrrrG}) one (5); link {@code i} leaves incoming lane
     * {@code i}; 3 s amber, 1 s all-red, 5..30 s green.
     */
    public static IntersectionModel threePhaseOneSlow() {
        return IntersectionModel.builder("three", 6)
                .link(0, "a", 200, 13.9, "a_out").link(1, "b", 200, 13.9, "b_out").link(2, "c", 200, 13.9, "c_out")
                .link(3, "d", 200, 13.9, "d_out").link(4, "e", 200, 13.9, "e_out").link(5, "f", 200, 13.9, "f_out")
                .conflicts(ConflictMatrix.builder(6).conflict(0, 3).conflict(0, 4).conflict(0, 5).conflict(1, 3)
                        .conflict(1, 4).conflict(1, 5).conflict(2, 3).conflict(2, 4).conflict(2, 5).conflict(3, 5)
                        .conflict(4, 5).build())
                .greenPhase("GGGrrr", 0, 20, 5, 30).greenPhase("rrrGGr", 1, 20, 5, 30)
                .greenPhase("rrrrrG", 2, 20, 5, 30)
                .yellowS(3).allRedS(1).build();
    }
}
