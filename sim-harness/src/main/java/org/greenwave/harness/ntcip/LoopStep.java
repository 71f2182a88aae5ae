package org.greenwave.harness.ntcip;

import java.util.List;

import org.greenwave.adapters.traci.LoopVehicleData;

/**
 * What a cabinet's detector card (sampling many times a second) makes of one simulation step of an induction loop,
 * from SUMO's vehicle data of the step: the vehicles that arrived on the loop, the time it was occupied, and whether
 * a vehicle is on it at the step's end. Sampling the loop's vehicle count once a step instead would count two vehicles
 * of one second, or a queue discharging bumper to bumper, as one.
 */
public final class LoopStep {
    private LoopStep() {
    }

    /** Vehicles that arrived on the loop during the step {@code (stepStartS, ...]}. */
    public static int arrivals(List<LoopVehicleData> vehicles, double stepStartS) {
        int n = 0;
        for (LoopVehicleData v : vehicles) {
            n += v.entryTimeS() > stepStartS + 1e-9 ? 1 : 0;
        }
        return n;
    }

    /** Milliseconds of the step {@code (stepStartS, nowS]} a vehicle was on the loop (at most the step's length). */
    public static int occupiedMs(List<LoopVehicleData> vehicles, double stepStartS, double nowS) {
        double s = 0;
        for (LoopVehicleData v : vehicles) {
            double from = Math.max(v.entryTimeS(), stepStartS);
            double to = v.leaveTimeS() < 0 ? nowS : Math.min(v.leaveTimeS(), nowS);
            s += Math.max(0, to - from);
        }
        return (int) Math.round(Math.min(s, nowS - stepStartS) * 1000);
    }

    /** Whether a vehicle is on the loop at the step's end (SUMO gives a leave time of -1 to one still on it). */
    public static boolean occupiedAtEnd(List<LoopVehicleData> vehicles) {
        for (LoopVehicleData v : vehicles) {
            if (v.leaveTimeS() < 0) {
                return true;
            }
        }
        return false;
    }
}
