package org.greenwave.forecast.estimate;

import org.greenwave.core.state.IntersectionView;

/**
 * Health of the detectors of one incoming lane: its stop-line loop, advance loop and lane-area detector, each judged
 * against the others. The result is {@link #faults()}, a combination of the {@code FAULT_} bits of
 * {@link IntersectionView}. A detector the lane does not have is never flagged.
 *
 * <p><b>Rules</b> (defaults in {@link Config}; all flag within 5 minutes, a few signal cycles, of the fault appearing
 * under traffic):
 * <ul>
 * <li><b>Loop dead</b> ({@link LoopHealth}): no activity (no count, no change of occupancy) for
 * {@link Config#advanceSilentS} (advance loop) or {@link Config#stopLineSilentGreenS} seconds <i>of green</i>
 * (stop-line loop, which may rightly count nothing through a long red), while the lane's other working detectors
 * saw at least {@link Config#minNeighbourVehicles} vehicles (the other loop's counts; for the lane-area detector, its
 * moving vehicles divided by the time to cross the zone). A quiet lane is not flagged.</li>
 * <li><b>Loop stuck on</b> ({@link LoopHealth}): occupied throughout for more than {@link Config#stuckOnS}, at least
 * {@link Config#stuckOnMinGreenS} of it with the lane on green (a real vehicle would have moved).</li>
 * <li><b>Loop chattering</b>: over the last {@link Config#chatterWindowS} it counted more than
 * {@link Config#chatterMaxVehPerS} vehicles per second; or (stop-line loop) more than
 * {@link Config#stopLineMaxVehPerGreenS} per second of green in the window + {@link Config#chatterSlackVeh}, beyond
 * what saturation flow lets across; or, while the other loop is healthy and counting (at least
 * {@link Config#minNeighbourVehicles} in the window, some in the last {@link Config#chatterNeighbourActiveS}), more
 * than {@link Config#chatterRatio} × the other loop's count + {@link Config#chatterSlackVeh}. Clears when none
 * holds.</li>
 * <li><b>Lane-area detector faulty</b>: its reading is older than {@link Config#areaMaxAgeS} (not checked during
 * the first {@link Config#areaMaxAgeS} after the first tick, when nothing had time to report), or it contradicted
 * the healthy loops for at least {@link Config#areaContradictionS} of the last {@link Config#areaWindowS}; it recovers
 * when the reading is fresh and the contradictions fall to {@link Config#areaClearS} or less. A contradiction
 * second is one where a healthy loop inside the zone is occupied now but the zone reports no vehicle, or the lane is
 * on red with at least {@link Config#areaHaltingContradictionVeh} halting vehicles while the healthy stop-line loop,
 * which the first of them would stand on, was free the whole tick.</li>
 * </ul>
 *
 * <p>Units: seconds, vehicles. Thread: single-threaded, the intersection's control thread. No allocation per update.
 */
public final class LaneDetectorHealth {
    private static final double THROUGHOUT = 1 - 1e-9;

    private final Config cfg;
    private final boolean hasStopLine;
    private final boolean hasAdvance;
    private final boolean hasArea;
    private final double zoneCrossingS;
    private final LoopHealth stopLine;
    private final LoopHealth advance;
    private final SecondBins stopLineCounts;
    private final SecondBins advanceCounts;
    private final SecondBins areaContradictions;
    private final SecondBins greenSeconds;

    private boolean started;
    private double firstS;
    private double lastS;
    private boolean stopLineWasOccupied;
    private boolean advanceWasOccupied;
    private double areaSeenVeh;
    private boolean stopLineChatter;
    private boolean advanceChatter;
    private boolean areaFaulty;

    /**
     * @param config      validated here ({@link Config#conclude()})
     * @param hasStopLine whether the lane has a stop-line loop
     * @param hasAdvance  whether the lane has an advance loop
     * @param hasArea     whether the lane has a lane-area detector
     * @param areaLengthM  length of the lane-area zone, metres
     * @param laneSpeedMps the lane's speed limit, to turn the zone's moving vehicles into a flow
     */
    public LaneDetectorHealth(Config config, boolean hasStopLine, boolean hasAdvance, boolean hasArea,
                              double areaLengthM, double laneSpeedMps) {
        this.cfg = config.copy().conclude();
        this.hasStopLine = hasStopLine;
        this.hasAdvance = hasAdvance;
        this.hasArea = hasArea;
        this.zoneCrossingS = Math.max(1, areaLengthM) / Math.max(1, laneSpeedMps);
        this.stopLine = new LoopHealth(cfg.stopLineSilentGreenS, cfg.minNeighbourVehicles, cfg.stuckOnS,
                cfg.stuckOnMinGreenS, true);
        this.advance = new LoopHealth(cfg.advanceSilentS, cfg.minNeighbourVehicles, cfg.stuckOnS,
                cfg.stuckOnMinGreenS, false);
        int window = (int) Math.ceil(cfg.chatterWindowS);
        this.stopLineCounts = new SecondBins(window);
        this.advanceCounts = new SecondBins(window);
        this.greenSeconds = new SecondBins(window);
        this.areaContradictions = new SecondBins((int) Math.ceil(cfg.areaWindowS));
    }

    /**
     * One control tick. Readings of a detector the lane does not have are ignored.
     *
     * @param nowS                time of the tick, seconds, monotonic; a tick going backwards is ignored
     * @param green               whether the lane shows green
     * @param stopLineVeh         vehicles the stop-line loop counted since the previous tick
     * @param stopLineOccupancy   share of the tick the stop-line loop was occupied, 0..1
     * @param stopLineOccupiedNow whether it is occupied now
     * @param advanceVeh          vehicles the advance loop counted since the previous tick
     * @param advanceOccupancy    share of the tick the advance loop was occupied, 0..1
     * @param advanceOccupiedNow  whether it is occupied now
     * @param areaAgeS            seconds since the lane-area detector last reported (infinite if never)
     * @param areaVehicles        vehicles in the zone, as last reported
     * @param areaHalting         halting vehicles in the zone, as last reported
     */
    public void update(double nowS, boolean green, int stopLineVeh, double stopLineOccupancy,
                       boolean stopLineOccupiedNow, int advanceVeh, double advanceOccupancy,
                       boolean advanceOccupiedNow, double areaAgeS, int areaVehicles, int areaHalting) {
        if (!Double.isFinite(nowS) || (started && nowS < lastS)) {
            return;
        }
        if (!started) {
            started = true;
            firstS = nowS;
            lastS = nowS;
            stopLineWasOccupied = stopLineOccupiedNow;
            advanceWasOccupied = advanceOccupiedNow;
        }
        double dtS = nowS - lastS;
        lastS = nowS;
        stopLineVeh = Math.max(0, stopLineVeh);
        advanceVeh = Math.max(0, advanceVeh);

        boolean areaFresh = hasArea && areaAgeS <= cfg.areaMaxAgeS;
        int areaNeighbourVeh = 0;
        if (areaFresh && !areaFaulty) {
            areaSeenVeh += Math.max(0, areaVehicles - areaHalting) * dtS / zoneCrossingS;
            areaNeighbourVeh = (int) areaSeenVeh;
            areaSeenVeh -= areaNeighbourVeh;
        }
        // Each loop is judged against the other as it stood after the previous tick.
        boolean stopLineUsable = hasStopLine && !stopLineFaulty();
        boolean advanceUsable = hasAdvance && !advanceFaulty();

        if (hasStopLine) {
            int activity = activity(stopLineVeh, stopLineOccupancy, stopLineOccupiedNow, stopLineWasOccupied);
            stopLine.update(nowS, activity, stopLineOccupancy >= THROUGHOUT && stopLineOccupiedNow, green,
                    (advanceUsable ? advanceVeh : 0) + areaNeighbourVeh);
            stopLineCounts.add(nowS, stopLineVeh);
            stopLineWasOccupied = stopLineOccupiedNow;
        }
        if (hasAdvance) {
            int activity = activity(advanceVeh, advanceOccupancy, advanceOccupiedNow, advanceWasOccupied);
            advance.update(nowS, activity, advanceOccupancy >= THROUGHOUT && advanceOccupiedNow, green,
                    (stopLineUsable ? stopLineVeh : 0) + areaNeighbourVeh);
            advanceCounts.add(nowS, advanceVeh);
            advanceWasOccupied = advanceOccupiedNow;
        }
        greenSeconds.add(nowS, green ? dtS : 0);
        int window = (int) Math.ceil(cfg.chatterWindowS);
        double maxVeh = cfg.chatterMaxVehPerS * cfg.chatterWindowS;
        if (hasStopLine) {
            double own = stopLineCounts.sumLast(window);
            double maxOnGreenVeh = cfg.stopLineMaxVehPerGreenS * greenSeconds.sumLast(window) + cfg.chatterSlackVeh;
            stopLineChatter = own > maxVeh || own > maxOnGreenVeh
                    || (advanceUsable && exceedsNeighbour(own, advanceCounts, window));
        }
        if (hasAdvance) {
            double own = advanceCounts.sumLast(window);
            advanceChatter = own > maxVeh || (stopLineUsable && exceedsNeighbour(own, stopLineCounts, window));
        }

        if (hasArea) {
            stopLineUsable = hasStopLine && !stopLineFaulty();
            advanceUsable = hasAdvance && !advanceFaulty();
            boolean contradiction = false;
            if (areaFresh) {
                boolean loopSeesVehicle = (stopLineUsable && stopLineOccupiedNow) || (advanceUsable && advanceOccupiedNow);
                boolean queueWithoutFront = !green && stopLineUsable && stopLineOccupancy == 0
                        && areaHalting >= cfg.areaHaltingContradictionVeh;
                contradiction = (loopSeesVehicle && areaVehicles == 0) || queueWithoutFront;
            }
            areaContradictions.add(nowS, contradiction ? dtS : 0);
            int areaWindow = (int) Math.ceil(cfg.areaWindowS);
            double contradictedS = areaContradictions.sumLast(areaWindow);
            boolean stale = !areaFresh && nowS - firstS > cfg.areaMaxAgeS;
            if (stale || contradictedS >= cfg.areaContradictionS) {
                areaFaulty = true;
            } else if (areaFresh && contradictedS <= cfg.areaClearS) {
                areaFaulty = false;
            }
        }
    }

    /**
     * The ratio rule, only against a neighbour that counts: enough vehicles over the window and some in the last
     * {@link Config#chatterNeighbourActiveS} (a neighbour that just died must not make this loop look chattering).
     */
    private boolean exceedsNeighbour(double own, SecondBins neighbour, int window) {
        double theirs = neighbour.sumLast(window);
        return own > cfg.chatterRatio * theirs + cfg.chatterSlackVeh && theirs >= cfg.minNeighbourVehicles
                && neighbour.sumLast((int) Math.ceil(cfg.chatterNeighbourActiveS)) > 0;
    }

    private static int activity(int vehicles, double occupancy, boolean occupiedNow, boolean wasOccupied) {
        if (vehicles > 0) {
            return vehicles;
        }
        return occupiedNow != wasOccupied || (occupancy > 0 && occupancy < THROUGHOUT) ? 1 : 0;
    }

    /** The stop-line loop is dead, stuck on or chattering (never true when the lane has none). */
    public boolean stopLineFaulty() {
        return hasStopLine && (stopLine.faulty() || stopLineChatter);
    }

    /** The advance loop is dead, stuck on or chattering (never true when the lane has none). */
    public boolean advanceFaulty() {
        return hasAdvance && (advance.faulty() || advanceChatter);
    }

    /** The lane-area detector is silent or contradicts the loops (never true when the lane has none). */
    public boolean areaFaulty() {
        return hasArea && areaFaulty;
    }

    /** The faults as {@link IntersectionView#FAULT_STOP_LINE} | {@code FAULT_ADVANCE} | {@code FAULT_AREA} bits. */
    public int faults() {
        return (stopLineFaulty() ? IntersectionView.FAULT_STOP_LINE : 0)
                | (advanceFaulty() ? IntersectionView.FAULT_ADVANCE : 0)
                | (areaFaulty() ? IntersectionView.FAULT_AREA : 0);
    }

    /** Thresholds of the health rules. Mutable until passed on (copied); {@link #conclude()} validates. */
    public static final class Config {
        /**
         * Silent seconds before the advance loop counts as dead (while its neighbours see traffic). Generous: on a
         * multi-lane approach vehicles change into the lane between its loops, so a healthy advance loop can stay
         * silent for minutes while the stop-line loop counts.
         */
        public double advanceSilentS = 240;
        /** Silent seconds of green before the stop-line loop counts as dead (while its neighbours see traffic). */
        public double stopLineSilentGreenS = 90;
        /** Vehicles the neighbours must have seen during the silence. */
        public int minNeighbourVehicles = 15;
        /** Seconds occupied throughout before a loop counts as stuck on. */
        public double stuckOnS = 90;
        /** Seconds of green within {@link #stuckOnS} needed for stuck on. */
        public double stuckOnMinGreenS = 30;
        /** Window of the chattering rule, seconds. */
        public double chatterWindowS = 120;
        /** Count rate above which a loop chatters, vehicles per second (2 × a saturation flow of 0.5). */
        public double chatterMaxVehPerS = 1.0;
        /** Stop-line count per second of green above which it chatters (1.5 × a saturation flow of 0.5). */
        public double stopLineMaxVehPerGreenS = 0.75;
        /** The other loop must have counted within this many seconds for the ratio rule to apply. */
        public double chatterNeighbourActiveS = 30;
        /** Ratio to the other loop's count above which a loop chatters. */
        public double chatterRatio = 2.5;
        /** Allowance for vehicles stored between the loops or passing on amber, vehicles. */
        public double chatterSlackVeh = 20;
        /** Age of the lane-area reading beyond which the detector counts as silent, seconds. */
        public double areaMaxAgeS = 15;
        /** Window of the lane-area contradiction rule, seconds. */
        public double areaWindowS = 120;
        /** Contradiction seconds within the window that flag the lane-area detector. */
        public double areaContradictionS = 30;
        /** Contradiction seconds within the window at or below which the flag clears. */
        public double areaClearS = 5;
        /** Halting vehicles on red that must have a vehicle on the stop-line loop. */
        public int areaHaltingContradictionVeh = 3;

        /** An independent copy. */
        public Config copy() {
            Config c = new Config();
            c.advanceSilentS = advanceSilentS;
            c.stopLineSilentGreenS = stopLineSilentGreenS;
            c.minNeighbourVehicles = minNeighbourVehicles;
            c.stuckOnS = stuckOnS;
            c.stuckOnMinGreenS = stuckOnMinGreenS;
            c.chatterWindowS = chatterWindowS;
            c.chatterMaxVehPerS = chatterMaxVehPerS;
            c.chatterRatio = chatterRatio;
            c.stopLineMaxVehPerGreenS = stopLineMaxVehPerGreenS;
            c.chatterNeighbourActiveS = chatterNeighbourActiveS;
            c.chatterSlackVeh = chatterSlackVeh;
            c.areaMaxAgeS = areaMaxAgeS;
            c.areaWindowS = areaWindowS;
            c.areaContradictionS = areaContradictionS;
            c.areaClearS = areaClearS;
            c.areaHaltingContradictionVeh = areaHaltingContradictionVeh;
            return c;
        }

        /**
         * Validates every field.
         *
         * @return this
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public Config conclude() {
            positive("advanceSilentS", advanceSilentS);
            positive("stopLineSilentGreenS", stopLineSilentGreenS);
            if (minNeighbourVehicles < 1) {
                throw new IllegalArgumentException("minNeighbourVehicles must be >= 1, was " + minNeighbourVehicles);
            }
            positive("stuckOnS", stuckOnS);
            if (!(stuckOnMinGreenS >= 0 && stuckOnMinGreenS <= stuckOnS)) {
                throw new IllegalArgumentException("stuckOnMinGreenS must be in 0..stuckOnS, was " + stuckOnMinGreenS);
            }
            positive("chatterWindowS", chatterWindowS);
            if (chatterWindowS > 3600 || areaWindowS > 3600) {
                throw new IllegalArgumentException("chatterWindowS and areaWindowS must be at most 3600 s, were "
                        + chatterWindowS + " and " + areaWindowS);
            }
            positive("chatterMaxVehPerS", chatterMaxVehPerS);
            positive("stopLineMaxVehPerGreenS", stopLineMaxVehPerGreenS);
            positive("chatterNeighbourActiveS", chatterNeighbourActiveS);
            if (chatterNeighbourActiveS > chatterWindowS) {
                throw new IllegalArgumentException("chatterNeighbourActiveS must be at most chatterWindowS, was "
                        + chatterNeighbourActiveS);
            }
            if (!(chatterRatio >= 1) || Double.isInfinite(chatterRatio)) {
                throw new IllegalArgumentException("chatterRatio must be >= 1 and finite, was " + chatterRatio);
            }
            if (!(chatterSlackVeh >= 0) || Double.isInfinite(chatterSlackVeh)) {
                throw new IllegalArgumentException("chatterSlackVeh must be >= 0 and finite, was " + chatterSlackVeh);
            }
            positive("areaMaxAgeS", areaMaxAgeS);
            positive("areaWindowS", areaWindowS);
            positive("areaContradictionS", areaContradictionS);
            if (!(areaContradictionS <= areaWindowS)) {
                throw new IllegalArgumentException("areaContradictionS must be at most areaWindowS, was "
                        + areaContradictionS);
            }
            if (!(areaClearS >= 0 && areaClearS < areaContradictionS)) {
                throw new IllegalArgumentException("areaClearS must be in 0..areaContradictionS (exclusive), was "
                        + areaClearS);
            }
            if (areaHaltingContradictionVeh < 1) {
                throw new IllegalArgumentException("areaHaltingContradictionVeh must be >= 1, was "
                        + areaHaltingContradictionVeh);
            }
            return this;
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
            }
        }
    }
}
