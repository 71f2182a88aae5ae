package org.greenwave.forecast.online;

import java.util.List;

import org.greenwave.core.forecast.CoordinatedForecaster;
import org.greenwave.core.forecast.IntersectionTotals;
import org.greenwave.core.forecast.PredictionBands;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Neighbourhood;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.forecast.estimate.LaneDetectorHealth;
import org.greenwave.forecast.estimate.LaneQueueEstimator;
import org.greenwave.forecast.estimate.LoopBalance;
import org.greenwave.forecast.estimate.SecondBins;
import org.greenwave.forecast.learn.FeatureSink;
import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.FlowProfiles;
import org.greenwave.forecast.learn.Predictor;
import org.greenwave.forecast.learn.QueueModel;

/**
 * The forecast step of one intersection: per incoming lane, detector health, the queue estimate, the arrivals of the
 * next {@link IntersectionState#HORIZON_S} seconds and the queue each second ahead.
 *
 * <p><b>Per tick, per lane</b> ({@link #update}): <ol>
 * <li><b>Health</b> ({@link LaneDetectorHealth}): faults go to {@code state.detectorFaults} and to the estimator. A
 * detector the lane does not have is treated by the estimator as dead but is not reported as a fault.</li>
 * <li><b>Estimate</b> ({@link LaneQueueEstimator}): fed the stop-line and advance count deltas, the advance occupancy,
 * the recent arrival rate while the advance loop is faulty,
 * {@code laneGreen}, and the lane-area reading in the tick it arrives while that detector is healthy; written
 * with {@code state.queueEstimate}.</li>
 * <li><b>Arrival measurement</b> of the tick (see {@link Features}): advance count, else stop-line count, else the
 * area's flow, else the estimator's rate. It feeds a recent rate (EWMA, {@link QueueForecasterFactory.Config#recentRateTauS})
 * and the lane's daily flow profile ({@link QueueForecasterFactory.Config#profileBinS} bins, EWMA across days).</li>
 * <li><b>Arrivals ahead</b> ({@code predictedArrivalsArray}): (a) the vehicles moving in the area zone
 * ({@code incomingVehicles − incomingHalting}) reach the back of the queue spread evenly over the time they need to
 * cover the zone beyond the jam ({@code (areaLengthM − jamM) / lane speed}); (b) after that time the rate: the recent
 * rate blended with the profile's rate for this time of day (share {@link QueueForecasterFactory.Config#profileWeight}
 * once that bin has been seen); (c) where an upstream outflow has been supplied ({@link #upstreamOutflow}) and is
 * fresh, it replaces the rate for the seconds it covers, shifted by its travel time and the zone crossing time.</li>
 * <li><b>Model-based queue</b> ({@code predictedQueueArray}): {@link QueueRollout#roll} under the schedule the
 * engine published at its last tick where it did ({@link IntersectionState#plannedGreenShare}: the interlock's
 * committed transitions and the policy's planned greens); while the device's own program runs the signal
 * ({@link IntersectionState#signalFromField()}), under that program as learned from the states its controller
 * reports ({@link SignalSequence}: each state's typical duration and successor, rolled forward from the current state
 * and its time shown); elsewhere, and beyond both, under {@link QueueRollout#expectedSchedule} from the lane's learned
 * signal pattern (EWMA of its observed green and red interval durations; the first, truncated interval is not learned
 * from).</li>
 * <li><b>Chosen predictor</b>, when a {@link QueueModel} is given: at each horizon (5/15/30/60 s) the predictor the
 * model chose for the lane ({@link QueueModel#choice}): persistence (the estimate), the roll-out, or the roll-out
 * corrected by the learned ensembles (capped at the lane's capacity); between horizons the roll-out plus the
 * horizons' corrections interpolated.</li>
 * <li><b>Capture</b>, when a {@link FeatureSink} is given: the lane's {@link Features} vector, copied (allocates).</li>
 * </ol>
 * Then, over the lanes that have a detector, the totals of the intersection and of each approach, their delay over the
 * next minute, and the bands the model's {@link QueueModel#bands()} calibrated ({@link IntersectionTotals}).
 *
 * <p><b>Neighbours</b> ({@link #join}): each tick takes the upstream intersections' last published projected outflows
 * into the lanes they feed ({@link #upstreamOutflow}) and publishes its own, from its roll-out, on the forecasters'
 * {@link Neighbourhood}.
 *
 * <p><b>Thread:</b> every method runs on the intersection's control thread, including {@link #upstreamOutflow} (call
 * it between ticks); neighbours' outflows are read from their published slots, never from their forecasters.
 * <b>Allocation:</b> none in {@link #update} unless capture is on. A tick whose time goes backwards or is not finite
 * changes nothing and is counted ({@link #rejectedTicks()}).
 */
public final class QueueForecaster implements CoordinatedForecaster {
    private static final int H = IntersectionState.HORIZON_S;

    private final QueueForecasterFactory.Config cfg;
    private final String intersectionId;
    private final Lane[] lanes;
    private final QueueModel.Evaluator learned;
    private final FeatureSink sink;
    private final double[] greenShare = new double[H];
    private final double[] features = new double[Features.COUNT];
    private final double[] learnedQueue = new double[Features.HORIZON_COUNT];
    private final IntersectionTotals totals;
    private final PredictionBands bands;
    private final IntersectionModel model;
    /** Per incoming lane: the outgoing lanes of its used links; its vehicles leave over them in equal shares. */
    private final int[][] laneOutgoing;
    /** Per incoming lane: seconds from the upstream stop line to the start of the lane's detection zone. */
    private final double[] upstreamTravelS;
    /** {@code [outLane * H + k]}: vehicles per second the roll-out sends into each outgoing lane, second k ahead. */
    private final double[] outflowVehPerS;
    private final boolean[] fullLanes;
    private final double[] upstreamScratch = new double[H];
    /** The forecasters' neighbourhood ({@link #join}), or null: no neighbour's outflow is read, none published. */
    private Neighbourhood neighbourhood;
    private int index = -1;
    /** The device program's states, learned while it runs the signal. */
    private final SignalSequence sequence;
    /** Seconds ahead the learned program covers at this tick; 0 while the engine's interlock drives the signal. */
    private double sequenceCoveredS;

    private boolean started;
    private double lastS;
    private long rejectedTicks;
    private long rejectedUpstream;

    /**
     * Normally made by {@link QueueForecasterFactory}.
     *
     * @param config     validated ({@link QueueForecasterFactory.Config#conclude()})
     * @param model      the intersection
     * @param detectors  its detectors; lanes are read from STOP_LINE, ADVANCE and AREA_IN specs
     * @param queueModel learned predictor, or null for model-based predictions only
     * @param sink       training-data capture, or null
     * @throws IllegalArgumentException when a detector names a lane the model does not have
     */
    public QueueForecaster(QueueForecasterFactory.Config config, IntersectionModel model, List<DetectorSpec> detectors,
                           QueueModel queueModel, FeatureSink sink) {
        this.cfg = config.copy().conclude();
        this.intersectionId = model.id();
        this.model = model;
        this.learned = queueModel == null ? null : queueModel.evaluator();
        this.sink = sink;
        int n = model.incomingLaneCount();
        boolean[] stop = new boolean[n];
        boolean[] adv = new boolean[n];
        boolean[] area = new boolean[n];
        for (DetectorSpec d : detectors) {
            if (d.kind() == DetectorKind.AREA_OUT) {
                continue;
            }
            if (d.lane() < 0 || d.lane() >= n) {
                throw new IllegalArgumentException("intersection " + intersectionId + ": detector " + d.id() + " ("
                        + d.kind() + ") names incoming lane " + d.lane() + ", which is not in 0.." + (n - 1));
            }
            switch (d.kind()) {
                case STOP_LINE -> stop[d.lane()] = true;
                case ADVANCE -> adv[d.lane()] = true;
                default -> area[d.lane()] = true;
            }
        }
        FlowProfiles seed = queueModel == null ? null : queueModel.profiles();
        if (seed != null && seed.binS() != cfg.profileBinS) {
            throw new IllegalArgumentException("intersection " + intersectionId + ": the model's flow profiles use "
                    + seed.binS() + " s bins, the configuration " + cfg.profileBinS + " s");
        }
        boolean[] counted = new boolean[n];
        for (int l = 0; l < n; l++) {
            counted[l] = stop[l] || adv[l] || area[l];
        }
        this.totals = new IntersectionTotals(model, counted);
        this.bands = queueModel == null ? null : queueModel.bands();
        this.laneOutgoing = new int[n][];
        this.upstreamTravelS = new double[n];
        for (int l = 0; l < n; l++) {
            int links = 0;
            for (int k = 0; k < model.linkCount(); k++) {
                links += model.linkUsed(k) && model.linkIncomingLane(k) == l && model.linkOutgoingLane(k) >= 0 ? 1 : 0;
            }
            laneOutgoing[l] = new int[links];
            links = 0;
            for (int k = 0; k < model.linkCount(); k++) {
                if (model.linkUsed(k) && model.linkIncomingLane(k) == l && model.linkOutgoingLane(k) >= 0) {
                    laneOutgoing[l][links++] = model.linkOutgoingLane(k);
                }
            }
            upstreamTravelS[l] = Math.max(0, model.incomingLaneLengthM(l) - cfg.areaLengthM)
                    / Math.max(1, model.incomingLaneSpeedMps(l));
        }
        this.outflowVehPerS = new double[model.outgoingLaneCount() * H];
        this.sequence = new SignalSequence(model, cfg.patternAlpha, cfg.programSpreadS);
        this.fullLanes = new boolean[n];
        this.lanes = new Lane[n];
        for (int l = 0; l < n; l++) {
            String key = Features.laneKey(intersectionId, l);
            double[] profile = seed == null ? null : seed.rates(key);
            Predictor[] choice = queueModel == null ? null : queueModel.choice(key).predictors();
            lanes[l] = new Lane(cfg, model, l, stop[l], adv[l], area[l], profile, choice);
        }
    }

    @Override
    public void update(IntersectionState state) {
        double nowS = state.nowS();
        if (!Double.isFinite(nowS) || (started && nowS < lastS)) {
            rejectedTicks++;
            return;
        }
        double dtS = started ? nowS - lastS : 0;
        started = true;
        lastS = nowS;
        double dayS = FlowProfiles.DAY_S;
        double todS = ((nowS + cfg.dayStartS) % dayS + dayS) % dayS;
        int bin = Math.min((int) (todS / cfg.profileBinS), FlowProfiles.DAY_S / cfg.profileBinS - 1);
        if (state.signalFromField()) {
            sequence.observe(state, nowS);
            sequenceCoveredS = sequence.rollForward(nowS);
        } else {
            sequence.pause();
            sequenceCoveredS = 0;
        }
        if (neighbourhood != null) {
            readUpstream();
            java.util.Arrays.fill(outflowVehPerS, 0);
        }
        for (int l = 0; l < lanes.length; l++) {
            updateLane(state, l, nowS, dtS, todS, bin);
        }
        totals.update(state, bands);
        if (neighbourhood != null && outflowVehPerS.length > 0) {
            for (int l = 0; l < lanes.length; l++) {
                fullLanes[l] = state.spilledBack(l);
            }
            neighbourhood.publish(index, nowS, outflowVehPerS, fullLanes);
        }
    }

    /**
     * Start-up only: joins the forecasters' neighbourhood. From then on each tick takes, for every incoming lane an
     * upstream intersection feeds, that intersection's last published projected outflow into it as
     * {@link #upstreamOutflow} (travel time: the lane's length before its detection zone at the lane speed), and
     * publishes this intersection's projected outflow: each lane's discharge in the roll-out (the lane's saturation flow
     * on green, at most its queue and arrivals), split equally over the lane's links.
     */
    @Override
    public void join(Neighbourhood forecasts, int intersection) {
        this.neighbourhood = forecasts;
        this.index = intersection;
    }

    /** Takes the upstream neighbours' published outflows into the lanes they feed. */
    private void readUpstream() {
        for (int l = 0; l < lanes.length; l++) {
            int up = neighbourhood.upstream(index, l);
            if (up < 0) {
                continue;
            }
            double publishedS = neighbourhood.readOutflow(up, neighbourhood.upstreamLane(index, l), upstreamScratch);
            if (!Double.isNaN(publishedS)) {
                upstreamOutflow(l, publishedS, upstreamScratch, upstreamTravelS[l]);
            }
        }
    }

    /** Adds the lane's discharge in the roll-out just made to the outflow of its links' outgoing lanes. */
    private void addOutflow(Lane ln, int l, double[] queueAhead, int base, double[] arrivalsAhead) {
        int[] outs = laneOutgoing[l];
        if (outs.length == 0) {
            return;
        }
        double share = 1.0 / outs.length;
        for (int k = 0; k < H; k++) {
            double served = Math.max(0, Math.min(greenShare[k] * ln.saturationVehPerS,
                    queueAhead[base + k] + arrivalsAhead[l * H + k]));
            if (served > 0) {
                for (int o : outs) {
                    outflowVehPerS[o * H + k] += served * share;
                }
            }
        }
    }

    private void updateLane(IntersectionState state, int l, double nowS, double dtS, double todS, int bin) {
        Lane ln = lanes[l];
        if (state.model().incomingLaneIsCrossing(l)) {
            // Walkers are not detected: a walking area has no queue the engine can know, and no vehicles.
            state.queueEstimate(l, 0, 0, false);
            java.util.Arrays.fill(state.predictedArrivalsArray(), l * H, (l + 1) * H, 0);
            java.util.Arrays.fill(state.predictedQueueArray(), l * (H + 1), (l + 1) * (H + 1), 0);
            return;
        }
        long stopCount = state.stopLineCount(l);
        long advCount = state.advanceCount(l);
        if (!ln.countsSeen) {
            ln.countsSeen = true;
            ln.prevStopCount = stopCount;
            ln.prevAdvCount = advCount;
        }
        int departures = (int) Math.min(Integer.MAX_VALUE, Math.max(0, stopCount - ln.prevStopCount));
        int arrivals = (int) Math.min(Integer.MAX_VALUE, Math.max(0, advCount - ln.prevAdvCount));
        ln.prevStopCount = stopCount;
        ln.prevAdvCount = advCount;
        boolean green = state.laneGreen(l);
        double stopOcc = clamp01(state.stopLineOccupancy(l));
        double advOcc = clamp01(state.advanceOccupancy(l));
        int areaVeh = state.incomingVehicles(l);
        int areaHalt = state.incomingHalting(l);
        double jamM = state.incomingJamM(l);
        double areaAgeS = state.incomingAreaAgeS(l);

        // 1. Health.
        ln.health.update(nowS, green, departures, stopOcc, state.stopLineOccupied(l), arrivals, advOcc,
                state.advanceOccupied(l), areaAgeS, areaVeh, areaHalt);
        int faults = ln.health.faults();
        if (faults != ln.appliedFaults) {
            ln.applyFaults(faults);
        }
        boolean stopUsable = ln.hasStop && (faults & IntersectionView.FAULT_STOP_LINE) == 0;
        boolean advUsable = ln.hasAdv && (faults & IntersectionView.FAULT_ADVANCE) == 0;
        boolean areaUsable = ln.hasArea && (faults & IntersectionView.FAULT_AREA) == 0
                && areaAgeS <= cfg.health.areaMaxAgeS && areaVeh >= 0 && areaHalt >= 0 && jamM >= 0 && Double.isFinite(jamM);

        // 2. Estimate.
        double queueBefore = ln.estimator.queueVeh();
        // A reading is a measurement only in the tick it arrives; repeating it would count it again.
        boolean areaNew = areaAgeS < Math.max(dtS, 1e-9);
        if (ln.hasAdv && !advUsable) {
            // The estimator counts arrivals by rate now: give it the best measured one.
            ln.estimator.arrivalRate(ln.recentRateVehPerS);
        }
        boolean stopActive = departures > 0 || stopOcc > 0 || state.stopLineOccupied(l);
        boolean advActive = arrivals > 0 || advOcc > 0 || state.advanceOccupied(l);
        ln.balance.update(nowS, green, stopUsable ? departures : -1, stopActive, advUsable ? arrivals : -1, advActive,
                queueBefore);
        if (!ln.hasArea || areaAgeS > cfg.health.areaMaxAgeS) {
            // Without the zone the loops are all there is: judge them against each other and balance them. (A zone
            // that reports but contradicts the loops is left out of the estimate too, but its readings keep saying
            // that traffic flows, so the loops are not second-guessed.)
            degradedEstimate(ln, nowS, dtS, stopUsable, advUsable,
                    stopActive || advActive, bin);
            stopUsable = ln.stopCounts;
            advUsable = ln.advanceCounts;
        } else if (ln.degraded) {
            ln.leaveDegraded();
        }
        if (areaUsable && areaNew) {
            ln.estimator.update(nowS, arrivals, departures, green, advOcc, areaVeh, areaHalt, jamM);
        } else {
            ln.estimator.update(nowS, arrivals, departures, green, advOcc);
        }
        if (stopUsable && !green && stopOcc <= 0 && !state.stopLineOccupied(l) && !(areaUsable && areaNew)) {
            ln.estimator.observeEmptyStopLine();
        }
        double q = ln.estimator.queueVeh();
        boolean spilled = ln.estimator.spilledBack();
        state.queueEstimate(l, q, ln.estimator.varianceVeh2(), spilled);
        state.detectorFaults(l, faults);
        ln.observeSignal(nowS, green, cfg.patternAlpha,
                state.signalFromField() ? state.fieldPhaseElapsedS() : Double.NaN);

        // 3. Arrival measurement, recent rate, profile.
        double moversVeh = areaUsable ? Math.max(0, areaVeh - areaHalt) : 0;
        double arrivedVeh;
        if (advUsable && !spilled) {
            arrivedVeh = arrivals;
        } else if (stopUsable) {
            arrivedVeh = departures;
        } else if (areaUsable) {
            arrivedVeh = moversVeh * dtS / ln.zoneCrossingS;
        } else {
            arrivedVeh = ln.estimator.arrivalRateVehPerS() * dtS;
        }
        double departedVeh = stopUsable ? departures : Math.max(0, queueBefore + arrivedVeh - q);
        ln.arrivals.add(nowS, arrivedVeh);
        ln.departures.add(nowS, departedVeh);
        if (dtS > 0) {
            double alpha = 1 - Math.exp(-dtS / cfg.recentRateTauS);
            ln.recentRateVehPerS += alpha * (arrivedVeh / dtS - ln.recentRateVehPerS);
        }
        ln.observeProfile(bin, arrivedVeh, dtS, cfg);
        double profileRate = ln.profile[bin];
        double rate = Double.isNaN(profileRate) ? ln.recentRateVehPerS
                : (1 - cfg.profileWeight) * ln.recentRateVehPerS + cfg.profileWeight * profileRate;

        // 4. Arrivals ahead.
        double zoneTimeS = areaUsable ? Math.max(0, cfg.areaLengthM - jamM) / ln.speedMps : 0;
        double[] arrivalsAhead = state.predictedArrivalsArray();
        double upstream30Veh = predictArrivals(ln, nowS, moversVeh, zoneTimeS, rate, arrivalsAhead, l * H);

        // 5. Model-based queue.
        QueueRollout.expectedSchedule(green, nowS - ln.intervalStartS, ln.typicalGreenS, ln.typicalRedS, H,
                greenShare, 0);
        if (sequenceCoveredS > 0) {
            sequence.laneSchedule(l, greenShare);
        }
        overlayPlan(state, l, nowS);
        double[] queueAhead = state.predictedQueueArray();
        int base = l * (H + 1);
        QueueRollout.roll(q, arrivalsAhead, l * H, greenShare, 0, H, ln.saturationVehPerS, ln.capacityVeh,
                queueAhead, base);
        if (neighbourhood != null) {
            addOutflow(ln, l, queueAhead, base, arrivalsAhead);
        }

        // 6. Learned queue; 7. capture.
        if (ln.useLearned || sink != null) {
            fillFeatures(ln, q, green, nowS, todS, advUsable ? advOcc : Features.MISSING,
                    areaUsable ? areaHalt : Features.MISSING, areaUsable ? areaVeh : Features.MISSING,
                    profileRate, upstream30Veh, spilled, queueAhead, base);
        }
        if (ln.useLearned) {
            learned.predict(features, learnedQueue);
        }
        if (!ln.modelOnly) {
            applyChoice(ln, q, queueAhead, base);
        }
        if (sink != null) {
            sink.accept(intersectionId, l, nowS, features.clone());
        }
    }

    /**
     * The estimate of a lane whose lane-area detector is missing or faulty, from what its loops, its upstream
     * neighbour and its learned profile still tell. Sets {@code ln.stopCounts} and {@code ln.advanceCounts}: whether
     * the loops' counts are used.
     * <ul>
     * <li>a stop-line loop that {@link LoopBalance#stopLineSuspect()} (silent through greens while the advance loop
     * counted) is treated as dead now, before the health rules can prove it: departures by saturation flow on green,
     * and no queue-empty evidence from its silence;</li>
     * <li>both loops silent while the lane should have received
     * {@link QueueForecasterFactory.Config#silentExpectedVeh} vehicles since either last showed activity (by the
     * upstream outflow or the learned profile below) are both treated as dead: a quiet lane is told apart from a dead
     * one by what its neighbour sends and what the time of day usually brings;</li>
     * <li>an advance loop that {@link LoopBalance#advanceSuspect()} (silent while the stop-line loop counted) is
     * treated as dead: the lane's arrivals are the rate measured at the stop line;</li>
     * <li>with both loops counting, the advance count is balanced against the stop line's
     * ({@link LaneQueueEstimator#loopBalance}): vehicles that join or leave the lane between the loops;</li>
     * <li>with no loop counting arrivals, the arrival rate is, by conservation, the upstream intersection's outflow
     * that reaches the lane now where one is supplied and fresh ({@link #upstreamOutflow}: what left the upstream
     * stop line its travel time ago), else the lane's learned flow profile for this time of day where it has one
     * (the model's, or learned here), else the recent rate.</li>
     * </ul>
     */
    private void degradedEstimate(Lane ln, double nowS, double dtS, boolean stopUsable, boolean advUsable,
                                  boolean loopsActive, int bin) {
        ln.degraded = true;
        double expectedRate = Double.NaN;
        double ageS = nowS - ln.upstreamSetS;
        if (ageS >= 0 && ageS <= cfg.upstreamValidityS) {
            // Vehicles reaching the lane now left upstream travelTimeS ago; before the projection's first second,
            // its first second is the best known.
            int j = (int) Math.floor(ageS - ln.upstreamTravelS);
            expectedRate = ln.upstreamVehPerS[Math.max(0, Math.min(H - 1, j))];
        } else if (!Double.isNaN(ln.profile[bin])) {
            expectedRate = ln.profile[bin];
        }
        if (loopsActive) {
            ln.silentExpectedVeh = 0;
        } else if (!Double.isNaN(expectedRate)) {
            ln.silentExpectedVeh += expectedRate * dtS;
        }
        boolean silent = ln.silentExpectedVeh >= cfg.silentExpectedVeh;
        ln.stopCounts = stopUsable && !silent && !ln.balance.stopLineSuspect();
        ln.advanceCounts = advUsable && !silent && !(ln.stopCounts && ln.balance.advanceSuspect());
        ln.estimatorFaults((ln.appliedFaults & IntersectionView.FAULT_AREA)
                | (ln.stopCounts ? 0 : IntersectionView.FAULT_STOP_LINE)
                | (ln.advanceCounts ? 0 : IntersectionView.FAULT_ADVANCE));
        if (ln.stopCounts && ln.advanceCounts) {
            ln.estimator.loopBalance(ln.balance.countShare(), ln.balance.joiningVehPerS());
        } else {
            ln.estimator.loopBalance(1, 0);
        }
        if (!ln.advanceCounts) {
            // The recent rate is measured at the stop line while that loop counts.
            ln.estimator.arrivalRate(ln.stopCounts || Double.isNaN(expectedRate) ? ln.recentRateVehPerS : expectedRate);
        }
    }

    /**
     * Replaces the roll-out in {@code queueAhead[base..base + H]} by the lane's chosen predictor at each horizon
     * (persistence: the estimate {@code q}; learned: {@link #learnedQueue}, capped at the lane's capacity); the seconds
     * between horizons keep the roll-out's shape plus a correction interpolated linearly between the horizons' (0 at
     * second 0).
     */
    private void applyChoice(Lane ln, double q, double[] queueAhead, int base) {
        int prevS = 0;
        double prevCorrection = 0;
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            int hs = Features.horizonS(h);
            double rolled = queueAhead[base + hs];
            double chosen = switch (ln.choice[h]) {
                case PERSISTENCE -> q;
                case LEARNED -> Math.min(ln.capacityVeh, learnedQueue[h]);
                case MODEL -> rolled;
            };
            double correction = chosen - rolled;
            for (int s = prevS + 1; s <= hs; s++) {
                double c = prevCorrection + (correction - prevCorrection) * (s - prevS) / (hs - prevS);
                queueAhead[base + s] = Math.max(0, queueAhead[base + s] + c);
            }
            prevS = hs;
            prevCorrection = correction;
        }
    }

    /**
     * Where the engine published its signal plan ({@link IntersectionState#plannedGreenShare}) less than
     * {@link QueueForecasterFactory.Config#planValidityS} ago, its greens replace the learned pattern in
     * {@link #greenShare} for the seconds it covers, shifted by its age.
     */
    private void overlayPlan(IntersectionState state, int lane, double nowS) {
        double ageS = nowS - state.plannedFromS();
        if (!(ageS >= 0 && ageS <= cfg.planValidityS)) {
            return;
        }
        int shift = (int) Math.round(ageS);
        for (int k = 0; k + shift < H; k++) {
            double g = state.plannedGreenShare(lane, k + shift);
            if (!Double.isNaN(g)) {
                greenShare[k] = g;
            }
        }
    }

    /**
     * Writes the arrivals of seconds 0..H−1 ahead at {@code out[offset..]}.
     *
     * @return vehicles the upstream outflow brings in the next 30 s, or {@link Features#MISSING} when none is fresh
     */
    private double predictArrivals(Lane ln, double nowS, double moversVeh, double zoneTimeS, double rateVehPerS,
                                   double[] out, int offset) {
        double ageS = nowS - ln.upstreamSetS;
        boolean upstream = ageS >= 0 && ageS <= cfg.upstreamValidityS;
        double upstream30Veh = 0;
        for (int k = 0; k < H; k++) {
            double inZone = Math.max(0, Math.min(k + 1, zoneTimeS) - k);
            double a = zoneTimeS > 0 ? moversVeh * inZone / zoneTimeS : 0;
            double after = 1 - inZone;
            if (after > 0) {
                double r = rateVehPerS;
                if (upstream) {
                    int j = (int) Math.floor(k - ln.upstreamTravelS - zoneTimeS + ageS);
                    if (j >= 0 && j < H) {
                        r = ln.upstreamVehPerS[j];
                        if (k < 30) {
                            upstream30Veh += after * r;
                        }
                    }
                }
                a += after * r;
            }
            out[offset + k] = a;
        }
        return upstream ? upstream30Veh : Features.MISSING;
    }

    private void fillFeatures(Lane ln, double q, boolean green, double nowS, double todS, double advOcc,
                              double areaHalt, double areaVeh, double profileRate, double upstream30Veh,
                              boolean spilled, double[] queueAhead, int base) {
        double[] f = features;
        f[Features.QUEUE_VEH] = q;
        f[Features.QUEUE_VARIANCE_VEH2] = ln.estimator.varianceVeh2();
        f[Features.ARRIVALS_10S_VEH] = ln.arrivals.sumLast(10);
        f[Features.ARRIVALS_30S_VEH] = ln.arrivals.sumLast(30);
        f[Features.ARRIVALS_60S_VEH] = ln.arrivals.sumLast(60);
        f[Features.DEPARTURES_10S_VEH] = ln.departures.sumLast(10);
        f[Features.DEPARTURES_30S_VEH] = ln.departures.sumLast(30);
        f[Features.ADVANCE_OCCUPANCY] = advOcc;
        f[Features.AREA_HALTING_VEH] = areaHalt;
        f[Features.AREA_VEHICLES_VEH] = areaVeh;
        f[Features.GREEN_NOW] = green ? 1 : 0;
        f[Features.INTERVAL_ELAPSED_S] = nowS - ln.intervalStartS;
        f[Features.TYPICAL_GREEN_S] = ln.typicalGreenS;
        f[Features.TYPICAL_RED_S] = ln.typicalRedS;
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            f[Features.modelQueueFeature(h)] = queueAhead[base + Features.horizonS(h)];
        }
        double angle = 2 * Math.PI * todS / FlowProfiles.DAY_S;
        f[Features.TIME_OF_DAY_SIN] = Math.sin(angle);
        f[Features.TIME_OF_DAY_COS] = Math.cos(angle);
        f[Features.PROFILE_RATE_VEH_PER_S] = Double.isNaN(profileRate) ? Features.MISSING : profileRate;
        f[Features.UPSTREAM_30S_VEH] = upstream30Veh;
        f[Features.SPILLED_BACK] = spilled ? 1 : 0;
    }

    /**
     * Supplies an upstream intersection's projected outflow into an incoming lane, the coordination hook:
     * {@code vehPerS[j]} vehicles per second leave the upstream stop line towards this lane during second j after
     * {@code nowS} (j = 0..59; further values are ignored), and need {@code travelTimeS} to reach the start of this
     * lane's detection zone. From the next tick, for {@link QueueForecasterFactory.Config#upstreamValidityS} seconds,
     * these replace the rate in the arrivals for the seconds they cover (shifted by the travel time, the zone
     * crossing time and their age). Copied; the caller may reuse its array. Control thread only; no allocation.
     *
     * @param lane        incoming lane index
     * @param nowS        engine time the projection starts at
     * @param vehPerS     at least {@link IntersectionState#HORIZON_S} finite values ≥ 0
     * @param travelTimeS ≥ 0
     * @return false (and nothing changed, counted in {@link #rejectedUpstream()}) for a bad lane or bad values
     */
    public boolean upstreamOutflow(int lane, double nowS, double[] vehPerS, double travelTimeS) {
        if (lane < 0 || lane >= lanes.length || vehPerS == null || vehPerS.length < H || !Double.isFinite(nowS)
                || !(travelTimeS >= 0) || Double.isInfinite(travelTimeS)) {
            rejectedUpstream++;
            return false;
        }
        for (int j = 0; j < H; j++) {
            if (!(vehPerS[j] >= 0) || Double.isInfinite(vehPerS[j])) {
                rejectedUpstream++;
                return false;
            }
        }
        Lane ln = lanes[lane];
        System.arraycopy(vehPerS, 0, ln.upstreamVehPerS, 0, H);
        ln.upstreamTravelS = travelTimeS;
        ln.upstreamSetS = nowS;
        return true;
    }

    /** Forgets the upstream outflow of a lane. Control thread only. */
    public void clearUpstreamOutflow(int lane) {
        lanes[lane].upstreamSetS = Double.NaN;
    }

    /** The intersection's model id. */
    public String intersectionId() {
        return intersectionId;
    }

    /** Number of incoming lanes. */
    public int laneCount() {
        return lanes.length;
    }

    /** Whether the lane's predicted queue comes from the learned model at some horizon. */
    public boolean usesLearned(int lane) {
        return lanes[lane].useLearned;
    }

    /** The lane's predictor at horizon index {@code h} of {@link Features} (model-based without a queue model). */
    public Predictor predictor(int lane, int h) {
        return lanes[lane].choice[h];
    }

    /** The lane's learned typical green duration, seconds. Control thread only. */
    public double typicalGreenS(int lane) {
        return lanes[lane].typicalGreenS;
    }

    /** The lane's learned typical time between greens, seconds. Control thread only. */
    public double typicalRedS(int lane) {
        return lanes[lane].typicalRedS;
    }

    /** The lane's recent arrival rate, vehicles per second. Control thread only. */
    public double recentRateVehPerS(int lane) {
        return lanes[lane].recentRateVehPerS;
    }

    /**
     * Copies the lane's daily flow profile (vehicles per second per bin, NaN where never seen) into {@code out}
     * ({@code 86400 / profileBinS} values). Control thread only, or after the engine has stopped.
     */
    public void copyProfile(int lane, double[] out) {
        System.arraycopy(lanes[lane].profile, 0, out, 0, lanes[lane].profile.length);
    }

    /** Ticks refused because time went backwards or was not finite. */
    public long rejectedTicks() {
        return rejectedTicks;
    }

    /** Upstream outflows refused as bad input. */
    public long rejectedUpstream() {
        return rejectedUpstream;
    }

    /** Estimator updates refused as bad input, over all lanes. */
    public long rejectedEstimatorUpdates() {
        long n = 0;
        for (Lane ln : lanes) {
            n += ln.estimator.rejectedUpdates();
        }
        return n;
    }

    private static double clamp01(double v) {
        return v >= 0 ? Math.min(1, v) : 0;
    }

    /** Everything the forecaster keeps about one incoming lane; preallocated. */
    private static final class Lane {
        final boolean hasStop;
        final boolean hasAdv;
        final boolean hasArea;
        final LaneQueueEstimator estimator;
        final LaneDetectorHealth health;
        final double speedMps;
        final double zoneCrossingS;
        final double capacityVeh;
        final boolean useLearned;
        /** The predictor per horizon of {@link Features}; all model-based without a queue model. */
        final Predictor[] choice;
        /** Whether every horizon is model-based: the roll-out is the prediction. */
        final boolean modelOnly;
        final LoopBalance balance;
        /** Whether the last tick's estimate went without the lane-area detector ({@link #degradedEstimate}). */
        boolean degraded;
        /** The fault bits the estimator was last told (the health rules' unless {@link #degradedEstimate} judged). */
        int estimatorFaults;
        /** Vehicles the lane should have received since either loop last showed activity ({@link #degradedEstimate}). */
        double silentExpectedVeh;
        /** Whether the degraded estimate uses the stop-line loop's counts. */
        boolean stopCounts;
        /** Whether the degraded estimate uses the advance loop's counts. */
        boolean advanceCounts;
        final SecondBins arrivals = new SecondBins(60);
        final SecondBins departures = new SecondBins(30);
        final double[] profile;
        final double[] upstreamVehPerS = new double[H];
        double upstreamSetS = Double.NaN;
        double upstreamTravelS;

        boolean countsSeen;
        long prevStopCount;
        long prevAdvCount;
        int appliedFaults = -1;
        double recentRateVehPerS;
        int profileBin = -1;
        double binVeh;
        double binS;
        boolean signalSeen;
        boolean greenNow;
        boolean intervalComplete;
        double intervalStartS;
        double typicalGreenS;
        double typicalRedS;
        /** The lane's saturation flow (the model's), vehicles per second. */
        final double saturationVehPerS;

        Lane(QueueForecasterFactory.Config cfg, IntersectionModel model, int lane, boolean hasStop, boolean hasAdv,
             boolean hasArea, double[] profileSeed, Predictor[] choice) {
            this.hasStop = hasStop;
            this.hasAdv = hasAdv;
            this.hasArea = hasArea;
            this.choice = new Predictor[Features.HORIZON_COUNT];
            java.util.Arrays.fill(this.choice, Predictor.MODEL);
            if (choice != null) {
                System.arraycopy(choice, 0, this.choice, 0, this.choice.length);
            }
            boolean learnedSomewhere = false;
            boolean allModel = true;
            for (Predictor p : this.choice) {
                learnedSomewhere |= p == Predictor.LEARNED;
                allModel &= p == Predictor.MODEL;
            }
            this.useLearned = learnedSomewhere;
            this.modelOnly = allModel;
            this.speedMps = Math.max(1, model.incomingLaneSpeedMps(lane));
            this.saturationVehPerS = model.incomingLaneSaturationVehPerS(lane);
            this.zoneCrossingS = cfg.areaLengthM / speedMps;
            LaneQueueEstimator.Config ec = cfg.estimator.copy();
            ec.laneLengthM = Math.max(model.incomingLaneLengthM(lane), cfg.areaLengthM);
            ec.saturationFlowVehPerS = model.incomingLaneSaturationVehPerS(lane);
            this.estimator = new LaneQueueEstimator(ec, hasArea);
            this.capacityVeh = Math.max(ec.laneLengthM, ec.advanceDistanceM) / ec.spacingM;
            this.balance = new LoopBalance(cfg.balanceTauS, cfg.balanceMinS, hasStop && hasAdv,
                    cfg.estimator.advanceDistanceM / cfg.estimator.spacingM);
            this.health = new LaneDetectorHealth(cfg.health, hasStop, hasAdv, hasArea, cfg.areaLengthM, speedMps);
            this.profile = new double[FlowProfiles.DAY_S / cfg.profileBinS];
            if (profileSeed != null && profileSeed.length == profile.length) {
                System.arraycopy(profileSeed, 0, profile, 0, profile.length);
            } else {
                java.util.Arrays.fill(profile, Double.NaN);
            }
            this.recentRateVehPerS = ec.initialArrivalRateVehPerS;
            this.typicalGreenS = cfg.initialGreenS;
            this.typicalRedS = cfg.initialRedS;
        }

        /** Tells the estimator which loops to ignore: the faulty ones and those the lane does not have. */
        void applyFaults(int faults) {
            estimator.detectorFault(DetectorKind.STOP_LINE,
                    !hasStop || (faults & IntersectionView.FAULT_STOP_LINE) != 0);
            estimator.detectorFault(DetectorKind.ADVANCE, !hasAdv || (faults & IntersectionView.FAULT_ADVANCE) != 0);
            estimator.detectorFault(DetectorKind.AREA_IN, !hasArea || (faults & IntersectionView.FAULT_AREA) != 0);
            appliedFaults = faults;
            estimatorFaults = faults;
        }

        /** Tells the estimator the loops in {@code bits} are dead, and those not in it alive, where that changed. */
        void estimatorFaults(int bits) {
            int changed = bits ^ estimatorFaults;
            if ((changed & IntersectionView.FAULT_STOP_LINE) != 0) {
                estimator.detectorFault(DetectorKind.STOP_LINE,
                        !hasStop || (bits & IntersectionView.FAULT_STOP_LINE) != 0);
            }
            if ((changed & IntersectionView.FAULT_ADVANCE) != 0) {
                estimator.detectorFault(DetectorKind.ADVANCE, !hasAdv || (bits & IntersectionView.FAULT_ADVANCE) != 0);
            }
            estimatorFaults = bits;
        }

        /** Back to the health rules' view of the loops and plain input–output counting: the zone reports again. */
        void leaveDegraded() {
            degraded = false;
            estimator.loopBalance(1, 0);
            estimatorFaults(appliedFaults);
        }

        /**
         * Learns the typical green and red durations from the completed intervals of {@code laneGreen}. At the first
         * sight the interval has lasted at least as long as the field controller's reported phase
         * ({@code fieldPhaseElapsedS}, NaN when the engine's interlock drives the signal).
         */
        void observeSignal(double nowS, boolean green, double alpha, double fieldPhaseElapsedS) {
            if (!signalSeen) {
                signalSeen = true;
                greenNow = green;
                intervalStartS = fieldPhaseElapsedS > 0 ? nowS - fieldPhaseElapsedS : nowS;
                return;
            }
            if (green != greenNow) {
                double lastedS = nowS - intervalStartS;
                if (intervalComplete) {
                    if (greenNow) {
                        typicalGreenS += alpha * (lastedS - typicalGreenS);
                    } else {
                        typicalRedS += alpha * (lastedS - typicalRedS);
                    }
                }
                greenNow = green;
                intervalStartS = nowS;
                intervalComplete = true;
            }
        }

        /** Accumulates the bin of the day; folds a finished bin into the profile if at least half of it was seen. */
        void observeProfile(int bin, double arrivedVeh, double dtS, QueueForecasterFactory.Config cfg) {
            if (bin != profileBin) {
                if (profileBin >= 0 && binS >= cfg.profileBinS / 2.0) {
                    double rate = binVeh / binS;
                    double old = profile[profileBin];
                    profile[profileBin] = Double.isNaN(old) ? rate : old + cfg.profileAlpha * (rate - old);
                }
                profileBin = bin;
                binVeh = 0;
                binS = 0;
            }
            binVeh += arrivedVeh;
            binS += dtS;
        }
    }
}
