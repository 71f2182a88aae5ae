package org.greenwave.harness.osm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * Builds a SUMO scenario for a signal study from an OpenStreetMap extract: the network by {@code netconvert} with
 * the options SUMO recommends for OSM, the demand by {@code randomTrips.py}, and a {@code .sumocfg} naming both over
 * the study window. See {@code docs/osm.md}.
 *
 * <p>Everything is built in a temporary folder beside the output folder and moved into place only once complete: a
 * failure leaves no output folder behind (and an existing one untouched).
 */
public final class OsmImport {
    /** Vehicles per hour when neither a rate nor a period is given. */
    public static final double DEFAULT_DEMAND_VEH_PER_H = 600;
    /** Length of the demand and of the simulated window, seconds. */
    public static final double DEFAULT_WINDOW_S = 3600;
    /** How much likelier a trip starts or ends at the edge of the area than inside it (randomTrips' fringe factor). */
    public static final String DEFAULT_FRINGE_FACTOR = "5";
    /** randomTrips' seed. */
    public static final long DEFAULT_SEED = 42;
    /** The type map SUMO ships for road networks from OSM, under {@code $SUMO_HOME/data/typemap}. */
    public static final String DEFAULT_TYPEMAP = "osmNetconvert.typ.xml";
    /** Program type netconvert gives the signals it builds. */
    public static final String DEFAULT_SIGNAL_TYPE = "actuated";
    /** Program types netconvert can give a signal ({@code --tls.default-type}). */
    public static final List<String> SIGNAL_TYPES = List.of("static", "actuated", "delay_based");

    /**
     * netconvert's options for every import: those SUMO's OSM import page and its osmBuild/osmWebWizard tools
     * recommend (geometry and ramp clean-up, joined junction clusters, signals tagged on the approaches of a junction
     * moved to the junction, single-road signals such as pedestrian lights dropped, clustered signals joined), and,
     * for a vehicle study, the road network only (rail, bicycle and footpaths out) as one connected piece.
     */
    static final List<String> NETCONVERT_OPTIONS = List.of(
            "--geometry.remove", "--roundabouts.guess", "--ramps.guess", "--junctions.join",
            "--junctions.corner-detail", "5", "--tls.guess-signals", "--tls.discard-simple", "--tls.join",
            "--output.street-names", "--output.original-names",
            "--remove-edges.by-vclass", "tram,rail_urban,rail,rail_electric,rail_fast,bicycle,pedestrian",
            "--keep-edges.components", "1");

    /** randomTrips' options for every import: passenger cars on routable trips, as SUMO's osmWebWizard draws them. */
    static final List<String> RANDOM_TRIPS_OPTIONS = List.of(
            "--validate", "--remove-loops", "--vehicle-class", "passenger", "--vclass", "passenger", "--prefix", "veh",
            "--trip-attributes", "departLane=\"best\"", "--fringe-start-attributes", "departSpeed=\"max\"",
            "--min-distance", "300", "--min-distance.fringe", "10", "--allow-fringe.min-length", "1000", "--lanes");

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private OsmImport() {
    }

    /** What to build. Set the fields, then {@link #conclude()} checks them all before anything runs. */
    public static final class Settings {
        private Path osmFile;
        private Path outDir;
        private String name;
        private boolean guessSignals;
        private String signalType = DEFAULT_SIGNAL_TYPE;
        private List<String> typemaps = List.of(DEFAULT_TYPEMAP);
        private Double demandVehPerH;
        private Double periodS;
        private long seed = DEFAULT_SEED;
        private double windowS = DEFAULT_WINDOW_S;
        private String fringeFactor = DEFAULT_FRINGE_FACTOR;
        private List<String> netconvertArgs = List.of();
        private List<String> randomTripsArgs = List.of();
        private boolean replace;

        public Settings osmFile(Path v) {
            osmFile = v;
            return this;
        }

        public Settings outDir(Path v) {
            outDir = v;
            return this;
        }

        /** Base name of the files; default: the OSM file's name without {@code .osm}, {@code .xml}, {@code .gz}. */
        public Settings name(String v) {
            name = v;
            return this;
        }

        /** Whether netconvert places signals at major junctions where OSM has none ({@code --tls.guess}). */
        public Settings guessSignals(boolean v) {
            guessSignals = v;
            return this;
        }

        public Settings signalType(String v) {
            signalType = v;
            return this;
        }

        /** Type maps: files, or names of those under {@code $SUMO_HOME/data/typemap}. */
        public Settings typemaps(List<String> v) {
            typemaps = List.copyOf(v);
            return this;
        }

        public Settings demandVehPerH(Double v) {
            demandVehPerH = v;
            return this;
        }

        public Settings periodS(Double v) {
            periodS = v;
            return this;
        }

        public Settings seed(long v) {
            seed = v;
            return this;
        }

        public Settings windowS(double v) {
            windowS = v;
            return this;
        }

        /** A number ≥ 1, or {@code max} for trips that all start and end at the edge of the area. */
        public Settings fringeFactor(String v) {
            fringeFactor = v;
            return this;
        }

        public Settings netconvertArgs(List<String> v) {
            netconvertArgs = List.copyOf(v);
            return this;
        }

        public Settings randomTripsArgs(List<String> v) {
            randomTripsArgs = List.copyOf(v);
            return this;
        }

        /** Whether an existing, non-empty output folder is replaced (once the new one is complete). */
        public Settings replace(boolean v) {
            replace = v;
            return this;
        }

        /**
         * Checks every setting and fills in the defaults.
         *
         * @throws IllegalArgumentException naming the setting, by its command-line option, and the value at fault
         */
        public Settings conclude() {
            if (osmFile == null) {
                throw new IllegalArgumentException("name the OpenStreetMap file");
            }
            osmFile = osmFile.toAbsolutePath().normalize();
            if (name == null) {
                name = osmFile.getFileName().toString().replaceFirst("(?i)(\\.gz)?$", "")
                        .replaceFirst("(?i)(\\.osm)?(\\.xml)?$", "");
            }
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-' (starting with a "
                        + "letter or digit), was '" + name + "'");
            }
            if (outDir == null) {
                outDir = Path.of(name);
            }
            outDir = outDir.toAbsolutePath().normalize();
            if (outDir.getParent() == null) {
                throw new IllegalArgumentException("--out cannot be the file-system root");
            }
            if (!SIGNAL_TYPES.contains(signalType)) {
                throw new IllegalArgumentException("--signal-type must be one of " + String.join(", ", SIGNAL_TYPES)
                        + ", was '" + signalType + "'");
            }
            if (typemaps.isEmpty()) {
                throw new IllegalArgumentException("--typemap needs at least one file");
            }
            if (demandVehPerH != null && periodS != null) {
                throw new IllegalArgumentException("give either --demand or --period, not both");
            }
            if (demandVehPerH == null && periodS == null) {
                demandVehPerH = DEFAULT_DEMAND_VEH_PER_H;
            }
            if (demandVehPerH != null && !(demandVehPerH > 0 && Double.isFinite(demandVehPerH))) {
                throw new IllegalArgumentException("--demand must be a positive number of vehicles per hour, was "
                        + demandVehPerH);
            }
            if (periodS != null && !(periodS > 0 && Double.isFinite(periodS))) {
                throw new IllegalArgumentException("--period must be a positive number of seconds, was " + periodS);
            }
            if (!(windowS > 0 && Double.isFinite(windowS))) {
                throw new IllegalArgumentException("--window must be a positive number of seconds, was " + windowS);
            }
            if (!fringeFactor.equals("max")) {
                double f;
                try {
                    f = Double.parseDouble(fringeFactor);
                } catch (NumberFormatException e) {
                    f = Double.NaN;
                }
                if (!(f >= 1 && Double.isFinite(f))) {
                    throw new IllegalArgumentException("--fringe-factor must be a number of at least 1, or max, was '"
                            + fringeFactor + "'");
                }
            }
            return this;
        }

        public Path osmFile() {
            return osmFile;
        }

        public Path outDir() {
            return outDir;
        }

        public String name() {
            return name;
        }

        public double windowS() {
            return windowS;
        }
    }

    /** One signal of the built network. {@code problem} is null when Greenwave can model it, else why not. */
    public record Signal(String id, String type, int phases, int links, List<String> junctions, String problem) {
    }

    /**
     * What was built.
     *
     * @param dir        the scenario folder
     * @param configFile its {@code .sumocfg}
     * @param osm        what the OSM file held
     * @param guessed    whether netconvert also placed signals where OSM maps none
     * @param signals    the network's signals, in the network's order
     * @param edges      road edges (junction-internal ones not counted)
     * @param roadKm     their total length, km
     * @param vehicles   vehicles in the route file
     * @param windowS    the demand and simulation window, seconds
     */
    public record Result(Path dir, Path configFile, OsmExtract osm, boolean guessed, List<Signal> signals, int edges,
                         double roadKm,
                         int vehicles, double windowS) {
        /** Vehicles per hour the route file sends. */
        public double vehPerH() {
            return vehicles * 3600.0 / windowS;
        }

        /** Ids of the signals Greenwave can model. */
        public List<String> modelled() {
            return signals.stream().filter(s -> s.problem() == null).map(Signal::id).toList();
        }
    }

    /**
     * Builds the scenario, with the SUMO tools found from {@code env} (see {@link SumoTools#locate}). The OSM file is
     * checked first, then the tools, then the output folder; nothing is written before all three pass. Progress goes
     * to {@code progress}, one line per step.
     *
     * @throws ScenarioException     naming the OSM file when it cannot be used or the area has no usable signal
     * @throws SumoTools.ToolFailure quoting netconvert's or randomTrips' own error lines
     * @throws IOException           when a tool is missing or the output folder cannot be written
     */
    public static Result run(Settings s, Map<String, String> env, PrintStream progress) throws IOException {
        s.conclude();
        OsmExtract osm = OsmExtract.scan(s.osmFile);
        if (osm.signalNodeIds().isEmpty() && !s.guessSignals) {
            throw new ScenarioException(osm.file(), 0, "no node is tagged highway=traffic_signals in this area, so "
                    + "there is no signal to study; choose an area with signals, or add --guess-signals to let "
                    + "netconvert place signals at major junctions");
        }
        SumoTools tools = SumoTools.locate(env);
        List<Path> typemaps = typemaps(s.typemaps, tools.sumoHome());
        Path out = s.outDir;
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + " exists and is not a folder; choose another --out");
        }
        if (Files.isDirectory(out) && !s.replace && !isEmpty(out)) {
            throw new IOException(out + " already exists and is not empty; choose another --out, or add --force to "
                    + "replace it");
        }
        Files.createDirectories(out.getParent());
        Path tmp = buildingFolder(out);
        Thread cleanup = new Thread(() -> deleteTree(tmp), "osm-import-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Result r = build(s, tools, osm, typemaps, tmp, progress);
            moveIntoPlace(tmp, out);
            return new Result(out, out.resolve(r.configFile().getFileName()), osm, r.guessed(), r.signals(),
                    r.edges(), r.roadKm(), r.vehicles(), r.windowS());
        } finally {
            deleteTree(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and runs the hook itself
            }
        }
    }

    private static Result build(Settings s, SumoTools tools, OsmExtract osm, List<Path> typemaps, Path dir,
                                PrintStream progress) throws IOException {
        String netName = s.name + ".net.xml";
        String netcfg = s.name + ".netccfg";
        List<String> netArgs = new ArrayList<>();
        netArgs.add(tools.netconvert().toString());
        netArgs.addAll(List.of("--osm-files", osm.file().toString()));
        netArgs.addAll(List.of("--type-files", String.join(",", typemaps.stream().map(Path::toString).toList())));
        netArgs.addAll(NETCONVERT_OPTIONS);
        netArgs.addAll(List.of("--tls.default-type", s.signalType));
        if (s.guessSignals) {
            netArgs.addAll(List.of("--tls.guess", "--tls.guess.joining"));
        }
        netArgs.addAll(List.of("--output-file", netName));
        netArgs.addAll(s.netconvertArgs);
        netArgs.addAll(List.of("--save-configuration", netcfg));
        progress.println("netconvert: building the network from " + osm.file() + " (" + osm.roadWays() + " roads, "
                + osm.signalNodeIds().size() + " node(s) tagged highway=traffic_signals)");
        Path netLog = dir.resolve("netconvert.log");
        tools.run("netconvert", netArgs, dir, netLog, osm.file().toString());
        tools.run("netconvert", List.of(tools.netconvert().toString(), "--configuration-file", netcfg), dir, netLog,
                osm.file().toString());
        Path netFile = dir.resolve(netName);
        if (!Files.isRegularFile(netFile)) {
            throw new SumoTools.ToolFailure("netconvert wrote no network for " + osm.file() + ":\n"
                    + String.join("\n", SumoTools.errorLines(netLog)).indent(2).stripTrailing());
        }
        SumoNet net = SumoNet.read(netFile);
        List<Signal> signals = signals(net);
        if (signals.isEmpty()) {
            throw new ScenarioException(osm.file(), 0, "netconvert kept no traffic signal in this area"
                    + (osm.signalNodeIds().isEmpty() ? "" : ": the node(s) tagged highway=traffic_signals ("
                    + abbreviate(osm.signalNodeIds()) + ") are on plain road sections (pedestrian lights, which "
                    + "--tls.discard-simple drops) or on ways that are not roads")
                    + (s.guessSignals ? ""
                    : "; add --guess-signals to let netconvert place signals at major junctions"));
        }
        if (signals.stream().allMatch(g -> g.problem() != null)) {
            throw new ScenarioException(netFile, 0, "Greenwave can model none of the network's signals: "
                    + signals.get(0).id() + ": " + signals.get(0).problem());
        }
        int[] edgeCount = {0};
        double roadM = roadLength(net, edgeCount);

        String trips = s.name + ".trips.xml";
        String routes = s.name + ".rou.xml";
        List<String> tripArgs = new ArrayList<>();
        tripArgs.add(tools.randomTrips().toString());
        tripArgs.addAll(List.of("--net-file", netName, "--output-trip-file", trips, "--route-file", routes,
                "--begin", "0", "--end", number(s.windowS), "--seed", Long.toString(s.seed)));
        if (s.periodS != null) {
            tripArgs.addAll(List.of("--period", number(s.periodS)));
        } else {
            tripArgs.addAll(List.of("--insertion-rate", number(s.demandVehPerH)));
        }
        tripArgs.addAll(List.of("--fringe-factor", s.fringeFactor));
        tripArgs.addAll(RANDOM_TRIPS_OPTIONS);
        tripArgs.addAll(s.randomTripsArgs);
        double requested = s.periodS != null ? 3600 / s.periodS : s.demandVehPerH;
        progress.println("randomTrips: drawing " + number(requested) + " veh/h over 0-" + number(s.windowS)
                + " s, seed " + s.seed + ", fringe factor " + s.fringeFactor);
        List<String> pythonArgs = new ArrayList<>();
        pythonArgs.add(tools.python().toString());
        pythonArgs.addAll(tripArgs);
        Path tripLog = dir.resolve("randomTrips.log");
        String builtNet = "the network built from " + osm.file();
        tools.run("randomTrips.py", pythonArgs, dir, tripLog, builtNet);
        Path routeFile = dir.resolve(routes);
        if (!Files.isRegularFile(routeFile)) {
            throw new SumoTools.ToolFailure("randomTrips.py wrote no routes for " + builtNet + " (its duarouter call "
                    + "failed):\n" + String.join("\n", SumoTools.errorLines(tripLog)).indent(2).stripTrailing());
        }
        int vehicles = countVehicles(routeFile);
        if (vehicles == 0) {
            throw new ScenarioException(osm.file(), 0, "randomTrips found no routable trip in this area (every trip "
                    + "needs a path of at least 300 m, or 10 m from edge to edge of the area); choose a larger area");
        }

        Path cfg = dir.resolve(s.name + ".sumocfg");
        Files.writeString(cfg, sumocfg(osm.file(), netName, routes, s.windowS));
        Path script = dir.resolve("build.sh");
        Files.writeString(script, buildScript(osm.file(), netcfg, tools, tripArgs));
        script.toFile().setExecutable(true);
        Scenario.load(cfg);
        return new Result(dir, cfg, osm, s.guessSignals, signals, edgeCount[0], roadM / 1000, vehicles, s.windowS);
    }

    /** Every signal of the net, each with whether the engine can model it (and why not). */
    private static List<Signal> signals(SumoNet net) {
        List<Signal> out = new ArrayList<>();
        for (Map.Entry<String, List<SumoNet.TlLogic>> e : net.tlLogics().entrySet()) {
            SumoNet.TlLogic program = SumoNet.activeProgram(e.getValue());
            int links = program.phases().isEmpty() ? 0 : program.phases().get(0).state().length();
            List<String> junctions = List.of();
            String problem = null;
            try {
                ControlledIntersection ci = ScenarioImport.importSignals(net, List.of(e.getKey())).get(0);
                junctions = ci.junctionIds();
            } catch (ScenarioException ex) {
                problem = ex.getMessage();
            }
            out.add(new Signal(e.getKey(), program.type(), program.phases().size(), links, junctions, problem));
        }
        return out;
    }

    private static double roadLength(SumoNet net, int[] edges) {
        Map<String, Double> byEdge = new HashMap<>();
        for (SumoNet.Lane l : net.lanes().values()) {
            if (l.edgeId() != null && !l.edgeId().startsWith(":")) {
                byEdge.merge(l.edgeId(), l.lengthM(), Math::max);
            }
        }
        edges[0] = byEdge.size();
        double m = 0;
        for (double v : byEdge.values()) {
            m += v;
        }
        return m;
    }

    private static int countVehicles(Path routes) {
        int n = 0;
        try (InputStream in = Files.newInputStream(routes)) {
            XMLStreamReader r = XML.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("vehicle")) {
                        n++;
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | IOException e) {
            throw new ScenarioException(routes, 0, "randomTrips wrote an unreadable route file: " + e.getMessage(), e);
        }
        return n;
    }

    private static List<Path> typemaps(List<String> names, Path sumoHome) {
        List<Path> out = new ArrayList<>();
        Path dir = sumoHome.resolve("data").resolve("typemap");
        for (String n : names) {
            Path given = Path.of(n).toAbsolutePath().normalize();
            Path shipped = dir.resolve(n);
            if (Files.isRegularFile(given)) {
                out.add(given);
            } else if (!n.contains("/") && Files.isRegularFile(shipped)) {
                out.add(shipped);
            } else {
                throw new IllegalArgumentException("--typemap: no file '" + n + "', nor one of that name in " + dir);
            }
        }
        return out;
    }

    static String sumocfg(Path osm, String net, String routes, double windowS) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Built by "greenwave osm" from %s;
                     build.sh beside this file rebuilds the network and the demand. -->
                <configuration xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xsi:noNamespaceSchemaLocation="http://sumo.dlr.de/xsd/sumoConfiguration.xsd">

                    <input>
                        <net-file value="%s"/>
                        <route-files value="%s"/>
                    </input>

                    <time>
                        <begin value="0"/>
                        <end value="%s"/>
                        <step-length value="1"/>
                    </time>

                </configuration>
                """.formatted(escapeXml(osm.toString().replace("--", "- -")), escapeXml(net), escapeXml(routes),
                number(windowS));
    }

    private static String buildScript(Path osm, String netcfg, SumoTools tools, List<String> tripArgs) {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/sh\n");
        b.append("# Rebuilds this scenario from ").append(osm).append(" as \"greenwave osm\" built it.\n");
        b.append("set -e\ncd \"$(dirname \"$0\")\"\n");
        b.append("export SUMO_HOME=\"${SUMO_HOME:-").append(tools.sumoHome()).append("}\"\n");
        b.append("netconvert --configuration-file ").append(shellQuote(netcfg)).append('\n');
        b.append("python3 \"$SUMO_HOME/tools/randomTrips.py\"");
        for (String a : tripArgs.subList(1, tripArgs.size())) {
            b.append(' ').append(shellQuote(a));
        }
        b.append('\n');
        return b.toString();
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./=,:+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 8 ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 8)) + " and " + (ids.size() - 8) + " more";
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /**
     * A new hidden folder beside {@code out} to build in, on the same file system so the finished folder moves into
     * place in one step. Created with the user's default permissions (unlike a temporary folder's owner-only ones),
     * which the scenario folder keeps.
     */
    private static Path buildingFolder(Path out) throws IOException {
        while (true) {
            Path p = out.resolveSibling("." + out.getFileName() + ".building-"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL));
            try {
                return Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another run's: draw again
            }
        }
    }

    /** Moves the finished folder to {@code out}, replacing an existing one only after the new one is complete. */
    private static void moveIntoPlace(Path built, Path out) throws IOException {
        Path old = null;
        if (Files.exists(out)) {
            old = out.resolveSibling("." + out.getFileName() + ".replaced-" + ProcessHandle.current().pid());
            deleteTree(old);
            move(out, old);
        }
        try {
            move(built, out);
        } catch (IOException e) {
            if (old != null) {
                move(old, out);
            }
            throw new IOException("cannot move the built scenario to " + out + ": " + e.getMessage(), e);
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // what is left is a hidden ".<name>.building-*" folder, named as such
        }
    }
}
