package org.greenwave.core.safety;

/** The rules the {@link SafetyMonitor} checks on every state an intersection shows. */
public enum SafetyRule {
    /** Two conflicting links show a protected green at the same time. */
    CONFLICT,
    /** A link gained a protected green while a conflicting link was amber or within its all-red clearance. */
    CLEARANCE,
    /**
     * A link gained a green before the walkers of a crossing it conflicts with had their clearance
     * ({@link org.greenwave.core.model.IntersectionModel#linkPedestrianClearanceS}) since the crossing's green ended.
     */
    PEDESTRIAN_CLEARANCE,
    /** A link went from green to red without amber. */
    NO_YELLOW,
    /** An amber ended before the intersection's yellow time. */
    SHORT_YELLOW,
    /** A link's green ended before its minimum green. */
    SHORT_GREEN,
    /**
     * The signal went dark: every used link turned to off ({@code o} or {@code O}) from a state where one was
     * signalled. Only an operator may switch a signal off ({@link SafetyMonitor#operatorFlash}).
     */
    DARK,
    /** The state had the wrong length or a character SUMO does not define. */
    MALFORMED;

    private static final SafetyRule[] VALUES = values();

    /** All rules, without allocating a new array. */
    static SafetyRule[] all() {
        return VALUES;
    }
}
