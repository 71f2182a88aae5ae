package org.greenwave.app.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.SumoNet;

/**
 * The network as the dashboard draws it, from the SUMO network file: every road lane and junction outline, and per
 * signal its incoming lanes (as the polyline from the upstream end of the lane's stretch to the stop line), its links
 * and green phases. Built once at start-up; coordinates are SUMO's metres (y up).
 */
final class NetworkView {
    private NetworkView() {
    }

    /** The network as JSON (UTF-8). Signals in engine order. */
    static byte[] json(String title, SumoNet net, List<ControlledIntersection> signals) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(bytes)) {
            double[] bounds = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeFieldName("lanes");
            g.writeStartArray();
            Map<String, SumoNet.Lane> lanes = new TreeMap<>(net.lanes());
            for (SumoNet.Lane lane : lanes.values()) {
                if (lane.id().startsWith(":") || lane.shape() == null) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", lane.id());
                g.writeFieldName("shape");
                writeShape(g, SumoNet.points(lane.shape()), bounds);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("junctions");
            g.writeStartArray();
            for (SumoNet.Junction j : new TreeMap<>(net.junctions()).values()) {
                if ("internal".equals(j.type()) || j.shape() == null || j.shape().isBlank()) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", j.id());
                g.writeFieldName("shape");
                writeShape(g, SumoNet.points(j.shape()), bounds);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("signals");
            g.writeStartArray();
            for (ControlledIntersection ci : signals) {
                writeSignal(g, net, ci, bounds);
            }
            g.writeEndArray();
            g.writeFieldName("bounds");
            g.writeStartArray();
            for (double b : bounds) {
                g.writeNumber(b);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeSignal(JsonGenerator g, SumoNet net, ControlledIntersection ci, double[] bounds)
            throws IOException {
        IntersectionModel m = ci.model();
        g.writeStartObject();
        g.writeStringField("id", ci.id());
        double[] at = ci.position(net);
        g.writeNumberField("x", at[0]);
        g.writeNumberField("y", at[1]);
        g.writeFieldName("junctions");
        g.writeStartArray();
        for (String jid : ci.junctionIds()) {
            g.writeString(jid);
        }
        g.writeEndArray();
        g.writeFieldName("incoming");
        g.writeStartArray();
        for (int l = 0; l < m.incomingLaneCount(); l++) {
            g.writeStartObject();
            String id = m.incomingLaneId(l);
            g.writeStringField("id", id);
            SumoNet.Lane lane = net.lane(id);
            g.writeStringField("approach", lane != null ? lane.edgeId() : id);
            List<double[]> line = new ArrayList<>();
            List<String> stretch = l < ci.incomingStretches().size() ? ci.incomingStretches().get(l) : List.of(id);
            for (String sid : stretch) {
                SumoNet.Lane s = net.lane(sid);
                if (s != null && s.shape() != null) {
                    line.addAll(SumoNet.points(s.shape()));
                }
            }
            g.writeFieldName("shape");
            writeShape(g, line, bounds);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("links");
        g.writeStartArray();
        for (int k = 0; k < m.linkCount(); k++) {
            g.writeNumber(m.linkIncomingLane(k));
        }
        g.writeEndArray();
        g.writeFieldName("greenPhases");
        g.writeStartArray();
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            g.writeString(m.greenPhaseString(p));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeShape(JsonGenerator g, List<double[]> pts, double[] bounds) throws IOException {
        g.writeStartArray();
        for (double[] p : pts) {
            bounds[0] = Math.min(bounds[0], p[0]);
            bounds[1] = Math.min(bounds[1], p[1]);
            bounds[2] = Math.max(bounds[2], p[0]);
            bounds[3] = Math.max(bounds[3], p[1]);
            g.writeNumber(Math.round(p[0] * 100) / 100.0);
            g.writeNumber(Math.round(p[1] * 100) / 100.0);
        }
        g.writeEndArray();
    }
}
