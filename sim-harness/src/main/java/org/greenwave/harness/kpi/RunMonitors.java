package org.greenwave.harness.kpi;

import java.util.List;

/**
 * What the run monitors beside the safety monitor counted in one run. They read SUMO's own state (the tripinfo
 * output, the signal states SUMO shows, the halting vehicles on each lane), never the engine's estimates, so they
 * judge every controller alike. See {@code docs/suite.md} for the definitions.
 *
 * @param maxWaitS             the longest {@code waitingTime} of any vehicle (time spent below 0.1 m/s), seconds
 * @param waitP95S             the 95th percentile of {@code waitingTime} over every vehicle due in the window
 * @param shareWaitOver300     share of vehicles whose {@code waitingTime} exceeds 300 s
 * @param starvationBoundS     the bound a vehicle may wait at the head of its lane for a red link whose exit has room
 * @param starvationEvents     vehicles that waited at the head of their lane longer than the bound for a link kept red
 * @param longestStarvedRedS   the longest such wait, seconds (0 when none outlasted the bound)
 * @param starvationExamples   the first few starvation events, described
 * @param gridlock             whether the network locked up: at some check at least {@code gridlockMinVehicles}
 *                             vehicles, and at least a tenth of those in the network, had not moved for
 *                             {@code gridlockStillS}
 * @param gridlockFromS        the first check that found the network locked, or NaN
 * @param maxStillVehicles     the most vehicles found not having moved for {@code gridlockStillS} at one check
 * @param watchdogTrips        times a signal's watchdog handed the signal back to its own program
 * @param watchdogSuspendedS   signal-seconds spent under the signals' own programs because of their watchdogs
 * @param watchdogReasons      per signal whose watchdog tripped: how often, and why the last time
 */
public record RunMonitors(double maxWaitS, double waitP95S, double shareWaitOver300, double starvationBoundS,
                          long starvationEvents, double longestStarvedRedS, List<String> starvationExamples,
                          boolean gridlock, double gridlockFromS, int maxStillVehicles, long watchdogTrips,
                          double watchdogSuspendedS, List<String> watchdogReasons) {
    /** A vehicle that has not moved for this long counts towards gridlock, seconds. */
    public static final double GRIDLOCK_STILL_S = 300;
    /** The fewest vehicles not moving for {@link #GRIDLOCK_STILL_S} that make a gridlock. */
    public static final int GRIDLOCK_MIN_VEHICLES = 20;
    /** How often the gridlock monitor checks, simulated seconds. */
    public static final double GRIDLOCK_CHECK_S = 60;

    /** Monitors that flagged nothing. */
    public static RunMonitors none() {
        return new RunMonitors(0, 0, 0, 0, 0, 0, List.of(), false, Double.NaN, 0, 0, 0, List.of());
    }
}
