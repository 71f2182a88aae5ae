package org.greenwave.harness.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.greenwave.netimport.Xml;

/**
 * Keeps a run's SUMO outputs out of the scenario's folder, which is never written to (it may be read-only, and runs in
 * parallel would overwrite each other's files there).
 *
 * <p>Every output the scenario's {@code .sumocfg} names is redirected on SUMO's command line to the same file name
 * under the run's {@value #DIR}/ folder: the options ending in {@code -output}, {@code .output} or {@code -dump} (SUMO
 * 1.15's {@code summary-output}, {@code tripinfo-output}, {@code fcd-output}, {@code netstate-dump}, {@code
 * vtk-output}, {@code device.rerouting.output}, ...), {@code log}, {@code message-log}, {@code error-log}, {@code
 * save-state.prefix}, {@code save-state.files}, {@code device.ssm.file} and {@code device.toc.file}, by their
 * synonyms too. {@code output-prefix} is switched off (the run's folder already separates runs); state saving
 * ({@code save-state.times} or {@code .period}) without a prefix or files writes {@value #DIR}/state_TIME.xml.gz.
 * A configuration naming {@code save-configuration}, {@code save-template} or {@code save-schema} is refused: SUMO
 * would write that file and stop without simulating.
 *
 * <p>The outputs the scenario's additional files name (detectors' and mean-data's {@code file}, calibrators' {@code
 * output}, timed events' {@code dest}, actuated programs' {@code file} parameter) are redirected by loading a copy of
 * each such file, written under the run's {@value #ADDITIONAL_DIR}/ folder, in which those attributes point under
 * {@value #DIR}/ and the files it reads (includes, rerouter and speed-sign definitions, images) are named by absolute
 * path. Files that name no output are loaded as they are.
 *
 * <p>The user's own SUMO options ({@code --sumo-arg}) that name an output file by a relative path are redirected under
 * {@value #DIR}/ the same way; absolute paths stay as given.
 */
public final class ScenarioOutputs {
    /** The run's sub-folder receiving the outputs the scenario names. */
    public static final String DIR = "outputs";
    /** The run's sub-folder holding the redirected copies of the scenario's additional files. */
    public static final String ADDITIONAL_DIR = "scenario-additional";

    /** SUMO 1.15's synonyms of the options handled here ({@code sumo --save-template}). */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("C", "save-configuration"), Map.entry("save-config", "save-configuration"),
            Map.entry("ndump", "netstate-dump"), Map.entry("netstate", "netstate-dump"),
            Map.entry("netstate-output", "netstate-dump"), Map.entry("summary", "summary-output"),
            Map.entry("tripinfo", "tripinfo-output"), Map.entry("vehroutes", "vehroute-output"),
            Map.entry("personroutes", "personroute-output"), Map.entry("statistics-output", "statistic-output"),
            Map.entry("l", "log"), Map.entry("log-file", "log"));
    /** Output files named other than {@code *-output}, {@code *.output}, {@code *-dump}. */
    private static final Set<String> OTHER_OUTPUT_FILES = Set.of("log", "message-log", "error-log",
            "save-state.prefix", "save-state.files", "device.ssm.file", "device.toc.file");
    /** Options that make SUMO write a file and stop instead of simulating. */
    private static final Set<String> WRITE_AND_STOP = Set.of("save-configuration", "save-template", "save-schema");

    /** Per additional-file element: the attribute naming an output file. */
    private static final Map<String, String> OUTPUT_ATTRIBUTES = Map.ofEntries(
            Map.entry("e1Detector", "file"), Map.entry("inductionLoop", "file"),
            Map.entry("instantInductionLoop", "file"), Map.entry("e2Detector", "file"),
            Map.entry("laneAreaDetector", "file"), Map.entry("e3Detector", "file"),
            Map.entry("entryExitDetector", "file"), Map.entry("edgeData", "file"), Map.entry("laneData", "file"),
            Map.entry("edgeRelations", "file"), Map.entry("tazRelations", "file"), Map.entry("routeProbe", "file"),
            Map.entry("vTypeProbe", "file"), Map.entry("calibrator", "output"), Map.entry("timedEvent", "dest"));
    /** Per additional-file element: the attribute naming a file SUMO reads, relative to the file naming it. */
    private static final Map<String, String> INPUT_ATTRIBUTES = Map.of("include", "href", "rerouter", "file",
            "variableSpeedSign", "file", "poi", "imgFile", "poly", "imgFile");

    private final Path runDir;
    private final Path outputs;
    /** Original output path (absolute, normalized) to its place under the run. */
    private final Map<Path, Path> targets = new HashMap<>();
    private final Set<Path> used = new HashSet<>();

    private ScenarioOutputs(Path runDir) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.outputs = this.runDir.resolve(DIR);
    }

    /**
     * How to run a scenario with its outputs under {@code runDir}.
     *
     * @param sumoArgs        options to add to SUMO's command line
     * @param additionalFiles the scenario's additional files to load instead of {@link Scenario#additionalFiles()}
     * @param userArgs        the user's own SUMO options, their relative output files moved under the run's folder
     */
    public record Redirected(List<String> sumoArgs, List<Path> additionalFiles, List<String> userArgs) {
    }

    /**
     * Redirects the outputs {@code scenario} names under {@code runDir}, writing the copies of additional files that
     * need one.
     *
     * @param callerArgs SUMO options the caller sets itself (e.g. {@code --tripinfo-output}): left as they are, since
     *                   SUMO refuses an option given twice on its command line
     * @throws ScenarioException naming the file and line of a configuration SUMO cannot run as asked, or of an
     *                           additional file that cannot be read
     * @throws IOException       when the run's folder cannot be written
     */
    public static Redirected redirect(Scenario scenario, List<String> callerArgs, Path runDir) throws IOException {
        return redirect(scenario, callerArgs, List.of(), runDir);
    }

    /**
     * As {@link #redirect(Scenario, List, Path)}, and the user's own SUMO options ({@code --sumo-arg}) too: each
     * output file they name by a relative path (e.g. {@code --queue-output=q.xml}, {@code --fcd-output out/fcd.xml},
     * {@code -l log.txt}) goes under the run's {@value #DIR}/ folder like the outputs the configuration names, where
     * SUMO would otherwise write it into the current folder, for every run alike. Absolute paths, SUMO's names for
     * "no output" and every other option stay as given.
     *
     * @param callerArgs SUMO options set by the caller, the user's among them: left out of the configuration's
     * @param userArgs   the user's options, in the order SUMO gets them
     * @throws IllegalArgumentException naming the option when a file name it gives is not a path
     */
    public static Redirected redirect(Scenario scenario, List<String> callerArgs, List<String> userArgs, Path runDir)
            throws IOException {
        ScenarioOutputs o = new ScenarioOutputs(runDir);
        List<String> user = o.userArgs(userArgs);
        Set<String> given = givenOptions(callerArgs);
        given.addAll(givenOptions(userArgs));
        List<String> args = scenario.configFile() == null ? List.of() : o.configArgs(scenario.configFile(), given);
        List<Path> additional = new ArrayList<>();
        for (Path f : scenario.additionalFiles()) {
            additional.add(o.additional(f, additional.size()));
        }
        return new Redirected(args, List.copyOf(additional), List.copyOf(user));
    }

    /** {@code args} with the relative output files their options name moved under {@value #DIR}/. */
    private List<String> userArgs(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.startsWith("--") ? a.substring(2) : a.startsWith("-") && a.length() >= 2 ? a.substring(1)
                    : null;
            int eq = name == null ? -1 : name.indexOf('=');
            String option = name == null ? null : canonical(eq < 0 ? name : name.substring(0, eq));
            if (option == null || !isOutputFile(option)) {
                out.add(a);
            } else if (eq >= 0) {
                out.add(a.substring(0, a.length() - name.length() + eq + 1) + userFiles(a, name.substring(eq + 1)));
            } else if (i + 1 < args.size()) {
                out.add(a);
                out.add(userFiles(a, args.get(++i)));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** The comma-separated files of the user's option {@code option}, the relative ones under {@value #DIR}/. */
    private String userFiles(String option, String value) {
        List<String> files = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String file = part.trim();
            Path p;
            try {
                p = Path.of(file);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException("SUMO option " + option + ": output file name is not a path: '"
                        + file + "'", e);
            }
            if (file.isEmpty() || p.isAbsolute() || file.equalsIgnoreCase("nul") || file.equals("/dev/null")) {
                files.add(part);
            } else {
                files.add(placeUnder(p.normalize(), runDir.resolve(file).normalize()));
            }
        }
        return String.join(",", files);
    }

    /** The long option names (synonyms resolved) that {@code args} sets. */
    private static Set<String> givenOptions(List<String> args) {
        Set<String> given = new HashSet<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                String name = a.substring(2);
                int eq = name.indexOf('=');
                given.add(canonical(eq < 0 ? name : name.substring(0, eq)));
            } else if (a.startsWith("-") && a.length() == 2) {
                given.add(canonical(a.substring(1)));
            }
        }
        return given;
    }

    private static String canonical(String option) {
        return SYNONYMS.getOrDefault(option, option);
    }

    /** Whether SUMO 1.15's option {@code name} names a file it writes. */
    static boolean isOutputFile(String name) {
        return name.endsWith("-output") || name.endsWith(".output") || name.endsWith("-dump")
                || OTHER_OUTPUT_FILES.contains(name);
    }

    private List<String> configArgs(Path cfg, Set<String> given) {
        Path dir = cfg.toAbsolutePath().getParent();
        Map<String, String> named = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Xml.forEachElement(cfg, (element, r, line) -> {
            String value = Xml.attr(r, "value");
            if (value == null) {
                return;
            }
            String option = canonical(element);
            if (WRITE_AND_STOP.contains(option) && !value.isBlank()) {
                throw new ScenarioException(cfg, line, "<" + element + "> makes SUMO write " + value
                        + " and stop without simulating; remove it to run this scenario");
            }
            named.put(option, value);
            lines.put(option, line);
        });
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : named.entrySet()) {
            String option = e.getKey();
            if (given.contains(option)) {
                continue;
            }
            if (option.equals("output-prefix")) {
                args.add("--output-prefix");
                args.add("");
            } else if (isOutputFile(option) && !e.getValue().isBlank()) {
                List<String> files = new ArrayList<>();
                for (String part : e.getValue().split("[,;]")) {
                    if (!part.isBlank()) {
                        files.add(target(dir, part.trim(), cfg, lines.get(option)));
                    }
                }
                args.add("--" + option);
                args.add(String.join(",", files));
            }
        }
        boolean savesState = named.containsKey("save-state.times") || named.containsKey("save-state.period");
        if (savesState && !named.containsKey("save-state.prefix") && !named.containsKey("save-state.files")
                && !given.contains("save-state.prefix") && !given.contains("save-state.files")) {
            args.add("--save-state.prefix");
            args.add(place(outputs.resolve("state")).toString());
        }
        boolean ssm = named.keySet().stream().anyMatch(k -> k.startsWith("device.ssm."));
        if (ssm && !named.containsKey("device.ssm.file") && !given.contains("device.ssm.file")) {
            args.add("--device.ssm.file");
            args.add(place(outputs.resolve("ssm.xml")).toString());
        }
        return args;
    }

    /**
     * Where the output {@code value} (relative to {@code dir}) goes under the run: the same relative path under
     * {@value #DIR}/, or its file name when it leaves the folder; one place per original file. SUMO's names for "no
     * output" stay as they are.
     */
    private String target(Path dir, String value, Path file, int line) {
        if (value.equalsIgnoreCase("nul") || value.equals("/dev/null")) {
            return value;
        }
        Path original;
        try {
            original = dir.resolve(value).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ScenarioException(file, line, "output file name is not a path: '" + value + "'", e);
        }
        return placeUnder(Path.of(value).normalize(), original);
    }

    /**
     * The place under {@value #DIR}/ of output {@code original}, named {@code relative} where it was given: the same
     * relative path, or its file name when it is absolute or leaves the folder; one place per original file.
     */
    private String placeUnder(Path relative, Path original) {
        Path existing = targets.get(original);
        if (existing != null) {
            return existing.toString();
        }
        Path wanted = relative.isAbsolute() || relative.startsWith("..") || relative.getFileName() == null
                ? outputs.resolve(original.getFileName().toString())
                : outputs.resolve(relative);
        Path target = wanted;
        for (int n = 2; used.contains(target); n++) {
            target = wanted.resolveSibling(n + "-" + wanted.getFileName());
        }
        targets.put(original, place(target));
        return target.toString();
    }

    /** Marks {@code target} used and creates its folder. */
    private Path place(Path target) {
        used.add(target);
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + target.getParent(), e);
        }
        return target;
    }

    /** The file to load for additional file {@code f}: itself, or its redirected copy when it names outputs. */
    private Path additional(Path f, int index) throws IOException {
        boolean[] names = {false};
        Xml.forEachElement(f, (element, r, line) -> {
            String attribute = OUTPUT_ATTRIBUTES.get(element);
            names[0] |= attribute != null && r.getAttributeValue(null, attribute) != null
                    || "param".equals(element) && "file".equals(r.getAttributeValue(null, "key"));
        });
        if (!names[0]) {
            return f;
        }
        Path copy = runDir.resolve(ADDITIONAL_DIR).resolve(index + "-" + f.getFileName());
        Files.createDirectories(copy.getParent());
        rewrite(f, copy);
        return copy;
    }

    /** Copies {@code from} to {@code to} with its output attributes redirected and its input files absolute. */
    private void rewrite(Path from, Path to) throws IOException {
        Path dir = from.toAbsolutePath().getParent();
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream is = Files.newInputStream(from); OutputStream os = Files.newOutputStream(to)) {
            XMLStreamReader r = in.createXMLStreamReader(is);
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
            // The original's declaration may name another encoding; the copy is written as UTF-8.
            w.writeStartDocument("UTF-8", "1.0");
            Deque<String> open = new ArrayDeque<>();
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String name = r.getLocalName();
                        int line = r.getLocation().getLineNumber();
                        String output = OUTPUT_ATTRIBUTES.get(name);
                        if ("param".equals(name) && "tlLogic".equals(open.peek())
                                && "file".equals(r.getAttributeValue(null, "key"))) {
                            output = "value";
                        }
                        String input = INPUT_ATTRIBUTES.get(name);
                        w.writeStartElement(name);
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String attribute = r.getAttributeLocalName(i);
                            String value = r.getAttributeValue(i);
                            if (attribute.equals(output)) {
                                value = target(dir, value, from, line);
                            } else if (attribute.equals(input)) {
                                value = dir.resolve(value).normalize().toString();
                            }
                            w.writeAttribute(attribute, value);
                        }
                        open.push(name);
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        open.poll();
                        w.writeEndElement();
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> w.writeCharacters(r.getText());
                    case XMLStreamConstants.CDATA -> w.writeCData(r.getText());
                    case XMLStreamConstants.COMMENT -> w.writeComment(r.getText());
                    default -> {
                    }
                }
            }
            w.writeEndDocument();
            w.close();
            r.close();
        } catch (XMLStreamException e) {
            throw new ScenarioException(from, e.getLocation() == null ? 0 : e.getLocation().getLineNumber(),
                    "malformed XML: " + e.getMessage(), e);
        }
    }
}
