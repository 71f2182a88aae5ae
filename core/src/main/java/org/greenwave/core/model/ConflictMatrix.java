package org.greenwave.core.model;

import java.util.Arrays;

/**
 * Which signalled links of one intersection conflict: their paths cross or merge inside the junction (SUMO's link
 * foes), so they may not both show a protected green ({@link SignalChar#GREEN}) at the same time. Symmetric; a link never conflicts with
 * itself. Immutable after construction, safe to share between threads.
 */
public final class ConflictMatrix {
    private final int linkCount;
    private final long[] bits;
    private final int wordsPerRow;

    private ConflictMatrix(int linkCount, long[] bits) {
        this.linkCount = linkCount;
        this.wordsPerRow = (linkCount + 63) >>> 6;
        this.bits = bits;
    }

    /** Number of links. */
    public int linkCount() {
        return linkCount;
    }

    /** True when links {@code a} and {@code b} conflict. */
    public boolean conflicts(int a, int b) {
        return (bits[a * wordsPerRow + (b >>> 6)] & (1L << (b & 63))) != 0;
    }

    /** Builds a matrix; pairs are symmetrised. */
    public static Builder builder(int linkCount) {
        return new Builder(linkCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConflictMatrix m && m.linkCount == linkCount && Arrays.equals(m.bits, bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    /** Collects conflicting pairs. Not thread-safe. */
    public static final class Builder {
        private final int linkCount;
        private final int wordsPerRow;
        private final long[] bits;

        private Builder(int linkCount) {
            if (linkCount < 0) {
                throw new IllegalArgumentException("linkCount must be >= 0, was " + linkCount);
            }
            this.linkCount = linkCount;
            this.wordsPerRow = (linkCount + 63) >>> 6;
            this.bits = new long[Math.max(1, linkCount * wordsPerRow)];
        }

        /** Records that {@code a} and {@code b} conflict (both directions). Self-pairs are ignored. */
        public Builder conflict(int a, int b) {
            if (a < 0 || a >= linkCount || b < 0 || b >= linkCount) {
                throw new IllegalArgumentException("link index out of range: " + a + ", " + b + " (links: " + linkCount + ")");
            }
            if (a != b) {
                bits[a * wordsPerRow + (b >>> 6)] |= 1L << (b & 63);
                bits[b * wordsPerRow + (a >>> 6)] |= 1L << (a & 63);
            }
            return this;
        }

        public ConflictMatrix build() {
            return new ConflictMatrix(linkCount, bits.clone());
        }
    }
}
