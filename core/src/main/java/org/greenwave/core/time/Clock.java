package org.greenwave.core.time;

/**
 * The one source of time for the engine. Simulation time and wall time both come through here, so the same engine
 * runs live and under SUMO; nothing in the core reads the system clock or sleeps.
 *
 * <p>Engine time is an integer number of milliseconds. Deadlines are compared as {@code deadlineMs - nowMs < 0} (or
 * {@code >= 0}), never with a tolerance: a schedule of 0.1 s steps stays exact however long it runs. Durations given in
 * seconds become milliseconds once, through {@link Millis#fromSeconds}.
 */
public interface Clock {
    /**
     * Current time in milliseconds on this clock's time line (simulation milliseconds, or milliseconds since the
     * epoch); never goes back.
     */
    long nowMs();
}
