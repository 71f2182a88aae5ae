package org.greenwave.core.model;

/**
 * The per-link signal states, spelled as SUMO spells them so that a state string read from or written to a
 * controller needs no translation.
 */
public final class SignalChar {
    /** Red: the link may not be used. */
    public static final char RED = 'r';
    /** Amber (SUMO's "yellow minor"): the link is clearing; no new vehicle should enter. */
    public static final char YELLOW = 'y';
    /** Amber with priority (SUMO's "yellow major"), shown after a protected green; the same to a driver. */
    public static final char YELLOW_MAJOR = 'Y';
    /** Protected green: the link has priority over every foe. */
    public static final char GREEN = 'G';
    /** Permissive green: the link may be used but yields to every foe. */
    public static final char GREEN_MINOR = 'g';
    /** Off, blinking: no signal; vehicles yield as at an unsignalised junction. */
    public static final char OFF_BLINKING = 'o';
    /** Off: no signal, priority rules apply. */
    public static final char OFF = 'O';
    /**
     * SUMO's "green right-turn arrow": vehicles stop, then go when no foe comes. A yielding green, not a red: it needs
     * no amber before or after.
     */
    public static final char STOP = 's';
    /** Red and amber, shown before green in some countries. */
    public static final char RED_YELLOW = 'u';

    private SignalChar() {
    }

    /** True for both green kinds. */
    public static boolean isGreen(char c) {
        return c == GREEN || c == GREEN_MINOR;
    }

    /** True for both amber kinds. */
    public static boolean isYellow(char c) {
        return c == YELLOW || c == YELLOW_MAJOR;
    }

    /**
     * True for the states that stop traffic for good: red and red-amber. A link that goes to one of them from green
     * must show amber first.
     */
    public static boolean isStop(char c) {
        return c == RED || c == RED_YELLOW;
    }

    /** True for the states under which vehicles may enter the junction: both greens and the stop-then-go arrow. */
    public static boolean isPassable(char c) {
        return c == GREEN || c == GREEN_MINOR || c == STOP;
    }

    /** True when {@code c} is one of the characters SUMO defines for link states. */
    public static boolean isValid(char c) {
        return c == RED || c == YELLOW || c == YELLOW_MAJOR || c == GREEN || c == GREEN_MINOR || c == OFF_BLINKING || c == OFF || c == STOP
                || c == RED_YELLOW;
    }
}
