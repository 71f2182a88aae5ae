package org.greenwave.core.port;

import java.util.Objects;

import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.time.Clock;

/**
 * What the engine hands a field port when it starts it: the port's view of the engine.
 *
 * @param directory the engine's detector and intersection ids: a port maps the field's ids to these dense indexes
 *                  once, at start, and plans' intersection indexes refer to it
 * @param ingest    where detector readings go; any thread, never blocks, allocation-free (see {@link Ingest})
 * @param clock     the engine clock: the time line of readings, plan expiry and health times
 * @param status    where controller status goes; {@link StatusListener#NONE} when nobody reads it
 * @param health    the engine's figures for the port's health reports, or null for none
 */
public record EngineEdge(DetectorDirectory directory, Ingest ingest, Clock clock, StatusListener status,
                         HealthSource health) {
    public EngineEdge {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(status, "status");
    }
}
