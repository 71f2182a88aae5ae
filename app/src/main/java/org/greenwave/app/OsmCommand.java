package org.greenwave.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.harness.osm.OsmImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code greenwave osm}: a SUMO scenario for a signal study from an OpenStreetMap extract. */
@Command(name = "osm", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Builds a SUMO scenario for a signal study from an OpenStreetMap extract.",
        description = {"Builds a SUMO scenario for a signal study from an OpenStreetMap extract (OSM XML): the network "
                + "by SUMO's netconvert with the signals mapped in OSM, random demand by SUMO's randomTrips.py, and a "
                + ".sumocfg that simulate, whatif and the other commands take as --scenario. Prints the signals found "
                + "and the command to run next. See docs/osm.md."})
public final class OsmCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The OpenStreetMap extract: .osm or .osm.xml, or "
            + "either gzipped.")
    Path osmFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder to create for the scenario. Default: the OSM file's name in the current folder.")
    Path out;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Base name of the files (NAME.net.xml, NAME.rou.xml, NAME.sumocfg). Default: the OSM file's "
                    + "name without its extensions.")
    String name;

    @Option(names = "--force", description = "Replace DIR if it exists and is not empty (once the new scenario is "
            + "complete).")
    boolean force;

    @Option(names = "--guess-signals",
            description = "Also let netconvert place signals at major junctions where OSM maps none (its --tls.guess). "
                    + "Default: only the signals OSM maps.")
    boolean guessSignals;

    @Option(names = "--signal-type", paramLabel = "TYPE",
            description = "Type of the program netconvert gives each signal, the program the device controller "
                    + "runs: static, actuated or delay_based. Default: " + OsmImport.DEFAULT_SIGNAL_TYPE + ".")
    String signalType = OsmImport.DEFAULT_SIGNAL_TYPE;

    @Option(names = "--typemap", split = ",", paramLabel = "FILE",
            description = "netconvert type maps: files, or names of those in $SUMO_HOME/data/typemap. Default: "
                    + OsmImport.DEFAULT_TYPEMAP + ".")
    List<String> typemaps = new ArrayList<>(List.of(OsmImport.DEFAULT_TYPEMAP));

    @Option(names = "--demand", paramLabel = "VEH_PER_H",
            description = "Vehicles per hour entering the area, spread evenly over the window. Default: 600.")
    Double demandVehPerH;

    @Option(names = "--period", paramLabel = "S",
            description = "Instead of --demand: one vehicle every S seconds.")
    Double periodS;

    @Option(names = "--window", paramLabel = "S",
            description = "Length of the demand and of the simulated window, from 0. Default: 3600.")
    double windowS = OsmImport.DEFAULT_WINDOW_S;

    @Option(names = "--seed", paramLabel = "N", description = "randomTrips' seed. Default: 42.")
    long seed = OsmImport.DEFAULT_SEED;

    @Option(names = "--fringe-factor", paramLabel = "F",
            description = "How much likelier a trip starts and ends at the edge of the area than inside it: through "
                    + "traffic. A number of at least 1, or max for through traffic only. Default: 5.")
    String fringeFactor = OsmImport.DEFAULT_FRINGE_FACTOR;

    @Option(names = "--netconvert-arg", paramLabel = "ARG",
            description = "Extra argument for netconvert, as is (repeatable), e.g. --netconvert-arg=--osm.turn-lanes.")
    List<String> netconvertArgs = new ArrayList<>();

    @Option(names = "--random-trips-arg", paramLabel = "ARG",
            description = "Extra argument for randomTrips.py, as is (repeatable), e.g. --random-trips-arg=--binomial "
                    + "--random-trips-arg=4.")
    List<String> randomTripsArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        OsmImport.Settings settings = new OsmImport.Settings().osmFile(osmFile).outDir(out).name(name)
                .replace(force).guessSignals(guessSignals).signalType(signalType).typemaps(typemaps)
                .demandVehPerH(demandVehPerH).periodS(periodS).windowS(windowS).seed(seed).fringeFactor(fringeFactor)
                .netconvertArgs(netconvertArgs).randomTripsArgs(randomTripsArgs);
        try {
            settings.conclude();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        OsmImport.Result r = OsmImport.run(settings, System.getenv(), System.err);
        print(cl.getOut(), r, cl.getCommandSpec().root().subcommands().containsKey("inspect"));
        return 0;
    }

    static void print(PrintWriter out, OsmImport.Result r, boolean hasInspect) {
        Path cwd = Path.of("").toAbsolutePath();
        Path dir = r.dir().startsWith(cwd) && !r.dir().equals(cwd) ? cwd.relativize(r.dir()) : r.dir();
        out.printf(Locale.ROOT, "Built %s from %s%n", dir, r.osm().file().getFileName());
        out.printf(Locale.ROOT, "  network  %s: %d edges, %.1f km of road%n",
                r.configFile().getFileName().toString().replaceFirst("\\.sumocfg$", ".net.xml"), r.edges(), r.roadKm());
        out.printf(Locale.ROOT, "  signals  %d, from %d OSM node(s) tagged highway=traffic_signals (those of one "
                + "junction joined, those on a plain road section dropped)%s%n", r.signals().size(),
                r.osm().signalNodeIds().size(), r.guessed() ? " and netconvert's guesses" : "");
        for (OsmImport.Signal s : r.signals()) {
            out.printf(Locale.ROOT, "    %-24s %s, %d phases, %d links%s%n", s.id(), s.type(), s.phases(), s.links(),
                    s.problem() != null ? "; NOT controllable by Greenwave: " + s.problem()
                            : s.junctions().size() > 1 ? ", junctions " + String.join(" ", s.junctions()) : "");
        }
        out.printf(Locale.ROOT, "  demand   %s: %d vehicles over 0-%.0f s, %.0f veh/h%n",
                r.configFile().getFileName().toString().replaceFirst("\\.sumocfg$", ".rou.xml"), r.vehicles(),
                r.windowS(), r.vehPerH());
        out.printf(Locale.ROOT, "  config   %s%n", r.configFile().getFileName());
        String tls = r.modelled().size() < r.signals().size() ? " --tls " + String.join(",", r.modelled()) : "";
        out.println();
        out.println("Next:");
        if (hasInspect) {
            out.println("  greenwave inspect --scenario " + dir);
        }
        out.println("  greenwave simulate --scenario " + dir + tls + " --out " + dir + "-results");
        out.flush();
    }
}
