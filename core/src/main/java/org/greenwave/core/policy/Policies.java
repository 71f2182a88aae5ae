package org.greenwave.core.policy;

import java.util.List;

import org.greenwave.core.model.IntersectionModel;

/** The policies the engine offers, by the names used on the command line and in reports. */
public final class Policies {
    /** The signal's own program, unchanged, run by the device. */
    public static final String FIXED = "fixed";
    /** Webster's method, re-planned every cycle from measured flows. */
    public static final String WEBSTER = "webster";
    /** The device's own actuated (gap-out) logic on the signal's own phases. */
    public static final String ACTUATED = "actuated";
    /** Varaiya's max-pressure with minimum green. */
    public static final String MAX_PRESSURE = "max-pressure";
    /** Schedule-driven rolling-horizon control with coordination ({@link RollingHorizonPolicy}). */
    public static final String GREENWAVE = "greenwave";
    /** Program id under which the actuated variant of each signal's program is installed in the device. */
    public static final String ACTUATED_PROGRAM_ID = "greenwave-actuated";

    /** Webster's cycle bounds, seconds. */
    public static final double WEBSTER_MIN_CYCLE_S = 30;
    public static final double WEBSTER_MAX_CYCLE_S = 120;
    /**
     * How often max-pressure revisits its choice, seconds: RESCO's 10 s control interval. Revisiting every second
     * switches on momentary pressure differences and loses a yellow each time (measured: 27 s against 72 s of delay
     * on the isolated intersection, 38 s against 70 s on cologne1).
     */
    public static final double MAX_PRESSURE_DECISION_S = 10;

    private static final List<String> NAMES = List.of(FIXED, WEBSTER, ACTUATED, MAX_PRESSURE, GREENWAVE);

    private Policies() {
    }

    /** The names {@link #create} accepts, in the order reports list them. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new policy instance for one intersection.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SignalPolicy create(String name, IntersectionModel model) {
        switch (name) {
            case FIXED:
                return new DeviceProgramPolicy(model.sourceProgramId());
            case ACTUATED:
                return new DeviceProgramPolicy(ACTUATED_PROGRAM_ID);
            case WEBSTER:
                return new WebsterPolicy(model, WEBSTER_MIN_CYCLE_S, WEBSTER_MAX_CYCLE_S);
            case MAX_PRESSURE:
                return new MaxPressurePolicy(model, MAX_PRESSURE_DECISION_S);
            case GREENWAVE:
                return new RollingHorizonPolicy(model);
            default:
                throw new IllegalArgumentException("unknown controller '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }
}
