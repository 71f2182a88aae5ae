package org.greenwave.netimport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;

/**
 * Builds the engine's intersection models from a SUMO network, with no hand edits: links from the signalled
 * connections, green phases from the signal's own program, conflicts from the junctions' link foes, and the amber
 * and all-red times from the program's transitions. See {@code docs/intersection-model.md}.
 */
public final class ScenarioImport {
    /** Minimum green where the program gives none, seconds. */
    public static final double DEFAULT_MIN_GREEN_S = 5;
    /** Maximum green where the program gives no {@code maxDur}, seconds; a longer program phase raises it. */
    public static final double DEFAULT_MAX_GREEN_S = 120;
    /** Length of the lane-area detection zone at each end of a lane, metres. */
    public static final double AREA_LENGTH_M = 200;
    /** Distance of the advance loop from the stop line, metres. */
    public static final double ADVANCE_DISTANCE_M = 60;
    /** Distance of the stop-line loop from the stop line, metres. */
    public static final double STOP_LINE_DISTANCE_M = 1.5;
    /** Shortest lane that gets detectors, metres. */
    public static final double MIN_DETECTOR_LANE_M = 5;
    /**
     * The least share of a shared lane's vehicles an incoming lane's zone extends over: past two even splits the
     * zone counts too small a part of what it sees to be worth its detectors.
     */
    public static final double MIN_ZONE_SHARE = 0.25;

    private ScenarioImport() {
    }

    /**
     * Models every traffic light in {@code net}, or only those in {@code only} when it is not empty.
     *
     * @throws ScenarioException when a requested signal is missing or a signal cannot be modelled
     */
    public static List<ControlledIntersection> importSignals(SumoNet net, Collection<String> only) {
        Map<String, List<SumoNet.TlLogic>> logics = net.tlLogics();
        Set<String> wanted = new LinkedHashSet<>(only);
        for (String id : wanted) {
            if (!logics.containsKey(id)) {
                throw new ScenarioException(net.file(), 0, "no traffic light '" + id + "' in the network; it has: "
                        + String.join(", ", logics.keySet()));
            }
        }
        List<ControlledIntersection> out = new ArrayList<>();
        for (Map.Entry<String, List<SumoNet.TlLogic>> e : logics.entrySet()) {
            if (wanted.isEmpty() || wanted.contains(e.getKey())) {
                List<String> warnings = new ArrayList<>();
                List<SumoNet.TlLogic> programs = e.getValue();
                SumoNet.TlLogic active = SumoNet.activeProgram(programs);
                if (programs.size() > 1) {
                    warnings.add(programs.size() + " programs are loaded for this signal ("
                            + String.join(", ", programs.stream().map(SumoNet.TlLogic::programId).toList())
                            + "); the engine reads the last loaded, '" + active.programId() + "' from "
                            + active.file().getFileName() + ", which SUMO runs");
                }
                out.add(importSignal(net, active, warnings));
            }
        }
        if (out.isEmpty()) {
            throw new ScenarioException(net.file(), 0, "the network has no traffic lights to control");
        }
        return out;
    }

    static ControlledIntersection importSignal(SumoNet net, SumoNet.TlLogic program, List<String> warnings) {
        String tls = program.id();
        TreeMap<Integer, SumoNet.Connection> links = new TreeMap<>();
        for (SumoNet.Connection c : net.connections()) {
            if (tls.equals(c.tl())) {
                if (c.linkIndex() < 0) {
                    throw new ScenarioException(net.file(), c.line(), "signalled connection without linkIndex");
                }
                links.putIfAbsent(c.linkIndex(), c);
            }
        }
        Path file = program.file();
        if (program.phases().isEmpty()) {
            throw new ScenarioException(file, program.line(), "traffic light '" + tls + "' program '"
                    + program.programId() + "' has no phases");
        }
        int linkCount = program.phases().get(0).state().length();
        for (SumoNet.Phase p : program.phases()) {
            if (p.state().length() != linkCount) {
                throw new ScenarioException(file, p.line(), "phase state has " + p.state().length()
                        + " links, the program's first phase " + linkCount);
            }
            for (int i = 0; i < linkCount; i++) {
                if (!SignalChar.isValid(p.state().charAt(i))) {
                    throw new ScenarioException(file, p.line(), "phase state '" + p.state() + "' has '"
                            + p.state().charAt(i) + "' at link " + i + ", which is not a SUMO signal state "
                            + "(r y Y g G s u o O)");
                }
            }
        }
        if (links.isEmpty()) {
            throw new ScenarioException(file, program.line(), "traffic light '" + tls + "' controls no connection; "
                    + "leave it out with --tls");
        }
        if (links.lastKey() >= linkCount) {
            throw new ScenarioException(file, program.line(), "traffic light '" + tls + "' has " + linkCount
                    + " links in program '" + program.programId() + "' but a connection uses link " + links.lastKey()
                    + " (SUMO refuses such a program too)");
        }
        // SUMO lets a program carry state indices that no connection uses: they keep their place in the string only.
        boolean[] used = new boolean[linkCount];
        for (int l : links.keySet()) {
            used[l] = true;
        }
        List<Integer> unusedIndices = new ArrayList<>();
        for (int l = 0; l < linkCount; l++) {
            if (!used[l]) {
                unusedIndices.add(l);
            }
        }
        if (!unusedIndices.isEmpty()) {
            warnings.add("state " + (unusedIndices.size() == 1 ? "index " : "indices ") + join(unusedIndices)
                    + " of " + linkCount + " " + (unusedIndices.size() == 1 ? "is" : "are") + " used by no connection "
                    + "of the network: kept in every state string, controlling nothing");
        }

        IntersectionModel.Builder b = IntersectionModel.builder(tls, linkCount).sourceProgramId(program.programId());
        String[] junctionOf = new String[linkCount];
        boolean[] crossing = new boolean[linkCount];
        int[] requestOf = new int[linkCount];
        Set<String> junctionIds = new LinkedHashSet<>();
        // Per incoming lane: the sum and number of its vehicle links' saturation headways.
        Map<String, double[]> headways = new LinkedHashMap<>();
        for (int l = 0; l < linkCount; l++) {
            SumoNet.Connection c = links.get(l);
            if (c == null) {
                b.unusedLink(l);
                continue;
            }
            SumoNet.Lane from = net.lane(c.fromLaneId());
            if (from == null) {
                throw new ScenarioException(net.file(), c.line(), "connection names a lane that does not exist: " + c.fromLaneId());
            }
            b.link(l, from.id(), from.lengthM(), from.speedMps(), c.toLaneId());
            if (!c.fromEdge().startsWith(":")) {
                List<String> stretch = stretch(net, from.id(), AREA_LENGTH_M, true);
                b.incomingZoneLengthM(from.id(), Math.min(AREA_LENGTH_M, length(net, stretch)));
                // The advance loop lies ADVANCE_DISTANCE_M before the stop line, or at the start of the lane's own
                // part of the stretch (before it, the road also leads to other lanes, whose vehicles it would count).
                double ownM = length(net, ownPart(stretch, shares(net, stretch)));
                b.incomingAdvanceM(from.id(), Math.max(0.1, Math.min(ADVANCE_DISTANCE_M, ownM - 0.1)));
            }
            if (net.lane(c.toLaneId()) != null && !c.toEdge().startsWith(":")) {
                double exitM = Math.min(AREA_LENGTH_M, length(net, stretch(net, c.toLaneId(), AREA_LENGTH_M, false)));
                if (exitM > 0) {
                    b.outgoingLaneLengthM(c.toLaneId(), exitM);
                }
            }
            if (c.fromEdge().startsWith(":")) {
                // From a walking area onto a crossing: pedestrians.
                b.crossing(l);
                crossing[l] = true;
            } else {
                // Vehicles cross at the lower of the lane's and the junction link's speed limit (a turn's is lower).
                SumoNet.Lane via = c.via() == null ? null : net.lane(c.via());
                double crossingMps = via == null ? from.speedMps() : Math.min(from.speedMps(), via.speedMps());
                double[] h = headways.computeIfAbsent(from.id(), k -> new double[2]);
                h[0] += IntersectionModel.saturationHeadwayS(crossingMps);
                h[1]++;
            }
            junctionOf[l] = junctionOf(net, c);
            requestOf[l] = requestIndex(net, c, junctionOf[l]);
            junctionIds.add(junctionOf[l]);
        }
        // A shared lane's vehicles take its links' headways in turn: the lane discharges at their mean.
        headways.forEach((lane, h) -> b.laneSaturationVehPerS(lane, h[1] / h[0]));
        ConflictMatrix.Builder conflicts = ConflictMatrix.builder(linkCount);
        for (int a = 0; a < linkCount; a++) {
            if (!used[a]) {
                continue;
            }
            SumoNet.Junction j = net.junction(junctionOf[a]);
            for (int c = 0; c < linkCount; c++) {
                if (a != c && used[c] && junctionOf[a].equals(junctionOf[c]) && (j.foes(requestOf[a], requestOf[c])
                        || j.foes(requestOf[c], requestOf[a]))) {
                    conflicts.conflict(a, c);
                }
            }
        }
        ConflictMatrix matrix = conflicts.build();
        b.conflicts(matrix);

        List<SumoNet.Phase> phases = program.phases();
        for (int l = 0; l < linkCount; l++) {
            double clearanceS = crossing[l] ? crossingIntergreenS(phases, l, matrix, used) : 0;
            if (clearanceS > 0) {
                b.pedestrianClearance(l, clearanceS);
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        double minYellow = Double.POSITIVE_INFINITY;
        double minAllRed = Double.POSITIVE_INFINITY;
        double approachSpeed = 0;
        for (SumoNet.Connection c : links.values()) {
            approachSpeed = Math.max(approachSpeed, net.lane(c.fromLaneId()).speedMps());
        }
        List<Integer> stages = stages(phases, used);
        List<Integer> noMinDur = new ArrayList<>();
        List<Integer> noMaxDur = new ArrayList<>();
        for (int i : stages) {
            SumoNet.Phase p = phases.get(i);
            if (!seen.add(p.state())) {
                continue;
            }
            GreenBounds g = greenBounds(phases, p.state());
            b.greenPhase(p.state(), i, g.programS(), g.minS(), g.maxS());
            if (!g.givesMinDur()) {
                noMinDur.add(i);
            }
            if (!g.givesMaxDur()) {
                noMaxDur.add(i);
            }
            if (g.steps().size() > 1) {
                warnings.add("program phases " + join(g.steps()) + " show the same state: the engine keeps one green "
                        + "phase for them, of " + fmt(g.minS()) + " to " + fmt(g.maxS()) + " s (phases that follow "
                        + "each other add up" + (g.runs() > 1 ? "; of its " + g.runs() + " appearances in the cycle, "
                        + "the shortest minimum and the longest maximum apply" : "") + ")");
            }
        }
        if (!noMinDur.isEmpty()) {
            warnings.add("green " + (noMinDur.size() == 1 ? "phase " : "phases ") + join(noMinDur) + " of the program "
                    + (noMinDur.size() == 1 ? "gives" : "give") + " no minDur: minimum green "
                    + fmt(DEFAULT_MIN_GREEN_S) + " s (or the phase, if shorter)");
        }
        if (!noMaxDur.isEmpty()) {
            warnings.add("green " + (noMaxDur.size() == 1 ? "phase " : "phases ") + join(noMaxDur) + " of the program "
                    + (noMaxDur.size() == 1 ? "gives" : "give") + " no maxDur: maximum green "
                    + fmt(DEFAULT_MAX_GREEN_S) + " s (or the phase, if longer)");
        }
        Set<Double> ambers = new java.util.TreeSet<>();
        Set<Double> allReds = new java.util.TreeSet<>();
        for (int i = 0; i < phases.size(); i++) {
            SumoNet.Phase p = phases.get(i);
            if (hasYellow(p.state())) {
                minYellow = Math.min(minYellow, p.durationS());
                double clearance = clearanceAfterS(phases, i);
                minAllRed = Math.min(minAllRed, clearance);
                ambers.add(p.durationS());
                allReds.add(clearance);
            }
        }
        if (ambers.size() > 1) {
            warnings.add("the program's ambers last " + joinS(ambers) + " s: the engine shows the shortest, "
                    + fmt(minYellow) + " s, after every green");
        }
        if (allReds.size() > 1) {
            warnings.add("the program's all-reds after amber last " + joinS(allReds) + " s: the engine uses the "
                    + "shortest, " + fmt(minAllRed) + " s, after every amber");
        }
        if (seen.isEmpty()) {
            throw new ScenarioException(file, program.line(), "traffic light '" + tls + "' has no green phase in program '"
                    + program.programId() + "'; leave it out with --tls");
        }
        if (minYellow == Double.POSITIVE_INFINITY) {
            warnings.add("the program has no amber phase: the engine shows the ITE kinematic amber, "
                    + fmt(iteYellowS(approachSpeed)) + " s for the fastest approach's " + fmt(approachSpeed * 3.6)
                    + " km/h, and no all-red");
        }
        b.yellowS(minYellow < Double.POSITIVE_INFINITY ? minYellow : iteYellowS(approachSpeed));
        b.allRedS(minAllRed < Double.POSITIVE_INFINITY ? minAllRed : 0);
        IntersectionModel model;
        try {
            model = b.build();
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(file, program.line(), e.getMessage() + "; leave the signal out with --tls", e);
        }
        return withDetectors(net, model, program, new ArrayList<>(junctionIds), warnings);
    }

    private static String join(List<Integer> indices) {
        return String.join(", ", indices.stream().map(String::valueOf).toList());
    }

    private static String joinS(Set<Double> seconds) {
        return String.join(", ", seconds.stream().map(ScenarioImport::fmt).toList());
    }

    /** Seconds (or another quantity) as a user reads them: no trailing ".0", at most two decimals. */
    static String fmt(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }

    /**
     * The intergreen the signal's own program gives the walkers of crossing {@code link}: the shortest time, over the
     * cycle, from the end of its green to the first green of a link that conflicts with it and was not green beside it
     * (movements that run with the crossing yield to its walkers). 0 when the program never ends its green before
     * such a link's.
     */
    static double crossingIntergreenS(List<SumoNet.Phase> phases, int link, ConflictMatrix conflicts, boolean[] used) {
        int n = phases.size();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            String last = phases.get(i).state();
            String next = phases.get((i + 1) % n).state();
            if (!SignalChar.isGreen(last.charAt(link)) || SignalChar.isGreen(next.charAt(link))) {
                continue;
            }
            double s = 0;
            for (int k = 1; k <= n; k++) {
                String state = phases.get((i + k) % n).state();
                if (SignalChar.isGreen(state.charAt(link))) {
                    break;
                }
                boolean conflictGreen = false;
                for (int c = 0; c < state.length() && !conflictGreen; c++) {
                    conflictGreen = used[c] && c != link && conflicts.conflicts(link, c)
                            && SignalChar.isGreen(state.charAt(c)) && !SignalChar.isGreen(last.charAt(c));
                }
                if (conflictGreen) {
                    best = Math.min(best, s);
                    break;
                }
                s += phases.get((i + k) % n).durationS();
            }
        }
        return best == Double.POSITIVE_INFINITY ? 0 : best;
    }

    private static ControlledIntersection withDetectors(SumoNet net, IntersectionModel m, SumoNet.TlLogic program,
                                                        List<String> junctions, List<String> warnings) {
        int in = m.incomingLaneCount();
        String[] stop = new String[in];
        String[] adv = new String[in];
        String[][] areaIn = new String[in][];
        double[][] sharesIn = new double[in][];
        List<List<String>> inStretches = new ArrayList<>();
        for (int lane = 0; lane < in; lane++) {
            String id = m.incomingLaneId(lane);
            List<String> stretch = stretch(net, id, AREA_LENGTH_M, true);
            inStretches.add(stretch);
            double[] shares = shares(net, stretch);
            sharesIn[lane] = new double[shares.length];
            for (int k = 0; k < shares.length; k++) {
                sharesIn[lane][k] = shares[shares.length - 1 - k];
            }
            if (length(net, stretch) >= MIN_DETECTOR_LANE_M) {
                stop[lane] = "gw_stop_" + id;
                adv[lane] = "gw_adv_" + id;
                areaIn[lane] = areaIds("gw_in_" + id, stretch.size());
            } else {
                warnings.add("incoming lane " + id + " is " + fmt(length(net, stretch)) + " m long with the lanes "
                        + "before it, under " + fmt(MIN_DETECTOR_LANE_M) + " m: it gets no detectors");
            }
        }
        String[][] areaOut = new String[m.outgoingLaneCount()][];
        List<List<String>> outStretches = new ArrayList<>();
        for (int lane = 0; lane < areaOut.length; lane++) {
            String id = m.outgoingLaneId(lane);
            List<String> stretch = net.lane(id) == null ? List.of() : stretch(net, id, AREA_LENGTH_M, false);
            outStretches.add(stretch);
            if (length(net, stretch) >= MIN_DETECTOR_LANE_M) {
                areaOut[lane] = areaIds("gw_out_" + id, stretch.size());
            }
        }
        return new ControlledIntersection(m, program, List.copyOf(inStretches), List.copyOf(outStretches), stop, adv,
                areaIn, sharesIn, areaOut, List.copyOf(junctions), List.copyOf(warnings));
    }

    /** Ids for the per-lane pieces of one zone: the base id, then {@code base@1}, {@code base@2}, ... */
    private static String[] areaIds(String base, int pieces) {
        String[] ids = new String[pieces];
        for (int i = 0; i < pieces; i++) {
            ids[i] = i == 0 ? base : base + "@" + i;
        }
        return ids;
    }

    /** Total length of a stretch of lanes, metres. */
    public static double length(SumoNet net, List<String> lanes) {
        double sum = 0;
        for (String l : lanes) {
            sum += net.lane(l).lengthM();
        }
        return sum;
    }

    /**
     * The share of each lane's vehicles that a zone over {@code stretch} (upstream to the stop line, as
     * {@link #stretch} gives it) counts for its last lane, in the stretch's order: 1 on the lane itself and on the
     * lanes that lead only to it; where a lane splits, each of the lanes it leads to takes an equal share of its
     * vehicles (an even split is all the network says of where they go).
     */
    public static double[] shares(SumoNet net, List<String> stretch) {
        double[] share = new double[stretch.size()];
        share[share.length - 1] = 1;
        for (int i = share.length - 2; i >= 0; i--) {
            share[i] = share[i + 1] / successorLanes(net, stretch.get(i));
        }
        return share;
    }

    /** The lanes of the stretch whose vehicles all go to its last lane: the lane's own part of the road. */
    public static List<String> ownPart(List<String> stretch, double[] shares) {
        int first = stretch.size() - 1;
        while (first > 0 && shares[first - 1] >= 1) {
            first--;
        }
        return stretch.subList(first, stretch.size());
    }

    /** How many different lanes the lane's connections lead to. */
    private static int successorLanes(SumoNet net, String laneId) {
        Set<String> to = new java.util.HashSet<>();
        for (SumoNet.Connection c : net.connectionsFrom(laneId)) {
            to.add(c.toLaneId());
        }
        return Math.max(1, to.size());
    }

    /**
     * The lanes a detection zone of {@code lengthM} starting at {@code laneId} covers: upstream (ending with the lane)
     * or downstream (starting with it). Upstream, the stretch continues over a lane's only unsignalled predecessor,
     * also where that predecessor splits into several lanes (their zones then share it, each counting its share of
     * the vehicles on it, see {@link #shares}) as long as the share stays at least {@link #MIN_ZONE_SHARE}.
     * Downstream, it continues over a lane's only unsignalled successor when that comes from nowhere else. It stops
     * at a signal, a merge, a lane already in the stretch, or once long enough.
     */
    static List<String> stretch(SumoNet net, String laneId, double lengthM, boolean upstream) {
        java.util.LinkedList<String> lanes = new java.util.LinkedList<>();
        lanes.add(laneId);
        double total = net.lane(laneId).lengthM();
        double share = 1;
        String current = laneId;
        while (total < lengthM) {
            String next = null;
            int candidates = 0;
            for (SumoNet.Connection c : upstream ? net.connectionsTo(current) : net.connectionsFrom(current)) {
                candidates++;
                next = upstream ? c.fromLaneId() : c.toLaneId();
                if (c.tl() != null) {
                    candidates = -1;
                    break;
                }
            }
            if (candidates != 1 || lanes.contains(next) || net.lane(next) == null) {
                break;
            }
            if (upstream) {
                // A lane that splits belongs to every lane it leads to: each zone counts its share of it.
                share /= successorLanes(net, next);
                if (share < MIN_ZONE_SHARE) {
                    break;
                }
            } else if (net.connectionsTo(next).size() != 1) {
                // A lane that others also feed carries their vehicles too.
                break;
            }
            if (upstream) {
                lanes.addFirst(next);
            } else {
                lanes.addLast(next);
            }
            total += net.lane(next).lengthM();
            current = next;
        }
        return List.copyOf(lanes);
    }

    /** A green phase shows some green on a used link, and no amber. */
    public static boolean isGreenPhase(String state, boolean[] used) {
        boolean green = false;
        for (int i = 0; i < state.length(); i++) {
            char c = state.charAt(i);
            if (SignalChar.isYellow(c)) {
                return false;
            }
            green |= SignalChar.isGreen(c) && used[i];
        }
        return green;
    }

    /** A green phase shows some green and no amber. */
    public static boolean isGreenPhase(String state) {
        boolean[] all = new boolean[state.length()];
        java.util.Arrays.fill(all, true);
        return isGreenPhase(state, all);
    }

    private static boolean hasYellow(String state) {
        for (int i = 0; i < state.length(); i++) {
            if (SignalChar.isYellow(state.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * How long the program shows one green state: each run of consecutive phases (the cycle wraps) that show it lasts
     * their durations added, its minimum their {@code minDur}s added (a phase without one counts its duration; a
     * run without any, {@value #DEFAULT_MIN_GREEN_S} s or the run if shorter), its maximum their {@code maxDur}s
     * added ({@value #DEFAULT_MAX_GREEN_S} s or the run, if longer, unless every phase gives one). Where the state
     * appears in several runs, the shortest minimum and the longest maximum apply; the duration is the first run's.
     */
    static GreenBounds greenBounds(List<SumoNet.Phase> phases, String state) {
        int n = phases.size();
        List<Integer> steps = new ArrayList<>();
        double minS = Double.POSITIVE_INFINITY;
        double maxS = 0;
        double programS = Double.NaN;
        boolean givesMin = true;
        boolean givesMax = true;
        int runs = 0;
        boolean all = phases.stream().allMatch(p -> p.state().equals(state));
        int first = firstIndexOf(phases, state);
        for (int start = 0; start < n; start++) {
            boolean startsRun = phases.get(start).state().equals(state)
                    && (all ? start == 0 : !phases.get((start + n - 1) % n).state().equals(state));
            if (!startsRun) {
                continue;
            }
            runs++;
            double dur = 0;
            double min = 0;
            double max = 0;
            boolean anyMin = false;
            boolean everyMax = true;
            boolean holdsFirst = false;
            for (int k = 0; k < n && phases.get((start + k) % n).state().equals(state); k++) {
                SumoNet.Phase p = phases.get((start + k) % n);
                steps.add((start + k) % n);
                holdsFirst |= (start + k) % n == first;
                dur += p.durationS();
                anyMin |= p.minDurS() > 0;
                min += p.minDurS() > 0 ? p.minDurS() : p.durationS();
                everyMax &= p.maxDurS() > 0;
                max += p.maxDurS() > 0 ? p.maxDurS() : p.durationS();
            }
            min = anyMin ? min : Math.min(DEFAULT_MIN_GREEN_S, dur);
            max = everyMax ? Math.max(max, min) : Math.max(DEFAULT_MAX_GREEN_S, Math.max(dur, min));
            givesMin &= anyMin;
            givesMax &= everyMax;
            minS = Math.min(minS, min);
            maxS = Math.max(maxS, max);
            if (holdsFirst) {
                programS = dur;
            }
        }
        java.util.Collections.sort(steps);
        return new GreenBounds(List.copyOf(steps), runs, programS, minS, maxS, givesMin, givesMax);
    }

    private static int firstIndexOf(List<SumoNet.Phase> phases, String state) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).state().equals(state)) {
                return i;
            }
        }
        return -1;
    }

    /** The bounds {@link #greenBounds} found for one green state; {@code steps} are the program phases showing it. */
    record GreenBounds(List<Integer> steps, int runs, double programS, double minS, double maxS, boolean givesMinDur,
                       boolean givesMaxDur) {
    }

    /** A green phase's minimum: the program's {@code minDur}, else {@value #DEFAULT_MIN_GREEN_S} s or the phase if shorter. */
    public static double minGreenS(SumoNet.Phase p) {
        return p.minDurS() > 0 ? p.minDurS() : Math.min(DEFAULT_MIN_GREEN_S, p.durationS());
    }

    /**
     * A green phase's maximum: the program's {@code maxDur} where it gives one (at least the minimum), else
     * {@value #DEFAULT_MAX_GREEN_S} s or the phase's duration if longer.
     */
    public static double maxGreenS(SumoNet.Phase p) {
        double min = minGreenS(p);
        return p.maxDurS() > 0 ? Math.max(p.maxDurS(), min) : Math.max(DEFAULT_MAX_GREEN_S, Math.max(p.durationS(), min));
    }

    /**
     * The clearance that follows the amber at {@code amber}: the phases after it, without amber, in which no link gains
     * a green or a protected green it did not have during the amber (links that stay green through a transition, as in
     * multi-step city programs, do not end it), up to the first that does.
     */
    public static double clearanceAfterS(List<SumoNet.Phase> phases, int amber) {
        String during = phases.get(amber).state();
        double red = 0;
        for (int k = 1; k < phases.size(); k++) {
            SumoNet.Phase next = phases.get((amber + k) % phases.size());
            String s = next.state();
            if (hasYellow(s)) {
                break;
            }
            // A link that turns green, or whose permissive green turns protected, gains priority: the clearance
            // (as the safety monitor judges it) ends there.
            boolean newGreen = false;
            for (int l = 0; l < s.length() && !newGreen; l++) {
                char now = s.charAt(l);
                char before = during.charAt(l);
                newGreen = SignalChar.isGreen(now) && !SignalChar.isGreen(before)
                        || now == SignalChar.GREEN && before != SignalChar.GREEN;
            }
            if (newGreen) {
                break;
            }
            red += next.durationS();
        }
        return red;
    }

    /** The program's green phases: some green on a used link, and no amber. */
    static List<Integer> stages(List<SumoNet.Phase> phases, boolean[] used) {
        List<Integer> green = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            if (isGreenPhase(phases.get(i).state(), used)) {
                green.add(i);
            }
        }
        return green;
    }

    /**
     * The ITE kinematic amber: perception-reaction time 1 s plus the approach speed over twice a comfortable
     * deceleration of 3.05 m/s², rounded up to half a second and kept within 3..6 s.
     */
    public static double iteYellowS(double approachSpeedMps) {
        double y = 1.0 + approachSpeedMps / (2 * 3.05);
        return Math.min(6, Math.max(3, Math.ceil(y * 2) / 2));
    }

    private static String junctionOf(SumoNet net, SumoNet.Connection c) {
        String node = net.edgeToNode(c.fromEdge());
        if (node == null && c.fromEdge().startsWith(":")) {
            // A walking area or crossing: its id is ':' + junction + '_' + suffix.
            String e = c.fromEdge();
            node = e.substring(1, e.lastIndexOf('_'));
        }
        if (node == null || net.junction(node) == null) {
            throw new ScenarioException(net.file(), c.line(), "cannot find the junction of connection from " + c.fromLaneId()
                    + "; leave the signal out with --tls");
        }
        return node;
    }

    /** The junction's request index of a connection, from its internal lane id ':junction_index_lane'. */
    private static int requestIndex(SumoNet net, SumoNet.Connection c, String junction) {
        SumoNet.Junction j = net.junction(junction);
        String via = c.via();
        if (via == null) {
            int pos = j.intLanes().indexOf(c.toLaneId());
            if (pos >= 0) {
                return pos;
            }
            throw new ScenarioException(net.file(), c.line(), "connection from " + c.fromLaneId() + " has no internal lane ('via'); "
                    + "Greenwave needs a network built with internal links to know which links conflict: rebuild it "
                    + "with netconvert without --no-internal-links, or leave the signal out with --tls");
        }
        String prefix = ":" + junction + "_";
        if (via.startsWith(prefix)) {
            String rest = via.substring(prefix.length());
            int us = rest.indexOf('_');
            try {
                int k = Integer.parseInt(us < 0 ? rest : rest.substring(0, us));
                if (k < j.foes().size()) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // fall through to the intLanes look-up
            }
        }
        int pos = j.intLanes().indexOf(via);
        if (pos >= 0) {
            return pos;
        }
        throw new ScenarioException(net.file(), c.line(), "cannot map internal lane " + via + " to a link of junction " + junction
                + "; leave the signal out with --tls");
    }

    /** The engine's view of one signal: its model, the controller, and the detectors the harness generated. */
    public static EngineIntersection engineIntersection(ControlledIntersection ci, String controller) {
        List<DetectorSpec> detectors = new ArrayList<>();
        IntersectionModel m = ci.model();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            if (ci.stopLineLoops()[lane] != null) {
                detectors.add(new DetectorSpec(ci.stopLineLoops()[lane], DetectorKind.STOP_LINE, lane));
                detectors.add(new DetectorSpec(ci.advanceLoops()[lane], DetectorKind.ADVANCE, lane));
                detectors.add(new DetectorSpec(ci.incomingAreas()[lane][0], DetectorKind.AREA_IN, lane));
            }
        }
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            if (ci.outgoingAreas()[lane] != null) {
                detectors.add(new DetectorSpec(ci.outgoingAreas()[lane][0], DetectorKind.AREA_OUT, lane));
            }
        }
        return new EngineIntersection(m, controller, detectors);
    }
}
