package org.greenwave.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.greenwave.adapters.sumo.DetectorFault;
import org.greenwave.core.ingest.DetectorDirectory;

/**
 * Detector failures injected into a simulated run, as the engine would see them in the field: a share of the
 * detectors, drawn with a seed, fails at a given time and from then on either stops reporting ({@link Mode#DEAD}) or
 * reports a vehicle standing on it for ever ({@link Mode#STUCK}: a loop sends one "on" edge and never an "off"; a
 * lane-area detector reports its zone full and halting). {@link Mode#MIXED} draws the mode per detector.
 *
 * <p>The draw depends only on the seed, the share and the engine's detector order, so every controller of a study
 * loses the same detectors.
 *
 * @param share  share of the detectors that fail, 0..1
 * @param mode   how they fail
 * @param seed   seed of the draw
 * @param fromS  simulation time the failures begin, seconds
 */
public record DetectorFailures(double share, Mode mode, long seed, double fromS) {
    /** How a failed detector behaves. */
    public enum Mode {
        DEAD, STUCK, MIXED;

        /** Parses a mode name, case-insensitively. */
        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown detector failure mode '" + s + "'; known: dead, stuck, mixed");
            }
        }
    }

    /** Per detector index: not failed (the SUMO adapter's {@link DetectorFault} codes). */
    public static final byte OK = DetectorFault.OK;
    public static final byte FAILED_DEAD = DetectorFault.DEAD;
    public static final byte FAILED_STUCK = DetectorFault.STUCK;

    public DetectorFailures {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("detector failure share must be within 0..1, was " + share);
        }
        if (mode == null) {
            throw new IllegalArgumentException("detector failure mode missing");
        }
    }

    /** No failures. */
    public static DetectorFailures none() {
        return new DetectorFailures(0, Mode.DEAD, 0, 0);
    }

    /**
     * Draws the failed detectors: exactly {@code round(share × count)} of them, chosen uniformly.
     *
     * @return per detector index of {@code directory}: {@link #OK}, {@link #FAILED_DEAD} or {@link #FAILED_STUCK}
     */
    public byte[] draw(DetectorDirectory directory) {
        int n = directory.detectorCount();
        byte[] out = new byte[n];
        int failing = (int) Math.round(share * n);
        if (failing == 0) {
            return out;
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        for (int i = 0; i < failing; i++) {
            byte how = switch (mode) {
                case DEAD -> FAILED_DEAD;
                case STUCK -> FAILED_STUCK;
                case MIXED -> random.nextBoolean() ? FAILED_DEAD : FAILED_STUCK;
            };
            out[order.get(i)] = how;
        }
        return out;
    }

    /** Number of detectors {@link #draw} fails among {@code count}. */
    public int failing(int count) {
        return (int) Math.round(share * count);
    }
}
