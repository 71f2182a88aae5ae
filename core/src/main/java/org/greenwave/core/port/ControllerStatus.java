package org.greenwave.core.port;

import java.util.Objects;

/**
 * What a field controller reports about itself: the phase and signal state it shows, and whose plan it follows.
 * Immutable; a port makes one per status it receives (about once a second per signal: not on the hot path).
 *
 * @param intersectionId the signal's id, as the engine's {@link org.greenwave.core.ingest.DetectorDirectory} names it
 * @param timeMs         when the status was taken, controller clock (epoch ms when live)
 * @param phase          index of the current phase in the program the controller runs
 * @param state          the signal state shown now, SUMO signal characters, one per link
 * @param timeInPhaseMs  how long the current phase has shown
 * @param program        id of the device program running, or null when it follows engine plans
 * @param planSequence   sequence number of the engine plan being followed, or -1 when none
 */
public record ControllerStatus(String intersectionId, long timeMs, int phase, String state, long timeInPhaseMs,
                               String program, long planSequence) {
    public ControllerStatus {
        Objects.requireNonNull(intersectionId, "intersectionId");
        Objects.requireNonNull(state, "state");
    }
}
