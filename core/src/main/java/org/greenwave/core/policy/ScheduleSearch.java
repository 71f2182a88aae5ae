package org.greenwave.core.policy;

/**
 * The schedule search of {@link RollingHorizonPolicy}, after SURTRAC (Xie, Smith and Barlow): the vehicles each phase
 * would serve over the horizon are grouped into clusters (a queue cluster standing at the stop line now, then groups
 * of arriving vehicles separated by gaps), and a forward dynamic programme orders all clusters so as to minimise the
 * total delay. A phase's clusters are served in arrival order; serving a cluster of another phase than the last one
 * costs a switch (amber, all-red and the start-up lost time) and at least that phase's minimum green. Phases without
 * clusters are never scheduled, which is how phases are skipped.
 *
 * <p>DP state: how many clusters of each phase are served (a mixed-radix number) and which phase served last; for
 * each state the least delay and, among equal delays, the earliest finish are kept. The cluster counts per phase are
 * capped so that the number of states stays within {@code stateBudget}; adjacent clusters with the smallest gap are
 * merged first.
 *
 * <p>Units: seconds from now, vehicles, vehicles per second. Threading: single writer (the intersection's control
 * thread). No allocation after construction.
 */
final class ScheduleSearch {
    /** Most clusters one phase may keep. */
    static final int MAX_CLUSTERS_PER_PHASE = 8;
    /** An arrival bin below this many vehicles counts as empty when forming clusters. */
    static final double EMPTY_BIN_VEH = 0.05;
    /** A cluster smaller than this is dropped. */
    static final double MIN_CLUSTER_VEH = 0.2;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double EPS = 1e-9;

    private final int phases;
    private final int bins;
    private final int stateBudget;
    private final double gapS;

    /** Per phase: bin 0 the queue standing now, bin k ≥ 1 the vehicles arriving during second k − 1 from now. */
    final double[][] profileVeh;
    /** Per phase: the rate at which it discharges its vehicles on green, vehicles per second. */
    final double[] serviceVehPerS;
    private final double[] minGreenS;
    /**
     * Per phase: the schedule may not switch to it first (see {@link RollingHorizonPolicy}'s turn rule); it may still
     * come later in the schedule, and the current phase may go on. Set by the caller before {@link #solve}.
     */
    final boolean[] blockedFirst;

    private final int[] clusterCount;
    private final double[][] clusterStartS;
    private final double[][] clusterEndS;
    private final double[][] clusterVeh;
    private final int[] radix;
    private final int[] digits;
    private final double[] cost;
    private final double[] finish;
    private final byte[] previousLast;

    private final int[] seqPhase;
    private final double[] seqStartS;
    private final double[] seqEndS;
    private final double[] seqVeh;
    private int seqLength;
    private double totalDelayVehS;

    /**
     * @param phases      number of green phases
     * @param bins        profile length: 1 (queue) + horizon seconds
     * @param stateBudget most DP states (product over phases of clusters + 1)
     * @param gapS        an empty stretch of at least this many seconds separates two clusters
     * @param minGreenS   minimum green per phase, seconds
     */
    ScheduleSearch(int phases, int bins, int stateBudget, double gapS, double[] minGreenS) {
        if (phases < 1 || phases > Byte.MAX_VALUE - 1) {
            throw new IllegalArgumentException("schedule search needs 1.." + (Byte.MAX_VALUE - 1) + " phases, got "
                    + phases);
        }
        this.phases = phases;
        this.bins = bins;
        // Every demanding phase keeps at least one cluster, so 2^phases states must fit.
        this.stateBudget = Math.max(stateBudget, 1 << Math.min(phases, 16));
        this.gapS = gapS;
        this.minGreenS = minGreenS.clone();
        this.profileVeh = new double[phases][bins];
        this.serviceVehPerS = new double[phases];
        this.blockedFirst = new boolean[phases];
        this.clusterCount = new int[phases];
        this.clusterStartS = new double[phases][bins + 1];
        this.clusterEndS = new double[phases][bins + 1];
        this.clusterVeh = new double[phases][bins + 1];
        this.radix = new int[phases];
        this.digits = new int[phases];
        this.cost = new double[this.stateBudget * (phases + 1)];
        this.finish = new double[this.stateBudget * (phases + 1)];
        this.previousLast = new byte[this.stateBudget * (phases + 1)];
        int maxSeq = phases * MAX_CLUSTERS_PER_PHASE;
        this.seqPhase = new int[maxSeq];
        this.seqStartS = new double[maxSeq];
        this.seqEndS = new double[maxSeq];
        this.seqVeh = new double[maxSeq];
    }

    /** Clears the profiles; the caller then adds to {@link #profileVeh} and sets {@link #serviceVehPerS}. */
    void clear() {
        for (int p = 0; p < phases; p++) {
            double[] prof = profileVeh[p];
            for (int k = 0; k < bins; k++) {
                prof[k] = 0;
            }
            serviceVehPerS[p] = 0;
        }
    }

    /**
     * Forms the clusters and searches the schedule.
     *
     * @param current       the green phase shown now
     * @param currentOpen   whether the current phase may go on without a switch (false at its maximum green: then
     *                      it is not scheduled first)
     * @param minGreenLeftS how long from now the current phase must still be held before a switch may start (its
     *                      minimum green and the clearance of its crossings, during which its vehicles keep moving):
     *                      however many of its clusters are served first, it is not left before then
     * @param switchS       lost time of a change of phase: amber, all-red and start-up lost time
     * @return the phase of the first cluster in the best schedule, or -1 when no phase has a cluster
     */
    int solve(int current, boolean currentOpen, double minGreenLeftS, double switchS) {
        return solve(current, currentOpen, minGreenLeftS, switchS, -1);
    }

    /**
     * As {@link #solve(int, boolean, double, double)}, but the schedule must start with a cluster of
     * {@code firstPhase} (any when negative): the best alternative beginning with that phase, for explaining a
     * decision. Returns -1 when that phase has no cluster to start with.
     */
    int solve(int current, boolean currentOpen, double minGreenLeftS, double switchS, int firstPhase) {
        formClusters();
        seqLength = 0;
        totalDelayVehS = 0;
        int states = 1;
        for (int p = 0; p < phases; p++) {
            radix[p] = states;
            states *= clusterCount[p] + 1;
        }
        if (states == 1) {
            return -1;
        }
        int width = phases + 1;
        int none = phases;
        for (int i = 0; i < states * width; i++) {
            cost[i] = INF;
        }
        int startLast = currentOpen ? current : none;
        cost[startLast] = 0;
        finish[startLast] = 0;
        previousLast[startLast] = (byte) startLast;
        for (int p = 0; p < phases; p++) {
            digits[p] = 0;
        }
        for (int s = 0; s < states; s++) {
            if (s > 0) {
                for (int p = 0; p < phases; p++) {
                    if (++digits[p] <= clusterCount[p]) {
                        break;
                    }
                    digits[p] = 0;
                }
            }
            // Until another phase is served, leaving the current one waits for its minimum green and clearance.
            boolean onlyCurrent = true;
            for (int p = 0; p < phases; p++) {
                if (p != current && digits[p] != 0) {
                    onlyCurrent = false;
                    break;
                }
            }
            int base = s * width;
            for (int j = 0; j <= phases; j++) {
                double c = cost[base + j];
                if (c == INF) {
                    continue;
                }
                double f = finish[base + j];
                for (int i = 0; i < phases; i++) {
                    int d = digits[i];
                    if (d == clusterCount[i] || (s == 0 && !currentOpen && i == current)
                            || (s == 0 && firstPhase >= 0 && i != firstPhase)
                            || (onlyCurrent && i != current && blockedFirst[i])) {
                        continue;
                    }
                    double startS;
                    double floorS;
                    if (i == j) {
                        startS = f;
                        floorS = 0;
                    } else {
                        double leave = (onlyCurrent && j == current) ? Math.max(f, minGreenLeftS) : f;
                        startS = leave + switchS;
                        floorS = startS + minGreenS[i];
                    }
                    double a0 = clusterStartS[i][d];
                    double a1 = clusterEndS[i][d];
                    double veh = clusterVeh[i][d];
                    double st = Math.max(startS, a0);
                    double end = Math.max(Math.max(st + veh / serviceVehPerS[i], a1), floorS);
                    double nc = c + delay(a0, a1, veh, st);
                    int to = (s + radix[i]) * width + i;
                    double old = cost[to];
                    if (nc < old - EPS || (nc < old + EPS && end < finish[to])) {
                        cost[to] = nc;
                        finish[to] = end;
                        previousLast[to] = (byte) j;
                    }
                }
            }
        }
        int last = states - 1;
        int bestJ = -1;
        for (int j = 0; j < phases; j++) {
            int at = last * width + j;
            if (cost[at] < INF && (bestJ < 0 || cost[at] < cost[last * width + bestJ] - EPS
                    || (cost[at] < cost[last * width + bestJ] + EPS && finish[at] < finish[last * width + bestJ]))) {
                bestJ = j;
            }
        }
        if (bestJ < 0) {
            // Only the current phase has vehicles and it may not go on (maximum green): nothing to schedule first.
            return -1;
        }
        totalDelayVehS = cost[last * width + bestJ];
        return backtrack(last, bestJ);
    }

    /**
     * Waiting time of a cluster whose vehicles arrive evenly over [a0, a1] (all at a0 when a1 = a0) and whose service
     * starts at {@code st}, vehicle-seconds.
     */
    static double delay(double a0, double a1, double veh, double st) {
        if (st <= a0) {
            return 0;
        }
        if (a1 - a0 < EPS || st >= a1) {
            return veh * (st - 0.5 * (a0 + a1));
        }
        double w = st - a0;
        return veh * w * w / (2 * (a1 - a0));
    }

    /** Walks the best path back to the start, writing the schedule in time order; returns its first phase. */
    private int backtrack(int lastState, int lastPhase) {
        int width = phases + 1;
        int n = 0;
        int s = lastState;
        int j = lastPhase;
        while (s != 0) {
            n++;
            int prev = previousLast[s * width + j];
            s -= radix[j];
            j = prev;
        }
        seqLength = n;
        s = lastState;
        j = lastPhase;
        int k = n - 1;
        while (s != 0) {
            int prev = previousLast[s * width + j];
            int prevState = s - radix[j];
            int cluster = (prevState / radix[j]) % (clusterCount[j] + 1);
            seqPhase[k] = j;
            seqEndS[k] = finish[s * width + j];
            seqVeh[k] = clusterVeh[j][cluster];
            k--;
            s = prevState;
            j = prev;
        }
        // Service of entry k starts when the previous entry ended plus any switch; recomputed as the end minus the
        // service time, which is what the DP used (idle waiting for arrivals is not service).
        for (int i = 0; i < n; i++) {
            int p = seqPhase[i];
            seqStartS[i] = Math.max(i == 0 ? 0 : seqEndS[i - 1], seqEndS[i] - seqVeh[i] / serviceVehPerS[p]);
        }
        return n == 0 ? -1 : seqPhase[0];
    }

    private void formClusters() {
        int budgetLeft = stateBudget;
        int demanding = 0;
        for (int p = 0; p < phases; p++) {
            rawClusters(p);
            if (clusterCount[p] > 0) {
                demanding++;
            }
        }
        if (demanding == 0) {
            return;
        }
        // Give every demanding phase one cluster, then add clusters round-robin while the state count allows.
        int[] keep = digits;
        long states = 1;
        for (int p = 0; p < phases; p++) {
            keep[p] = clusterCount[p] > 0 ? 1 : 0;
            states *= keep[p] + 1;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int p = 0; p < phases; p++) {
                if (keep[p] < clusterCount[p] && keep[p] < MAX_CLUSTERS_PER_PHASE) {
                    long next = states / (keep[p] + 1) * (keep[p] + 2);
                    if (next <= budgetLeft) {
                        states = next;
                        keep[p]++;
                        grew = true;
                    }
                }
            }
        }
        for (int p = 0; p < phases; p++) {
            while (clusterCount[p] > keep[p]) {
                mergeClosest(p);
            }
        }
    }

    /** Splits the profile of phase {@code p} into clusters: the queue, then arrivals separated by gaps. */
    private void rawClusters(int p) {
        double[] prof = profileVeh[p];
        int n = 0;
        if (serviceVehPerS[p] <= 0) {
            clusterCount[p] = 0;
            return;
        }
        if (prof[0] >= MIN_CLUSTER_VEH) {
            clusterStartS[p][0] = 0;
            clusterEndS[p][0] = 0;
            clusterVeh[p][0] = prof[0];
            n = 1;
        }
        int k = 1;
        while (k < bins) {
            if (prof[k] < EMPTY_BIN_VEH) {
                k++;
                continue;
            }
            int first = k;
            int lastFull = k;
            double veh = 0;
            while (k < bins && k - lastFull <= gapS) {
                if (prof[k] >= EMPTY_BIN_VEH) {
                    lastFull = k;
                }
                veh += prof[k];
                k++;
            }
            if (veh >= MIN_CLUSTER_VEH) {
                clusterStartS[p][n] = first - 1;
                clusterEndS[p][n] = lastFull;
                clusterVeh[p][n] = veh;
                n++;
            }
        }
        clusterCount[p] = n;
    }

    /** Merges the two adjacent clusters of phase {@code p} with the smallest gap between them. */
    private void mergeClosest(int p) {
        int n = clusterCount[p];
        double[] a0 = clusterStartS[p];
        double[] a1 = clusterEndS[p];
        double[] v = clusterVeh[p];
        int best = 0;
        double bestGap = INF;
        for (int i = 0; i + 1 < n; i++) {
            double gap = a0[i + 1] - a1[i];
            if (gap < bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        a1[best] = Math.max(a1[best], a1[best + 1]);
        v[best] += v[best + 1];
        for (int i = best + 1; i + 1 < n; i++) {
            a0[i] = a0[i + 1];
            a1[i] = a1[i + 1];
            v[i] = v[i + 1];
        }
        clusterCount[p] = n - 1;
    }

    /** Entries of the last schedule found (one per cluster, in time order). */
    int scheduleLength() {
        return seqLength;
    }

    int schedulePhase(int i) {
        return seqPhase[i];
    }

    /** When service of entry {@code i} starts, seconds from now. */
    double scheduleStartS(int i) {
        return seqStartS[i];
    }

    /** When entry {@code i} ends, seconds from now (at least the phase's minimum green after a switch). */
    double scheduleEndS(int i) {
        return seqEndS[i];
    }

    double scheduleVeh(int i) {
        return seqVeh[i];
    }

    /** Total waiting of the last schedule found, vehicle-seconds. */
    double totalDelayVehS() {
        return totalDelayVehS;
    }

    /** Clusters phase {@code p} had in the last search. */
    int clusterCount(int p) {
        return clusterCount[p];
    }

    /** When cluster {@code c} of phase {@code p} begins to arrive, seconds from now (0: the standing queue). */
    double clusterStartS(int p, int c) {
        return clusterStartS[p][c];
    }

    /** When cluster {@code c} of phase {@code p} has arrived, seconds from now. */
    double clusterEndS(int p, int c) {
        return clusterEndS[p][c];
    }

    double clusterVeh(int p, int c) {
        return clusterVeh[p][c];
    }

    /** Minimum green of phase {@code p} the search plans with, seconds. */
    double minGreenS(int p) {
        return minGreenS[p];
    }
}
