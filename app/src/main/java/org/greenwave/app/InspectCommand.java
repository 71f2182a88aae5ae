package org.greenwave.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.app.SignalInspection;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greenwave inspect}: what the engine reads from a scenario, per signal, through the same import the other
 * commands use. Needs no SUMO.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        header = "Shows, per signal, what the engine reads from a scenario.",
        description = {"Shows, per signal, what the engine reads from a scenario: position, program, phases, amber and "
                + "all-red, minimum and maximum green, conflicting links, incoming lanes with their saturation flow, "
                + "and the detectors with their MQTT ids and topics, plus the importer's warnings. As text, or as "
                + "JSON in the schema docs/inspect.md describes. Needs no SUMO."})
public final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one; the programs of its additional files "
                    + "count, as SUMO loads them.")
    Path scenario;

    @Option(names = "--net", paramLabel = "FILE", description = "A SUMO network (instead of --scenario).")
    Path net;

    @Option(names = "--tls", split = ",", paramLabel = "ID",
            description = "Only these traffic lights (default: all).")
    List<String> tls = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE", description = "Write to this file instead of the terminal.")
    Path out;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if ((scenario == null) == (net == null)) {
            throw new CommandLine.ParameterException(cl, "give either --scenario PATH or --net FILE");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(cl, "--format must be text or json, was '" + format + "'");
        }
        Scenario s = scenario != null ? Scenario.load(scenario) : Scenario.of(net, List.of(), 0, Scenario.DEFAULT_LENGTH_S);
        SumoNet sumoNet = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(sumoNet, tls);
        Map<String, Object> doc = SignalInspection.document(sumoNet, s.configFile(), s.additionalFiles(), signals,
                Topics.defaults());
        String text = format.equals("json") ? json(doc) : text(doc);
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text, StandardCharsets.UTF_8);
            cl.getErr().println("wrote " + out.toAbsolutePath());
        } else {
            cl.getOut().print(text);
            cl.getOut().flush();
        }
        return 0;
    }

    static String json(Map<String, Object> doc) throws java.io.IOException {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        return new ObjectMapper().writer(pretty).writeValueAsString(doc) + "\n";
    }

    /** The document as a report for a reader, in the document's order. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> doc) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> scenario = (Map<String, Object>) doc.get("scenario");
        Map<String, Object> projection = (Map<String, Object>) doc.get("projection");
        line(b, "Network   %s", scenario.get("net"));
        if (scenario.get("config") != null) {
            line(b, "Scenario  %s", scenario.get("config"));
        }
        for (Object f : (List<Object>) scenario.get("additionalFiles")) {
            line(b, "Additional %s", f);
        }
        if (projection.get("note") != null) {
            line(b, "Position  %s", projection.get("note"));
        } else {
            line(b, "Position  net x,y and lon/lat (%s)", projection.get("projParameter"));
        }
        line(b, "MQTT      topics under %s/", ((Map<String, Object>) doc.get("mqtt")).get("root"));
        for (Object o : (List<Object>) doc.get("signals")) {
            signal(b, (Map<String, Object>) o);
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void signal(StringBuilder b, Map<String, Object> s) {
        b.append('\n');
        Map<String, Object> pos = (Map<String, Object>) s.get("position");
        Map<String, Object> prog = (Map<String, Object>) s.get("program");
        String where = "x " + num(pos.get("x")) + ", y " + num(pos.get("y"))
                + (pos.get("lon") == null ? "" : String.format(Locale.ROOT, ", lon %.7f, lat %.7f", pos.get("lon"), pos.get("lat")));
        line(b, "== Signal %s at %s", s.get("id"), where);
        List<String> junctions = new ArrayList<>();
        for (Object j : (List<Object>) s.get("junctions")) {
            junctions.add(String.valueOf(((Map<String, Object>) j).get("id")));
        }
        line(b, "Junctions: %s", String.join(", ", junctions));
        line(b, "Program '%s', type %s, offset %s s (%s line %s); %s links",
                prog.get("id"), prog.get("type"), num(prog.get("offsetS")), Path.of((String) prog.get("file")).getFileName(),
                prog.get("line"), s.get("linkCount"));

        b.append("\nLinks\n");
        for (Object o : (List<Object>) s.get("links")) {
            Map<String, Object> l = (Map<String, Object>) o;
            if (Boolean.TRUE.equals(l.get("used"))) {
                line(b, "  %3s  %s -> %s%s", l.get("index"), l.get("fromLane"), l.get("toLane"),
                        Boolean.TRUE.equals(l.get("crossing")) ? "  (pedestrian crossing)" : "");
            } else {
                line(b, "  %3s  (no connection)", l.get("index"));
            }
        }

        b.append("\nProgram phases\n");
        line(b, "  %3s  %-" + Math.max(5, ((Number) s.get("linkCount")).intValue()) + "s  %6s  %6s  %6s  %-16s  %s",
                "#", "state", "dur s", "min s", "max s", "role", "links");
        for (Object o : (List<Object>) s.get("phases")) {
            Map<String, Object> p = (Map<String, Object>) o;
            StringBuilder links = new StringBuilder();
            appendLinks(links, "protected", (List<Object>) p.get("protected"));
            appendLinks(links, "permissive", (List<Object>) p.get("permissive"));
            appendLinks(links, "amber", (List<Object>) p.get("amber"));
            String role = String.valueOf(p.get("role"));
            if (p.get("enginePhase") != null) {
                role += " (engine " + p.get("enginePhase") + ")";
            }
            line(b, "  %3s  %-" + Math.max(5, ((Number) s.get("linkCount")).intValue()) + "s  %6s  %6s  %6s  %-16s  %s",
                    p.get("index"), p.get("state"), num(p.get("durationS")), num(p.get("minDurS")),
                    num(p.get("maxDurS")), role, links.toString().trim());
        }

        b.append("\nEngine phases (what the controller may choose)\n");
        for (Object o : (List<Object>) s.get("greenPhases")) {
            Map<String, Object> g = (Map<String, Object>) o;
            line(b, "  %s  %s  (program phase %s, %s s)  min green %s s, max green %s s%s", g.get("enginePhase"),
                    g.get("state"), g.get("programPhase"), num(g.get("programGreenS")), num(g.get("minGreenS")),
                    num(g.get("maxGreenS")), g.get("effectiveMinGreenS").equals(g.get("minGreenS")) ? ""
                            : ", " + num(g.get("effectiveMinGreenS")) + " s with pedestrians");
        }
        line(b, "  Clearance after every green: amber %s s, then all-red %s s", num(s.get("amberS")),
                num(s.get("allRedS")));
        List<Object> transitions = (List<Object>) s.get("transitions");
        if (!transitions.isEmpty()) {
            b.append("\nProgram transitions (amber, all-red)\n");
            for (Object o : transitions) {
                Map<String, Object> t = (Map<String, Object>) o;
                line(b, "  phase %s -> %s: amber %s s (phase %s), all-red %s s", t.get("fromPhase"),
                        t.get("toPhase"), num(t.get("amberS")), t.get("amberPhase"), num(t.get("allRedS")));
            }
        }

        List<Object> conflicts = (List<Object>) s.get("conflicts");
        b.append("\nConflicting links (").append(conflicts.size()).append(" pairs)\n");
        for (Object o : conflicts) {
            Map<String, Object> c = (Map<String, Object>) o;
            line(b, "  %3s x %-3s  %s -> %s  x  %s -> %s", c.get("a"), c.get("b"), c.get("aFrom"), c.get("aTo"),
                    c.get("bFrom"), c.get("bTo"));
        }

        b.append("\nIncoming lanes\n");
        for (Object o : (List<Object>) s.get("incomingLanes")) {
            Map<String, Object> l = (Map<String, Object>) o;
            if (Boolean.TRUE.equals(l.get("walkingArea"))) {
                line(b, "  %3s  %-24s %8s m  walking area", l.get("index"), l.get("id"), num(l.get("lengthM")));
            } else {
                line(b, "  %3s  %-24s %8s m  %6s m/s  saturation %s veh/h", l.get("index"), l.get("id"),
                        num(l.get("lengthM")), num(l.get("speedMps")), num(l.get("saturationVehPerH")));
            }
        }

        Map<String, Object> topics = (Map<String, Object>) s.get("topics");
        b.append("\nDetectors (engine id = MQTT id)\n");
        for (Object o : (List<Object>) s.get("detectors")) {
            Map<String, Object> d = (Map<String, Object>) o;
            List<Object> sumo = (List<Object>) d.get("sumoIds");
            String sumoNote = sumo.size() > 1
                    ? "  (SUMO: " + String.join(" + ", sumo.stream().map(String::valueOf).toList()) + ")" : "";
            line(b, "  %-9s %-34s on %s%s", d.get("kind"), d.get("mqttId"), d.get("lane"), sumoNote);
        }
        line(b, "  loops (STOP_LINE, ADVANCE) on %s and %s", topics.get("events"), topics.get("aggregates"));
        line(b, "  lane-area detectors (AREA_IN, AREA_OUT) on %s", topics.get("laneArea"));
        line(b, "  plans on %s, controller status on %s", topics.get("plan"), topics.get("status"));

        List<Object> warnings = (List<Object>) s.get("warnings");
        if (!warnings.isEmpty()) {
            b.append("\nWarnings\n");
            for (Object w : warnings) {
                line(b, "  ! %s", w);
            }
        }
    }

    private static void appendLinks(StringBuilder b, String what, List<Object> links) {
        if (!links.isEmpty()) {
            b.append(what).append(' ').append(String.join(",", links.stream().map(String::valueOf).toList())).append("  ");
        }
    }

    private static String num(Object v) {
        if (v == null) {
            return "-";
        }
        double d = ((Number) v).doubleValue();
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
