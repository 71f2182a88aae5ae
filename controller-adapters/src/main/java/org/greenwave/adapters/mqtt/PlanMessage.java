/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.List;
import java.util.Objects;

/**
 * A timing plan as a controller or bridge receives it (see {@link PlanDecoder}); the immutable counterpart of the
 * engine's reused {@link org.greenwave.core.engine.TimingPlan}.
 *
 * @param intersectionId from the topic
 * @param sequence       increases by one with every plan the engine issues for this intersection; gaps mean plans
 *                       were superseded or dropped on the way
 * @param issuedAtMs     when entry 0 starts, engine clock (epoch ms when live)
 * @param expiresAtMs    after this time the plan must not be followed; the controller falls back to its own program
 * @param deviceProgram  when not null, run the device's own program of this id; {@code entries} is then empty
 * @param flashOperator  the operator who asked for flash, on a plan whose device program is {@code off}; else null
 * @param entries        the schedule: state to show from {@code issuedAtMs}, then each next one
 */
public record PlanMessage(String intersectionId, long sequence, long issuedAtMs, long expiresAtMs,
                          String deviceProgram, String flashOperator, List<Entry> entries) {

    /** One step of the schedule: SUMO signal characters, one per link, and how long they show. */
    public record Entry(String state, long durationMs) {
        public Entry {
            Objects.requireNonNull(state, "state");
        }
    }

    public PlanMessage {
        Objects.requireNonNull(intersectionId, "intersectionId");
        entries = List.copyOf(entries);
    }

    /** True when the plan must no longer be followed at {@code nowMs}. */
    public boolean expiredAt(long nowMs) {
        return nowMs >= expiresAtMs;
    }
}
