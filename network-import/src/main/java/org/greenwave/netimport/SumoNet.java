package org.greenwave.netimport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a SUMO network file the engine needs: lanes, traffic-light programs, signalled connections and
 * junction link foes. Read once at start-up.
 */
public final class SumoNet {
    /** A lane with its length and speed limit, and its shape for drawing. */
    public record Lane(String id, String edgeId, double lengthM, double speedMps, String shape) {
    }

    /** One phase of a traffic-light program. Durations in seconds; min/max are NaN where the net gives none. */
    public record Phase(double durationS, String state, double minDurS, double maxDurS, int line) {
    }

    /** A traffic-light program, with the file and line it was read from. */
    public record TlLogic(String id, String programId, String type, double offsetS, List<Phase> phases, int line,
                          Path file) {
    }

    /** A connection between two lanes; {@code tl} is null for unsignalled ones. */
    public record Connection(String fromEdge, int fromLane, String toEdge, int toLane, String via, String tl,
                             int linkIndex, String dir, int line) {
        public String fromLaneId() {
            return fromEdge + "_" + fromLane;
        }

        public String toLaneId() {
            return toEdge + "_" + toLane;
        }
    }

    /** A junction with its link foes: {@code foes.get(i)} is request i's foe string as written (index 0 last). */
    public record Junction(String id, String type, double x, double y, List<String> foes, List<String> intLanes,
                           String shape) {
        /** True when junction links {@code a} and {@code b} are foes. */
        public boolean foes(int a, int b) {
            if (a >= foes.size() || b >= foes.size()) {
                return false;
            }
            String f = foes.get(a);
            int pos = f.length() - 1 - b;
            return pos >= 0 && f.charAt(pos) == '1';
        }
    }

    /**
     * The network's {@code <location>}: net coordinates are the projected ones plus {@code netOffset}; a
     * {@code projParameter} of {@code "!"} means the network has no geographic projection.
     */
    public record Location(double offsetX, double offsetY, String projParameter, int line) {
        /** True when the network carries a geographic projection. */
        public boolean geographic() {
            return projParameter != null && !projParameter.isBlank() && !projParameter.equals("!");
        }
    }

    private final Path file;
    private final Location location;
    private final Map<String, Lane> lanes;
    private final Map<String, String[]> edgeNodes;
    private final Map<String, List<TlLogic>> tlLogics;
    private final List<Connection> connections;
    private final Map<String, Junction> junctions;
    private final Map<String, List<Connection>> byFromLane = new HashMap<>();
    private final Map<String, List<Connection>> byToLane = new HashMap<>();

    private SumoNet(Path file, Location location, Map<String, Lane> lanes, Map<String, String[]> edgeNodes,
                    Map<String, List<TlLogic>> tlLogics, List<Connection> connections, Map<String, Junction> junctions) {
        this.file = file;
        this.location = location;
        this.lanes = lanes;
        this.edgeNodes = edgeNodes;
        this.tlLogics = tlLogics;
        this.connections = connections;
        this.junctions = junctions;
        for (Connection c : connections) {
            if (!c.fromEdge().startsWith(":") && !c.toEdge().startsWith(":")) {
                byFromLane.computeIfAbsent(c.fromLaneId(), k -> new ArrayList<>()).add(c);
                byToLane.computeIfAbsent(c.toLaneId(), k -> new ArrayList<>()).add(c);
            }
        }
    }

    /** Connections leaving a (non-internal) lane. */
    public List<Connection> connectionsFrom(String laneId) {
        return byFromLane.getOrDefault(laneId, List.of());
    }

    /** Connections entering a (non-internal) lane. */
    public List<Connection> connectionsTo(String laneId) {
        return byToLane.getOrDefault(laneId, List.of());
    }

    /**
     * Reads a network file.
     *
     * @throws ScenarioException naming the file and line of anything malformed
     */
    public static SumoNet read(Path file) {
        return read(file, List.of());
    }

    /**
     * Reads a network file and the traffic-light programs of the additional files SUMO loads with it, in the order
     * SUMO loads them. A program loaded later for the same signal becomes the one SUMO runs (see
     * {@link #activeProgram}).
     *
     * @throws ScenarioException naming the file and line of anything malformed
     */
    public static SumoNet read(Path file, List<Path> additionalFiles) {
        Map<String, Lane> lanes = new HashMap<>();
        Map<String, String[]> edgeNodes = new HashMap<>();
        Map<String, List<TlLogic>> logics = new LinkedHashMap<>();
        List<Connection> connections = new ArrayList<>();
        Map<String, Junction> junctions = new HashMap<>();
        String[] edge = {null};
        List<Phase>[] phases = new List[] {null};
        List<String>[] requests = new List[] {null};
        Location[] location = {null};
        Xml.forEachElement(file, (name, r, line) -> {
            switch (name) {
                case "location" -> location[0] = location(file, line, r);
                case "edge" -> {
                    edge[0] = Xml.required(file, line, r, "id");
                    String from = Xml.attr(r, "from");
                    String to = Xml.attr(r, "to");
                    if (from != null && to != null) {
                        edgeNodes.put(edge[0], new String[] {from, to});
                    }
                }
                case "lane" -> {
                    String id = Xml.required(file, line, r, "id");
                    lanes.put(id, new Lane(id, edge[0], Xml.number(file, line, r, "length", 0),
                            Xml.number(file, line, r, "speed", 13.89), Xml.attr(r, "shape")));
                }
                case "tlLogic" -> phases[0] = tlLogic(file, line, r, logics);
                case "phase" -> phase(file, line, r, phases[0]);
                case "junction" -> {
                    List<String> foes = new ArrayList<>();
                    requests[0] = foes;
                    String id = Xml.required(file, line, r, "id");
                    String intLanes = Xml.attr(r, "intLanes");
                    junctions.put(id, new Junction(id, String.valueOf(Xml.attr(r, "type")),
                            Xml.number(file, line, r, "x", 0), Xml.number(file, line, r, "y", 0), foes,
                            intLanes == null || intLanes.isBlank() ? List.of() : List.of(intLanes.trim().split("\\s+")),
                            Xml.attr(r, "shape")));
                }
                case "request" -> {
                    if (requests[0] == null) {
                        throw new ScenarioException(file, line, "<request> outside a <junction>");
                    }
                    int index = (int) Xml.number(file, line, r, "index", -1);
                    if (index != requests[0].size()) {
                        throw new ScenarioException(file, line, "<request> index " + index + " out of order");
                    }
                    requests[0].add(Xml.required(file, line, r, "foes"));
                }
                case "connection" -> {
                    String tl = Xml.attr(r, "tl");
                    connections.add(new Connection(Xml.required(file, line, r, "from"),
                            (int) Xml.number(file, line, r, "fromLane", 0), Xml.required(file, line, r, "to"),
                            (int) Xml.number(file, line, r, "toLane", 0), Xml.attr(r, "via"), tl,
                            tl == null ? -1 : (int) Xml.number(file, line, r, "linkIndex", -1), Xml.attr(r, "dir"), line));
                }
                default -> {
                }
            }
        });
        for (Path add : additionalFiles) {
            readPrograms(add, logics);
        }
        return new SumoNet(file, location[0], lanes, edgeNodes, logics, connections, junctions);
    }

    private static Location location(Path file, int line, javax.xml.stream.XMLStreamReader r) {
        String offset = Xml.attr(r, "netOffset");
        double x = 0;
        double y = 0;
        if (offset != null && !offset.isBlank()) {
            String[] xy = offset.trim().split(",");
            try {
                if (xy.length != 2) {
                    throw new NumberFormatException();
                }
                x = Double.parseDouble(xy[0]);
                y = Double.parseDouble(xy[1]);
            } catch (NumberFormatException e) {
                throw new ScenarioException(file, line, "netOffset must be 'x,y', was '" + offset + "'");
            }
        }
        return new Location(x, y, Xml.attr(r, "projParameter"), line);
    }

    /** The {@code <tlLogic>} programs of an additional file, appended to {@code logics}. */
    private static void readPrograms(Path file, Map<String, List<TlLogic>> logics) {
        List<Phase>[] phases = new List[] {null};
        Xml.forEachElement(file, (name, r, line) -> {
            switch (name) {
                case "tlLogic" -> phases[0] = tlLogic(file, line, r, logics);
                case "phase" -> phase(file, line, r, phases[0]);
                default -> {
                }
            }
        });
    }

    private static List<Phase> tlLogic(Path file, int line, javax.xml.stream.XMLStreamReader r,
                                       Map<String, List<TlLogic>> logics) {
        List<Phase> list = new ArrayList<>();
        TlLogic logic = new TlLogic(Xml.required(file, line, r, "id"), Xml.required(file, line, r, "programID"),
                String.valueOf(Xml.attr(r, "type")), Xml.number(file, line, r, "offset", 0), list, line, file);
        logics.computeIfAbsent(logic.id(), k -> new ArrayList<>()).add(logic);
        return list;
    }

    private static void phase(Path file, int line, javax.xml.stream.XMLStreamReader r, List<Phase> phases) {
        if (phases == null) {
            throw new ScenarioException(file, line, "<phase> outside a <tlLogic>");
        }
        double duration = Xml.number(file, line, r, "duration", Double.NaN);
        if (!(duration > 0)) {
            throw new ScenarioException(file, line, "<phase> needs a positive duration");
        }
        phases.add(new Phase(duration, Xml.required(file, line, r, "state"),
                Xml.number(file, line, r, "minDur", Double.NaN), Xml.number(file, line, r, "maxDur", Double.NaN),
                line));
    }

    /**
     * The program SUMO runs for a signal at the start: the last one loaded (network first, then the additional files
     * in order), as SUMO makes each newly loaded program the signal's default.
     */
    public static TlLogic activeProgram(List<TlLogic> programs) {
        return programs.get(programs.size() - 1);
    }

    /**
     * Parses a SUMO shape, "x,y x,y ..." in metres (a third coordinate, when present, is ignored). Shapes are for
     * drawing only: a malformed point is left out.
     */
    public static List<double[]> points(String shape) {
        List<double[]> out = new ArrayList<>();
        if (shape == null) {
            return out;
        }
        for (String p : shape.trim().split("\\s+")) {
            String[] xy = p.split(",");
            if (xy.length >= 2) {
                try {
                    out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
                } catch (NumberFormatException e) {
                    // left out of the drawing; the engine does not use shapes
                }
            }
        }
        return out;
    }

    public Path file() {
        return file;
    }

    /** The network's {@code <location>}, or null when it has none. */
    public Location location() {
        return location;
    }

    public Lane lane(String id) {
        return lanes.get(id);
    }

    public Map<String, Lane> lanes() {
        return lanes;
    }

    /** The node an edge ends at, or null. */
    public String edgeToNode(String edgeId) {
        String[] n = edgeNodes.get(edgeId);
        return n == null ? null : n[1];
    }

    /** The node an edge starts at, or null. */
    public String edgeFromNode(String edgeId) {
        String[] n = edgeNodes.get(edgeId);
        return n == null ? null : n[0];
    }

    /** Programs by traffic-light id, in file order. */
    public Map<String, List<TlLogic>> tlLogics() {
        return tlLogics;
    }

    public List<Connection> connections() {
        return connections;
    }

    public Junction junction(String id) {
        return junctions.get(id);
    }

    public Map<String, Junction> junctions() {
        return junctions;
    }
}
