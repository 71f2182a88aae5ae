package org.greenwave.adapters.ntcip;

/**
 * The 8-phase group bitmaps of NTCIP 1202's phase status and phase control tables. Group {@code g} (1-based) is one
 * INTEGER 0..255 whose bit {@code k} stands for phase {@code 8(g-1) + k + 1}: phase 1 is bit 0 of group 1, phase 8
 * bit 7 of group 1, phase 9 bit 0 of group 2.
 *
 * <p>Inside Greenwave a set of phases is one {@code long}, bit {@code p-1} for phase {@code p}, so phases 1..
 * {@value #MAX_PHASE} and up to {@value #MAX_GROUPS} groups; no allocation.
 */
public final class PhaseGroups {
    /** Highest phase (and vehicle detector) number a set holds. */
    public static final int MAX_PHASE = 64;
    /** Most groups a set holds. */
    public static final int MAX_GROUPS = MAX_PHASE / 8;

    private PhaseGroups() {
    }

    /** The group (1-based) phase {@code phase} belongs to. */
    public static int group(int phase) {
        check(phase);
        return (phase - 1) / 8 + 1;
    }

    /** Groups needed for phases 1..{@code maxPhase}. */
    public static int groupCount(int maxPhase) {
        return maxPhase <= 0 ? 0 : group(maxPhase);
    }

    /** The set holding only {@code phase}. */
    public static long of(int phase) {
        check(phase);
        return 1L << (phase - 1);
    }

    /** Whether {@code phases} holds {@code phase}. */
    public static boolean contains(long phases, int phase) {
        return (phases & of(phase)) != 0;
    }

    /** The value of group {@code group} (1-based) of the set, 0..255. */
    public static int groupValue(long phases, int group) {
        checkGroup(group);
        return (int) ((phases >>> (8 * (group - 1))) & 0xFF);
    }

    /**
     * The set with group {@code group} replaced by {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} is not 0..255 (not a group bitmap)
     */
    public static long withGroup(long phases, int group, int value) {
        checkGroup(group);
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("a phase group bitmap is 0..255, not " + value);
        }
        int shift = 8 * (group - 1);
        return (phases & ~(0xFFL << shift)) | ((long) value << shift);
    }

    /** The phases of the set in ascending order, e.g. "2,6" (for messages and logs; allocates). */
    public static String toString(long phases) {
        StringBuilder b = new StringBuilder();
        for (int p = 1; p <= MAX_PHASE; p++) {
            if (contains(phases, p)) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(p);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static void check(int phase) {
        if (phase < 1 || phase > MAX_PHASE) {
            throw new IllegalArgumentException("phase " + phase + " is not 1.." + MAX_PHASE);
        }
    }

    private static void checkGroup(int group) {
        if (group < 1 || group > MAX_GROUPS) {
            throw new IllegalArgumentException("phase group " + group + " is not 1.." + MAX_GROUPS);
        }
    }
}
