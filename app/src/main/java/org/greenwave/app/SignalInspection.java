package org.greenwave.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.policy.Policies;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.GeoProjection;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;

/**
 * What the engine reads from a network, per signal, as a tree of ordered maps, lists, strings, numbers and booleans:
 * the {@code greenwave inspect} document, schema {@value #SCHEMA} (see {@code docs/inspect.md}). Everything in it
 * comes from the importer's own results ({@link ScenarioImport}, the {@link IntersectionModel} it builds, the
 * detectors {@link ScenarioImport#engineIntersection} configures), never from a second reading of the files.
 */
public final class SignalInspection {
    /** Name and version of the document's schema; a change that is not an addition raises the version. */
    public static final String SCHEMA = "greenwave-inspect/1";

    private SignalInspection() {
    }

    /**
     * The document for {@code signals} imported from {@code net}.
     *
     * @param configFile      the scenario's {@code .sumocfg}, or null
     * @param additionalFiles the additional files whose programs were read with the network
     * @param topics          the MQTT topic tree the engine uses
     */
    public static Map<String, Object> document(SumoNet net, Path configFile, List<Path> additionalFiles,
                                               List<ControlledIntersection> signals, Topics topics) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("config", configFile == null ? null : configFile.toString());
        scenario.put("net", net.file().toString());
        scenario.put("additionalFiles", additionalFiles.stream().map(Path::toString).toList());
        doc.put("scenario", scenario);

        SumoNet.Location location = net.location();
        GeoProjection projection = null;
        Map<String, Object> proj = new LinkedHashMap<>();
        proj.put("projParameter", location == null ? null : location.projParameter());
        proj.put("netOffset", location == null ? null : List.of(round(location.offsetX(), 2), round(location.offsetY(), 2)));
        String note = null;
        try {
            projection = GeoProjection.of(location);
            if (projection == null) {
                note = "the network has no geographic projection: positions are net coordinates only";
            }
        } catch (IllegalArgumentException e) {
            note = e.getMessage() + ": positions are net coordinates only";
        }
        proj.put("lonLat", projection != null);
        proj.put("note", note);
        doc.put("projection", proj);
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("root", topics.root());
        doc.put("mqtt", mqtt);

        List<Object> out = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            out.add(signal(net, ci, projection, topics));
        }
        doc.put("signals", out);
        return doc;
    }

    private static Map<String, Object> signal(SumoNet net, ControlledIntersection ci, GeoProjection projection,
                                              Topics topics) {
        IntersectionModel m = ci.model();
        SumoNet.TlLogic program = ci.program();
        List<SumoNet.Phase> phases = program.phases();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", ci.id());

        List<Object> junctions = new ArrayList<>();
        double sx = 0;
        double sy = 0;
        for (String j : ci.junctionIds()) {
            SumoNet.Junction junction = net.junction(j);
            Map<String, Object> jm = new LinkedHashMap<>();
            jm.put("id", j);
            jm.put("x", round(junction.x(), 2));
            jm.put("y", round(junction.y(), 2));
            junctions.add(jm);
            sx += junction.x();
            sy += junction.y();
        }
        double x = sx / ci.junctionIds().size();
        double y = sy / ci.junctionIds().size();
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("x", round(x, 2));
        position.put("y", round(y, 2));
        double[] lonLat = projection == null ? null : projection.lonLat(x, y);
        position.put("lon", lonLat == null ? null : round(lonLat[0], 7));
        position.put("lat", lonLat == null ? null : round(lonLat[1], 7));
        s.put("position", position);
        s.put("junctions", junctions);

        Map<String, Object> prog = new LinkedHashMap<>();
        prog.put("id", program.programId());
        prog.put("type", program.type());
        prog.put("file", program.file().toString());
        prog.put("line", program.line());
        prog.put("offsetS", program.offsetS());
        s.put("program", prog);

        int linkCount = m.linkCount();
        s.put("linkCount", linkCount);
        List<Object> links = new ArrayList<>();
        for (int l = 0; l < linkCount; l++) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("index", l);
            lm.put("used", m.linkUsed(l));
            lm.put("fromLane", m.linkUsed(l) ? m.incomingLaneId(m.linkIncomingLane(l)) : null);
            lm.put("toLane", m.linkUsed(l) ? m.outgoingLaneId(m.linkOutgoingLane(l)) : null);
            lm.put("crossing", m.linkIsCrossing(l));
            links.add(lm);
        }
        s.put("links", links);

        boolean[] used = new boolean[linkCount];
        for (int l = 0; l < linkCount; l++) {
            used[l] = m.linkUsed(l);
        }
        int[] engineOf = new int[phases.size()];
        java.util.Arrays.fill(engineOf, -1);
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            engineOf[m.greenPhaseSourceIndex(p)] = p;
        }
        List<Object> phaseList = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            SumoNet.Phase p = phases.get(i);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("index", i);
            pm.put("state", p.state());
            pm.put("durationS", p.durationS());
            pm.put("minDurS", num(p.minDurS()));
            pm.put("maxDurS", num(p.maxDurS()));
            pm.put("role", role(p.state(), used));
            pm.put("enginePhase", engineOf[i] < 0 ? null : engineOf[i]);
            pm.put("protected", linksWith(p.state(), used, c -> c == SignalChar.GREEN));
            pm.put("permissive", linksWith(p.state(), used, c -> c == SignalChar.GREEN_MINOR));
            pm.put("amber", linksWith(p.state(), used, c -> SignalChar.isYellow((char) c)));
            phaseList.add(pm);
        }
        s.put("phases", phaseList);

        List<Object> greens = new ArrayList<>();
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("enginePhase", p);
            g.put("programPhase", m.greenPhaseSourceIndex(p));
            g.put("state", m.greenPhaseString(p));
            g.put("programGreenS", m.programGreenS(p));
            g.put("minGreenS", m.minGreenS(p));
            g.put("maxGreenS", m.maxGreenS(p));
            g.put("effectiveMinGreenS", m.effectiveMinGreenS(p));
            greens.add(g);
        }
        s.put("greenPhases", greens);
        s.put("amberS", m.yellowS());
        s.put("allRedS", m.allRedS());

        List<Object> transitions = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            if (!"amber".equals(role(phases.get(i).state(), used))) {
                continue;
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("amberPhase", i);
            t.put("fromPhase", nearestGreen(phases, used, i, -1));
            t.put("toPhase", nearestGreen(phases, used, i, +1));
            t.put("amberS", phases.get(i).durationS());
            t.put("allRedS", ScenarioImport.clearanceAfterS(phases, i));
            transitions.add(t);
        }
        s.put("transitions", transitions);

        List<Object> conflicts = new ArrayList<>();
        for (int a = 0; a < linkCount; a++) {
            for (int b = a + 1; b < linkCount; b++) {
                if (m.conflicts().conflicts(a, b)) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("a", a);
                    c.put("b", b);
                    c.put("aFrom", m.incomingLaneId(m.linkIncomingLane(a)));
                    c.put("aTo", m.outgoingLaneId(m.linkOutgoingLane(a)));
                    c.put("bFrom", m.incomingLaneId(m.linkIncomingLane(b)));
                    c.put("bTo", m.outgoingLaneId(m.linkOutgoingLane(b)));
                    conflicts.add(c);
                }
            }
        }
        s.put("conflicts", conflicts);

        List<Object> incoming = new ArrayList<>();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("index", lane);
            lm.put("id", m.incomingLaneId(lane));
            lm.put("lengthM", round(m.incomingLaneLengthM(lane), 2));
            lm.put("speedMps", round(m.incomingLaneSpeedMps(lane), 2));
            lm.put("walkingArea", m.incomingLaneIsCrossing(lane));
            lm.put("saturationVehPerH", m.incomingLaneIsCrossing(lane) ? null
                    : round(m.incomingLaneSaturationVehPerS(lane) * 3600, 1));
            lm.put("zoneLanes", ci.incomingStretches().get(lane));
            List<Object> shares = new ArrayList<>();
            double[] pieces = ci.incomingAreaShares()[lane];
            for (int k = pieces.length - 1; k >= 0; k--) {
                shares.add(round(pieces[k], 3));
            }
            lm.put("zoneShares", shares);
            incoming.add(lm);
        }
        s.put("incomingLanes", incoming);
        List<Object> outgoing = new ArrayList<>();
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("index", lane);
            lm.put("id", m.outgoingLaneId(lane));
            lm.put("zoneLengthM", num(round(m.outgoingLaneLengthM(lane), 2)));
            lm.put("zoneLanes", ci.outgoingStretches().get(lane));
            outgoing.add(lm);
        }
        s.put("outgoingLanes", outgoing);

        EngineIntersection engine = ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE);
        List<Object> detectors = new ArrayList<>();
        for (DetectorSpec d : engine.detectors()) {
            boolean loop = d.kind() == DetectorKind.STOP_LINE || d.kind() == DetectorKind.ADVANCE;
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("id", d.id());
            dm.put("kind", d.kind().name());
            dm.put("laneIndex", d.lane());
            dm.put("lane", d.kind() == DetectorKind.AREA_OUT ? m.outgoingLaneId(d.lane()) : m.incomingLaneId(d.lane()));
            List<String> sumoIds = switch (d.kind()) {
                case STOP_LINE, ADVANCE -> List.of(d.id());
                case AREA_IN -> List.of(ci.incomingAreas()[d.lane()]);
                case AREA_OUT -> List.of(ci.outgoingAreas()[d.lane()]);
            };
            dm.put("sumoIds", sumoIds);
            dm.put("mqttId", d.id());
            dm.put("topics", loop
                    ? List.of(topics.detectors(ci.id(), DetectorPayloadKind.EVENTS),
                            topics.detectors(ci.id(), DetectorPayloadKind.AGGREGATES))
                    : List.of(topics.detectors(ci.id(), DetectorPayloadKind.LANE_AREA)));
            detectors.add(dm);
        }
        s.put("detectors", detectors);
        Map<String, Object> signalTopics = new LinkedHashMap<>();
        signalTopics.put("events", topics.detectors(ci.id(), DetectorPayloadKind.EVENTS));
        signalTopics.put("aggregates", topics.detectors(ci.id(), DetectorPayloadKind.AGGREGATES));
        signalTopics.put("laneArea", topics.detectors(ci.id(), DetectorPayloadKind.LANE_AREA));
        signalTopics.put("plan", topics.plan(ci.id()));
        signalTopics.put("status", topics.status(ci.id()));
        s.put("topics", signalTopics);
        s.put("warnings", ci.warnings());
        return s;
    }

    /** {@code green}: a phase the engine may choose; {@code amber}; {@code red}: no green on a used link; else {@code other}. */
    static String role(String state, boolean[] used) {
        boolean green = false;
        for (int l = 0; l < state.length(); l++) {
            char c = state.charAt(l);
            if (SignalChar.isYellow(c)) {
                return "amber";
            }
            green |= used[l] && SignalChar.isPassable(c);
        }
        if (ScenarioImport.isGreenPhase(state, used)) {
            return "green";
        }
        return green ? "other" : "red";
    }

    /** The program index of the nearest green phase before ({@code dir = -1}) or after the phase {@code from}, or null. */
    private static Integer nearestGreen(List<SumoNet.Phase> phases, boolean[] used, int from, int dir) {
        int n = phases.size();
        for (int k = 1; k < n; k++) {
            int i = Math.floorMod(from + dir * k, n);
            if (ScenarioImport.isGreenPhase(phases.get(i).state(), used)) {
                return i;
            }
        }
        return null;
    }

    private static List<Integer> linksWith(String state, boolean[] used, java.util.function.IntPredicate test) {
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < state.length(); l++) {
            if (used[l] && test.test(state.charAt(l))) {
                out.add(l);
            }
        }
        return out;
    }

    private static Double num(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
