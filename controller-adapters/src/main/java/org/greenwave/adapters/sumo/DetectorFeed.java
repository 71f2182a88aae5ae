/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

import org.greenwave.core.port.ControllerStatus;

/**
 * Where the simulated field's detector readings and its controllers' status go: straight into the engine's ingest and
 * status listener ({@link SumoPort}), or onto a protocol as a field device would send them. Indexes are the engine's
 * dense intersection and detector indexes.
 *
 * <p>Threading: called by the simulation thread only.
 */
public interface DetectorFeed {
    void detectorEdge(int intersection, int detector, boolean on, long timeMs);

    void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM);

    /**
     * What a signal's controller reports about itself (the state it shows, its phase and time in phase), when its
     * state changes and at least once a second. A transport that carries no status ignores it (the default).
     */
    default void controllerStatus(int intersection, ControllerStatus status) {
    }

    /** Ends a step's readings; a transport that batches sends them now. */
    default void flush() {
    }
}
