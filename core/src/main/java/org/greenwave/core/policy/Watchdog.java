package org.greenwave.core.policy;

import java.util.Locale;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
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
 *       for {@link #SPILLBACK_S}, or</li>
 *   <li><b>throughput well below its own program's</b>: over {@link #THROUGHPUT_WINDOW_S} of adaptive control the
 *       signal sent fewer than {@link #THROUGHPUT_SHARE} of the vehicles its own program would have sent. A fixed
 *       program sends from each lane what arrives, up to the lane's saturation flow times its share of protected green
 *       in the program's cycle while the lane's exit has room; what arrived is what crossed the stop line plus what the
 *       queue in the zone grew by. Only vehicle lanes whose stop-line loop worked throughout count, and only windows in
 *       which the own program would have sent at least {@link #THROUGHPUT_MIN_VEH}.</li>
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
    /** The window over which throughput is compared with the own program's, seconds of adaptive control. */
    public static final double THROUGHPUT_WINDOW_S = 900;
    /** Adaptive control that sends fewer than this share of the own program's vehicles trips the watchdog. */
    public static final double THROUGHPUT_SHARE = 0.8;
    /** A window in which the own program would send fewer vehicles than this is not judged. */
    public static final double THROUGHPUT_MIN_VEH = 60;
    /** Road space a standing vehicle takes (length plus gap), for "the exit has room", metres. */
    private static final double STANDING_SPACING_M = 7.5;
    /** The first hold under the signal's own program, seconds. */
    public static final double FIRST_HOLD_S = 900;
    /** The longest hold, seconds. */
    public static final double MAX_HOLD_S = 3600;
    /** Adaptive control this long without a trip resets the hold to {@link #FIRST_HOLD_S}, seconds. */
    public static final double FORGET_S = 3600;

    private final IntersectionModel model;
    private final double[] redWithDemandSinceS;
    private final double[] spilledSinceS;
    /** Per incoming lane: its share of protected green in the own program's cycle (see {@link #ownGreenShare}). */
    private final double[] ownGreenShare;
    /** Per incoming lane: the outgoing lanes its links lead to. */
    private final int[][] exits;
    private double windowStartS = Double.NaN;
    private final long[] windowStartCount;
    private final double[] windowStartQueueVeh;
    /** Per lane: what the own program could have sent so far in the window, vehicles. */
    private final double[] windowOwnCapacityVeh;
    /** Per lane: its stop-line loop failed during the window. */
    private final boolean[] windowFaulty;
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
        this.ownGreenShare = ownGreenShare(model);
        this.exits = new int[lanes][];
        for (int lane = 0; lane < lanes; lane++) {
            int n = 0;
            int[] out = new int[model.linkCount()];
            for (int l = 0; l < model.linkCount(); l++) {
                if (model.linkUsed(l) && model.linkIncomingLane(l) == lane) {
                    out[n++] = model.linkOutgoingLane(l);
                }
            }
            exits[lane] = java.util.Arrays.copyOf(out, n);
        }
        this.windowStartCount = new long[lanes];
        this.windowStartQueueVeh = new double[lanes];
        this.windowOwnCapacityVeh = new double[lanes];
        this.windowFaulty = new boolean[lanes];
    }

    /**
     * Per incoming lane, its share of protected green in the signal's own program: the program's time of the green
     * phases that show one of its links a protected green, over the cycle (every green phase's program time, amber and
     * all-red). A permissive green's flow depends on the opposing traffic, so it is not counted.
     */
    static double[] ownGreenShare(IntersectionModel model) {
        double[] share = new double[model.incomingLaneCount()];
        double cycleS = 0;
        for (int p = 0; p < model.greenPhaseCount(); p++) {
            double greenS = model.programGreenS(p);
            cycleS += greenS + model.yellowS() + model.allRedS();
            for (int lane = 0; lane < share.length; lane++) {
                for (int l = 0; l < model.linkCount(); l++) {
                    if (model.linkUsed(l) && model.linkIncomingLane(l) == lane
                            && model.greenState(p, l) == SignalChar.GREEN) {
                        share[lane] += greenS;
                        break;
                    }
                }
            }
        }
        for (int lane = 0; lane < share.length; lane++) {
            share[lane] = cycleS > 0 ? share[lane] / cycleS : 0;
        }
        return share;
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
            windowStartS = Double.NaN;
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
        return throughputWindow(view, nowS, sinceLastS);
    }

    /** Accumulates the throughput window; at its end, trips when adaptive control sent too few vehicles. */
    private boolean throughputWindow(IntersectionView view, double nowS, double dtS) {
        int lanes = windowStartCount.length;
        if (Double.isNaN(windowStartS)) {
            startWindow(view, nowS);
            return false;
        }
        for (int lane = 0; lane < lanes; lane++) {
            if ((view.detectorFaults(lane) & IntersectionView.FAULT_STOP_LINE) != 0) {
                windowFaulty[lane] = true;
            }
            if (exitHasRoom(view, lane)) {
                windowOwnCapacityVeh[lane] += dtS * ownGreenShare[lane] * model.incomingLaneSaturationVehPerS(lane);
            }
        }
        if (nowS - windowStartS < THROUGHPUT_WINDOW_S) {
            return false;
        }
        double sent = 0;
        double ownSent = 0;
        for (int lane = 0; lane < lanes; lane++) {
            if (windowFaulty[lane] || model.incomingLaneIsCrossing(lane)) {
                continue;
            }
            double crossed = view.stopLineCount(lane) - windowStartCount[lane];
            double arrived = crossed + Math.max(0, view.queueVeh(lane) - windowStartQueueVeh[lane]);
            sent += crossed;
            ownSent += Math.min(arrived, windowOwnCapacityVeh[lane]);
        }
        double windowS = nowS - windowStartS;
        startWindow(view, nowS);
        if (ownSent >= THROUGHPUT_MIN_VEH && sent < THROUGHPUT_SHARE * ownSent) {
            return trip(nowS, String.format(Locale.ROOT, "%.0f vehicles crossed in %.0f s, where its own program"
                    + " would have sent about %.0f", sent, windowS, ownSent));
        }
        return false;
    }

    private void startWindow(IntersectionView view, double nowS) {
        windowStartS = nowS;
        for (int lane = 0; lane < windowStartCount.length; lane++) {
            windowStartCount[lane] = view.stopLineCount(lane);
            windowStartQueueVeh[lane] = view.queueVeh(lane);
            windowOwnCapacityVeh[lane] = 0;
            windowFaulty[lane] = false;
        }
    }

    /** Whether one of the lane's exits has room for another vehicle (unknown room counts as room). */
    private boolean exitHasRoom(IntersectionView view, int lane) {
        for (int out : exits[lane]) {
            double lengthM = model.outgoingLaneLengthM(out);
            if (!(lengthM > 0) || (view.outgoingVehicles(out) + 1) * STANDING_SPACING_M <= lengthM) {
                return true;
            }
        }
        return exits[lane].length == 0;
    }

    private boolean trip(double nowS, String why) {
        trips++;
        suspendedUntilS = nowS + holdS;
        reason = String.format(Locale.ROOT, "t=%.0f: %s; own program for %.0f s", nowS, why, holdS);
        holdS = Math.min(MAX_HOLD_S, 2 * holdS);
        adaptiveSinceS = Double.NaN;
        windowStartS = Double.NaN;
        return true;
    }

    /**
     * Starts watching afresh at {@code nowS} after a time in which it was not asked (an operator's override): what
     * happened meanwhile was the operator's doing, so waits, spill-back and the throughput window start again. A hold
     * under its own program in force continues.
     */
    public void restart(double nowS) {
        lastTickS = nowS;
        windowStartS = Double.NaN;
        java.util.Arrays.fill(redWithDemandSinceS, Double.NaN);
        java.util.Arrays.fill(spilledSinceS, Double.NaN);
        if (Double.isNaN(suspendedUntilS)) {
            adaptiveSinceS = nowS;
        }
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
