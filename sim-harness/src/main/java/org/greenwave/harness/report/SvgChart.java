package org.greenwave.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line/point chart rendered as inline SVG, for self-contained HTML reports (no scripts, no network): series of
 * (x, y) points with optional error bars and point labels, dashed or solid, a legend, and axes with five ticks each
 * (linear) or ticks at 1, 2 and 5 × each power of ten (logarithmic; the axis label then says "log scale").
 */
public final class SvgChart {
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf"};

    private final int widthPx;
    private final int heightPx;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double minX = Double.NaN;
    private double maxX = Double.NaN;
    private boolean logX;
    private boolean logY;

    private record Series(String name, double[] x, double[] y, double[] err, String colour, boolean dashed,
                          boolean points, String[] labels) {
    }

    /**
     * How to draw several series whose values may differ by far: on one linear axis, on one logarithmic axis, or
     * each in a panel of its own.
     */
    public enum Scale {
        LINEAR, LOG, PANELS;

        /** Beyond this ratio between the largest and the smallest series peak, one linear axis flattens the small. */
        public static final double MAX_LINEAR_SPREAD = 5;

        /**
         * Chooses the scale: linear while the series' peaks (their largest values) are within
         * {@link #MAX_LINEAR_SPREAD} of each other; beyond it a log scale where every value drawn is positive,
         * otherwise separate panels. Peaks that are NaN or not positive do not count (an all-zero series stays
         * readable at the bottom of any axis).
         *
         * @param peaks       each series' largest value
         * @param allPositive whether every value to be drawn (error bars included) is above zero
         */
        public static Scale choose(double[] peaks, boolean allPositive) {
            return spread(peaks) > MAX_LINEAR_SPREAD ? (allPositive ? LOG : PANELS) : LINEAR;
        }

        /** The largest positive peak over the smallest; 1 with fewer than two positive peaks. */
        public static double spread(double[] peaks) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            int n = 0;
            for (double p : peaks) {
                if (p > 0) {
                    lo = Math.min(lo, p);
                    hi = Math.max(hi, p);
                    n++;
                }
            }
            return n < 2 ? 1 : hi / lo;
        }
    }

    public SvgChart(int widthPx, int heightPx, String xLabel, String yLabel) {
        this.widthPx = widthPx;
        this.heightPx = heightPx;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** The colour the n-th series gets by default. */
    public static String colour(int n) {
        return PALETTE[Math.floorMod(n, PALETTE.length)];
    }

    /**
     * Adds a series; NaN values are skipped (the line is broken there), and so are values that are not positive on
     * a log axis.
     *
     * @param err    half-height of the error bar per point, or null
     * @param colour CSS colour, or null for the next palette colour
     */
    public SvgChart series(String name, double[] x, double[] y, double[] err, String colour, boolean dashed,
                           boolean points) {
        series.add(new Series(name, x.clone(), y.clone(), err == null ? null : err.clone(),
                colour == null ? colour(series.size()) : colour, dashed, points, null));
        return this;
    }

    /** Writes {@code labels[i]} beside point i of the last series added (null entries are left out). */
    public SvgChart labels(String[] labels) {
        Series s = series.remove(series.size() - 1);
        series.add(new Series(s.name, s.x, s.y, s.err, s.colour, s.dashed, s.points, labels.clone()));
        return this;
    }

    /** Fixes the x range; default the data's. */
    public SvgChart xRange(double min, double max) {
        this.minX = min;
        this.maxX = max;
        return this;
    }

    /** Draws the x axis on a log scale. */
    public SvgChart logX() {
        this.logX = true;
        return this;
    }

    /** Draws the y axis on a log scale. */
    public SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** Renders the chart and its legend as an HTML fragment. */
    public String render() {
        double x0 = minX;
        double x1 = maxX;
        if (Double.isNaN(x0)) {
            x0 = Double.POSITIVE_INFINITY;
            x1 = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (double v : s.x) {
                    if (!logX || v > 0) {
                        x0 = Math.min(x0, v);
                        x1 = Math.max(x1, v);
                    }
                }
            }
        }
        double y0 = logY ? Double.POSITIVE_INFINITY : 0;
        double y1 = logY ? 0 : 0;
        for (Series s : series) {
            for (int i = 0; i < s.y.length; i++) {
                if (!drawn(s.y[i])) {
                    continue;
                }
                double e = s.err == null || Double.isNaN(s.err[i]) ? 0 : s.err[i];
                y1 = Math.max(y1, s.y[i] + e);
                if (logY) {
                    y0 = Math.min(y0, s.y[i] - e > 0 ? s.y[i] - e : s.y[i]);
                }
            }
        }
        if (logX) {
            x0 = x0 > 0 && Double.isFinite(x0) ? Math.pow(10, Math.floor(Math.log10(x0))) : 1;
            x1 = x1 > x0 ? Math.pow(10, Math.ceil(Math.log10(x1))) : x0 * 10;
        } else if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        if (logY) {
            y0 = y0 > 0 && Double.isFinite(y0) ? Math.pow(10, Math.floor(Math.log10(y0))) : 1;
            y1 = y1 > y0 ? Math.pow(10, Math.ceil(Math.log10(y1))) : y0 * 10;
        } else {
            double step = niceCeil(Math.max(y1, 1e-9) / 4);
            y1 = Math.max(step, Math.ceil(y1 / step - 1e-9) * step);
        }
        Axis ax = new Axis(x0, x1, logX);
        Axis ay = new Axis(y0, y1, logY);
        int left = 56;
        int right = 12;
        int top = 10;
        int bottom = 42;
        double plotW = widthPx - left - right;
        double plotH = heightPx - top - bottom;
        String xTitle = logX ? xLabel + " — log scale" : xLabel;
        String yTitle = logY ? yLabel + " — log scale" : yLabel;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" style=\"max-width:100%%;height:auto\">",
                widthPx, heightPx, widthPx, heightPx, esc(yTitle + " by " + xTitle)));
        for (double yv : ay.ticks()) {
            double yy = top + plotH - ay.frac(yv) * plotH;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", left, yy,
                    left + plotW, yy, left - 5, yy + 4, tick(yv)));
        }
        for (double xv : ax.ticks()) {
            double xx = left + ax.frac(xv) * plotW;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%s"
                    + "</text>", xx, top + plotH + 15, tick(xv)));
        }
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#888\"/>", left, top, plotW, plotH));
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, heightPx - 6, esc(xTitle)));
        b.append(String.format(Locale.ROOT, "<text x=\"13\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 13 %.1f)\">%s</text>", top + plotH / 2, top + plotH / 2, esc(yTitle)));
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.x.length; i++) {
                if (!drawn(s.y[i]) || (logX && !(s.x[i] > 0))) {
                    pen = false;
                    continue;
                }
                double xx = left + ax.frac(s.x[i]) * plotW;
                double yy = top + plotH - ay.frac(s.y[i]) * plotH;
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", xx, yy));
                pen = true;
                if (s.err != null && !Double.isNaN(s.err[i]) && s.err[i] > 0) {
                    double low = s.y[i] - s.err[i];
                    double lo = top + plotH - ay.frac(Math.max(low, ay.min)) * plotH;
                    double hi = top + plotH - ay.frac(s.y[i] + s.err[i]) * plotH;
                    b.append(String.format(Locale.ROOT, "<path class=\"error-bar\" d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f "
                            + "L%.1f %.1f M%.1f %.1f L%.1f %.1f\" stroke=\"%s\" stroke-width=\"1.2\"/>", xx, lo, xx, hi,
                            xx - 4, lo, xx + 4, lo, xx - 4, hi, xx + 4, hi, s.colour));
                }
                if (s.points) {
                    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\"/>", xx,
                            yy, s.colour));
                }
                if (s.labels != null && i < s.labels.length && s.labels[i] != null) {
                    b.append(String.format(Locale.ROOT, "<text class=\"point-label\" x=\"%.1f\" y=\"%.1f\" "
                            + "font-size=\"10\" fill=\"%s\">%s</text>", xx + 6, yy - 5, s.colour, esc(s.labels[i])));
                }
            }
            b.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                    path.toString().trim(), s.colour, s.dashed ? "1.5" : "2",
                    s.dashed ? " stroke-dasharray=\"6,4\"" : ""));
        }
        b.append("</svg><div class=\"legend\">");
        for (Series s : series) {
            b.append(String.format("<span style=\"color:%s\">%s %s</span> ", s.colour, s.dashed ? "╌╌" : "━━",
                    esc(s.name)));
        }
        return b.append("</div>").toString();
    }

    private boolean drawn(double y) {
        return !Double.isNaN(y) && (!logY || y > 0);
    }

    /** One axis: its range and whether it is logarithmic (then {@code min > 0}, both powers of ten). */
    private record Axis(double min, double max, boolean log) {
        double frac(double v) {
            return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            if (!log) {
                double step = niceCeil((max - min) / 4);
                for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
                    out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
                }
                return out;
            }
            int decades = (int) Math.round(Math.log10(max / min));
            double[] steps = decades <= 2 ? new double[] {1, 2, 5} : new double[] {1};
            for (double p = min; p <= max * 1.0001; p *= 10) {
                for (double m : steps) {
                    if (m * p <= max * 1.0001) {
                        out.add(m * p);
                    }
                }
            }
            return out;
        }
    }

    private static String tick(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.valueOf((long) Math.rint(v));
        }
        return String.format(Locale.ROOT, Math.abs(v) < 0.1 ? "%.2g" : Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
    }

    /** The smallest of 1, 2, 2.5, 5 × a power of ten that is at least {@code v}; 1 for v ≤ 0. */
    public static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= v - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Escapes text for HTML and SVG. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
