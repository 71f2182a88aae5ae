package org.greenwave.harness.whatif;

import java.time.Instant;

/**
 * Where a report came from, printed at its top: when it was made, by which Greenwave, and the command line that made
 * it (the SUMO version comes from the runs themselves).
 *
 * @param date             when the study was started
 * @param greenwaveVersion the engine's version, such as {@code 0.1.0}
 * @param commandLine      the command as typed, or null when the study was not started from the command line
 */
public record Provenance(Instant date, String greenwaveVersion, String commandLine) {
    /** Provenance of a study run from code: now, the version the classes carry, no command line. */
    public static Provenance here() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return new Provenance(Instant.now(), v == null ? "development build" : v, null);
    }
}
