package org.greenwave.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line/point chart rendered as inline SVG, for self-contained HTML reports (no scripts, no network): series of
 * (x, y) points with optional error bars, dashed or solid, a legend, and axes with five ticks each.
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
    private double minY = 0;

    private record Series(String name, double[] x, double[] y, double[] err, String colour, boolean dashed,
                          boolean points) {
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
     * Adds a series; NaN values are skipped (the line is broken there).
     *
     * @param err    half-height of the error bar per point, or null
     * @param colour CSS colour, or null for the next palette colour
     */
    public SvgChart series(String name, double[] x, double[] y, double[] err, String colour, boolean dashed,
                           boolean points) {
        series.add(new Series(name, x.clone(), y.clone(), err == null ? null : err.clone(),
                colour == null ? colour(series.size()) : colour, dashed, points));
        return this;
    }

    /** Fixes the x range; default the data's. */
    public SvgChart xRange(double min, double max) {
        this.minX = min;
        this.maxX = max;
        return this;
    }

    /** Renders the chart and its legend as an HTML fragment. */
    public String render() {
        double x0 = minX;
        double x1 = maxX;
        double y1 = 0;
        if (Double.isNaN(x0)) {
            x0 = Double.POSITIVE_INFINITY;
            x1 = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (double v : s.x) {
                    x0 = Math.min(x0, v);
                    x1 = Math.max(x1, v);
                }
            }
        }
        for (Series s : series) {
            for (int i = 0; i < s.y.length; i++) {
                if (!Double.isNaN(s.y[i])) {
                    y1 = Math.max(y1, s.y[i] + (s.err == null || Double.isNaN(s.err[i]) ? 0 : s.err[i]));
                }
            }
        }
        if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        y1 = niceCeil(y1);
        int left = 56;
        int right = 12;
        int top = 10;
        int bottom = 42;
        double plotW = widthPx - left - right;
        double plotH = heightPx - top - bottom;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" style=\"max-width:100%%;height:auto\">",
                widthPx, heightPx, widthPx, heightPx, esc(yLabel + " by " + xLabel)));
        for (int i = 0; i <= 4; i++) {
            double yv = minY + (y1 - minY) * i / 4;
            double yy = top + plotH - (yv - minY) / (y1 - minY) * plotH;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", left, yy,
                    left + plotW, yy, left - 5, yy + 4, tick(yv)));
            double xv = x0 + (x1 - x0) * i / 4;
            double xx = left + (xv - x0) / (x1 - x0) * plotW;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%s"
                    + "</text>", xx, top + plotH + 15, tick(xv)));
        }
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#888\"/>", left, top, plotW, plotH));
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, heightPx - 6, esc(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"13\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 13 %.1f)\">%s</text>", top + plotH / 2, top + plotH / 2, esc(yLabel)));
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isNaN(s.y[i])) {
                    pen = false;
                    continue;
                }
                double xx = left + (s.x[i] - x0) / (x1 - x0) * plotW;
                double yy = top + plotH - (s.y[i] - minY) / (y1 - minY) * plotH;
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", xx, yy));
                pen = true;
                if (s.err != null && !Double.isNaN(s.err[i]) && s.err[i] > 0) {
                    double lo = top + plotH - (Math.max(minY, s.y[i] - s.err[i]) - minY) / (y1 - minY) * plotH;
                    double hi = top + plotH - (s.y[i] + s.err[i] - minY) / (y1 - minY) * plotH;
                    b.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f M%.1f "
                            + "%.1f L%.1f %.1f\" stroke=\"%s\" stroke-width=\"1.2\"/>", xx, lo, xx, hi, xx - 4, lo,
                            xx + 4, lo, xx - 4, hi, xx + 4, hi, s.colour));
                }
                if (s.points) {
                    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\"/>", xx,
                            yy, s.colour));
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

    private static String tick(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.valueOf((long) Math.rint(v));
        }
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
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
