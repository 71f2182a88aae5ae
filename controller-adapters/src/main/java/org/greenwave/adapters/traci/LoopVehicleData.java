/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Objects;

/**
 * One vehicle seen by an induction loop during the last simulation step
 * ({@code LAST_STEP_VEHICLE_DATA}).
 *
 * @param vehicleId  SUMO vehicle id
 * @param lengthM    vehicle length in metres
 * @param entryTimeS simulation time in seconds at which the front reached the loop
 * @param leaveTimeS simulation time in seconds at which the rear left the loop, or -1 if the
 *                   vehicle is still on the loop
 * @param typeId     SUMO vehicle type id
 */
public record LoopVehicleData(String vehicleId, double lengthM, double entryTimeS, double leaveTimeS,
                              String typeId) {
    public LoopVehicleData {
        Objects.requireNonNull(vehicleId, "vehicleId");
        Objects.requireNonNull(typeId, "typeId");
    }

    /** True while the vehicle is still over the loop (SUMO reports leave time -1). */
    public boolean stillOnLoop() {
        return leaveTimeS < 0;
    }
}
