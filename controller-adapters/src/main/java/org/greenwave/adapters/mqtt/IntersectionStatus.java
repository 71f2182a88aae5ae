/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.Objects;

/**
 * What a controller reports about itself on {@code .../intersections/{id}/status}.
 *
 * @param intersectionId from the topic
 * @param timeMs         when the status was taken, controller clock (epoch ms when live)
 * @param phase          index of the current phase in the program the controller runs
 * @param state          the signal state shown now, SUMO signal characters, one per link
 * @param timeInPhaseMs  how long the current phase has shown
 * @param program        id of the device program running, or null when it follows engine plans
 * @param planSequence   sequence number of the engine plan being followed, or -1 when none
 */
public record IntersectionStatus(String intersectionId, long timeMs, int phase, String state, long timeInPhaseMs,
                                 String program, long planSequence) {
    public IntersectionStatus {
        Objects.requireNonNull(intersectionId, "intersectionId");
        Objects.requireNonNull(state, "state");
    }
}
