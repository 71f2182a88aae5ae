package org.greenwave.core.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Why a {@link RollingHorizonPolicy} proposed what it did at its last tick: what it saw per phase (standing queue,
 * vehicles arriving over the horizon, the clusters its search formed), the schedule it chose and that schedule's
 * delay, and the search's inputs, so that the best schedule beginning with each other phase can be costed on request
 * ({@link #alternativeDelayVehS}) without costing the control tick anything.
 *
 * <p>The policy owns one, preallocated, and fills it at the end of every {@code propose} (copies of a few arrays, no
 * allocation). Other threads copy it out with {@link #copyTo}, which is consistent (a seqlock: the writer never waits
 * for readers) into a buffer of their own made by {@link #newBuffer}; only such copies may be read.
 *
 * <p>Threading: the policy's control thread writes; {@link #copyTo} from any thread; a copy is owned by its reader.
 */
public final class DecisionExplanation {
    /** The search's schedule decided the proposal. */
    public static final int SEARCH = 0;
    /** The phase shown had not had its minimum green yet: it was kept. */
    public static final int MIN_GREEN = 1;
    /** A movement had waited past the starvation bound: the phase serving it was proposed. */
    public static final int STARVATION = 2;
    /** A change of phase was under way: its target was proposed. */
    public static final int TRANSITION = 3;
    /** No phase had vehicles to serve: the phase shown was kept. */
    public static final int NO_DEMAND = 4;

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(DecisionExplanation.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int phases;
    private final int bins;
    private final int maxSchedule;
    private final int maxClusters;
    /** Seqlock version, odd while the policy writes. */
    private long version;

    double nowS = Double.NaN;
    int reason;
    int proposal = -1;
    int current;
    boolean green;
    int starvedLink = -1;
    double starvedWaitS;
    final double[] queueVeh;
    final double[] arrivingVeh;
    final double[] serviceVehPerS;
    /** Per phase: held back by the turn rule (it could not begin a green at this decision). */
    final boolean[] heldBack;
    int turnLink = -1;
    double turnQueueVeh;
    int meteredLink = -1;
    double meteredVeh;
    final int[] clusterCount;
    final double[] clusterStartS;
    final double[] clusterEndS;
    final double[] clusterVeh;
    int scheduleLength;
    final int[] schedulePhase;
    final double[] scheduleStartS;
    final double[] scheduleEndS;
    final double[] scheduleVeh;
    double delayVehS;
    // The search's inputs.
    final double[][] profileVeh;
    final double[] minGreenS;
    int planFrom;
    boolean open;
    double minGreenLeftS;
    double switchS;

    DecisionExplanation(int phases, int bins) {
        this.phases = phases;
        this.bins = bins;
        this.maxClusters = ScheduleSearch.MAX_CLUSTERS_PER_PHASE;
        this.maxSchedule = phases * maxClusters;
        this.queueVeh = new double[phases];
        this.arrivingVeh = new double[phases];
        this.serviceVehPerS = new double[phases];
        this.heldBack = new boolean[phases];
        this.clusterCount = new int[phases];
        this.clusterStartS = new double[phases * maxClusters];
        this.clusterEndS = new double[phases * maxClusters];
        this.clusterVeh = new double[phases * maxClusters];
        this.schedulePhase = new int[maxSchedule];
        this.scheduleStartS = new double[maxSchedule];
        this.scheduleEndS = new double[maxSchedule];
        this.scheduleVeh = new double[maxSchedule];
        this.profileVeh = new double[phases][bins];
        this.minGreenS = new double[phases];
    }

    /** An empty buffer of the same size, for {@link #copyTo}. */
    public DecisionExplanation newBuffer() {
        return new DecisionExplanation(phases, bins);
    }

    // Writer side (the policy's control thread).

    void beginWrite() {
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
    }

    void endWrite() {
        VERSION.setRelease(this, (long) VERSION.getOpaque(this) + 1);
    }

    /** Copies the search's inputs, clusters and schedule; between {@link #beginWrite} and {@link #endWrite}. */
    void captureSearch(ScheduleSearch s, int planFrom, boolean open, double minGreenLeftS, double switchS) {
        this.planFrom = planFrom;
        this.open = open;
        this.minGreenLeftS = minGreenLeftS;
        this.switchS = switchS;
        for (int p = 0; p < phases; p++) {
            double[] prof = s.profileVeh[p];
            System.arraycopy(prof, 0, profileVeh[p], 0, bins);
            queueVeh[p] = prof[0];
            double arriving = 0;
            for (int k = 1; k < bins; k++) {
                arriving += prof[k];
            }
            arrivingVeh[p] = arriving;
            serviceVehPerS[p] = s.serviceVehPerS[p];
            heldBack[p] = s.blockedFirst[p];
            minGreenS[p] = s.minGreenS(p);
            int n = Math.min(s.clusterCount(p), maxClusters);
            clusterCount[p] = n;
            for (int c = 0; c < n; c++) {
                clusterStartS[p * maxClusters + c] = s.clusterStartS(p, c);
                clusterEndS[p * maxClusters + c] = s.clusterEndS(p, c);
                clusterVeh[p * maxClusters + c] = s.clusterVeh(p, c);
            }
        }
        int n = Math.min(s.scheduleLength(), maxSchedule);
        scheduleLength = n;
        for (int i = 0; i < n; i++) {
            schedulePhase[i] = s.schedulePhase(i);
            scheduleStartS[i] = s.scheduleStartS(i);
            scheduleEndS[i] = s.scheduleEndS(i);
            scheduleVeh[i] = s.scheduleVeh(i);
        }
        delayVehS = s.totalDelayVehS();
    }

    // Reader side.

    /**
     * Copies this explanation into {@code out} (made by {@link #newBuffer}), consistently; any thread, no allocation.
     */
    public void copyTo(DecisionExplanation out) {
        if (out.phases != phases || out.bins != bins) {
            throw new IllegalArgumentException("explanation buffer made for another signal");
        }
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1) == 0) {
                out.copyFields(this);
                VarHandle.acquireFence();
                if ((long) VERSION.getVolatile(this) == before) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    private void copyFields(DecisionExplanation s) {
        nowS = s.nowS;
        reason = s.reason;
        proposal = s.proposal;
        current = s.current;
        green = s.green;
        starvedLink = s.starvedLink;
        starvedWaitS = s.starvedWaitS;
        System.arraycopy(s.queueVeh, 0, queueVeh, 0, phases);
        System.arraycopy(s.arrivingVeh, 0, arrivingVeh, 0, phases);
        System.arraycopy(s.serviceVehPerS, 0, serviceVehPerS, 0, phases);
        System.arraycopy(s.heldBack, 0, heldBack, 0, phases);
        turnLink = s.turnLink;
        turnQueueVeh = s.turnQueueVeh;
        meteredLink = s.meteredLink;
        meteredVeh = s.meteredVeh;
        System.arraycopy(s.clusterCount, 0, clusterCount, 0, phases);
        System.arraycopy(s.clusterStartS, 0, clusterStartS, 0, clusterStartS.length);
        System.arraycopy(s.clusterEndS, 0, clusterEndS, 0, clusterEndS.length);
        System.arraycopy(s.clusterVeh, 0, clusterVeh, 0, clusterVeh.length);
        scheduleLength = s.scheduleLength;
        System.arraycopy(s.schedulePhase, 0, schedulePhase, 0, maxSchedule);
        System.arraycopy(s.scheduleStartS, 0, scheduleStartS, 0, maxSchedule);
        System.arraycopy(s.scheduleEndS, 0, scheduleEndS, 0, maxSchedule);
        System.arraycopy(s.scheduleVeh, 0, scheduleVeh, 0, maxSchedule);
        delayVehS = s.delayVehS;
        for (int p = 0; p < phases; p++) {
            System.arraycopy(s.profileVeh[p], 0, profileVeh[p], 0, bins);
        }
        System.arraycopy(s.minGreenS, 0, minGreenS, 0, phases);
        planFrom = s.planFrom;
        open = s.open;
        minGreenLeftS = s.minGreenLeftS;
        switchS = s.switchS;
    }

    /**
     * The least delay of a schedule that begins with a cluster of {@code phase}, vehicle-seconds, searched again on
     * this copy's inputs; NaN when the phase had no cluster to begin with, or before the first decision. Allocates a
     * search: call it on a copy, never on the policy's own buffer.
     */
    public double alternativeDelayVehS(int phase) {
        if (Double.isNaN(nowS) || clusterCount[phase] == 0) {
            return Double.NaN;
        }
        ScheduleSearch s = new ScheduleSearch(phases, bins, RollingHorizonPolicy.STATE_BUDGET,
                RollingHorizonPolicy.CLUSTER_GAP_S, minGreenS);
        s.clear();
        for (int p = 0; p < phases; p++) {
            System.arraycopy(profileVeh[p], 0, s.profileVeh[p], 0, bins);
            s.serviceVehPerS[p] = serviceVehPerS[p];
        }
        int first = s.solve(planFrom, open, minGreenLeftS, switchS, phase);
        return first == phase ? s.totalDelayVehS() : Double.NaN;
    }

    public int phaseCount() {
        return phases;
    }

    /** Engine time of the decision, seconds; NaN before the first. */
    public double nowS() {
        return nowS;
    }

    /** {@link #SEARCH}, {@link #MIN_GREEN}, {@link #STARVATION}, {@link #TRANSITION} or {@link #NO_DEMAND}. */
    public int reason() {
        return reason;
    }

    /** A name for {@link #reason()}: {@code search}, {@code min-green}, {@code starvation}, ... */
    public String reasonName() {
        switch (reason) {
            case MIN_GREEN:
                return "min-green";
            case STARVATION:
                return "starvation";
            case TRANSITION:
                return "transition";
            case NO_DEMAND:
                return "no-demand";
            default:
                return "search";
        }
    }

    /** The phase the policy proposed. */
    public int proposal() {
        return proposal;
    }

    /** The green phase shown (or being left) when it decided. */
    public int currentPhase() {
        return current;
    }

    /** Whether the signal was in a green interval (not changing phase) when it decided. */
    public boolean green() {
        return green;
    }

    /** For {@link #STARVATION}: the link that had waited longest; -1 otherwise. */
    public int starvedLink() {
        return starvedLink;
    }

    /** For {@link #STARVATION}: how long it had waited, seconds. */
    public double starvedWaitS() {
        return starvedWaitS;
    }

    /** Vehicles standing in the phase's lanes, as the search saw them. */
    public double queueVeh(int phase) {
        return queueVeh[phase];
    }

    /** Vehicles the search expected to arrive in the phase's lanes over its horizon. */
    public double arrivingVeh(int phase) {
        return arrivingVeh[phase];
    }

    /** The rate the search planned the phase to discharge at, vehicles per second; 0 when it serves no vehicle. */
    public double serviceVehPerS(int phase) {
        return serviceVehPerS[phase];
    }

    /**
     * Whether the turn rule held the phase back: it had begun a green while a movement with vehicles waited, and that
     * movement's lane held at least as many standing vehicles as the phase's, so it could not begin another first.
     * The {@link #alternativeDelayVehS alternatives} are costed without the rule.
     */
    public boolean heldBack(int phase) {
        return heldBack[phase];
    }

    /** The waiting link with the most standing vehicles that held a phase back under the turn rule; -1 if none. */
    public int turnLink() {
        return turnLink;
    }

    /** The standing vehicles on the lane of {@link #turnLink()}. */
    public double turnQueueVeh() {
        return turnQueueVeh;
    }

    /**
     * The link, of those metered at the network's edge (vehicles from outside held back while the link they would
     * fill toward the next signal is half occupied), whose lane holds the most vehicles in view; -1 if none was.
     */
    public int meteredLink() {
        return meteredLink;
    }

    /** The vehicles in view on all metered links, each lane's split equally over its links; 0 if none. */
    public double meteredVeh() {
        return meteredVeh;
    }

    public int clusterCount(int phase) {
        return clusterCount[phase];
    }

    /** When cluster {@code c} of the phase begins to arrive, seconds from the decision (0: the standing queue). */
    public double clusterStartS(int phase, int c) {
        return clusterStartS[phase * maxClusters + c];
    }

    public double clusterEndS(int phase, int c) {
        return clusterEndS[phase * maxClusters + c];
    }

    public double clusterVeh(int phase, int c) {
        return clusterVeh[phase * maxClusters + c];
    }

    /** Entries of the chosen schedule, one per cluster, in time order. */
    public int scheduleLength() {
        return scheduleLength;
    }

    public int schedulePhase(int i) {
        return schedulePhase[i];
    }

    /** When service of entry {@code i} starts, seconds from the decision. */
    public double scheduleStartS(int i) {
        return scheduleStartS[i];
    }

    public double scheduleEndS(int i) {
        return scheduleEndS[i];
    }

    public double scheduleVeh(int i) {
        return scheduleVeh[i];
    }

    /** Total waiting of the chosen schedule, vehicle-seconds. */
    public double delayVehS() {
        return delayVehS;
    }
}
