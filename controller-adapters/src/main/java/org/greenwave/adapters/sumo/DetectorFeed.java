/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

/**
 * Where the simulated field's detector readings go: straight into the engine's ingest ({@link SumoPort}), or onto a
 * protocol as a field device would send them. Indexes are the engine's dense intersection and detector indexes.
 *
 * <p>Threading: called by the simulation thread only.
 */
public interface DetectorFeed {
    void detectorEdge(int intersection, int detector, boolean on, long timeMs);

    void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM);

    /** Ends a step's readings; a transport that batches sends them now. */
    default void flush() {
    }
}
