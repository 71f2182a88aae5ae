package org.greenwave.netimport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SUMO scenario as the harness runs it: the configuration file (if any), the network, the route and additional
 * files, and the simulated window.
 *
 * @param name            short name for reports (the file name without extension)
 * @param configFile      the {@code .sumocfg}, or {@code null} when given as net + routes
 * @param netFile         the network
 * @param routeFiles      route files, absolute
 * @param additionalFiles the scenario's own additional files, absolute
 * @param beginS          first simulated second
 * @param endS            last simulated second (exclusive)
 */
public record Scenario(String name, Path configFile, Path netFile, List<Path> routeFiles, List<Path> additionalFiles,
                       double beginS, double endS) {

    /** Default window length when neither the configuration nor the caller names an end, seconds. */
    public static final double DEFAULT_LENGTH_S = 3600;

    /**
     * Loads a scenario from a {@code .sumocfg}, or from a folder holding exactly one.
     *
     * @throws ScenarioException naming the file and line of what is wrong
     */
    public static Scenario load(Path path) {
        Path cfg = path;
        if (Files.isDirectory(path)) {
            List<Path> cfgs = new ArrayList<>();
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.getFileName().toString().endsWith(".sumocfg")).sorted().forEach(cfgs::add);
            } catch (java.io.IOException e) {
                throw new ScenarioException(path, 0, "cannot list folder: " + e.getMessage(), e);
            }
            if (cfgs.size() != 1) {
                throw new ScenarioException(path, 0, "expected exactly one .sumocfg in the folder, found " + cfgs.size());
            }
            cfg = cfgs.get(0);
        }
        if (!Files.isRegularFile(cfg)) {
            throw new ScenarioException(cfg, 0, "scenario file not found");
        }
        Path file = cfg.toAbsolutePath().normalize();
        Path dir = file.getParent();
        Path[] net = {null};
        List<Path> routes = new ArrayList<>();
        List<Path> adds = new ArrayList<>();
        double[] window = {0, Double.NaN};
        Xml.forEachElement(file, (name, r, line) -> {
            switch (name) {
                case "net-file" -> net[0] = files(file, line, dir, Xml.required(file, line, r, "value")).get(0);
                case "route-files" -> routes.addAll(files(file, line, dir, Xml.required(file, line, r, "value")));
                case "additional-files" -> adds.addAll(files(file, line, dir, Xml.required(file, line, r, "value")));
                case "begin" -> window[0] = Xml.number(file, line, r, "value", 0);
                case "end" -> window[1] = Xml.number(file, line, r, "value", Double.NaN);
                default -> {
                }
            }
        });
        if (net[0] == null) {
            throw new ScenarioException(file, 0, "no <net-file> in the configuration");
        }
        Path netFile = net[0];
        double end = Double.isNaN(window[1]) ? window[0] + DEFAULT_LENGTH_S : window[1];
        if (!(end > window[0])) {
            throw new ScenarioException(file, 0, "end (" + end + ") must be after begin (" + window[0] + ")");
        }
        String base = file.getFileName().toString().replaceFirst("\\.sumocfg$", "");
        return new Scenario(base, file, netFile, List.copyOf(routes), List.copyOf(adds), window[0], end);
    }

    /** A scenario given as a network and route files, over {@code [beginS, endS)}. */
    public static Scenario of(Path netFile, List<Path> routeFiles, double beginS, double endS) {
        Path net = netFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(net)) {
            throw new ScenarioException(net, 0, "network file not found");
        }
        List<Path> routes = new ArrayList<>();
        for (Path r : routeFiles) {
            Path abs = r.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new ScenarioException(abs, 0, "route file not found");
            }
            routes.add(abs);
        }
        String base = net.getFileName().toString().replaceFirst("\\.net\\.xml$", "");
        return new Scenario(base, null, net, List.copyOf(routes), List.of(), beginS, endS);
    }

    /**
     * The same scenario over its first {@code windowS} seconds only (its whole window when that is shorter).
     *
     * @throws IllegalArgumentException when {@code windowS} is not a positive finite number
     */
    public Scenario firstSeconds(double windowS) {
        if (!(windowS > 0 && Double.isFinite(windowS))) {
            throw new IllegalArgumentException("a window must be a positive number of seconds, was " + windowS);
        }
        return new Scenario(name, configFile, netFile, routeFiles, additionalFiles, beginS,
                Math.min(endS, beginS + windowS));
    }

    /** The same scenario under another name (reports and output folders show it). */
    public Scenario named(String newName) {
        return new Scenario(newName, configFile, netFile, routeFiles, additionalFiles, beginS, endS);
    }

    /** The SUMO elements that put traffic into a simulation. */
    private static final java.util.Set<String> DEMAND = java.util.Set.of("vehicle", "trip", "flow", "person",
            "personFlow", "container", "containerFlow");

    /**
     * Fails unless the route or additional files define some traffic (a vehicle, trip, flow, person or container):
     * without it a run simulates an empty network and every figure is zero.
     *
     * @throws ScenarioException naming the configuration (or the network) and the files read
     */
    public void requireDemand() {
        List<Path> read = new ArrayList<>(routeFiles);
        read.addAll(additionalFiles);
        for (Path f : read) {
            if (Xml.firstElement(f, DEMAND::contains) >= 0) {
                return;
            }
        }
        Path where = configFile != null ? configFile : netFile;
        if (routeFiles.isEmpty() && additionalFiles.isEmpty()) {
            throw new ScenarioException(where, 0, configFile != null
                    ? "names no route files (<route-files> under <input>), so no vehicle would be simulated"
                    : "no route files given, so no vehicle would be simulated");
        }
        throw new ScenarioException(where, 0, "no vehicle, trip, flow or person is defined in "
                + String.join(", ", read.stream().map(Path::toString).toList()) + ", so no vehicle would be simulated");
    }

    private static List<Path> files(Path cfg, int line, Path dir, String value) {
        List<Path> out = new ArrayList<>();
        for (String part : value.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            Path p = dir.resolve(part).normalize();
            if (!Files.isRegularFile(p)) {
                throw new ScenarioException(cfg, line, "names a file that does not exist: " + p);
            }
            out.add(p);
        }
        return out;
    }
}
