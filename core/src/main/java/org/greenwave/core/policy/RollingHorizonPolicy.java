package org.greenwave.core.policy;

import java.util.Arrays;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.core.time.Millis;

/**
 * Schedule-driven, rolling-horizon control of one intersection in the spirit of SURTRAC: every tick it turns the
 * queue and predicted arrivals of each phase into clusters of vehicles, searches the order in which to serve them
 * that minimises total delay ({@link ScheduleSearch}), and proposes the phase of the first cluster. Re-planned every
 * tick; one configuration for every network, no training.
 *
 * <p>Per incoming lane, over {@link #HORIZON_S} seconds:
 * <ul>
 *   <li>queue: the forecaster's {@link IntersectionView#queueVeh}, and at least the standing jam
 *       ({@code incomingJamM / VEHICLE_SPACING_M}, since slowly creeping vehicles in a queue do not count as
 *       halting);</li>
 *   <li>arrivals: the moving vehicles in the detection zone, approaching at {@link #APPROACH_SPEED_SHARE} of the
 *       lane speed: those that crossed the advance loop recently and have not yet reached the queue's tail placed
 *       where they are, the others spread evenly between the loop (or the tail) and the zone's far end (see
 *       {@link #zoneArrivals}). The forecaster's
 *       {@link IntersectionView#predictedArrivalsVeh} beyond the zone are rates, not vehicles: spread evenly over
 *       the horizon they blur the clusters the search works on (measured on cologne1, seeds 1–3: 39.4 s of delay
 *       with them, 34.3 s without), so the search plans on the vehicles it can see;</li>
 *   <li>coordination: every intersection publishes on the {@link Neighbourhood} the outflow its schedule projects
 *       into each outgoing lane and which of its incoming lanes are full. Optionally (constructor flag, off by
 *       default) a lane's arrivals include the upstream intersection's projected outflow into it, shifted by the
 *       lane's free-flow travel time, for vehicles not yet in the zone;</li>
 *   <li>spill-back: a link whose outgoing lane the downstream intersection reports full carries nothing, so its
 *       vehicles do not count for the phase (a phase whose links all lead into full lanes is not served);</li>
 *   <li>metering at the network's edge: a link from a lane no intersection of the engine feeds, into an outgoing lane
 *       toward another intersection that its exit detector sees {@link #ENTRY_GATE_SHARE} occupied, does not count
 *       either: vehicles from outside wait at the edge, where they block nobody, while vehicles inside the network
 *       keep their claim on the links between signals (measured on the suite: see docs/suite.md);</li>
 *   <li>detector faults: the search plans on the lane-area detector (the forecaster's estimate follows it, and the
 *       zone's vehicles are the arrivals). A lane whose area detector is flagged ({@code FAULT_AREA}) but one of whose
 *       loops works is planned on the forecaster's loop-based estimate and its rate-based arrivals; a lane with every
 *       detector flagged uses a virtual queue that grows at the larger of the lane's historical
 *       arrival rate (measured while its detectors worked, at least {@link #FAULT_MIN_RATE_VEH_PER_S}) and the
 *       forecaster's rate (its flow profile)
 *       while it is red and drains at saturation flow while it is green, with arrivals at that rate: the movement is
 *       served as if on recall, never starved.</li>
 * </ul>
 * Links that every phase serves are left out: no choice of phase changes their service. Where phases overlap, each
 * lane is given to one phase so the search sees every vehicle once (see {@link #assignLinks}).
 *
 * <p>Stalled lanes: a lane of the green phase whose standing queue has sent nobody over its working stop-line loop
 * for {@link #STALLED_S} (a permissive turn yielding at its head, walkers on a crossing, a full exit) does not count
 * for the phase now: the green is held only for vehicles that move, and the lane counts again once it discharges or
 * when its phase is next chosen. Measured on 19 scenarios of the suite (seeds 1, 2) against the rule's absence: the
 * median ratio to the best baseline fell from 1.06 to 0.93 (e.g. grid2x2-over 54.9 to 37.2 s, bologna-pasubio 271 to
 * 224 s), and no scenario lost more than 5 %.
 *
 * <p>Turn rule: ordered by the vehicles it serves per second of green, a slow phase (one lane, yielding turners at its
 * head) always comes last in the schedule, and at every re-plan the faster phases' new arrivals come before it again:
 * its queue would be served only by the starvation guard. So a phase that has begun a green while a movement with
 * vehicles waited, without serving it, may not begin another before that movement is served while the movement's lane
 * holds at least as many standing vehicles as the phase's lanes do (it may still go on with its current green, and the
 * schedule may still place it later). A light movement may be passed over again and again (the guard bounds it); a
 * queue at least as long as the phase that passed it over is served in its turn. Movements on recall (crossings, lanes
 * without a working detector), those whose exit is full, and those no phase with vehicles to plan serves are left to
 * the guard. Measured against its absence on the 38 scenarios of the suite (seeds 1–3) and again on 12 of them (seeds
 * 4–6): see docs/suite.md.
 *
 * <p>Phases without vehicles get no cluster and are skipped. A switch away from a green whose crossings need clearance
 * first ({@link IntersectionModel#pedestrianClearanceS}) starts that much later. The search's cost of a switch is
 * amber + all-red + {@link #STARTUP_LOST_S}; {@link #PLANNED_FLOW_VEH_PER_S} per lane, a phase
 * discharging at the pace of its busiest lane. The constants were set once against five SUMO networks together, not
 * per network.
 *
 * <p>Starvation guard, per movement: a link waits while its lane has vehicles and the link is red, unless the lane is
 * green and discharging (a vehicle crossed its stop-line loop in this green within {@link #BLOCKED_HEAD_S}; a green
 * for another movement of the lane that moves nobody does not restart the wait). A link that has waited
 * {@link #MAX_WAIT_S} makes the phase that serves it best (protected first) the proposal as soon as the current
 * phase's minimum green allows, the longest-waiting link first, unless its exit is full. A faulty lane counts as
 * having vehicles whenever it is red, and so does a pedestrian crossing (walkers are not detected: recall). So a
 * movement with demand waits at most {@code BLOCKED_HEAD_S + MAX_WAIT_S} + the largest minimum green + the longest
 * crossing clearance + amber + all-red after its lane stops discharging for it, plus, when several movements starve
 * at once, one such service per phase ahead of it.
 *
 * <p>Threading: the intersection's control thread only. No allocation after construction.
 */
public final class RollingHorizonPolicy implements SignalPolicy, CoordinatedPolicy, PlannedSchedule, ExplainedPolicy {
    /** Seconds planned ahead: the forecaster's horizon. */
    public static final int HORIZON_S = Neighbourhood.HORIZON_S;
    /**
     * The rate the search plans every lane to discharge at on green, vehicles per second. Higher than the lanes'
     * measured saturation flow ({@link IntersectionModel#incomingLaneSaturationVehPerS}, about 0.46 through at 50
     * km/h): planning with the measured flow, per lane, gives longer greens that overfill short links under
     * saturation (20 suite scenarios, seeds 1, 2: bologna-pasubio 220 to 378 s with a gridlock, median ratio 0.934 to
     * 0.946); the per-lane flows scaled to 0.6 through did no better (median 0.940, a gridlock on
     * crossings-pedestrians-light).
     */
    public static final double PLANNED_FLOW_VEH_PER_S = 0.6;
    /** Start-up lost time of a new green, seconds; added to amber and all-red as the cost of a switch. */
    public static final double STARTUP_LOST_S = 2;
    /** An empty stretch of this many seconds separates two clusters. */
    public static final double CLUSTER_GAP_S = 4;
    /** The starvation bound: a lane with vehicles waits no longer than this before its phase is forced. */
    public static final double MAX_WAIT_S = 90;
    /** Length of the lane-area detection zone before the stop line, metres. */
    public static final double ZONE_LENGTH_M = 200;
    /** Share of the lane speed at which vehicles in the zone are assumed to approach. */
    public static final double APPROACH_SPEED_SHARE = 0.9;
    /** Floor of the arrival rate assumed for a lane whose detectors are faulty, vehicles per second (180 veh/h). */
    public static final double FAULT_MIN_RATE_VEH_PER_S = 0.05;
    /** Road space per standing vehicle, metres (length plus gap). */
    public static final double VEHICLE_SPACING_M = 7.5;
    /** A green lane that has sent nobody over its stop line for this long is blocked at its head, seconds. */
    public static final double BLOCKED_HEAD_S = 10;
    /**
     * A green lane with a standing queue that has sent nobody over its stop line for this long (more than two
     * saturation headways) has stalled: the current green is not held for its vehicles, seconds.
     */
    public static final double STALLED_S = 5;
    /** The gap in the traffic it yields to that a permissive turn needs to go, seconds. */
    public static final double CRITICAL_GAP_S = 4;
    /** Service weight of a permissive green for a movement that another phase protects. */
    public static final double PERMISSIVE_WEIGHT = 0.5;
    /** Share of an exit's road space that, filled with standing vehicles, blocks it: no green feeds it. */
    public static final double EXIT_FULL_SHARE = 0.9;
    /**
     * Share of an outgoing lane toward another intersection that, occupied, closes it to vehicles entering the
     * network here: their link does not count for its phase (they still go when that phase is green for others).
     */
    public static final double ENTRY_GATE_SHARE = 0.5;
    /** Share of the detection zone that, filled by the standing queue, means the queue may reach beyond it. */
    public static final double ZONE_FULL_SHARE = 0.95;
    /** Most vehicles assumed to queue unseen behind a full zone: one more zone's worth. */
    public static final double HIDDEN_CAP_VEH = ZONE_LENGTH_M / VEHICLE_SPACING_M;
    /** Advance-loop passages remembered per lane. */
    static final int PASSAGES = 16;
    /** Most DP states per search. */
    public static final int STATE_BUDGET = 1024;
    /** Weight of the newest minute in the historical arrival rate. */
    private static final double RATE_SMOOTHING = 0.3;
    private static final double RATE_WINDOW_S = 60;
    /** {@link #MAX_WAIT_S} in the engine's milliseconds. */
    private static final long MAX_WAIT_MS = Millis.fromSeconds(MAX_WAIT_S);
    /** {@link #RATE_WINDOW_S} in the engine's milliseconds. */
    private static final long RATE_WINDOW_MS = Millis.fromSeconds(RATE_WINDOW_S);
    /** No time: a link that is not waiting, a rate window not begun. */
    private static final long UNSET = Long.MIN_VALUE;
    /** Most planned green segments exposed; a timing plan holds 16 states, about four phase changes. */
    private static final int MAX_SEGMENTS = 8;

    private final IntersectionModel model;
    private final boolean upstreamArrivals;
    private final int phases;
    private final int lanes;
    private final ScheduleSearch search;
    /**
     * {@code [phase][link]}: the phase serves the link: gives it a protected green, or any green if no phase
     * protects it; false for links every phase serves.
     */
    private final boolean[][] serves;
    /**
     * {@code [phase][link]}: how fully the phase serves the link: 1 for a protected green (or a permissive one where no
     * phase protects the link), {@link #PERMISSIVE_WEIGHT} for a permissive green of a link some phase protects, 0
     * otherwise and for links every phase serves.
     */
    private final double[][] serviceWeight;
    /** Scratch: how fully each phase serves the lane being assigned. */
    private final double[] phaseLaneService;
    /** Signalled links leaving each incoming lane. */
    private final int[] laneLinks;
    /** {@code [lane]}: the signalled links leaving the incoming lane, in link order. */
    private final int[][] linksOfLane;
    /** Each link's share of its lane's vehicles now; 0 when its outgoing lane is full. */
    private final double[] linkDemandShare;
    /** Per link: left out of the demand by the metering at the network's edge alone (the guard still serves it). */
    private final boolean[] linkMetered;
    /** The phase each link is given to in the search at this tick, or -1. */
    private final int[] assignedPhase;
    /** Scratch: each lane's share of vehicles given to the phase being built. */
    private final double[] laneShare;
    private final double[][] laneProfileVeh;
    private final double[] laneDemandVeh;
    private final double[] phaseDemandVeh;
    private final double[] lastGreenS;
    /**
     * Since when each link has had vehicles on its lane and no green, engine milliseconds; {@link #UNSET} while served
     * or without demand.
     */
    private final long[] linkWaitSinceMs;
    private final double[] faultQueueVeh;
    /**
     * Vehicles estimated to queue behind a full detection zone, where no detector sees them: they join at the lane's
     * historical arrival rate while the zone stays full and move into it as its head discharges.
     */
    private final double[] hiddenQueueVeh;
    /**
     * Per lane, a ring of the times the last {@link #PASSAGES} vehicles crossed its advance loop: from them the
     * vehicles between the advance loop and the queue are placed (see {@link #zoneArrivals}).
     */
    private final double[][] passageS;
    private final int[] passageNext;
    private final long[] lastAdvanceCount;
    /** When each lane last sent a vehicle over its stop line, or was last red. */
    private final double[] lastDischargeS;
    /**
     * When each lane last sent a vehicle over its stop line during its current green; NaN while it is red or has
     * sent nobody since its green began.
     */
    private final double[] greenDepartureS;
    private final long[] lastStopCount;
    /** Whether each lane had vehicles (or may have: no working detector) at this tick. */
    private final boolean[] laneDemand;
    private final double[] rateVehPerS;
    private final boolean[] rateKnown;
    private final long[] windowCount;
    private final int[] windowVehicles;
    private final double[] upstreamScratch;
    private final double[] outflowVehPerS;
    private final boolean[] fullLanes;
    /**
     * {@code [phase][lane]}: the incoming lanes whose protected greens in the phase conflict with a permissive green
     * of the lane there (the traffic its turners yield to); empty where the lane yields to nobody in the phase.
     */
    private final int[][][] yieldsTo;
    /** Per lane, this tick: seconds until its stalled standing queue can start moving, or NaN. */
    private final double[] yieldWaitS;
    /**
     * {@code [link][phase]}: the phase began a green that does not serve the link while the link was waiting; cleared
     * when the link stops waiting.
     */
    private final boolean[][] overtook;
    /** The phase whose green was shown at the last tick, or -1 during a change. */
    private int greenSeen = -1;
    /** The waiting link that held a phase back under the turn rule at this tick, or -1; for the explanation only. */
    private int turnLink = -1;
    private double turnQueueVeh;
    private long windowStartMs = UNSET;
    private double lastTickS = Double.NaN;
    private Neighbourhood neighbourhood;
    private int index = -1;
    private final int[] segmentPhase = new int[MAX_SEGMENTS];
    private final double[] segmentEndS = new double[MAX_SEGMENTS];
    private int segmentCount;
    private final DecisionExplanation explanation;
    /** The link {@link #starvedPhase} chose for, and how long it had waited; for the explanation only. */
    private int starvedLink = -1;
    private double starvedWaitS;

    /** The default configuration: upstream outflows are not added as arrivals (see {@link #upstreamArrivals}). */
    public RollingHorizonPolicy(IntersectionModel model) {
        this(model, false);
    }

    /**
     * @param upstreamArrivals whether to add the outflow the upstream intersection projects into each lane to the
     *                         lane's arrivals. Off by default: measured on grid4x4 (3 seeds) it raised the average
     *                         delay from 29.6 s to 31.7 s, because the projections beyond the upstream's running
     *                         green change with every re-plan and hold greens for platoons that do not come.
     */
    public RollingHorizonPolicy(IntersectionModel model, boolean upstreamArrivals) {
        this.model = model;
        this.upstreamArrivals = upstreamArrivals;
        this.phases = model.greenPhaseCount();
        this.lanes = model.incomingLaneCount();
        double[] minGreen = new double[phases];
        for (int p = 0; p < phases; p++) {
            minGreen[p] = model.effectiveMinGreenS(p);
        }
        this.search = new ScheduleSearch(phases, HORIZON_S + 1, STATE_BUDGET, CLUSTER_GAP_S, minGreen);
        this.explanation = new DecisionExplanation(phases, HORIZON_S + 1);
        int links = model.linkCount();
        this.serves = new boolean[phases][links];
        this.serviceWeight = new double[phases][links];
        this.laneLinks = new int[lanes];
        for (int l = 0; l < links; l++) {
            if (!model.linkUsed(l)) {
                continue;
            }
            laneLinks[model.linkIncomingLane(l)]++;
            boolean everProtected = false;
            int greenIn = 0;
            for (int p = 0; p < phases; p++) {
                everProtected |= model.greenState(p, l) == SignalChar.GREEN;
                greenIn += SignalChar.isGreen(model.greenState(p, l)) ? 1 : 0;
            }
            for (int p = 0; p < phases; p++) {
                char c = model.greenState(p, l);
                boolean always = greenIn == phases && phases > 1;
                serves[p][l] = (everProtected ? c == SignalChar.GREEN : SignalChar.isGreen(c)) && !always;
                // A permissive green serves a movement that some phase protects at a lower rate (it yields).
                serviceWeight[p][l] = always ? 0 : c == SignalChar.GREEN ? 1
                        : SignalChar.isGreen(c) ? (everProtected ? PERMISSIVE_WEIGHT : 1) : 0;
            }
        }
        this.linksOfLane = new int[lanes][];
        for (int lane = 0; lane < lanes; lane++) {
            linksOfLane[lane] = new int[laneLinks[lane]];
        }
        int[] filled = new int[lanes];
        for (int l = 0; l < links; l++) {
            if (model.linkUsed(l)) {
                int lane = model.linkIncomingLane(l);
                linksOfLane[lane][filled[lane]++] = l;
            }
        }
        this.phaseLaneService = new double[phases];
        this.linkWaitSinceMs = new long[links];
        this.linkDemandShare = new double[links];
        this.linkMetered = new boolean[links];
        this.assignedPhase = new int[links];
        this.laneShare = new double[lanes];
        this.laneProfileVeh = new double[lanes][HORIZON_S + 1];
        this.laneDemandVeh = new double[lanes];
        this.phaseDemandVeh = new double[phases];
        this.lastGreenS = new double[lanes];
        this.faultQueueVeh = new double[lanes];
        this.hiddenQueueVeh = new double[lanes];
        this.laneDemand = new boolean[lanes];
        this.lastDischargeS = new double[lanes];
        this.greenDepartureS = new double[lanes];
        this.lastStopCount = new long[lanes];
        this.passageS = new double[lanes][PASSAGES];
        this.passageNext = new int[lanes];
        this.lastAdvanceCount = new long[lanes];
        for (double[] ring : passageS) {
            Arrays.fill(ring, Double.NaN);
        }
        Arrays.fill(lastDischargeS, Double.NaN);
        Arrays.fill(greenDepartureS, Double.NaN);
        this.rateVehPerS = new double[lanes];
        this.rateKnown = new boolean[lanes];
        this.windowCount = new long[lanes];
        this.windowVehicles = new int[lanes];
        this.upstreamScratch = new double[HORIZON_S];
        this.outflowVehPerS = new double[model.outgoingLaneCount() * HORIZON_S];
        this.fullLanes = new boolean[lanes];
        this.yieldsTo = yieldsTo(model, phases, lanes);
        this.yieldWaitS = new double[lanes];
        Arrays.fill(lastGreenS, Double.NaN);
        Arrays.fill(linkWaitSinceMs, UNSET);
        this.overtook = new boolean[links][phases];
    }

    @Override
    public void join(Neighbourhood neighbourhood, int intersection) {
        this.neighbourhood = neighbourhood;
        this.index = intersection;
    }

    @Override
    public boolean supervised() {
        return true;
    }

    @Override
    public int propose(IntersectionView view) {
        int proposal = decide(view);
        segments(proposal);
        return proposal;
    }

    private int decide(IntersectionView view) {
        double nowS = view.nowS();
        observe(view, nowS);
        int current = view.phase();
        boolean green = view.interval() == SafetyInterlock.GREEN;
        double elapsedS = view.phaseElapsedS();
        buildProfiles(view, nowS);
        // During a transition the schedule starts with the phase being changed to.
        int planFrom = green ? current : view.targetPhase();
        // Leaving a green whose crossings need clearance first keeps its vehicles moving that much longer.
        double minLeftS = green ? Math.max(0, model.effectiveMinGreenS(current) - elapsedS)
                + model.longestPedestrianClearanceS(current) : 0;
        long elapsedMs = view.phaseElapsedMs();
        boolean open = !green || elapsedMs + 1000 < model.maxGreenMs(current);
        double switchS = model.yellowS() + model.allRedS() + STARTUP_LOST_S;
        turnRule(view, planFrom);
        int first = search.solve(planFrom, open, minLeftS, switchS);
        if (first < 0 && turnLink >= 0) {
            // Every phase with vehicles but those held back: plan as if none were.
            Arrays.fill(search.blockedFirst, false);
            turnLink = -1;
            first = search.solve(planFrom, open, minLeftS, switchS);
        }
        publish(view, nowS);
        int proposal;
        int reason;
        starvedLink = -1;
        if (!green) {
            proposal = view.targetPhase();
            reason = DecisionExplanation.TRANSITION;
        } else if (elapsedMs < model.effectiveMinGreenMs(current)) {
            proposal = current;
            reason = DecisionExplanation.MIN_GREEN;
        } else {
            int starved = starvedPhase(view.nowMs(), current);
            if (starved >= 0) {
                proposal = starved;
                reason = DecisionExplanation.STARVATION;
            } else if (first < 0) {
                proposal = current;
                reason = DecisionExplanation.NO_DEMAND;
            } else {
                proposal = first == current ? leaveThroughClearance(current) : first;
                reason = DecisionExplanation.SEARCH;
            }
        }
        explain(nowS, proposal, reason, current, green, planFrom, open, minLeftS, switchS);
        return proposal;
    }

    /**
     * The phase to change to now although the schedule still serves the current phase first: where the current
     * green's crossings must clear before the change, its vehicles keep their green through that clearance, so a
     * schedule that ends the current phase's service within the clearance (to the nearest tick) has to begin the
     * change now, or every change comes a clearance late, and a stream of arrivals seen one clearance ahead holds the
     * green indefinitely. Else the current phase.
     */
    private int leaveThroughClearance(int current) {
        double endS = 0;
        for (int i = 0; i < search.scheduleLength(); i++) {
            int p = search.schedulePhase(i);
            if (p != current) {
                double clearanceS = model.pedestrianClearanceS(current, p);
                return model.pedestrianClearanceMs(current, p) > 0 && endS < clearanceS + 0.5 ? p : current;
            }
            endS = search.scheduleEndS(i);
        }
        return current;
    }

    /** Records why: what the search saw and chose, and the decision. No allocation. */
    private void explain(double nowS, int proposal, int reason, int current, boolean green, int planFrom,
                         boolean open, double minLeftS, double switchS) {
        DecisionExplanation e = explanation;
        e.beginWrite();
        e.nowS = nowS;
        e.proposal = proposal;
        e.reason = reason;
        e.current = current;
        e.green = green;
        e.starvedLink = reason == DecisionExplanation.STARVATION ? starvedLink : -1;
        e.starvedWaitS = reason == DecisionExplanation.STARVATION ? starvedWaitS : 0;
        e.turnLink = turnLink;
        e.turnQueueVeh = turnQueueVeh;
        e.meteredLink = -1;
        e.meteredVeh = 0;
        double most = 0;
        for (int l = 0; l < linkMetered.length; l++) {
            if (linkMetered[l]) {
                int lane = model.linkIncomingLane(l);
                double veh = laneDemandVeh[lane] / laneLinks[lane];
                e.meteredVeh += veh;
                if (e.meteredLink < 0 || veh > most) {
                    e.meteredLink = l;
                    most = veh;
                }
            }
        }
        e.captureSearch(search, planFrom, open, minLeftS, switchS);
        e.endWrite();
    }

    @Override
    public DecisionExplanation explanation() {
        return explanation;
    }

    /** Per-tick bookkeeping: green times, waiting, the historical rates and the virtual queues of faulty lanes. */
    private void observe(IntersectionView view, double nowS) {
        double dtS = Double.isNaN(lastTickS) ? 0 : Math.max(0, nowS - lastTickS);
        lastTickS = nowS;
        boolean rollWindow = false;
        long nowMs = view.nowMs();
        if (windowStartMs == UNSET) {
            windowStartMs = nowMs;
            for (int lane = 0; lane < lanes; lane++) {
                windowCount[lane] = view.stopLineCount(lane);
                windowVehicles[lane] = view.incomingVehicles(lane);
            }
        } else if (nowMs - windowStartMs >= RATE_WINDOW_MS) {
            rollWindow = true;
        }
        for (int lane = 0; lane < lanes; lane++) {
            boolean laneGreen = view.laneGreen(lane);
            boolean faulty = zoneFaulty(view, lane);
            boolean blind = blind(view, lane);
            if (laneGreen) {
                lastGreenS[lane] = nowS;
            }
            if (rollWindow) {
                if (!faulty) {
                    long served = view.stopLineCount(lane) - windowCount[lane];
                    int growth = view.incomingVehicles(lane) - windowVehicles[lane];
                    double rate = Math.max(0, served + growth) / (nowS - Millis.toSeconds(windowStartMs));
                    rateVehPerS[lane] = rateKnown[lane] ? RATE_SMOOTHING * rate
                            + (1 - RATE_SMOOTHING) * rateVehPerS[lane] : rate;
                    rateKnown[lane] = true;
                }
                windowCount[lane] = view.stopLineCount(lane);
                windowVehicles[lane] = view.incomingVehicles(lane);
            }
            if (blind) {
                double rate = Math.max(faultRate(lane), view.predictedArrivalsVeh(lane, HORIZON_S - 1));
                double capVeh = model.incomingLaneLengthM(lane) / VEHICLE_SPACING_M + ZONE_LENGTH_M / VEHICLE_SPACING_M;
                faultQueueVeh[lane] = laneGreen
                        ? Math.max(0, faultQueueVeh[lane] + (rate - model.incomingLaneSaturationVehPerS(lane)) * dtS)
                        : Math.min(capVeh, faultQueueVeh[lane] + rate * dtS);
            } else {
                faultQueueVeh[lane] = 0;
            }
            // A lane without working detectors may have vehicles at any time: it counts as waiting whenever red.
            // A detector flagged faulty still counts when it reports a vehicle (the lane is then served as on recall:
            // a wrong flag must not starve the lane). Walkers are not detected: a walking area's crossings are on
            // recall (below), it has no vehicles.
            boolean demand = !model.incomingLaneIsCrossing(lane) && (blind || view.queueVeh(lane) >= 0.5
                    || view.incomingVehicles(lane) > 0 || view.stopLineOccupied(lane));
            laneDemand[lane] = demand;
            long advance = view.advanceCount(lane);
            if (dtS > 0 && advanceWorks(view, lane)) {
                // Crossings counted since the last tick happened during it: placed at its middle.
                long crossed = Math.min(PASSAGES, Math.max(0, advance - lastAdvanceCount[lane]));
                for (long i = 0; i < crossed; i++) {
                    passageS[lane][passageNext[lane]] = nowS - 0.5 * dtS;
                    passageNext[lane] = (passageNext[lane] + 1) % PASSAGES;
                }
            }
            lastAdvanceCount[lane] = advance;
            long count = view.stopLineCount(lane);
            hiddenQueueVeh[lane] = faulty || !zoneFull(view, lane) ? 0 : Math.min(HIDDEN_CAP_VEH,
                    Math.max(0, hiddenQueueVeh[lane] + faultRate(lane) * dtS - (count - lastStopCount[lane])));
            if (count != lastStopCount[lane] || !laneGreen) {
                lastDischargeS[lane] = nowS;
            }
            if (!laneGreen) {
                greenDepartureS[lane] = Double.NaN;
            } else if (count != lastStopCount[lane]) {
                greenDepartureS[lane] = nowS;
            }
            lastStopCount[lane] = count;
        }
        if (rollWindow) {
            windowStartMs = nowMs;
        }
        boolean green = view.interval() == SafetyInterlock.GREEN;
        for (int l = 0; l < linkWaitSinceMs.length; l++) {
            if (!model.linkUsed(l)) {
                continue;
            }
            int lane = model.linkIncomingLane(l);
            boolean linkGreen = green && SignalChar.isGreen(model.greenState(view.phase(), l));
            // A lane that is green and discharging serves whoever is at its head. A lane with vehicles that is red,
            // or green but has discharged nobody in its green for BLOCKED_HEAD_S (its head waits for a movement kept
            // red), makes every red movement of it wait: a green for another of its movements that moves nobody
            // does not restart the wait.
            boolean discharging = view.laneGreen(lane) && nowS - greenDepartureS[lane] < BLOCKED_HEAD_S;
            // Walkers are not detected: a crossing is on recall, waiting whenever it is red.
            boolean crossing = model.linkIsCrossing(l);
            if (linkGreen || (discharging && !crossing) || !(laneDemand[lane] || crossing)) {
                linkWaitSinceMs[l] = UNSET;
                Arrays.fill(overtook[l], false);
            } else if (linkWaitSinceMs[l] == UNSET) {
                linkWaitSinceMs[l] = nowMs;
            }
        }
        int shown = green ? view.phase() : -1;
        if (shown >= 0 && shown != greenSeen) {
            for (int l = 0; l < linkWaitSinceMs.length; l++) {
                if (linkWaitSinceMs[l] != UNSET && !SignalChar.isGreen(model.greenState(shown, l))) {
                    overtook[l][shown] = true;
                }
            }
        }
        greenSeen = shown;
    }

    /**
     * The turn rule (see the class comment): marks in the search the phases other than {@code planFrom} that may not
     * begin a green now (a phase's standing vehicles are its profile's first bin), and notes for the explanation the
     * waiting lane with the most standing vehicles that held one back.
     */
    private void turnRule(IntersectionView view, int planFrom) {
        boolean[] held = search.blockedFirst;
        Arrays.fill(held, false);
        turnLink = -1;
        turnQueueVeh = 0;
        for (int l = 0; l < linkWaitSinceMs.length; l++) {
            if (linkWaitSinceMs[l] == UNSET || linkDemandShare[l] <= 0 || model.linkIsCrossing(l)) {
                continue;
            }
            int lane = model.linkIncomingLane(l);
            if (!laneDemand[lane] || blind(view, lane)) {
                continue;
            }
            boolean plannable = false;
            for (int q = 0; q < phases && !plannable; q++) {
                plannable = search.serviceVehPerS[q] > 0 && SignalChar.isGreen(model.greenState(q, l));
            }
            if (!plannable) {
                continue;
            }
            double standing = laneProfileVeh[lane][0];
            for (int p = 0; p < phases; p++) {
                if (p != planFrom && overtook[l][p] && standing >= search.profileVeh[p][0]) {
                    held[p] = true;
                    if (turnLink < 0 || standing > turnQueueVeh) {
                        turnLink = l;
                        turnQueueVeh = standing;
                    }
                }
            }
        }
    }

    private double faultRate(int lane) {
        return Math.max(FAULT_MIN_RATE_VEH_PER_S, rateKnown[lane] ? rateVehPerS[lane] : 0);
    }

    /**
     * The phase serving the movement that has waited longest beyond {@link #MAX_WAIT_S}, or -1. Every movement counts
     * on its own: a lane shared by a through and a turning movement starves when either is kept red, whatever the
     * other shows. A movement whose exit is full waits for room first (its green would move nobody); one held at the
     * network's edge by the metering does not.
     */
    private int starvedPhase(long nowMs, int current) {
        int best = -1;
        long bestWaitMs = MAX_WAIT_MS;
        for (int l = 0; l < linkWaitSinceMs.length; l++) {
            long since = linkWaitSinceMs[l];
            if (since == UNSET || nowMs - since < bestWaitMs || linkDemandShare[l] <= 0 && !linkMetered[l]) {
                continue;
            }
            int phase = servingPhase(l, current);
            if (phase >= 0) {
                best = phase;
                bestWaitMs = nowMs - since;
                starvedLink = l;
                starvedWaitS = Millis.toSeconds(bestWaitMs);
            }
        }
        return best;
    }

    /**
     * The phase that serves the link best: protected green, else permissive; among equals the one that greens most
     * of the link's lane, the first after the current one on a tie. -1 when no phase greens the link.
     */
    private int servingPhase(int link, int current) {
        int lane = model.linkIncomingLane(link);
        int best = -1;
        double bestScore = 0;
        for (int i = 1; i <= phases; i++) {
            int q = (current + i) % phases;
            char c = model.greenState(q, link);
            if (!SignalChar.isGreen(c)) {
                continue;
            }
            double score = c == SignalChar.GREEN ? 2 : 1;
            for (int l = 0; l < model.linkCount(); l++) {
                if (model.linkIncomingLane(l) == lane && SignalChar.isGreen(model.greenState(q, l))) {
                    score += 1.0 / (laneLinks[lane] + 1);
                }
            }
            if (score > bestScore + 1e-9) {
                best = q;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Whether every detector of the lane is flagged: only a virtual queue is left. While either loop works, the
     * forecaster's estimate (counted arrivals or departures, modelled where a loop is dead) is the better guess.
     */
    private static boolean blind(IntersectionView view, int lane) {
        int all = IntersectionView.FAULT_AREA | IntersectionView.FAULT_STOP_LINE | IntersectionView.FAULT_ADVANCE;
        return (view.detectorFaults(lane) & all) == all;
    }

    /** Whether a vehicle stands on the lane's working stop-line loop now (a queue, if the lane is red). */
    private static boolean stopLineHeld(IntersectionView view, int lane) {
        return view.stopLineOccupied(lane) && (view.detectorFaults(lane) & IntersectionView.FAULT_STOP_LINE) == 0;
    }

    /** Whether standing vehicles fill the lane's detection zone to its far end: the queue may reach further back. */
    private boolean zoneFull(IntersectionView view, int lane) {
        double zoneM = zoneLengthM(lane);
        return zoneM > 0 && view.incomingJamM(lane) + VEHICLE_SPACING_M >= ZONE_FULL_SHARE * zoneM;
    }

    /** Whether the lane's advance loop works: its passages place approaching vehicles. */
    private static boolean advanceWorks(IntersectionView view, int lane) {
        return (view.detectorFaults(lane) & IntersectionView.FAULT_ADVANCE) == 0;
    }

    /** The road space the lane's detection zone covers before the stop line, metres. */
    private double zoneLengthM(int lane) {
        return Math.min(model.incomingZoneLengthM(lane), ZONE_LENGTH_M);
    }

    /** Whether the lane's lane-area detector, the search's view of the lane, is flagged faulty. */
    private static boolean zoneFaulty(IntersectionView view, int lane) {
        return (view.detectorFaults(lane) & IntersectionView.FAULT_AREA) != 0;
    }

    /** Fills the scheduler's phase profiles from the lane profiles. */
    private void buildProfiles(IntersectionView view, double nowS) {
        for (int lane = 0; lane < lanes; lane++) {
            double[] prof = laneProfileVeh[lane];
            for (int k = 0; k <= HORIZON_S; k++) {
                prof[k] = 0;
            }
            if (model.incomingLaneIsCrossing(lane)) {
                // Walkers carry no vehicles: the crossing is on recall (the starvation guard), not in the search.
                laneDemandVeh[lane] = 0;
                continue;
            } else if (blind(view, lane)) {
                prof[0] = faultQueueVeh[lane];
                double rate = Math.max(faultRate(lane), view.predictedArrivalsVeh(lane, HORIZON_S - 1));
                for (int k = 1; k <= HORIZON_S; k++) {
                    prof[k] = rate;
                }
            } else if (zoneFaulty(view, lane)) {
                // The loops still count: the forecaster's estimate and its rate-based arrivals stand in for the zone,
                // and a vehicle standing on the stop-line loop is a queue whatever the counts say.
                prof[0] = Math.max(Math.max(0, view.queueVeh(lane)), stopLineHeld(view, lane) ? 1 : 0);
                for (int k = 0; k < HORIZON_S; k++) {
                    prof[k + 1] = Math.max(0, view.predictedArrivalsVeh(lane, k));
                }
            } else {
                // The standing queue reaches back as far as the jam; slow-creeping vehicles in it do not halt.
                prof[0] = Math.max(Math.max(0, view.queueVeh(lane)), Math.min(view.incomingVehicles(lane),
                        view.incomingJamM(lane) / VEHICLE_SPACING_M)) + hiddenQueueVeh[lane];
                zoneArrivals(view, lane, nowS, prof);
            }
            if (upstreamArrivals) {
                upstreamArrivals(lane, nowS, prof);
            }
            double sum = 0;
            for (int k = 0; k <= HORIZON_S; k++) {
                sum += prof[k];
            }
            laneDemandVeh[lane] = sum;
        }
        linkShares(view);
        assignLinks(view.phase());
        search.clear();
        for (int p = 0; p < phases; p++) {
            for (int lane = 0; lane < lanes; lane++) {
                laneShare[lane] = 0;
            }
            for (int l = 0; l < assignedPhase.length; l++) {
                if (assignedPhase[l] == p) {
                    int lane = model.linkIncomingLane(l);
                    laneShare[lane] = laneOpenShare(lane);
                }
            }
            boolean currentGreen = p == view.phase() && view.interval() == SafetyInterlock.GREEN;
            if (currentGreen) {
                // Holding this green serves only lanes that move or will: a lane whose queue has stalled (a permissive
                // turn yielding at its head, walkers on the crossing, a full exit) gains from it only when its stall
                // has a foreseeable end. Only a working stop-line loop can tell.
                for (int lane = 0; lane < lanes; lane++) {
                    yieldWaitS[lane] = Double.NaN;
                    if (laneShare[lane] > 0 && view.laneGreen(lane) && nowS - lastDischargeS[lane] >= STALLED_S
                            && laneProfileVeh[lane][0] >= 1
                            && (view.detectorFaults(lane) & IntersectionView.FAULT_STOP_LINE) == 0) {
                        // A turner yielding at its head to a queue this green discharges leaves once that queue has
                        // gone: the lane's vehicles count from then. Any other stall (walkers, a full exit) does not
                        // say when it ends, so the green is not held for it.
                        yieldWaitS[lane] = yieldingTurnerWaitS(p, lane);
                        if (Double.isNaN(yieldWaitS[lane])) {
                            laneShare[lane] = 0;
                        }
                    }
                }
            }
            double[] phaseProf = search.profileVeh[p];
            double total = 0;
            double maxLane = 0;
            for (int lane = 0; lane < lanes; lane++) {
                double share = laneShare[lane];
                if (share <= 0) {
                    continue;
                }
                double[] prof = laneProfileVeh[lane];
                int shift = currentGreen && !Double.isNaN(yieldWaitS[lane]) ? (int) Math.ceil(yieldWaitS[lane]) : 0;
                for (int k = 0; k <= HORIZON_S; k++) {
                    phaseProf[Math.min(HORIZON_S, k + shift)] += share * prof[k];
                }
                double d = share * laneDemandVeh[lane];
                total += d;
                maxLane = Math.max(maxLane, d);
            }
            // Lanes discharge side by side: the phase clears when its busiest lane does.
            search.serviceVehPerS[p] = maxLane > 0 ? PLANNED_FLOW_VEH_PER_S * total / maxLane : 0;
        }
    }

    /**
     * Seconds until a permissive turner stalled at the head of {@code lane} can go while {@code phase} is green: the
     * standing queues it yields to there discharge at the planning rate, then it waits for a gap of
     * {@link #CRITICAL_GAP_S} in their arrivals (Adams' delay for Poisson arrivals at the lanes' measured rates). NaN
     * where the lane yields to no vehicle lane there, a link of it leads into a full exit, or the wait is beyond the
     * horizon: such a lane moves only when the green ends.
     */
    private double yieldingTurnerWaitS(int phase, int lane) {
        if (laneOpenShare(lane) < 1 - 1e-9 || yieldsTo[phase][lane].length == 0) {
            return Double.NaN;
        }
        double clearS = 0;
        double rate = 0;
        for (int other : yieldsTo[phase][lane]) {
            double arrivals = rateKnown[other] ? rateVehPerS[other] : 0;
            double spare = model.incomingLaneSaturationVehPerS(other) - arrivals;
            if (spare <= 0) {
                return Double.NaN;
            }
            clearS = Math.max(clearS, laneProfileVeh[other][0] / spare);
            rate += arrivals;
        }
        double x = rate * CRITICAL_GAP_S;
        double gapWaitS = rate > 0 ? (Math.exp(x) - 1 - x) / rate : 0;
        double waitS = clearS + gapWaitS;
        return waitS < HORIZON_S ? waitS : Double.NaN;
    }

    /** See {@link #yieldsTo}. */
    private static int[][][] yieldsTo(IntersectionModel model, int phases, int lanes) {
        int links = model.linkCount();
        int[][][] out = new int[phases][lanes][];
        for (int p = 0; p < phases; p++) {
            for (int lane = 0; lane < lanes; lane++) {
                boolean[] opposing = new boolean[lanes];
                int n = 0;
                for (int l = 0; l < links; l++) {
                    if (!model.linkUsed(l) || model.linkIncomingLane(l) != lane
                            || model.greenState(p, l) != SignalChar.GREEN_MINOR) {
                        continue;
                    }
                    for (int o = 0; o < links; o++) {
                        int other = model.linkUsed(o) ? model.linkIncomingLane(o) : -1;
                        if (other >= 0 && other != lane && !opposing[other] && !model.incomingLaneIsCrossing(other)
                                && model.greenState(p, o) == SignalChar.GREEN && model.conflicts().conflicts(l, o)) {
                            opposing[other] = true;
                            n++;
                        }
                    }
                }
                out[p][lane] = new int[n];
                for (int other = 0, i = 0; other < lanes; other++) {
                    if (opposing[other]) {
                        out[p][lane][i++] = other;
                    }
                }
            }
        }
        return out;
    }

    /** The share of the lane's links whose outgoing lane is not full. */
    private double laneOpenShare(int lane) {
        double share = 0;
        for (int l = 0; l < linkDemandShare.length; l++) {
            if (model.linkIncomingLane(l) == lane) {
                share += linkDemandShare[l];
            }
        }
        return share;
    }

    /**
     * Each link's share of its lane's vehicles: an equal split of the lane, 0 into a full outgoing lane (reported
     * full by the intersection downstream, or seen full by this one's own exit detector) and for unused links.
     */
    private void linkShares(IntersectionView view) {
        for (int l = 0; l < linkDemandShare.length; l++) {
            int lane = model.linkIncomingLane(l);
            if (lane < 0) {
                linkDemandShare[l] = 0;
                linkMetered[l] = false;
                continue;
            }
            int out = model.linkOutgoingLane(l);
            boolean full = outgoingFull(out) || exitBlocked(view, out);
            linkMetered[l] = !full && metered(view, lane, out);
            linkDemandShare[l] = full || linkMetered[l] ? 0 : 1.0 / laneLinks[lane];
        }
    }

    /**
     * Whether the link enters the network at its edge (no intersection of the engine has an exit lane of its lane's
     * id: a road from outside, or one behind an unsignalled junction) into an outgoing lane that leads to another
     * intersection and is {@link #ENTRY_GATE_SHARE} occupied: metering at the boundary, so that vehicles from outside
     * wait there, where they block nobody, rather than fill the links between signals. The starvation guard still
     * serves such a link.
     */
    private boolean metered(IntersectionView view, int lane, int outLane) {
        if (neighbourhood == null || neighbourhood.upstream(index, lane) >= 0
                || neighbourhood.downstream(index, outLane) < 0) {
            return false;
        }
        double lengthM = model.outgoingLaneLengthM(outLane);
        return lengthM > 0 && view.outgoingVehicles(outLane) * VEHICLE_SPACING_M >= ENTRY_GATE_SHARE * lengthM;
    }

    /** Whether standing vehicles fill the outgoing lane's road space, so that a green into it would block the box. */
    private boolean exitBlocked(IntersectionView view, int outLane) {
        double lengthM = model.outgoingLaneLengthM(outLane);
        return lengthM > 0 && view.outgoingVehicles(outLane) * VEHICLE_SPACING_M >= EXIT_FULL_SHARE * lengthM;
    }

    /**
     * Gives each lane, whole, to one phase, so that the search sees every vehicle once: a lane discharges only as fast
     * as the movement at its head, so its vehicles are served together by the phase that serves the most of its open
     * links ({@link #serviceWeight}: a phase that greens only the turn of a shared lane serves it partly, since the
     * through vehicles at its head block it), the busiest such phase on a tie (the current one first).
     */
    private void assignLinks(int current) {
        int links = linkDemandShare.length;
        for (int p = 0; p < phases; p++) {
            double total = 0;
            for (int l = 0; l < links; l++) {
                if (serves[p][l]) {
                    total += linkDemandShare[l] * laneDemandVeh[model.linkIncomingLane(l)];
                }
            }
            phaseDemandVeh[p] = total;
        }
        for (int l = 0; l < links; l++) {
            assignedPhase[l] = -1;
        }
        for (int lane = 0; lane < lanes; lane++) {
            int[] own = linksOfLane[lane];
            for (int p = 0; p < phases; p++) {
                phaseLaneService[p] = 0;
            }
            for (int l : own) {
                if (linkDemandShare[l] > 0) {
                    for (int p = 0; p < phases; p++) {
                        phaseLaneService[p] += serviceWeight[p][l] * linkDemandShare[l];
                    }
                }
            }
            int best = -1;
            for (int i = 0; i < phases; i++) {
                int p = (current + i) % phases;
                if (phaseLaneService[p] <= 1e-9) {
                    continue;
                }
                if (best < 0 || phaseLaneService[p] > phaseLaneService[best] + 1e-9
                        || (phaseLaneService[p] > phaseLaneService[best] - 1e-9
                            && phaseDemandVeh[p] > phaseDemandVeh[best] + 1e-9)) {
                    best = p;
                }
            }
            for (int l : own) {
                if (linkDemandShare[l] > 0) {
                    assignedPhase[l] = best;
                }
            }
        }
    }

    /**
     * The moving vehicles in the zone, placed where they are likely to be and timed to reach the queue's tail (or the
     * stop line). A vehicle that crossed the advance loop recently and has not reached the tail at the approach speed
     * is that far along; the others are spread evenly between the advance loop (or the tail, if the queue reaches
     * past the loop) and the zone's far end. Without a working advance loop all are spread between the tail and the
     * far end.
     */
    private void zoneArrivals(IntersectionView view, int lane, double nowS, double[] prof) {
        int moving = (int) Math.round(view.incomingVehicles(lane) - prof[0]);
        if (moving <= 0) {
            return;
        }
        double zoneM = zoneLengthM(lane);
        double tailM = Math.min(Math.max(0, view.incomingJamM(lane)), zoneM);
        double speed = Math.max(1, model.incomingLaneSpeedMps(lane) * APPROACH_SPEED_SHARE);
        double advanceM = model.incomingAdvanceM(lane);
        double fromM = tailM;
        if (!Double.isNaN(advanceM) && advanceM > tailM && advanceM < zoneM && advanceWorks(view, lane)) {
            double[] ring = passageS[lane];
            for (int i = 0; i < PASSAGES && moving > 0; i++) {
                double at = ring[(passageNext[lane] - 1 - i + PASSAGES) % PASSAGES];
                if (Double.isNaN(at)) {
                    break;
                }
                double leftM = advanceM - speed * (nowS - at) - tailM;
                if (leftM <= 0) {
                    break;
                }
                prof[Math.min(HORIZON_S, (int) (leftM / speed) + 1)] += 1;
                moving--;
            }
            fromM = advanceM;
        }
        double spanM = zoneM - fromM;
        for (int v = 0; v < moving; v++) {
            double distM = fromM - tailM + (v + 0.5) * spanM / moving;
            int k = (int) (distM / speed);
            prof[Math.min(HORIZON_S, k + 1)] += 1;
        }
    }

    /** The upstream intersection's projected outflow into the lane, for vehicles not yet in the zone. */
    private void upstreamArrivals(int lane, double nowS, double[] prof) {
        if (neighbourhood == null) {
            return;
        }
        int up = neighbourhood.upstream(index, lane);
        if (up < 0) {
            return;
        }
        double publishedS = neighbourhood.readOutflow(up, neighbourhood.upstreamLane(index, lane), upstreamScratch);
        if (Double.isNaN(publishedS)) {
            return;
        }
        double speed = Math.max(1, model.incomingLaneSpeedMps(lane));
        double travelS = model.incomingLaneLengthM(lane) / speed;
        double toZoneS = Math.max(0, model.incomingLaneLengthM(lane) - ZONE_LENGTH_M) / speed;
        double ageS = nowS - publishedS;
        for (int k = 0; k < HORIZON_S; k++) {
            double rate = upstreamScratch[k];
            if (rate <= 0) {
                continue;
            }
            double releaseS = k + 0.5 - ageS;
            if (releaseS + toZoneS <= 0) {
                continue;
            }
            int bin = (int) (releaseS + travelS);
            if (bin >= 0 && bin < HORIZON_S) {
                prof[bin + 1] += rate;
            }
        }
    }

    private boolean outgoingFull(int outLane) {
        if (neighbourhood == null) {
            return false;
        }
        int down = neighbourhood.downstream(index, outLane);
        return down >= 0 && neighbourhood.readFull(down, neighbourhood.downstreamLane(index, outLane));
    }

    /**
     * Whether the incoming lane's queue reaches back to (within a vehicle of) where the lane begins, or fills the
     * part of it the zone sees: an upstream green into it would block the box. A queue over the advance loop
     * reaches at least the loop, and past it as far as the estimate says; the loop lies at the lane's start only on
     * short lanes, so on a longer one that alone leaves room. Where the import gave no loop position, a queue over
     * the loop counts as full.
     */
    private boolean laneFull(IntersectionView view, int lane) {
        double lengthM = Math.min(model.incomingLaneLengthM(lane), ZONE_LENGTH_M);
        double jamM = view.incomingJamM(lane);
        double queueM = jamM >= 0 ? jamM : 0;
        if (view.spilledBack(lane)) {
            double advanceM = model.incomingAdvanceM(lane);
            if (Double.isNaN(advanceM)) {
                return true;
            }
            queueM = Math.max(queueM, Math.max(advanceM, view.queueVeh(lane) * VEHICLE_SPACING_M));
        }
        return queueM + VEHICLE_SPACING_M >= 0.95 * lengthM;
    }

    /** Publishes the projected outflow of the schedule just found and this intersection's full lanes. */
    private void publish(IntersectionView view, double nowS) {
        if (neighbourhood == null) {
            return;
        }
        for (int lane = 0; lane < lanes; lane++) {
            fullLanes[lane] = laneFull(view, lane);
        }
        Arrays.fill(outflowVehPerS, 0);
        int outLanes = model.outgoingLaneCount();
        for (int i = 0; i < search.scheduleLength(); i++) {
            int p = search.schedulePhase(i);
            double startS = search.scheduleStartS(i);
            double spanS = Math.max(1, search.scheduleEndS(i) - startS);
            double rate = search.scheduleVeh(i) / spanS;
            double phaseTotal = 0;
            for (int l = 0; l < assignedPhase.length; l++) {
                if (assignedPhase[l] == p) {
                    phaseTotal += linkDemandShare[l] * laneDemandVeh[model.linkIncomingLane(l)];
                }
            }
            if (phaseTotal <= 0) {
                continue;
            }
            int from = Math.max(0, (int) startS);
            int to = Math.min(HORIZON_S, (int) Math.ceil(startS + spanS));
            for (int l = 0; l < assignedPhase.length; l++) {
                if (assignedPhase[l] != p) {
                    continue;
                }
                double share = linkDemandShare[l] * laneDemandVeh[model.linkIncomingLane(l)] / phaseTotal;
                int o = model.linkOutgoingLane(l);
                for (int k = from; k < to; k++) {
                    outflowVehPerS[o * HORIZON_S + k] += rate * share;
                }
            }
        }
        if (outLanes > 0) {
            neighbourhood.publish(index, nowS, outflowVehPerS, fullLanes);
        }
    }

    /** Merges the search's entries into green segments: consecutive entries of one phase become one. */
    private void segments(int proposal) {
        segmentCount = 0;
        int n = search.scheduleLength();
        if (n == 0 || search.schedulePhase(0) != proposal) {
            return;
        }
        for (int i = 0; i < n && segmentCount < segmentPhase.length; i++) {
            int p = search.schedulePhase(i);
            if (segmentCount > 0 && segmentPhase[segmentCount - 1] == p) {
                segmentEndS[segmentCount - 1] = search.scheduleEndS(i);
            } else {
                segmentPhase[segmentCount] = p;
                segmentEndS[segmentCount] = search.scheduleEndS(i);
                segmentCount++;
            }
        }
    }

    @Override
    public int plannedCount() {
        return segmentCount;
    }

    @Override
    public int plannedPhase(int i) {
        return segmentPhase[i];
    }

    @Override
    public double plannedEndS(int i) {
        return segmentEndS[i];
    }
}
