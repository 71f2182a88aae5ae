package org.greenwave.harness.run;

/**
 * Where the simulation's detector readings go: straight into the engine's ingest, or onto MQTT as a field device
 * would send them. Indexes are the engine's dense intersection and detector indexes.
 *
 * <p>Threading: called by the simulation thread only.
 */
interface DetectorFeed {
    void detectorEdge(int intersection, int detector, boolean on, long timeMs);

    void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM);

    /** Ends a step's readings; a transport that batches sends them now. */
    default void flush() {
    }
}
