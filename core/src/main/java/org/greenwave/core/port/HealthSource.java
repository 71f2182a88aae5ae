package org.greenwave.core.port;

/**
 * The engine's own figures a port reports to the field with its health (ticks, queue drops, decision latency), e.g.
 * in the MQTT health payload's {@code "engine"} object. Called on the port's own thread every health interval; must
 * be quick and must not throw (an exception is counted as an internal error and the figures are left out).
 */
@FunctionalInterface
public interface HealthSource {

    /** Reports each counter once, by calling {@code sink}. */
    void report(CounterSink sink);

    /** Receives one counter. Names should be camelCase ASCII; they are JSON keys. */
    @FunctionalInterface
    interface CounterSink {
        void counter(String name, long value);
    }
}
