package org.greenwave.netimport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streaming reads of SUMO's XML files that report the file and line of anything wrong; shared with the simulation
 * harness, which reads route and configuration files the same way.
 */
public final class Xml {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /** Receives each start element; reads attributes from the reader. */
    public interface ElementHandler {
        void start(String name, XMLStreamReader r, int line);
    }

    private Xml() {
    }

    /** Calls {@code handler} for every start element of {@code file}. */
    public static void forEachElement(Path file, ElementHandler handler) {
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(file, 0, "file not found");
        }
        int line = 0;
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = FACTORY.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        line = r.getLocation().getLineNumber();
                        handler.start(r.getLocalName(), r, line);
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            int at = e.getLocation() != null ? e.getLocation().getLineNumber() : line;
            throw new ScenarioException(file, at, "malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ScenarioException(file, line, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The line of the first start element of {@code file} whose name {@code names} accepts, or -1 when none does; stops
     * reading at that element.
     */
    public static int firstElement(Path file, java.util.function.Predicate<String> names) {
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(file, 0, "file not found");
        }
        int line = 0;
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = FACTORY.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        line = r.getLocation().getLineNumber();
                        if (names.test(r.getLocalName())) {
                            return line;
                        }
                    }
                }
                return -1;
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            int at = e.getLocation() != null ? e.getLocation().getLineNumber() : line;
            throw new ScenarioException(file, at, "malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ScenarioException(file, line, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The attribute's value, or {@code null}. */
    public static String attr(XMLStreamReader r, String name) {
        return r.getAttributeValue(null, name);
    }

    /** The attribute's value; fails naming the file, line, element and attribute when it is missing. */
    public static String required(Path file, int line, XMLStreamReader r, String name) {
        String v = r.getAttributeValue(null, name);
        if (v == null) {
            throw new ScenarioException(file, line, "<" + r.getLocalName() + "> lacks the attribute '" + name + "'");
        }
        return v;
    }

    /** A number attribute, or {@code dflt} when absent; fails on a value that is not a number. */
    public static double number(Path file, int line, XMLStreamReader r, String name, double dflt) {
        String v = r.getAttributeValue(null, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ScenarioException(file, line, "<" + r.getLocalName() + "> attribute '" + name + "' is not a number: '"
                    + v + "'");
        }
    }

    /** Escapes text for an XML attribute value. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
