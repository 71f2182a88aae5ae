package org.greenwave.harness.run;

import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.adapters.sumo.SumoSignal;

/**
 * What the controllers in a run's field did, summed over the signals, for the run's summary.
 *
 * @param plansAccepted    plans (over NTCIP: phase-control sets) the field's controllers were given and followed
 * @param heldForMinGreen  requests to end a green before its minimum that the field's controllers held
 * @param maxGreenForced   greens the field's controllers ended at their maximum
 * @param fallbackSteps    signal-steps a controller driven by the engine ran on its own
 * @param fallbacksEntered times a controller went from following the engine to its own timing (not the start)
 * @param fallbackMs       signal-milliseconds of simulated time on its own timing
 */
record FieldTotals(long plansAccepted, long heldForMinGreen, long maxGreenForced, long fallbackSteps,
                   long fallbacksEntered, long fallbackMs) {

    /** The figures of the field controllers that follow the board's plans; a device-driven signal has no fallback. */
    static FieldTotals of(SumoField field) {
        long held = 0;
        long forced = 0;
        long fallbackSteps = 0;
        long plansAccepted = 0;
        long fallbacksEntered = 0;
        long fallbackMs = 0;
        for (int i = 0; i < field.size(); i++) {
            SumoSignal b = field.signal(i);
            held += b.field().interlock().heldForMinGreen();
            plansAccepted += b.field().plansTaken();
            forced += b.field().interlock().maxGreenForced();
            if (!b.deviceDriven()) {
                fallbackSteps += b.field().fallbackSteps();
                fallbacksEntered += b.field().fallbacksEntered();
                fallbackMs += b.field().fallbackMs();
            }
        }
        return new FieldTotals(plansAccepted, held, forced, fallbackSteps, fallbacksEntered, fallbackMs);
    }
}
