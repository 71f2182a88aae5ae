package org.greenwave.core.time;

/**
 * The one source of time for the engine. Simulation time and wall time both come through here, so the same engine
 * runs live and under SUMO; nothing in the core reads the system clock or sleeps.
 */
public interface Clock {
    /** Current time in seconds on this clock's time line (simulation seconds, or seconds since the epoch). */
    double nowS();
}
