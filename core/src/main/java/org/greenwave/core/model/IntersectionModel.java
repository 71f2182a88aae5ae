package org.greenwave.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.greenwave.core.time.Millis;

/**
 * The engine's picture of one signalised intersection (in MATSim's words, one signal system): its signalled links,
 * the lanes they join, which links conflict, the green phases the controller may choose from, and the clearance
 * intervals between them.
 *
 * <p>Built once at start-up from the network (see the harness's scenario import) and immutable afterwards, so every
 * thread may read it. External ids (SUMO lane ids, the signal's id) are kept only as labels; the engine addresses
 * links, lanes and phases by dense {@code int} index.
 *
 * <p>Invariants established by {@link Builder#build()}: every green phase has one state per link, uses only valid
 * state characters, shows at least one green and no amber, and never shows a protected green to two conflicting links;
 * {@code 0 < minGreenS <= maxGreenS}; every phase's pedestrian minimum ({@link #effectiveMinGreenS}) is at most its
 * maximum green; {@code yellowS > 0}; {@code allRedS >= 0}.
 *
 * <p>Durations are read in seconds. The ones the safety interlock and monitor time (minimum, maximum and program
 * greens, amber, all-red, pedestrian clearances) are also kept in the engine's integer milliseconds, converted once
 * here by {@link Millis#fromSeconds} (to the nearest millisecond); the interlock and the monitor use only those. The
 * second accessors remain for the policies' traffic models.
 */
public final class IntersectionModel {
    private final String id;
    private final int linkCount;
    private final ConflictMatrix conflicts;
    private final String[] incomingLaneIds;
    private final double[] incomingLaneLengthM;
    private final double[] incomingZoneLengthM;
    private final double[] incomingAdvanceM;
    private final double[] incomingLaneSpeedMps;
    private final double[] incomingLaneSaturationVehPerS;
    private final String[] outgoingLaneIds;
    private final double[] outgoingLaneLengthM;
    private final int[] linkIncomingLane;
    private final int[] linkOutgoingLane;
    private final char[][] greenPhases;
    private final int[] greenPhaseSourceIndex;
    private final double[] minGreenS;
    private final double[] maxGreenS;
    private final double[] programGreenS;
    private final double yellowS;
    private final double allRedS;
    private final String sourceProgramId;
    private final double[] linkPedestrianMinGreenS;
    private final double[] linkPedestrianClearanceS;
    /** {@code [from][to]}: see {@link #pedestrianClearanceS}. */
    private final double[][] pedestrianClearanceS;
    /** Per phase: the longest of {@link #pedestrianClearanceS} over the phases it may give way to. */
    private final double[] longestPedestrianClearanceS;
    private final boolean[] crossing;
    /** Per incoming lane: every link from it is a pedestrian crossing (the lane is a walking area). */
    private final boolean[] incomingLaneIsCrossing;
    /** Per incoming lane, its approach index; -1 for a walking area. */
    private final int[] incomingLaneApproach;
    private final String[] approachIds;
    private final double[] effectiveMinGreenS;
    /** The durations the interlock and the monitor time, in the engine's milliseconds ({@link Millis#fromSeconds}). */
    private final long[] minGreenMs;
    private final long[] maxGreenMs;
    private final long[] programGreenMs;
    private final long[] effectiveMinGreenMs;
    private final long yellowMs;
    private final long allRedMs;
    private final long[] linkMinGreenMs;
    private final long[] linkPedestrianClearanceMs;
    private final long[][] pedestrianClearanceMs;

    private IntersectionModel(Builder b) {
        this.id = b.id;
        this.sourceProgramId = b.sourceProgramId;
        this.linkCount = b.linkCount;
        this.conflicts = b.conflicts;
        this.incomingLaneIds = b.incomingLaneIds.toArray(new String[0]);
        this.incomingLaneLengthM = toArray(b.incomingLaneLengthM);
        this.incomingLaneSpeedMps = toArray(b.incomingLaneSpeedMps);
        this.incomingZoneLengthM = new double[incomingLaneIds.length];
        for (int lane = 0; lane < incomingLaneIds.length; lane++) {
            Double z = b.incomingZoneLengthM.get(incomingLaneIds[lane]);
            incomingZoneLengthM[lane] = z != null ? z : incomingLaneLengthM[lane];
        }
        this.incomingAdvanceM = new double[incomingLaneIds.length];
        for (int lane = 0; lane < incomingLaneIds.length; lane++) {
            Double a = b.incomingAdvanceM.get(incomingLaneIds[lane]);
            incomingAdvanceM[lane] = a != null ? a : Double.NaN;
        }
        this.incomingLaneSaturationVehPerS = new double[incomingLaneIds.length];
        for (int lane = 0; lane < incomingLaneIds.length; lane++) {
            Double s = b.laneSaturationVehPerS.get(incomingLaneIds[lane]);
            incomingLaneSaturationVehPerS[lane] = s != null ? s : saturationFlowVehPerS(incomingLaneSpeedMps[lane]);
        }
        this.outgoingLaneIds = b.outgoingLaneIds.toArray(new String[0]);
        this.outgoingLaneLengthM = new double[outgoingLaneIds.length];
        for (int o = 0; o < outgoingLaneIds.length; o++) {
            Double len = b.outgoingLaneLengthM.get(outgoingLaneIds[o]);
            outgoingLaneLengthM[o] = len == null ? Double.NaN : len;
        }
        this.linkIncomingLane = b.linkIncomingLane.clone();
        this.linkOutgoingLane = b.linkOutgoingLane.clone();
        int n = b.greenPhases.size();
        this.greenPhases = new char[n][];
        this.greenPhaseSourceIndex = new int[n];
        this.minGreenS = new double[n];
        this.maxGreenS = new double[n];
        this.programGreenS = new double[n];
        for (int p = 0; p < n; p++) {
            programGreenS[p] = b.programGreenS.get(p);
            greenPhases[p] = b.greenPhases.get(p).clone();
            greenPhaseSourceIndex[p] = b.greenPhaseSource.get(p);
            minGreenS[p] = b.minGreenS.get(p);
            maxGreenS[p] = b.maxGreenS.get(p);
        }
        this.yellowS = b.yellowS;
        this.allRedS = b.allRedS;
        this.linkPedestrianMinGreenS = b.pedestrianMinGreenS.clone();
        this.linkPedestrianClearanceS = b.pedestrianClearanceS.clone();
        this.crossing = b.crossing.clone();
        this.incomingLaneIsCrossing = new boolean[incomingLaneIds.length];
        java.util.Arrays.fill(incomingLaneIsCrossing, true);
        for (int l = 0; l < linkCount; l++) {
            if (linkIncomingLane[l] >= 0 && !crossing[l]) {
                incomingLaneIsCrossing[linkIncomingLane[l]] = false;
            }
        }
        this.incomingLaneApproach = new int[incomingLaneIds.length];
        List<String> approaches = new ArrayList<>();
        for (int lane = 0; lane < incomingLaneIds.length; lane++) {
            if (incomingLaneIsCrossing[lane]) {
                incomingLaneApproach[lane] = -1;
                continue;
            }
            String edge = approachOf(incomingLaneIds[lane]);
            int a = approaches.indexOf(edge);
            if (a < 0) {
                a = approaches.size();
                approaches.add(edge);
            }
            incomingLaneApproach[lane] = a;
        }
        this.approachIds = approaches.toArray(new String[0]);
        this.pedestrianClearanceS = new double[n][n];
        this.longestPedestrianClearanceS = new double[n];
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                for (int l = 0; l < linkCount; l++) {
                    if (linkPedestrianClearanceS[l] > 0 && SignalChar.isGreen(greenPhases[from][l])
                            && !SignalChar.isGreen(greenPhases[to][l])) {
                        pedestrianClearanceS[from][to] = Math.max(pedestrianClearanceS[from][to],
                                linkPedestrianClearanceS[l] - yellowS - allRedS);
                    }
                }
                longestPedestrianClearanceS[from] = Math.max(longestPedestrianClearanceS[from],
                        pedestrianClearanceS[from][to]);
            }
        }
        this.effectiveMinGreenS = new double[n];
        for (int p = 0; p < n; p++) {
            double min = minGreenS[p];
            for (int l = 0; l < linkCount; l++) {
                if (SignalChar.isGreen(greenPhases[p][l])) {
                    min = Math.max(min, linkPedestrianMinGreenS[l]);
                }
            }
            effectiveMinGreenS[p] = min;
        }
        this.minGreenMs = Millis.fromSeconds(minGreenS);
        this.maxGreenMs = Millis.fromSeconds(maxGreenS);
        this.programGreenMs = Millis.fromSeconds(programGreenS);
        this.effectiveMinGreenMs = Millis.fromSeconds(effectiveMinGreenS);
        this.yellowMs = Millis.fromSeconds(yellowS);
        this.allRedMs = Millis.fromSeconds(allRedS);
        this.linkPedestrianClearanceMs = Millis.fromSeconds(linkPedestrianClearanceS);
        this.linkMinGreenMs = new long[linkCount];
        for (int l = 0; l < linkCount; l++) {
            linkMinGreenMs[l] = Millis.fromSeconds(linkMinGreenS(l));
        }
        this.pedestrianClearanceMs = new long[n][];
        for (int from = 0; from < n; from++) {
            pedestrianClearanceMs[from] = Millis.fromSeconds(pedestrianClearanceS[from]);
        }
    }

    private static double[] toArray(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /** The signal's external id (label only). */
    public String id() {
        return id;
    }

    /** Number of signalled links; state strings have this length. */
    public int linkCount() {
        return linkCount;
    }

    public ConflictMatrix conflicts() {
        return conflicts;
    }

    /** Number of distinct incoming lanes with at least one signalled link. */
    public int incomingLaneCount() {
        return incomingLaneIds.length;
    }

    public String incomingLaneId(int lane) {
        return incomingLaneIds[lane];
    }

    public double incomingLaneLengthM(int lane) {
        return incomingLaneLengthM[lane];
    }

    /**
     * The road space the incoming lane's detection zone covers before the stop line, metres: the lane and, where the
     * zone continues over the lanes before it, those too (at most the zone's length). The lane's own length where
     * the import gave none.
     */
    public double incomingZoneLengthM(int lane) {
        return incomingZoneLengthM[lane];
    }

    /**
     * How far before the stop line the incoming lane's advance loop lies, metres; NaN where the import gave none (the
     * loop's counts are then used as counts only, not to place vehicles).
     */
    public double incomingAdvanceM(int lane) {
        return incomingAdvanceM[lane];
    }

    public double incomingLaneSpeedMps(int lane) {
        return incomingLaneSpeedMps[lane];
    }

    /**
     * The lane's saturation flow: how many vehicles a standing queue on it sends over the stop line per second of
     * green once it has started, set once at import from the speeds its vehicles cross the junction at (see {@link
     * #saturationFlowVehPerS}). The one value the estimator, the forecaster, {@code webster} and the watchdog use for
     * the lane; the adaptive search plans at its own rate.
     */
    public double incomingLaneSaturationVehPerS(int lane) {
        return incomingLaneSaturationVehPerS[lane];
    }

    /**
     * Saturation flow of a queue whose vehicles cross the junction at {@code crossingSpeedMps} (the lower of the lane's
     * and the junction link's speed limit): one vehicle per {@link #SATURATION_HEADWAY_S} plus {@link
     * #SATURATION_HEADWAY_M} over that speed. Measured on SUMO's default cars (Krauss, reaction 1 s, 5 m long, 2.5 m
     * gap) discharging from full queues, 5 to 25 s into the green, in the shared scenarios: 0.46 veh/s (2.2 s) through
     * at 50 km/h, 0.41 veh/s (2.4 s) on a 6 m/s turn.
     */
    public static double saturationFlowVehPerS(double crossingSpeedMps) {
        return 1 / saturationHeadwayS(crossingSpeedMps);
    }

    /** Time between vehicles of a discharging queue crossing at {@code crossingSpeedMps}, seconds. */
    public static double saturationHeadwayS(double crossingSpeedMps) {
        return SATURATION_HEADWAY_S + SATURATION_HEADWAY_M / Math.max(1, crossingSpeedMps);
    }

    /** The part of a saturation headway that does not depend on the crossing speed, seconds. */
    public static final double SATURATION_HEADWAY_S = 1.97;
    /** The part of a saturation headway that is covered at the crossing speed, metres. */
    public static final double SATURATION_HEADWAY_M = 2.73;

    /** Number of distinct outgoing lanes reached by at least one signalled link. */
    public int outgoingLaneCount() {
        return outgoingLaneIds.length;
    }

    public String outgoingLaneId(int lane) {
        return outgoingLaneIds[lane];
    }

    /**
     * Road space on the outgoing lane that its detection zone covers (its first stretch after the junction, up to the
     * next junction that splits or merges), metres; NaN where the network did not say.
     */
    public double outgoingLaneLengthM(int lane) {
        return outgoingLaneLengthM[lane];
    }

    /**
     * Whether a connection uses {@code link}. SUMO lets a program's state string carry indices that no connection
     * uses; such a link has no lanes, conflicts with nothing, and only keeps its place in the state string.
     */
    public boolean linkUsed(int link) {
        return linkIncomingLane[link] >= 0;
    }

    /** Index of the incoming lane that {@code link} leaves from; -1 for an unused link ({@link #linkUsed}). */
    public int linkIncomingLane(int link) {
        return linkIncomingLane[link];
    }

    /** Index of the outgoing lane that {@code link} leads to; -1 for an unused link ({@link #linkUsed}). */
    public int linkOutgoingLane(int link) {
        return linkOutgoingLane[link];
    }

    /** Number of green phases the controller may choose from. */
    public int greenPhaseCount() {
        return greenPhases.length;
    }

    /** State of {@code link} in green phase {@code phase}. */
    public char greenState(int phase, int link) {
        return greenPhases[phase][link];
    }

    /** A copy of the full state string of a green phase. */
    public String greenPhaseString(int phase) {
        return new String(greenPhases[phase]);
    }

    /** Index of this green phase in the signal's own program (for reports). */
    public int greenPhaseSourceIndex(int phase) {
        return greenPhaseSourceIndex[phase];
    }

    /** How long the signal's own program holds this green phase. */
    public double programGreenS(int phase) {
        return programGreenS[phase];
    }

    /** {@link #programGreenS} in milliseconds. */
    public long programGreenMs(int phase) {
        return programGreenMs[phase];
    }

    /** Id of the signal's own program that the green phases come from. */
    public String sourceProgramId() {
        return sourceProgramId;
    }

    public double minGreenS(int phase) {
        return minGreenS[phase];
    }

    public double maxGreenS(int phase) {
        return maxGreenS[phase];
    }

    /** {@link #minGreenS} in milliseconds. */
    public long minGreenMs(int phase) {
        return minGreenMs[phase];
    }

    /** {@link #maxGreenS} in milliseconds: the bound the interlock enforces. */
    public long maxGreenMs(int phase) {
        return maxGreenMs[phase];
    }

    /**
     * The shortest green phase {@code phase} may show, seconds: its minimum green, raised to the pedestrian minimum
     * (walk plus clearance) of every crossing green in it. This is the bound the interlock enforces.
     */
    public double effectiveMinGreenS(int phase) {
        return effectiveMinGreenS[phase];
    }

    /** {@link #effectiveMinGreenS} in milliseconds: the bound the interlock enforces. */
    public long effectiveMinGreenMs(int phase) {
        return effectiveMinGreenMs[phase];
    }

    /** Whether {@code link} is a pedestrian crossing (SUMO shows walkers no amber: green goes straight to red). */
    public boolean linkIsCrossing(int link) {
        return crossing[link];
    }

    /**
     * Whether incoming lane {@code lane} carries walkers, not vehicles: every link from it is a pedestrian crossing
     * (SUMO's walking areas). Walkers are not detected, so such a lane has no queue the engine can know.
     */
    public boolean incomingLaneIsCrossing(int lane) {
        return incomingLaneIsCrossing[lane];
    }

    /**
     * The approach of a lane id: the road (SUMO edge) it belongs to, the id up to its last {@code _} (SUMO names lane
     * {@code i} of edge {@code e} as {@code e_i}); an id without one is its own approach.
     */
    public static String approachOf(String laneId) {
        int cut = laneId.lastIndexOf('_');
        return cut > 0 ? laneId.substring(0, cut) : laneId;
    }

    /** Number of approaches: the distinct roads the vehicle lanes among the incoming lanes belong to. */
    public int approachCount() {
        return approachIds.length;
    }

    /** The approach's road id, see {@link #approachOf(String)}. */
    public String approachId(int approach) {
        return approachIds[approach];
    }

    /** The approach (0..{@link #approachCount()} − 1) of an incoming lane; -1 for a walking area. */
    public int incomingLaneApproach(int lane) {
        return incomingLaneApproach[lane];
    }

    /** Walk plus clearance time a pedestrian crossing link needs once it turns green, seconds; 0 for vehicle links. */
    public double linkPedestrianMinGreenS(int link) {
        return linkPedestrianMinGreenS[link];
    }

    /**
     * Time the walkers a crossing link releases need after its green ends before a link that conflicts with it may
     * turn green (the crossing's intergreen), seconds; 0 for vehicle links and for crossings the amber and all-red
     * clear.
     */
    public double linkPedestrianClearanceS(int link) {
        return linkPedestrianClearanceS[link];
    }

    /** {@link #linkPedestrianClearanceS} in milliseconds. */
    public long linkPedestrianClearanceMs(int link) {
        return linkPedestrianClearanceMs[link];
    }

    /**
     * How long the crossings that lose their green when green phase {@code from} gives way to {@code to} must show red
     * before the other links' amber begins, seconds: the longest crossing intergreen among them less the amber and the
     * all-red that follow; 0 when no crossing needs more (or none ends). Vehicle links keep their green meanwhile.
     */
    public double pedestrianClearanceS(int from, int to) {
        return pedestrianClearanceS[from][to];
    }

    /** {@link #pedestrianClearanceS} in milliseconds: the interval the interlock times. */
    public long pedestrianClearanceMs(int from, int to) {
        return pedestrianClearanceMs[from][to];
    }

    /** The longest {@link #pedestrianClearanceS} leaving green phase {@code from} may need, seconds. */
    public double longestPedestrianClearanceS(int from) {
        return longestPedestrianClearanceS[from];
    }

    /** Amber interval shown to every link that loses its green. */
    public double yellowS() {
        return yellowS;
    }

    /** All-red clearance after the amber, before a conflicting link may get a protected green. */
    public double allRedS() {
        return allRedS;
    }

    /** {@link #yellowS} in milliseconds. */
    public long yellowMs() {
        return yellowMs;
    }

    /** {@link #allRedS} in milliseconds. */
    public long allRedMs() {
        return allRedMs;
    }

    /** {@link #linkMinGreenS} in milliseconds. */
    public long linkMinGreenMs(int link) {
        return linkMinGreenMs[link];
    }

    /**
     * The bound every green of {@code link} must meet: the smallest minimum green over the phases in which it is
     * green, and at least its pedestrian minimum.
     */
    public double linkMinGreenS(int link) {
        double min = Double.POSITIVE_INFINITY;
        for (int p = 0; p < greenPhases.length; p++) {
            if (SignalChar.isGreen(greenPhases[p][link])) {
                min = Math.min(min, minGreenS[p]);
            }
        }
        return Math.max(min == Double.POSITIVE_INFINITY ? 0 : min, linkPedestrianMinGreenS[link]);
    }

    /**
     * The first pair of conflicting links that both show a protected green in {@code state}, packed as
     * {@code a * linkCount + b}, or -1 when there is none. No allocation.
     */
    public int firstConflict(char[] state) {
        for (int a = 0; a < linkCount; a++) {
            if (state[a] != SignalChar.GREEN) {
                continue;
            }
            for (int b = a + 1; b < linkCount; b++) {
                if (state[b] == SignalChar.GREEN && conflicts.conflicts(a, b)) {
                    return a * linkCount + b;
                }
            }
        }
        return -1;
    }

    public static Builder builder(String id, int linkCount) {
        return new Builder(id, linkCount);
    }

    @Override
    public String toString() {
        return "IntersectionModel{" + id + ", links=" + linkCount + ", greenPhases="
                + Arrays.deepToString(greenPhases) + ", yellowS=" + yellowS + ", allRedS=" + allRedS + '}';
    }

    /** Collects the parts of a model and validates them in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final int linkCount;
        private ConflictMatrix conflicts;
        private final List<String> incomingLaneIds = new ArrayList<>();
        private final List<Double> incomingLaneLengthM = new ArrayList<>();
        private final List<Double> incomingLaneSpeedMps = new ArrayList<>();
        private final List<String> outgoingLaneIds = new ArrayList<>();
        private final java.util.Map<String, Double> outgoingLaneLengthM = new java.util.HashMap<>();
        private final java.util.Map<String, Double> incomingZoneLengthM = new java.util.HashMap<>();
        private final java.util.Map<String, Double> incomingAdvanceM = new java.util.HashMap<>();
        private final java.util.Map<String, Double> laneSaturationVehPerS = new java.util.HashMap<>();
        private final int[] linkIncomingLane;
        private final int[] linkOutgoingLane;
        private final List<char[]> greenPhases = new ArrayList<>();
        private final List<Integer> greenPhaseSource = new ArrayList<>();
        private final List<Double> minGreenS = new ArrayList<>();
        private final List<Double> maxGreenS = new ArrayList<>();
        private final List<Double> programGreenS = new ArrayList<>();
        private String sourceProgramId = "0";
        private double yellowS = 3;
        private double allRedS = 0;
        private final double[] pedestrianMinGreenS;
        private final double[] pedestrianClearanceS;
        private final boolean[] unused;
        private final boolean[] crossing;

        private Builder(String id, int linkCount) {
            if (linkCount <= 0) {
                throw new IllegalArgumentException("signal " + id + " has no signalled links");
            }
            this.id = id;
            this.linkCount = linkCount;
            this.linkIncomingLane = new int[linkCount];
            this.linkOutgoingLane = new int[linkCount];
            this.pedestrianMinGreenS = new double[linkCount];
            this.pedestrianClearanceS = new double[linkCount];
            this.unused = new boolean[linkCount];
            this.crossing = new boolean[linkCount];
            Arrays.fill(linkIncomingLane, -1);
            Arrays.fill(linkOutgoingLane, -1);
        }

        /** The road space an incoming lane's detection zone covers, metres (see {@link #incomingZoneLengthM}). */
        public Builder incomingZoneLengthM(String laneId, double lengthM) {
            incomingZoneLengthM.put(laneId, positiveFinite(lengthM, "incoming lane " + laneId, "zone length"));
            return this;
        }

        /** How far before the stop line an incoming lane's advance loop lies, metres (see {@link #incomingAdvanceM}). */
        public Builder incomingAdvanceM(String laneId, double distanceM) {
            incomingAdvanceM.put(laneId, positiveFinite(distanceM, "incoming lane " + laneId, "advance loop distance"));
            return this;
        }

        /** The road space an outgoing lane's detection zone covers, metres (see {@link #outgoingLaneLengthM}). */
        public Builder outgoingLaneLengthM(String laneId, double lengthM) {
            outgoingLaneLengthM.put(laneId, positiveFinite(lengthM, "outgoing lane " + laneId, "length"));
            return this;
        }

        /**
         * The saturation flow of incoming lane {@code laneId}, vehicles per second (see {@link
         * #incomingLaneSaturationVehPerS}); a lane without one gets {@link #saturationFlowVehPerS} of its speed limit.
         */
        public Builder laneSaturationVehPerS(String laneId, double vehPerS) {
            laneSaturationVehPerS.put(laneId, positiveFinite(vehPerS, "incoming lane " + laneId, "saturation flow"));
            return this;
        }

        /**
         * {@code value}, unless it is not positive and finite: then an error naming the signal, {@code whose} and
         * {@code what}.
         */
        private double positiveFinite(double value, String whose, String what) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("signal " + id + ": " + whose + " needs a positive finite " + what
                        + ", was " + value);
            }
            return value;
        }

        /** Declares that no connection uses {@code link}: it keeps its place in the state string only. */
        public Builder unusedLink(int link) {
            if (link < 0 || link >= linkCount) {
                throw new IllegalArgumentException("signal " + id + ": link " + link + " out of range 0.." + (linkCount - 1));
            }
            unused[link] = true;
            return this;
        }

        public Builder conflicts(ConflictMatrix matrix) {
            this.conflicts = matrix;
            return this;
        }

        /** Connects {@code link} from an incoming lane to an outgoing lane; lanes are added on first use. */
        public Builder link(int link, String fromLane, double fromLaneLengthM, double fromLaneSpeedMps, String toLane) {
            if (link < 0 || link >= linkCount) {
                throw new IllegalArgumentException("signal " + id + ": link " + link + " out of range 0.." + (linkCount - 1));
            }
            int in = incomingLaneIds.indexOf(fromLane);
            if (in < 0) {
                in = incomingLaneIds.size();
                incomingLaneIds.add(fromLane);
                incomingLaneLengthM.add(fromLaneLengthM);
                incomingLaneSpeedMps.add(fromLaneSpeedMps);
            }
            int out = outgoingLaneIds.indexOf(toLane);
            if (out < 0) {
                out = outgoingLaneIds.size();
                outgoingLaneIds.add(toLane);
            }
            linkIncomingLane[link] = in;
            linkOutgoingLane[link] = out;
            return this;
        }

        /**
         * Adds a green phase taken from position {@code sourceIndex} of the signal's own program, where it lasts
         * {@code programS}.
         */
        public Builder greenPhase(String state, int sourceIndex, double programS, double minGreenS, double maxGreenS) {
            greenPhases.add(state.toCharArray());
            greenPhaseSource.add(sourceIndex);
            programGreenS.add(programS);
            this.minGreenS.add(minGreenS);
            this.maxGreenS.add(maxGreenS);
            return this;
        }

        /** Marks {@code link} as a pedestrian crossing (no amber before its red, as SUMO shows walkers). */
        public Builder crossing(int link) {
            if (link < 0 || link >= linkCount) {
                throw new IllegalArgumentException("signal " + id + ": crossing link " + link + " out of range 0.."
                        + (linkCount - 1));
            }
            crossing[link] = true;
            return this;
        }

        /**
         * Marks {@code link} as a pedestrian crossing that needs {@code minGreenS} of green (walk plus clearance)
         * every time it turns green; every phase that shows it green is then held at least that long.
         */
        public Builder pedestrianMinGreen(int link, double minGreenS) {
            pedestrianMinGreenS[crossingLink(link, "pedestrian minimum", minGreenS)] = minGreenS;
            return this;
        }

        /**
         * Marks {@code link} as a pedestrian crossing whose walkers need {@code clearanceS} after its green ends before
         * a conflicting link may turn green (walk off the crossing); when that is longer than the amber and all-red,
         * the crossing turns red that much earlier than the other links leave their green.
         */
        public Builder pedestrianClearance(int link, double clearanceS) {
            pedestrianClearanceS[crossingLink(link, "pedestrian clearance", clearanceS)] = clearanceS;
            return this;
        }

        /** Checks a crossing's link index and a time of it ({@code what}), marks the link a crossing, returns it. */
        private int crossingLink(int link, String what, double seconds) {
            if (link < 0 || link >= linkCount) {
                throw new IllegalArgumentException("signal " + id + ": crossing link " + link + " out of range 0.."
                        + (linkCount - 1));
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("signal " + id + ": crossing link " + link + " needs a finite "
                        + what + " >= 0 s, was " + seconds);
            }
            crossing[link] = true;
            return link;
        }

        public Builder sourceProgramId(String programId) {
            this.sourceProgramId = programId;
            return this;
        }

        public Builder yellowS(double yellowS) {
            this.yellowS = yellowS;
            return this;
        }

        public Builder allRedS(double allRedS) {
            this.allRedS = allRedS;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the signal and what is wrong
         */
        public IntersectionModel build() {
            String where = "signal " + id + ": ";
            if (conflicts == null || conflicts.linkCount() != linkCount) {
                throw new IllegalArgumentException(where + "conflict matrix missing or of the wrong size");
            }
            for (int l = 0; l < linkCount; l++) {
                if (linkIncomingLane[l] < 0 && !unused[l]) {
                    throw new IllegalArgumentException(where + "link " + l + " has no lanes");
                }
                if (linkIncomingLane[l] >= 0 && unused[l]) {
                    throw new IllegalArgumentException(where + "link " + l + " is declared unused but has lanes");
                }
                for (int o = 0; unused[l] && o < linkCount; o++) {
                    if (conflicts.conflicts(l, o)) {
                        throw new IllegalArgumentException(where + "unused link " + l + " cannot conflict with link " + o);
                    }
                }
            }
            for (String lane : laneSaturationVehPerS.keySet()) {
                if (!incomingLaneIds.contains(lane)) {
                    throw new IllegalArgumentException(where + "saturation flow given for " + lane
                            + ", which is not an incoming lane of a link");
                }
            }
            for (String lane : incomingAdvanceM.keySet()) {
                if (!incomingLaneIds.contains(lane)) {
                    throw new IllegalArgumentException(where + "advance loop distance given for " + lane
                            + ", which is not an incoming lane of a link");
                }
            }
            for (String lane : incomingZoneLengthM.keySet()) {
                if (!incomingLaneIds.contains(lane)) {
                    throw new IllegalArgumentException(where + "zone length given for " + lane
                            + ", which is not an incoming lane of a link");
                }
            }
            if (greenPhases.isEmpty()) {
                throw new IllegalArgumentException(where + "no green phase");
            }
            if (!(yellowS > 0) || !(allRedS >= 0) || Double.isInfinite(yellowS) || Double.isInfinite(allRedS)) {
                throw new IllegalArgumentException(where + "yellow must be > 0 s and all-red >= 0 s, were " + yellowS
                        + " and " + allRedS);
            }
            for (int p = 0; p < greenPhases.size(); p++) {
                char[] s = greenPhases.get(p);
                String phase = where + "green phase " + p + " (" + new String(s) + "): ";
                if (s.length != linkCount) {
                    throw new IllegalArgumentException(phase + "has " + s.length + " states for " + linkCount + " links");
                }
                boolean anyGreen = false;
                for (int l = 0; l < s.length; l++) {
                    char c = s[l];
                    if (!SignalChar.isValid(c) || SignalChar.isYellow(c)) {
                        throw new IllegalArgumentException(phase + "invalid state '" + c + "'");
                    }
                    anyGreen |= SignalChar.isGreen(c) && !unused[l];
                }
                if (!anyGreen) {
                    throw new IllegalArgumentException(phase + "shows no green");
                }
                double min = minGreenS.get(p);
                double max = maxGreenS.get(p);
                if (!(min > 0) || !(max >= min) || Double.isInfinite(min)) {
                    throw new IllegalArgumentException(phase + "needs 0 < min green <= max green, was " + min + ".." + max);
                }
            }
            IntersectionModel model = new IntersectionModel(this);
            for (int p = 0; p < model.greenPhaseCount(); p++) {
                if (model.effectiveMinGreenS(p) > model.maxGreenS(p)) {
                    throw new IllegalArgumentException(where + "green phase " + p + " (" + model.greenPhaseString(p)
                            + "): pedestrian minimum " + model.effectiveMinGreenS(p) + " s exceeds its maximum green "
                            + model.maxGreenS(p) + " s");
                }
            }
            for (int p = 0; p < model.greenPhaseCount(); p++) {
                int c = model.firstConflict(model.greenPhases[p]);
                if (c >= 0) {
                    throw new IllegalArgumentException(where + "green phase " + p + " (" + model.greenPhaseString(p)
                            + ") shows a protected green to conflicting links " + c / linkCount + " and " + c % linkCount);
                }
            }
            return model;
        }
    }
}
