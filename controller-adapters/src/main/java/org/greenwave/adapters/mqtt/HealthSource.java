/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * Extra counters for the health payload's {@code "engine"} object, e.g. the engine's own metrics (ticks, queue
 * drops, latencies). Called on the gateway's scheduler thread every health interval; must be quick and must not
 * throw (an exception is counted as an internal error and the object is left out).
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
