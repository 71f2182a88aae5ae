package org.greenwave.harness.osm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.greenwave.netimport.ScenarioException;

/**
 * What an OpenStreetMap XML file holds that matters before netconvert runs: whether it is OSM XML at all, how many
 * ways are roads, and which nodes are tagged {@code highway=traffic_signals}.
 *
 * @param file             the file read, absolute
 * @param nodes            {@code <node>} elements
 * @param roadWays         {@code <way>} elements tagged {@code highway=*}
 * @param signalNodeIds    ids of the nodes tagged {@code highway=traffic_signals}, in file order
 */
public record OsmExtract(Path file, int nodes, int roadWays, List<String> signalNodeIds) {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /**
     * Reads an {@code .osm} (or {@code .osm.xml}, or either gzipped) file in one streaming pass.
     *
     * @throws ScenarioException naming the file (and line) when it is missing, not OSM XML, malformed, or holds no
     *                           road
     */
    public static OsmExtract scan(Path path) {
        Path file = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(file, 0, Files.isDirectory(file) ? "is a folder, expected an OpenStreetMap file"
                    : "OpenStreetMap file not found");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".pbf")) {
            throw new ScenarioException(file, 0, "OSM PBF is not supported (SUMO's netconvert reads OSM XML); "
                    + "convert it first, e.g. 'osmium cat " + file.getFileName() + " -o area.osm'");
        }
        int nodes = 0;
        int roads = 0;
        List<String> signals = new ArrayList<>();
        int line = 0;
        try (InputStream in = open(file)) {
            XMLStreamReader r = FACTORY.createXMLStreamReader(in);
            try {
                boolean root = true;
                String element = null;
                String nodeId = null;
                boolean road = false;
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        line = r.getLocation().getLineNumber();
                        String local = r.getLocalName();
                        if (root) {
                            if (!local.equals("osm")) {
                                throw new ScenarioException(file, line, "not OpenStreetMap XML: the root element is <"
                                        + local + ">, expected <osm>");
                            }
                            root = false;
                            continue;
                        }
                        switch (local) {
                            case "node" -> {
                                nodes++;
                                element = "node";
                                nodeId = r.getAttributeValue(null, "id");
                            }
                            case "way" -> {
                                element = "way";
                                road = false;
                            }
                            case "relation" -> element = "relation";
                            case "tag" -> {
                                if ("highway".equals(r.getAttributeValue(null, "k"))) {
                                    String v = r.getAttributeValue(null, "v");
                                    if ("node".equals(element) && "traffic_signals".equals(v) && nodeId != null) {
                                        signals.add(nodeId);
                                    } else if ("way".equals(element) && !road) {
                                        road = true;
                                        roads++;
                                    }
                                }
                            }
                            default -> {
                            }
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        String local = r.getLocalName();
                        if (local.equals("node") || local.equals("way") || local.equals("relation")) {
                            element = null;
                            nodeId = null;
                        }
                    }
                }
                if (root) {
                    throw new ScenarioException(file, 0, "not OpenStreetMap XML: no root element");
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            int at = e.getLocation() != null ? e.getLocation().getLineNumber() : line;
            throw new ScenarioException(file, at, "not OpenStreetMap XML (malformed XML): " + reason(e), e);
        } catch (IOException e) {
            throw new ScenarioException(file, line, "cannot read: " + e.getMessage(), e);
        }
        if (roads == 0) {
            throw new ScenarioException(file, 0, "no roads: no <way> tagged highway=* among its " + nodes + " node(s)");
        }
        return new OsmExtract(file, nodes, roads, List.copyOf(signals));
    }

    /** The parser's own reason, without the position it prefixes (the exception names the line already). */
    private static String reason(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Message: ");
        return (at >= 0 ? m.substring(at + "Message: ".length()) : m).strip();
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }
}
