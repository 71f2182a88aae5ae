package org.greenwave.forecast.estimate;

import org.greenwave.core.ingest.DetectorKind;

/**
 * Estimates the queue on one incoming lane from its loops (and its lane-area detector, when it has one) with a scalar
 * Kalman filter: input–output counting predicts, direct and indirect evidence corrects.
 *
 * <p><b>What the queue is.</b> The vehicles between the advance loop and the stop line that have not yet crossed the
 * stop line (input–output count), extended beyond the advance loop while the queue has spilled back past it. Units:
 * vehicles ({@link #queueVeh()}), metres ({@link #queueM()} = vehicles × {@link Config#spacingM}), variance in
 * vehicles².
 *
 * <p><b>Per tick</b> ({@link #update}): <ol>
 * <li>predict: {@code q ← max(0, q + arrivals − departures)}; arrivals from the advance loop, or from the smoothed
 * historical arrival rate when that loop is dead or the queue covers it; departures from the stop-line loop, or,
 * when that loop is dead, from the saturation flow during green, limited by the queue. Process noise grows with the
 * counts and with every modelled (rate-based) stream.</li>
 * <li>correct: a lane-area reading measures the queue as its halting vehicles; a green with a silent stop-line loop
 * for {@link Config#emptyEvidenceS} while the advance loop sees free flow measures {@code q ≈ 0}.</li>
 * <li>spill-back: the advance loop occupied ({@code occupancy ≥} {@link Config#spillbackOccupancy}) for
 * {@link Config#spillbackHoldS} means the queue reaches it: {@link #spilledBack()} turns true, the queue is held at
 * no less than {@code advanceDistanceM / spacingM} and, without a lane-area detector, grows at the historical rate,
 * capped at the lane's capacity. When the loop clears, the queue is cut back to the segment's capacity, because the
 * vehicles beyond the loop will be counted when they cross it.</li>
 * </ol>
 *
 * <p><b>Thread:</b> single-threaded; one instance per incoming lane, owned by that intersection's control thread.
 * <b>Allocation:</b> none after construction. <b>Invariants</b> (after every call):
 * {@code 0 ≤ queueVeh() ≤ max(laneLengthM, advanceDistanceM) / spacingM} (the lane cannot hold more, whatever the
 * counts say), {@code varianceVeh2() ≥ 0}, both finite.
 *
 * <p>The filter is hand-written rather than commons-math3's {@code KalmanFilter}: the state is one number, and that
 * class allocates {@code RealMatrix}/{@code RealVector} objects on every {@code predict}/{@code correct}, which the
 * hot path must not do. The scalar form also keeps the variance update in the always-non-negative form
 * {@code P·R/(P+R)}.
 */
public final class LaneQueueEstimator {
    private final Config cfg;
    private final boolean hasAreaDetector;
    private final double segmentCapacityVeh;
    private final double laneCapacityVeh;
    private final double rateTauS;

    private boolean advanceDead;
    private boolean stopLineDead;
    private boolean areaDead;

    private boolean started;
    private double lastS;
    private double queueVeh;
    private double varianceVeh2;
    private double arrivalRateVehPerS;
    private double countShare = 1;
    private double joiningVehPerS;
    private boolean spilledBack;
    private double advanceOccupiedS;
    private double quietGreenS;
    private long rejectedUpdates;

    /**
     * @param config          validated with {@link Config#conclude()} here; not kept mutable (copied)
     * @param hasAreaDetector whether this lane has a lane-area detector whose readings will be passed to
     *                        {@link #update(double, int, int, boolean, double, int, int, double)}
     */
    public LaneQueueEstimator(Config config, boolean hasAreaDetector) {
        this.cfg = config.copy().conclude();
        this.hasAreaDetector = hasAreaDetector;
        this.segmentCapacityVeh = cfg.advanceDistanceM / cfg.spacingM;
        this.laneCapacityVeh = Math.max(cfg.laneLengthM, cfg.advanceDistanceM) / cfg.spacingM;
        this.rateTauS = cfg.arrivalRateTauS;
        reset();
    }

    /** Forgets the queue, the time and the learned arrival rate; keeps detector faults. */
    public void reset() {
        started = false;
        lastS = 0;
        queueVeh = 0;
        varianceVeh2 = cfg.initialVarianceVeh2;
        arrivalRateVehPerS = cfg.initialArrivalRateVehPerS;
        spilledBack = false;
        advanceOccupiedS = 0;
        quietGreenS = 0;
    }

    /**
     * Marks a detector of this lane dead or alive again; the caller decides (for loops, see {@link LoopHealth}).
     *
     * @throws IllegalArgumentException for {@link DetectorKind#AREA_OUT}, which belongs to no incoming lane (a bug)
     */
    public void detectorFault(DetectorKind kind, boolean dead) {
        switch (kind) {
            case ADVANCE -> {
                advanceDead = dead;
                if (dead) {
                    spilledBack = false;
                    advanceOccupiedS = 0;
                }
            }
            case STOP_LINE -> {
                stopLineDead = dead;
                quietGreenS = 0;
            }
            case AREA_IN -> areaDead = dead;
            default -> throw new IllegalArgumentException("detector kind " + kind + " is not on an incoming lane");
        }
    }

    /**
     * One control tick without a lane-area reading.
     *
     * @see #update(double, int, int, boolean, double, int, int, double)
     */
    public boolean update(double nowS, int arrivals, int departures, boolean green, double advanceOccupancy) {
        return step(nowS, arrivals, departures, green, advanceOccupancy, false, 0);
    }

    /**
     * One control tick.
     *
     * @param nowS             time of this tick, seconds, monotonic (the first call only sets the clock)
     * @param arrivals         vehicles the advance loop counted ("on" edges) since the previous tick
     * @param departures       vehicles the stop-line loop counted since the previous tick
     * @param green            whether the lane's signal shows green over this tick
     * @param advanceOccupancy fraction of this tick the advance loop was occupied, 0..1
     * @param areaVehicles     vehicles in the lane-area zone (only checked for validity)
     * @param areaHalting      halting vehicles in the zone: the measurement of the queue
     * @param areaJamM         jam length in the zone, metres (only checked for validity)
     * @return false when the tick was rejected (time going backwards, negative or non-finite input) and left the
     *         state unchanged; counted in {@link #rejectedUpdates()}
     */
    public boolean update(double nowS, int arrivals, int departures, boolean green, double advanceOccupancy,
                          int areaVehicles, int areaHalting, double areaJamM) {
        if (areaVehicles < 0 || areaHalting < 0 || !(areaJamM >= 0) || Double.isInfinite(areaJamM)) {
            rejectedUpdates++;
            return false;
        }
        return step(nowS, arrivals, departures, green, advanceOccupancy, hasAreaDetector && !areaDead, areaHalting);
    }

    private boolean step(double nowS, int arrivals, int departures, boolean green, double advanceOccupancy,
                         boolean areaReading, int areaHalting) {
        if (!Double.isFinite(nowS) || (started && nowS < lastS) || arrivals < 0 || departures < 0
                || !(advanceOccupancy >= 0 && advanceOccupancy <= 1)) {
            rejectedUpdates++;
            return false;
        }
        double dtS = started ? nowS - lastS : 0;
        started = true;
        lastS = nowS;

        boolean wasSpilled = spilledBack;
        detectSpillback(dtS, advanceOccupancy);

        // Prediction: input–output counting, or the rates where a loop cannot count.
        double processNoise = cfg.baseNoiseVeh2PerS * dtS;
        double in;
        if (spilledBack) {
            // The loop is covered: it counts nothing, the queue grows beyond it at the historical rate.
            in = areaReading ? 0 : arrivalRateVehPerS * (wasSpilled ? dtS : advanceOccupiedS);
            processNoise += cfg.rateNoiseVeh2PerS * dtS;
        } else if (advanceDead) {
            in = arrivalRateVehPerS * dtS;
            processNoise += cfg.rateNoiseVeh2PerS * dtS;
        } else {
            in = arrivals * countShare + joiningVehPerS * dtS;
            processNoise += cfg.countNoiseVeh2 * arrivals + (joiningVehPerS > 0 ? cfg.rateNoiseVeh2PerS * dtS : 0);
            if (advanceOccupiedS == 0) {
                // A loop covered by a possibly standing queue counts nothing: that is not an arrival rate.
                learnArrivalRate(arrivals, dtS);
            }
        }
        double out;
        if (stopLineDead) {
            out = green ? Math.min(queueVeh + in, cfg.saturationFlowVehPerS * dtS) : 0;
            processNoise += green ? cfg.rateNoiseVeh2PerS * dtS : 0;
        } else {
            out = departures;
            processNoise += cfg.countNoiseVeh2 * departures;
        }
        if (wasSpilled && !spilledBack) {
            // The tail passed the loop: vehicles beyond it will be counted as they cross, so drop them here.
            queueVeh = Math.min(queueVeh, segmentCapacityVeh);
        }
        queueVeh = Math.max(0, queueVeh + in - out);
        varianceVeh2 += processNoise;

        // Measurements.
        if (areaReading) {
            correct(areaHalting, cfg.areaNoiseVeh2);
        }
        if (green && !stopLineDead && departures == 0) {
            quietGreenS += dtS;
        } else {
            quietGreenS = 0;
        }
        boolean freeFlowUpstream = advanceDead || advanceOccupancy <= cfg.freeFlowOccupancy;
        if (quietGreenS >= cfg.emptyEvidenceS && freeFlowUpstream && !spilledBack) {
            correct(0, cfg.emptyNoiseVeh2);
        }
        if (spilledBack) {
            queueVeh = Math.min(Math.max(queueVeh, segmentCapacityVeh), laneCapacityVeh);
        }
        queueVeh = Math.min(Math.max(0, queueVeh), laneCapacityVeh);
        return true;
    }

    private void detectSpillback(double dtS, double advanceOccupancy) {
        if (advanceDead) {
            return;
        }
        if (advanceOccupancy >= cfg.spillbackOccupancy) {
            advanceOccupiedS += dtS;
            if (advanceOccupiedS >= cfg.spillbackHoldS) {
                spilledBack = true;
            }
        } else {
            advanceOccupiedS = 0;
            spilledBack = false;
        }
    }

    private void learnArrivalRate(int arrivals, double dtS) {
        if (dtS <= 0) {
            return;
        }
        double alpha = 1 - Math.exp(-dtS / rateTauS);
        arrivalRateVehPerS += alpha * (arrivals / dtS - arrivalRateVehPerS);
    }

    /** Scalar Kalman correction with measurement {@code z} of noise variance {@code r}. */
    private void correct(double z, double r) {
        double gain = varianceVeh2 / (varianceVeh2 + r);
        queueVeh += gain * (z - queueVeh);
        varianceVeh2 = varianceVeh2 * r / (varianceVeh2 + r);
    }

    /**
     * Evidence that no queue stands at the stop line: the lane is on red and its working stop-line loop, which the
     * first vehicle of a queue stands on, stayed free for the whole tick. Corrects the estimate towards 0 with the
     * noise of the queue-empty evidence. Input–output counting drifts where vehicles change lanes between the loops;
     * this evidence bounds the drift to one red. Call after {@link #update} in the same tick.
     */
    public void observeEmptyStopLine() {
        if (started) {
            correct(0, cfg.emptyNoiseVeh2);
        }
    }

    /**
     * Replaces the smoothed arrival rate with one measured elsewhere (for instance from the stop-line loop over
     * whole cycles while the advance loop is dead); smoothing continues from it while the advance loop counts freely.
     * A negative or non-finite rate is ignored.
     */
    public void arrivalRate(double vehPerS) {
        if (vehPerS >= 0 && vehPerS < Double.POSITIVE_INFINITY) {
            arrivalRateVehPerS = vehPerS;
        }
    }

    /**
     * Balances the advance loop's count against what the lane really receives, for lanes whose vehicles change lanes
     * between the loops: from now on each counted arrival adds {@code countShare} vehicles (below 1 where vehicles
     * leave the lane before the stop line) and {@code joiningVehPerS} vehicles join per second uncounted. The
     * caller derives both from conservation (over several cycles, what crosses the stop line is what joined the
     * queue). The default, {@code (1, 0)}, is plain input–output counting. Values outside {@code 0 ≤ countShare ≤ 1},
     * {@code joiningVehPerS ≥ 0} or not finite are ignored.
     */
    public void loopBalance(double countShare, double joiningVehPerS) {
        if (countShare >= 0 && countShare <= 1 && joiningVehPerS >= 0 && joiningVehPerS < Double.POSITIVE_INFINITY) {
            this.countShare = countShare;
            this.joiningVehPerS = joiningVehPerS;
        }
    }

    /** Estimated queue, vehicles, ≥ 0. */
    public double queueVeh() {
        return queueVeh;
    }

    /** Estimated queue, metres: {@link #queueVeh()} × {@link Config#spacingM}. */
    public double queueM() {
        return queueVeh * cfg.spacingM;
    }

    /** Variance of {@link #queueVeh()}, vehicles², ≥ 0. */
    public double varianceVeh2() {
        return varianceVeh2;
    }

    /** Whether the queue reaches back over the advance loop; the estimate is then a lower bound plus a rate guess. */
    public boolean spilledBack() {
        return spilledBack;
    }

    /** The exponentially smoothed arrival rate, vehicles per second, learned while the advance loop counts freely. */
    public double arrivalRateVehPerS() {
        return arrivalRateVehPerS;
    }

    /** Ticks rejected as invalid since construction. */
    public long rejectedUpdates() {
        return rejectedUpdates;
    }

    /**
     * Tuning of a {@link LaneQueueEstimator}. Mutable until passed to the estimator, which copies it;
     * {@link #conclude()} validates and fails fast on bad configuration.
     */
    public static final class Config {
        /** Average space a queued vehicle takes, metres per vehicle. */
        public double spacingM = 7.5;
        /** Distance from the stop line to the advance loop, metres. */
        public double advanceDistanceM = 60;
        /** Length of the lane (with the upstream pieces that continue it), metres; caps a spilled-back queue. */
        public double laneLengthM = 200;
        /** Departures per second during green when the stop-line loop is dead; the forecaster sets the lane's own. */
        public double saturationFlowVehPerS = 0.5;
        /** Arrival rate assumed before any has been measured, vehicles per second. */
        public double initialArrivalRateVehPerS = 0.1;
        /** Time constant of the arrival-rate smoothing, seconds. */
        public double arrivalRateTauS = 300;
        /** Green seconds without a departure before the queue counts as empty. */
        public double emptyEvidenceS = 4;
        /** Advance-loop occupancy at or below which upstream traffic counts as free-flowing. */
        public double freeFlowOccupancy = 0.3;
        /** Advance-loop occupancy at or above which the loop counts as covered by the queue. */
        public double spillbackOccupancy = 0.95;
        /** Seconds the advance loop must stay covered before the queue counts as spilled back. */
        public double spillbackHoldS = 5;
        /** Variance of the estimate before the first tick, vehicles². */
        public double initialVarianceVeh2 = 1;
        /** Process noise added per counted vehicle (missed or double counts), vehicles². */
        public double countNoiseVeh2 = 0.05;
        /** Process noise added per second regardless, vehicles² per second. */
        public double baseNoiseVeh2PerS = 0.001;
        /** Process noise per second of every stream taken from a rate instead of a loop, vehicles² per second. */
        public double rateNoiseVeh2PerS = 0.05;
        /**
         * Noise of a lane-area halting count as a queue measurement, vehicles². Small: a working camera-like detector
         * counts the standing vehicles directly, while input–output counting also holds the moving vehicles between
         * the loops, so the filter follows the detector and counts only between its readings.
         */
        public double areaNoiseVeh2 = 0.02;
        /** Noise of the queue-empty evidence, vehicles². */
        public double emptyNoiseVeh2 = 0.25;

        /** An independent copy, to adapt per lane. */
        public Config copy() {
            Config c = new Config();
            c.spacingM = spacingM;
            c.advanceDistanceM = advanceDistanceM;
            c.laneLengthM = laneLengthM;
            c.saturationFlowVehPerS = saturationFlowVehPerS;
            c.initialArrivalRateVehPerS = initialArrivalRateVehPerS;
            c.arrivalRateTauS = arrivalRateTauS;
            c.emptyEvidenceS = emptyEvidenceS;
            c.freeFlowOccupancy = freeFlowOccupancy;
            c.spillbackOccupancy = spillbackOccupancy;
            c.spillbackHoldS = spillbackHoldS;
            c.initialVarianceVeh2 = initialVarianceVeh2;
            c.countNoiseVeh2 = countNoiseVeh2;
            c.baseNoiseVeh2PerS = baseNoiseVeh2PerS;
            c.rateNoiseVeh2PerS = rateNoiseVeh2PerS;
            c.areaNoiseVeh2 = areaNoiseVeh2;
            c.emptyNoiseVeh2 = emptyNoiseVeh2;
            return c;
        }

        /**
         * Validates every field.
         *
         * @return this
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public Config conclude() {
            positive("spacingM", spacingM);
            positive("advanceDistanceM", advanceDistanceM);
            positive("laneLengthM", laneLengthM);
            positive("saturationFlowVehPerS", saturationFlowVehPerS);
            nonNegative("initialArrivalRateVehPerS", initialArrivalRateVehPerS);
            positive("arrivalRateTauS", arrivalRateTauS);
            positive("emptyEvidenceS", emptyEvidenceS);
            fraction("freeFlowOccupancy", freeFlowOccupancy);
            fraction("spillbackOccupancy", spillbackOccupancy);
            if (spillbackOccupancy <= freeFlowOccupancy) {
                throw new IllegalArgumentException("spillbackOccupancy " + spillbackOccupancy
                        + " must exceed freeFlowOccupancy " + freeFlowOccupancy);
            }
            nonNegative("spillbackHoldS", spillbackHoldS);
            nonNegative("initialVarianceVeh2", initialVarianceVeh2);
            nonNegative("countNoiseVeh2", countNoiseVeh2);
            nonNegative("baseNoiseVeh2PerS", baseNoiseVeh2PerS);
            nonNegative("rateNoiseVeh2PerS", rateNoiseVeh2PerS);
            positive("areaNoiseVeh2", areaNoiseVeh2);
            positive("emptyNoiseVeh2", emptyNoiseVeh2);
            return this;
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be >= 0 and finite, was " + v);
            }
        }

        private static void fraction(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in 0..1, was " + v);
            }
        }
    }
}
