package org.greenwave.forecast.estimate;

/**
 * Compares the two loops of one incoming lane over several signal cycles, for the estimate of a lane that has lost
 * its lane-area detector (or never had one): by conservation, what crosses the stop line over whole cycles is what
 * joined the queue, so the stop-line loop's rate tells how far the advance loop's count misses vehicles that change
 * into the lane between the loops ({@link #joiningVehPerS()}) or over-counts vehicles that leave it
 * ({@link #countShare()}); an advance loop that stays silent while the stop-line loop counts is missing what
 * reaches the queue ({@link #advanceSuspect()}); and a stop-line loop that stays silent through greens while the advance loop counts
 * vehicles is not evidence of an empty lane but a loop to distrust ({@link #stopLineSuspect()}), long before the
 * health rules ({@link LoopHealth}, which wait for 90 s of green) can call it dead.
 *
 * <p>Rates are exponentially forgotten sums (time constant {@code tauS}) of the ticks in which both loops were
 * usable, so a loop's fault does not bias the other's rate. Units: seconds, vehicles. Thread: the intersection's
 * control thread. No allocation.
 */
public final class LoopBalance {
    /** Completed greens without any stop-line activity before the loop is suspect. */
    public static final int SUSPECT_QUIET_GREENS = 2;
    /** Vehicles the advance loop must have counted since the stop-line loop's last activity. */
    public static final int SUSPECT_ADVANCE_VEH = 3;
    /**
     * Vehicles the stop-line loop must have counted since the advance loop's last activity, beyond the queue estimated
     * then (a queue discharges without anyone crossing the advance loop), for the latter to be suspect.
     */
    public static final int SUSPECT_STOP_LINE_VEH = 5;
    /** Greens shorter than this are not judged, seconds: a vehicle may rightly not reach the line. */
    public static final double JUDGED_GREEN_S = 5;

    private final double tauS;
    private final double minS;
    private final boolean twoLoops;
    private final double storageVeh;

    private boolean started;
    private double lastS;
    private double stopVeh;
    private double advanceVeh;
    private double seconds;
    private double observedS;

    private boolean green;
    private double greenStartS;
    private boolean activeThisGreen;
    private int quietGreens;
    private long advanceSinceActive;
    private long stopLineSinceAdvanceActive;
    private double queuedAtAdvanceActiveVeh;

    /**
     * @param tauS     time constant of the rates, seconds, positive
     * @param minS     seconds of both loops counting before {@link #countShare()} and {@link #joiningVehPerS()} depart
     *                 from plain counting, positive
     * @param twoLoops whether the lane has both loops (without them there is nothing to compare)
     * @param storageVeh vehicles the lane holds between its loops: a difference of the forgotten counts up to this
     *                   is what stands between them, not vehicles joining or leaving
     * @throws IllegalArgumentException for a non-positive or non-finite time, or a negative storage
     */
    public LoopBalance(double tauS, double minS, boolean twoLoops, double storageVeh) {
        if (!(tauS > 0) || Double.isInfinite(tauS) || !(minS > 0) || Double.isInfinite(minS)) {
            throw new IllegalArgumentException("tauS and minS must be positive and finite, were " + tauS + ", " + minS);
        }
        this.tauS = tauS;
        this.minS = minS;
        this.twoLoops = twoLoops;
        if (!(storageVeh >= 0) || Double.isInfinite(storageVeh)) {
            throw new IllegalArgumentException("storageVeh must be >= 0 and finite, was " + storageVeh);
        }
        this.storageVeh = storageVeh;
    }

    /**
     * One control tick.
     *
     * @param nowS           time of the tick, seconds, monotonic; a tick going backwards is ignored
     * @param greenNow       whether the lane shows green
     * @param stopLineVeh    vehicles the stop-line loop counted since the previous tick, or −1 when it is not usable
     * @param stopLineActive whether the stop-line loop counted, was occupied or is occupied in this tick
     * @param advanceVehNow  vehicles the advance loop counted since the previous tick, or −1 when it is not usable
     * @param advanceActive  whether the advance loop counted, was occupied or is occupied in this tick
     * @param queueVeh       the lane's estimated queue before this tick, vehicles
     */
    public void update(double nowS, boolean greenNow, int stopLineVeh, boolean stopLineActive, int advanceVehNow,
                       boolean advanceActive, double queueVeh) {
        if (!Double.isFinite(nowS) || (started && nowS < lastS)) {
            return;
        }
        double dtS = started ? nowS - lastS : 0;
        if (!started) {
            started = true;
            green = greenNow;
            greenStartS = nowS;
        }
        lastS = nowS;
        if (twoLoops && stopLineVeh >= 0 && advanceVehNow >= 0 && dtS > 0) {
            double keep = Math.exp(-dtS / tauS);
            stopVeh = stopVeh * keep + stopLineVeh;
            advanceVeh = advanceVeh * keep + advanceVehNow;
            seconds = seconds * keep + dtS;
            observedS += dtS;
        }

        if (greenNow != green) {
            if (green && nowS - greenStartS >= JUDGED_GREEN_S && !activeThisGreen && stopLineVeh >= 0) {
                quietGreens++;
            }
            green = greenNow;
            if (greenNow) {
                greenStartS = nowS;
                activeThisGreen = false;
            }
        }
        if (advanceVehNow < 0 || stopLineVeh < 0 || advanceActive) {
            stopLineSinceAdvanceActive = 0;
            queuedAtAdvanceActiveVeh = queueVeh;
        } else {
            stopLineSinceAdvanceActive += stopLineVeh;
        }
        if (stopLineVeh < 0) {
            // A loop the health rules already distrust is not judged here.
            quietGreens = 0;
            advanceSinceActive = 0;
        } else if (stopLineActive) {
            quietGreens = 0;
            advanceSinceActive = 0;
            activeThisGreen = true;
        } else if (advanceVehNow > 0) {
            advanceSinceActive += advanceVehNow;
        }
    }

    /**
     * Whether the stop-line loop showed no activity through {@link #SUSPECT_QUIET_GREENS} completed greens of at
     * least {@link #JUDGED_GREEN_S} while the advance loop counted at least {@link #SUSPECT_ADVANCE_VEH} vehicles: its
     * silence says nothing about the queue.
     */
    public boolean stopLineSuspect() {
        return quietGreens >= SUSPECT_QUIET_GREENS && advanceSinceActive >= SUSPECT_ADVANCE_VEH;
    }

    /**
     * Whether the stop-line loop counted at least {@link #SUSPECT_STOP_LINE_VEH} vehicles more than the queue estimated
     * when the advance loop last showed any activity: the advance loop's count misses what reaches the queue (it is dead, or the lane fills
     * between the loops), so the lane's arrivals are better measured at the stop line.
     */
    public boolean advanceSuspect() {
        return stopLineSinceAdvanceActive >= queuedAtAdvanceActiveVeh + SUSPECT_STOP_LINE_VEH;
    }

    private boolean balanced() {
        return observedS >= minS && stopVeh > 0 && seconds > 0 && Math.abs(stopVeh - advanceVeh) > storageVeh;
    }

    /** Vehicles each advance-loop count brings to the stop line, 0..1 (below 1 where vehicles leave the lane). */
    public double countShare() {
        return balanced() && advanceVeh > stopVeh ? stopVeh / advanceVeh : 1;
    }

    /** Vehicles per second that reach the stop line without crossing the advance loop, ≥ 0. */
    public double joiningVehPerS() {
        return balanced() && stopVeh > advanceVeh ? (stopVeh - advanceVeh) / seconds : 0;
    }
}
