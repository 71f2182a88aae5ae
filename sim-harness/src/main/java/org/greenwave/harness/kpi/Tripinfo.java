package org.greenwave.harness.kpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Streaming reads of SUMO's tripinfo output that name the file and line of anything wrong. */
final class Tripinfo {
    /** Receives the file's elements in document order. */
    interface Visitor {
        /** A start element; read its attributes from {@code r}. */
        void start(String name, XMLStreamReader r);

        /** The matching end element. */
        default void end(String name) {
        }
    }

    private Tripinfo() {
    }

    /** Calls {@code visitor} at every start and end element of the file. */
    static void read(Path tripinfo, Visitor visitor) throws IOException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        int line = 0;
        try (InputStream in = Files.newInputStream(tripinfo)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    line = r.getLocation().getLineNumber();
                    visitor.start(r.getLocalName(), r);
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    visitor.end(r.getLocalName());
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            throw new IOException(tripinfo + ":" + (e.getLocation() == null ? line : e.getLocation().getLineNumber())
                    + ": malformed tripinfo: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IOException(tripinfo + ":" + line + ": a tripinfo attribute is not a number: " + e.getMessage(),
                    e);
        }
    }

    /** A number attribute, 0 when absent. */
    static double num(XMLStreamReader r, String name) {
        String v = r.getAttributeValue(null, name);
        return v == null ? 0 : Double.parseDouble(v);
    }
}
