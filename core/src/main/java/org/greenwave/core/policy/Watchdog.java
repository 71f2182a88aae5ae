package org.greenwave.core.policy;

import java.util.Locale;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.state.IntersectionView;

/**
 * Watches one signal under adaptive control and hands it back to its own program when adaptive control is failing
 * there; retries later. It reads the engine's own view (detectors and estimates), never a simulator's truth, so it
 * works the same in the field.
 *
 * <p>It trips when, at this signal,
 * <ul>
 *   <li><b>starvation</b>: a lane with vehicles has shown no green for {@link #STARVED_S} (twice the adaptive
 *       controller's own guard: the guard failed), or</li>
 *   <li><b>persistent spill-back</b>: an incoming lane has been spilled back past its detection zone without a break
 *       for {@link #SPILLBACK_S}.</li>
 * </ul>
 * Then the signal runs its own program for {@link #FIRST_HOLD_S}; each further trip within {@link #FORGET_S} of
 * adaptive control doubles the hold, up to {@link #MAX_HOLD_S}. Every trip is counted and described
 * ({@link #reason()}), so an operator can see why.
 *
 * <p>Threading: the intersection's control thread only. No allocation after construction, except the description of
 * a trip when it happens.
 */
public final class Watchdog {
    /** A lane with vehicles and no green for this long trips the watchdog, seconds. */
    public static final double STARVED_S = 2 * RollingHorizonPolicy.MAX_WAIT_S;
    /** A lane spilled back without a break for this long trips the watchdog, seconds. */
    public static final double SPILLBACK_S = 600;
    /** The first hold under the signal's own program, seconds. */
    public static final double FIRST_HOLD_S = 900;
    /** The longest hold, seconds. */
    public static final double MAX_HOLD_S = 3600;
    /** Adaptive control this long without a trip resets the hold to {@link #FIRST_HOLD_S}, seconds. */
    public static final double FORGET_S = 3600;

    private final IntersectionModel model;
    private final double[] redWithDemandSinceS;
    private final double[] spilledSinceS;
    private double holdS = FIRST_HOLD_S;
    private double suspendedUntilS = Double.NaN;
    private double adaptiveSinceS = Double.NaN;
    private long trips;
    private double suspendedS;
    private double lastTickS = Double.NaN;
    private String reason = "";

    public Watchdog(IntersectionModel model) {
        this.model = model;
        int lanes = model.incomingLaneCount();
        this.redWithDemandSinceS = new double[lanes];
        this.spilledSinceS = new double[lanes];
        java.util.Arrays.fill(redWithDemandSinceS, Double.NaN);
        java.util.Arrays.fill(spilledSinceS, Double.NaN);
    }

    /**
     * One control tick: updates what the watchdog watches and says whether the signal is to run its own program now.
     */
    public boolean suspended(IntersectionView view) {
        double nowS = view.nowS();
        double sinceLastS = Double.isNaN(lastTickS) ? 0 : nowS - lastTickS;
        lastTickS = nowS;
        if (!Double.isNaN(suspendedUntilS)) {
            suspendedS += sinceLastS;
            if (nowS < suspendedUntilS) {
                return true;
            }
            suspendedUntilS = Double.NaN;
            adaptiveSinceS = nowS;
            java.util.Arrays.fill(redWithDemandSinceS, Double.NaN);
            java.util.Arrays.fill(spilledSinceS, Double.NaN);
        }
        if (Double.isNaN(adaptiveSinceS)) {
            adaptiveSinceS = nowS;
        } else if (nowS - adaptiveSinceS >= FORGET_S) {
            holdS = FIRST_HOLD_S;
        }
        for (int lane = 0; lane < redWithDemandSinceS.length; lane++) {
            boolean faulty = view.detectorFaults(lane) != 0;
            boolean demand = !faulty && (view.queueVeh(lane) >= 0.5 || view.incomingVehicles(lane) > 0);
            if (view.laneGreen(lane) || !demand) {
                redWithDemandSinceS[lane] = Double.NaN;
            } else if (Double.isNaN(redWithDemandSinceS[lane])) {
                redWithDemandSinceS[lane] = nowS;
            } else if (nowS - redWithDemandSinceS[lane] >= STARVED_S) {
                return trip(nowS, String.format(Locale.ROOT, "lane %s had vehicles and no green for %.0f s",
                        model.incomingLaneId(lane), nowS - redWithDemandSinceS[lane]));
            }
            if (!view.spilledBack(lane)) {
                spilledSinceS[lane] = Double.NaN;
            } else if (Double.isNaN(spilledSinceS[lane])) {
                spilledSinceS[lane] = nowS;
            } else if (nowS - spilledSinceS[lane] >= SPILLBACK_S) {
                return trip(nowS, String.format(Locale.ROOT, "lane %s spilled back past its detectors for %.0f s",
                        model.incomingLaneId(lane), nowS - spilledSinceS[lane]));
            }
        }
        return false;
    }

    private boolean trip(double nowS, String why) {
        trips++;
        suspendedUntilS = nowS + holdS;
        reason = String.format(Locale.ROOT, "t=%.0f: %s; own program for %.0f s", nowS, why, holdS);
        holdS = Math.min(MAX_HOLD_S, 2 * holdS);
        adaptiveSinceS = Double.NaN;
        return true;
    }

    /** Times the watchdog handed the signal to its own program. */
    public long trips() {
        return trips;
    }

    /** Seconds spent under the signal's own program because of the watchdog. */
    public double suspendedS() {
        return suspendedS;
    }

    /** Whether the signal runs its own program now. */
    public boolean isSuspended() {
        return !Double.isNaN(suspendedUntilS);
    }

    /** Why the watchdog last tripped, for a person; empty if it never did. */
    public String reason() {
        return reason;
    }
}
