package org.greenwave.core.oversight;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.greenwave.core.time.Millis;

/**
 * What an operator asks of one signal: a mode (the signal's own program, a fixed plan, all-red flash, or back to
 * adaptive control) or an action under the engine's control (hold a phase, advance to a phase, freeze the planned
 * schedule). Every command but {@link Kind#ADAPTIVE} lasts {@code durationS} of engine time from when the engine
 * takes it, after which adaptive control resumes; a new command for the same signal replaces the one in force.
 *
 * <p>The engine takes commands through {@code Engine.submit}, which checks them against the signal's model; they
 * reach the signal's shard through its command queue, like detector readings, and are applied at the next duty cycle.
 * Whatever a command asks, the signal's {@link org.greenwave.core.safety.SafetyInterlock} still decides what it
 * shows: minimum and maximum green, amber, all-red and conflicts hold as for any policy's proposal.
 *
 * <p>Immutable; any thread.
 */
public final class OperatorCommand {
    /** Longest a command may last, seconds of engine time (a day). */
    public static final double MAX_DURATION_S = 86_400;
    /** Longest green a fixed plan may give a phase, seconds (the interlock's maximum green still applies). */
    public static final double MAX_FIXED_GREEN_S = 600;

    /** What the command asks. */
    public enum Kind {
        /** Back to adaptive control: ends the override in force. */
        ADAPTIVE("adaptive"),
        /** The device runs the signal's own program. */
        OWN_PROGRAM("own-program"),
        /** The engine runs the signal's phases in order with fixed greens, through the interlock. */
        FIXED_PLAN("fixed"),
        /** All-red flash: the device flashes the signal; only an operator may ask for it. */
        FLASH("flash"),
        /** The engine keeps proposing the green phase shown when the command is taken. */
        HOLD("hold"),
        /** The engine proposes one phase until the interlock shows it, then adaptive control resumes. */
        ADVANCE("advance"),
        /** The engine follows the schedule the policy planned when the command is taken, without re-planning. */
        FREEZE("freeze");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The name used by the HTTP API and the audit log, e.g. {@code own-program}. */
        public String code() {
            return code;
        }

        /** Whether the engine drives the signal through the interlock under this command. */
        public boolean engineDriven() {
            return this == FIXED_PLAN || this == HOLD || this == ADVANCE || this == FREEZE;
        }

        /**
         * The kind named {@code code} (as {@link #code()} gives it).
         *
         * @throws IllegalArgumentException listing the known codes
         */
        public static Kind of(String code) {
            for (Kind k : values()) {
                if (k.code.equals(code)) {
                    return k;
                }
            }
            StringBuilder known = new StringBuilder();
            for (Kind k : values()) {
                known.append(known.length() == 0 ? "" : ", ").append(k.code);
            }
            throw new IllegalArgumentException("unknown operator command '" + code + "'; known: " + known);
        }
    }

    private final int intersection;
    private final Kind kind;
    private final int phase;
    private final double[] greensS;
    private final double durationS;
    /** {@link #greensS} and {@link #durationS} in engine milliseconds, converted once here. */
    private final long[] greensMs;
    private final long durationMs;
    private final String setBy;
    private final String note;

    private OperatorCommand(int intersection, Kind kind, int phase, double[] greensS, double durationS, String setBy,
                            String note) {
        this.intersection = intersection;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.setBy = Objects.requireNonNull(setBy, "setBy");
        this.note = note == null ? "" : note;
        if (setBy.isBlank()) {
            throw new IllegalArgumentException("an operator command needs the name of who sets it");
        }
        if (kind != Kind.ADAPTIVE && !(durationS > 0 && durationS <= MAX_DURATION_S)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "duration of '%s' must be more than 0 and at most %.0f s, was %s", kind.code, MAX_DURATION_S,
                    durationS));
        }
        this.phase = phase;
        this.greensS = greensS;
        this.durationS = kind == Kind.ADAPTIVE ? 0 : durationS;
        this.durationMs = Millis.fromSeconds(this.durationS);
        this.greensMs = greensS == null ? null : Millis.fromSeconds(greensS);
    }

    /** Ends the override in force at signal {@code intersection}: adaptive control resumes. */
    public static OperatorCommand adaptive(int intersection, String setBy, String note) {
        return new OperatorCommand(intersection, Kind.ADAPTIVE, -1, null, 0, setBy, note);
    }

    /** A mode or action without parameters: {@link Kind#OWN_PROGRAM}, {@link Kind#FLASH}, {@link Kind#HOLD}, {@link Kind#FREEZE}. */
    public static OperatorCommand of(Kind kind, int intersection, double durationS, String setBy, String note) {
        if (kind == Kind.ADVANCE || kind == Kind.FIXED_PLAN) {
            throw new IllegalArgumentException("'" + kind.code + "' needs its parameters");
        }
        return new OperatorCommand(intersection, kind, -1, null, durationS, setBy, note);
    }

    /** Advance to green phase {@code phase}. */
    public static OperatorCommand advance(int intersection, int phase, double durationS, String setBy, String note) {
        if (phase < 0) {
            throw new IllegalArgumentException("advance needs a green phase index of 0 or more, was " + phase);
        }
        return new OperatorCommand(intersection, Kind.ADVANCE, phase, null, durationS, setBy, note);
    }

    /**
     * A fixed plan: the green phases in order, phase {@code p} green for {@code greensS[p]} seconds (0 skips it).
     *
     * @throws IllegalArgumentException when a green is negative, not finite or above {@link #MAX_FIXED_GREEN_S}, or
     *                                  every green is 0
     */
    public static OperatorCommand fixedPlan(int intersection, double[] greensS, double durationS, String setBy,
                                            String note) {
        Objects.requireNonNull(greensS, "greensS");
        boolean any = false;
        for (int p = 0; p < greensS.length; p++) {
            double g = greensS[p];
            if (!(g >= 0 && g <= MAX_FIXED_GREEN_S)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "fixed plan: green of phase %d must be 0..%.0f s, was %s", p, MAX_FIXED_GREEN_S, g));
            }
            any |= g > 0;
        }
        if (!any) {
            throw new IllegalArgumentException("fixed plan: at least one phase needs a green above 0 s");
        }
        return new OperatorCommand(intersection, Kind.FIXED_PLAN, -1, greensS.clone(), durationS, setBy, note);
    }

    /** Dense index of the signal in the engine. */
    public int intersection() {
        return intersection;
    }

    public Kind kind() {
        return kind;
    }

    /** The phase of {@link Kind#ADVANCE}; -1 otherwise. */
    public int phase() {
        return phase;
    }

    /** Number of phases of a {@link Kind#FIXED_PLAN}; 0 otherwise. */
    public int fixedPhaseCount() {
        return greensS == null ? 0 : greensS.length;
    }

    /** Green of phase {@code p} in a {@link Kind#FIXED_PLAN}, seconds. */
    public double fixedGreenS(int p) {
        return greensS[p];
    }

    /** {@link #fixedGreenS} in engine milliseconds. */
    public long fixedGreenMs(int p) {
        return greensMs[p];
    }

    /** How long the command lasts once taken, seconds of engine time; 0 for {@link Kind#ADAPTIVE}. */
    public double durationS() {
        return durationS;
    }

    /** {@link #durationS} in engine milliseconds. */
    public long durationMs() {
        return durationMs;
    }

    /** Who set it: the operator's user name. */
    public String setBy() {
        return setBy;
    }

    /** The operator's note, possibly empty. */
    public String note() {
        return note;
    }

    /** For people and the audit log, e.g. {@code advance to phase 2 for 300 s}. */
    public String describe() {
        switch (kind) {
            case ADAPTIVE:
                return "adaptive";
            case ADVANCE:
                return String.format(Locale.ROOT, "advance to phase %d for %.0f s", phase, durationS);
            case FIXED_PLAN:
                return String.format(Locale.ROOT, "fixed plan greens %s s for %.0f s", Arrays.toString(greensS),
                        durationS);
            default:
                return String.format(Locale.ROOT, "%s for %.0f s", kind.code, durationS);
        }
    }

    @Override
    public String toString() {
        return "signal " + intersection + ": " + describe() + " by " + setBy;
    }
}
