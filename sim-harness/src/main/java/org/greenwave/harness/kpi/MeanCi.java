package org.greenwave.harness.kpi;

/**
 * The mean of a sample with its two-sided 95 % confidence interval, Student's t with {@code n - 1} degrees of freedom:
 * {@code mean ± t(0.975, n - 1) × sd / √n}. With one value there is no interval: the half-width is NaN.
 *
 * @param mean      the sample mean; NaN for no values
 * @param halfWidth half the width of the interval; NaN when {@code n < 2}
 * @param n         how many values
 */
public record MeanCi(double mean, double halfWidth, int n) {
    /** t(0.975, df) for df = 1..30. */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
        2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
        2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    private static final double Z975 = 1.959964;

    /** The mean and its 95 % interval; NaN values are not counted. */
    public static MeanCi of(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return new MeanCi(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanCi(mean, Double.NaN, 1);
        }
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new MeanCi(mean, t975(n - 1) * sd / Math.sqrt(n), n);
    }

    /**
     * The 0.975 quantile of Student's t with {@code df} degrees of freedom: tabulated to df 30, beyond it the
     * Cornish-Fisher expansion about the normal quantile (Abramowitz and Stegun 26.7.5; error below 1e-4).
     */
    public static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = Z975;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        double v = df;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
    }

    /** Lower end of the interval (NaN without one). */
    public double low() {
        return mean - halfWidth;
    }

    /** Upper end of the interval (NaN without one). */
    public double high() {
        return mean + halfWidth;
    }

    /** Whether the interval exists and leaves out zero: for a mean of differences, a difference beyond the noise. */
    public boolean excludesZero() {
        return !Double.isNaN(halfWidth) && (low() > 0 || high() < 0);
    }
}
