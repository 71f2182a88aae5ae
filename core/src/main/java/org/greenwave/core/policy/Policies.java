package org.greenwave.core.policy;

import java.util.List;

import org.greenwave.core.model.IntersectionModel;

/** The policies the engine offers, by the names used on the command line and in reports. */
public final class Policies {
    /**
     * The signal's own program exactly as the network (or its additional files) defines it, run by the device: static,
     * actuated or delay-based, whatever SUMO or the field controller runs for it.
     */
    public static final String DEVICE = "device";
    /**
     * A true fixed-time baseline: the signal's own phases, in order, each for its {@code duration}, as a static
     * program ({@link #FIXED_PROGRAM_ID}) run by the device. The same as {@link #DEVICE} where that program is static.
     */
    public static final String FIXED = "fixed";
    /** Webster's method, re-planned every cycle from measured flows. */
    public static final String WEBSTER = "webster";
    /** The device's own actuated (gap-out) logic on the signal's own phases. */
    public static final String ACTUATED = "actuated";
    /** Varaiya's max-pressure with minimum green. */
    public static final String MAX_PRESSURE = "max-pressure";
    /** Schedule-driven rolling-horizon control with coordination ({@link RollingHorizonPolicy}). */
    public static final String GREENWAVE = "greenwave";
    /** Program id under which the fixed-time (static) variant of each signal's program is installed in the device. */
    public static final String FIXED_PROGRAM_ID = "greenwave-fixed";
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

    private static final List<String> NAMES = List.of(DEVICE, FIXED, WEBSTER, ACTUATED, MAX_PRESSURE,
            GREENWAVE);

    /**
     * What the comparison commands run unless told otherwise: Greenwave against the signals' own programs and the two
     * textbook adaptive baselines.
     */
    public static final List<String> DEFAULT_COMPARISON = List.of(GREENWAVE, DEVICE, ACTUATED, MAX_PRESSURE);

    private Policies() {
    }

    /**
     * The program id a device-program controller ({@link #DEVICE}, {@link #FIXED}, {@link #ACTUATED}) installs and
     * runs on a signal whose own program is {@code sourceProgramId}; null for the controllers that drive the signal
     * through the interlock.
     */
    public static String deviceProgramId(String name, String sourceProgramId) {
        switch (name) {
            case DEVICE:
                return sourceProgramId;
            case FIXED:
                return FIXED_PROGRAM_ID;
            case ACTUATED:
                return ACTUATED_PROGRAM_ID;
            default:
                return null;
        }
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
            case DEVICE:
                return new DeviceProgramPolicy(model.sourceProgramId());
            case FIXED:
                return new DeviceProgramPolicy(FIXED_PROGRAM_ID);
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
