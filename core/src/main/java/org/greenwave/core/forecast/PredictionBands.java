package org.greenwave.core.forecast;

import java.util.Arrays;

/**
 * Uncertainty bands of an intersection's predicted totals: for the whole intersection and for each approach, the
 * total queue {@link #HORIZONS_S 5, 15, 30 and 60 s} ahead and the delay over the next
 * {@link org.greenwave.core.state.IntersectionState#HORIZON_S} seconds, each with a band meant to hold the truth
 * between its {@link #lowQuantile()} and {@link #highQuantile()} (10–90 % by default).
 *
 * <p>A band is the prediction plus the empirical quantiles of past residuals (truth − prediction), calibrated offline
 * on validation data ({@link Calibrator}), never on the data the forecast is judged on. Residuals are kept apart per
 * {@link #INTERSECTION scope}, per slot (a horizon, or {@link #SLOT_DELAY}) and per bucket of the prediction's size
 * ({@link #bucketEdgesVeh()}: a queue of 30 vehicles errs by more than one of 2); a bucket with fewer than
 * {@link #MIN_BUCKET_SAMPLES} residuals uses those of its whole slot. The band never goes below 0.
 *
 * <p>Immutable; any thread. {@link #lowerVeh} and {@link #upperVeh} do not allocate.
 */
public final class PredictionBands {
    /** Horizons of the queue bands, seconds; slot {@code i} is {@code HORIZONS_S[i]}. */
    private static final int[] HORIZONS_S = {5, 15, 30, 60};
    /** Number of queue horizons; slots 0..HORIZON_COUNT − 1 are queues. */
    public static final int HORIZON_COUNT = HORIZONS_S.length;
    /** Slot of the delay over the next minute, vehicle-seconds. */
    public static final int SLOT_DELAY = HORIZON_COUNT;
    /** Slots per scope: the queue horizons and the delay. */
    public static final int SLOTS = HORIZON_COUNT + 1;
    /** Scope: the whole intersection's total. */
    public static final int INTERSECTION = 0;
    /** Scope: one approach's total. */
    public static final int APPROACH = 1;
    /** Number of scopes. */
    public static final int SCOPES = 2;
    /** Residuals a bucket needs to stand on its own; fewer, and its slot's pooled residuals are used. */
    public static final int MIN_BUCKET_SAMPLES = 30;
    /** Residuals a slot needs at all; fewer, and the slot has no band (NaN). */
    public static final int MIN_SLOT_SAMPLES = 10;
    /** Upper edges of the size buckets, vehicles (a delay is sized by its mean queue over the minute). */
    public static final double[] DEFAULT_BUCKET_EDGES_VEH = {1, 3, 6, 10, 20, 40};

    private final double lowQuantile;
    private final double highQuantile;
    private final double[] edgesVeh;
    private final int buckets;
    /** Residual quantiles, {@code [(scope * SLOTS + slot) * buckets + bucket]}; NaN: no band. */
    private final double[] lowResidual;
    private final double[] highResidual;

    private PredictionBands(double lowQuantile, double highQuantile, double[] edgesVeh, double[] lowResidual,
                            double[] highResidual) {
        this.lowQuantile = lowQuantile;
        this.highQuantile = highQuantile;
        this.edgesVeh = edgesVeh;
        this.buckets = edgesVeh.length + 1;
        this.lowResidual = lowResidual;
        this.highResidual = highResidual;
    }

    /**
     * Bands from stored quantiles, checked (for model files).
     *
     * @param lowResidual  {@code SCOPES × SLOTS × (edges + 1)} residuals at the low quantile, vehicles (vehicle-seconds
     *                     for the delay slot); NaN where the slot has no band
     * @param highResidual the same at the high quantile, each ≥ its low one
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PredictionBands of(double lowQuantile, double highQuantile, double[] edgesVeh, double[] lowResidual,
                                     double[] highResidual) {
        if (!(lowQuantile > 0 && lowQuantile < highQuantile && highQuantile < 1)) {
            throw new IllegalArgumentException("band quantiles must satisfy 0 < low < high < 1, were " + lowQuantile
                    + " and " + highQuantile);
        }
        for (int i = 0; i < edgesVeh.length; i++) {
            if (!(edgesVeh[i] > (i == 0 ? 0 : edgesVeh[i - 1])) || Double.isInfinite(edgesVeh[i])) {
                throw new IllegalArgumentException("bucket edges must be finite, positive and ascending, were "
                        + Arrays.toString(edgesVeh));
            }
        }
        int n = SCOPES * SLOTS * (edgesVeh.length + 1);
        if (lowResidual.length != n || highResidual.length != n) {
            throw new IllegalArgumentException("bands need " + n + " low and high residuals (" + SCOPES + " scopes × "
                    + SLOTS + " slots × " + (edgesVeh.length + 1) + " buckets), had " + lowResidual.length + " and "
                    + highResidual.length);
        }
        for (int i = 0; i < n; i++) {
            boolean bothNaN = Double.isNaN(lowResidual[i]) && Double.isNaN(highResidual[i]);
            if (!bothNaN && !(Double.isFinite(lowResidual[i]) && Double.isFinite(highResidual[i])
                    && lowResidual[i] <= highResidual[i])) {
                throw new IllegalArgumentException("band " + i + ": low residual " + lowResidual[i] + " and high "
                        + highResidual[i] + " must be finite with low ≤ high (or both null)");
            }
        }
        return new PredictionBands(lowQuantile, highQuantile, edgesVeh.clone(), lowResidual.clone(),
                highResidual.clone());
    }

    /** Seconds ahead of queue slot {@code slot} (0..{@link #HORIZON_COUNT} − 1). */
    public static int horizonS(int slot) {
        return HORIZONS_S[slot];
    }

    public double lowQuantile() {
        return lowQuantile;
    }

    public double highQuantile() {
        return highQuantile;
    }

    /** A copy of the buckets' upper edges, vehicles. */
    public double[] bucketEdgesVeh() {
        return edgesVeh.clone();
    }

    /** A copy of the low residual quantiles, laid out as in {@link #of}. */
    public double[] lowResiduals() {
        return lowResidual.clone();
    }

    /** A copy of the high residual quantiles, laid out as in {@link #of}. */
    public double[] highResiduals() {
        return highResidual.clone();
    }

    /** The band's lower end for {@code predicted} in {@code scope} and {@code slot}, ≥ 0; NaN without a band there. */
    public double lowerVeh(int scope, int slot, double predicted) {
        double r = lowResidual[index(scope, slot, predicted)];
        return Math.max(0, predicted + r);
    }

    /** The band's upper end, see {@link #lowerVeh}. */
    public double upperVeh(int scope, int slot, double predicted) {
        double r = highResidual[index(scope, slot, predicted)];
        return Math.max(0, predicted + r);
    }

    private int index(int scope, int slot, double predicted) {
        return (scope * SLOTS + slot) * buckets + bucket(edgesVeh, slot, predicted);
    }

    /** The size bucket of a prediction: a queue by its vehicles, a delay by its mean queue over the minute. */
    static int bucket(double[] edgesVeh, int slot, double predicted) {
        double size = slot == SLOT_DELAY ? predicted / org.greenwave.core.state.IntersectionState.HORIZON_S
                : predicted;
        int b = 0;
        while (b < edgesVeh.length && size >= edgesVeh[b]) {
            b++;
        }
        return b;
    }

    /**
     * Collects residuals and computes the bands' empirical quantiles. Offline (allocates); one thread.
     */
    public static final class Calibrator {
        private final double[] edgesVeh;
        private final int buckets;
        private final double[][] residuals;
        private final int[] counts;

        /** With {@link #DEFAULT_BUCKET_EDGES_VEH}. */
        public Calibrator() {
            this(DEFAULT_BUCKET_EDGES_VEH);
        }

        public Calibrator(double[] edgesVeh) {
            this.edgesVeh = edgesVeh.clone();
            this.buckets = edgesVeh.length + 1;
            this.residuals = new double[SCOPES * SLOTS * buckets][16];
            this.counts = new int[residuals.length];
        }

        /**
         * Adds one prediction and the truth it was made for. Non-finite values are skipped.
         *
         * @return whether it was added
         */
        public boolean add(int scope, int slot, double predicted, double truth) {
            if (!Double.isFinite(predicted) || !Double.isFinite(truth)) {
                return false;
            }
            int i = (scope * SLOTS + slot) * buckets + bucket(edgesVeh, slot, predicted);
            if (counts[i] == residuals[i].length) {
                residuals[i] = Arrays.copyOf(residuals[i], residuals[i].length * 2);
            }
            residuals[i][counts[i]++] = truth - predicted;
            return true;
        }

        /** Residuals added to {@code scope} and {@code slot}, over all buckets. */
        public int samples(int scope, int slot) {
            int n = 0;
            for (int b = 0; b < buckets; b++) {
                n += counts[(scope * SLOTS + slot) * buckets + b];
            }
            return n;
        }

        /**
         * The bands: per bucket the empirical {@code lowQuantile} and {@code highQuantile} of its residuals (linear
         * between order statistics), or of its slot's pooled residuals when the bucket has fewer than
         * {@link #MIN_BUCKET_SAMPLES}; NaN for a slot with fewer than {@link #MIN_SLOT_SAMPLES}.
         */
        public PredictionBands build(double lowQuantile, double highQuantile) {
            int n = residuals.length;
            double[] low = new double[n];
            double[] high = new double[n];
            for (int scope = 0; scope < SCOPES; scope++) {
                for (int slot = 0; slot < SLOTS; slot++) {
                    int base = (scope * SLOTS + slot) * buckets;
                    int total = samples(scope, slot);
                    double[] pooled = new double[total];
                    int k = 0;
                    for (int b = 0; b < buckets; b++) {
                        System.arraycopy(residuals[base + b], 0, pooled, k, counts[base + b]);
                        k += counts[base + b];
                    }
                    Arrays.sort(pooled);
                    for (int b = 0; b < buckets; b++) {
                        if (total < MIN_SLOT_SAMPLES) {
                            low[base + b] = Double.NaN;
                            high[base + b] = Double.NaN;
                        } else if (counts[base + b] < MIN_BUCKET_SAMPLES) {
                            low[base + b] = quantile(pooled, total, lowQuantile);
                            high[base + b] = quantile(pooled, total, highQuantile);
                        } else {
                            double[] own = Arrays.copyOf(residuals[base + b], counts[base + b]);
                            Arrays.sort(own);
                            low[base + b] = quantile(own, own.length, lowQuantile);
                            high[base + b] = quantile(own, own.length, highQuantile);
                        }
                    }
                }
            }
            return of(lowQuantile, highQuantile, edgesVeh, low, high);
        }
    }

    /**
     * The {@code q} quantile of the first {@code n} values of {@code sorted} (ascending), interpolating linearly
     * between the order statistics at {@code (n − 1) q} (Hyndman and Fan's type 7, R's default).
     */
    public static double quantile(double[] sorted, int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        double pos = (n - 1) * q;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
