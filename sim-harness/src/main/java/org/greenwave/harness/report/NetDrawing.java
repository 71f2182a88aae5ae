package org.greenwave.harness.report;

import static org.greenwave.harness.report.SvgChart.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.SumoNet;

/**
 * A drawing of a study area for reports, as inline SVG: every road lane and junction outline of the SUMO network
 * (internal lanes left out), each controlled signal as a dot at its position labelled with its id, and a scale bar.
 * North is up when the network's y axis points north (as netconvert writes OpenStreetMap imports).
 */
public final class NetDrawing {
    private static final int PAD_PX = 24;
    private static final int MAX_HEIGHT_PX = 640;
    private static final int MIN_HEIGHT_PX = 220;
    private static final double LANE_WIDTH_M = 3.2;

    private NetDrawing() {
    }

    /**
     * Renders the area.
     *
     * @param widthPx     width of the drawing; the height follows the area's proportions, within 220..640 px
     * @param highlightId a signal drawn in a colour of its own with a ring (such as the one a report looks at more
     *                    closely), or null
     */
    public static String svg(SumoNet net, List<ControlledIntersection> signals, int widthPx, String highlightId) {
        List<List<double[]>> lanes = new ArrayList<>();
        for (SumoNet.Lane lane : new TreeMap<>(net.lanes()).values()) {
            if (!lane.id().startsWith(":") && lane.shape() != null) {
                lanes.add(SumoNet.points(lane.shape()));
            }
        }
        List<List<double[]>> junctions = new ArrayList<>();
        for (SumoNet.Junction j : new TreeMap<>(net.junctions()).values()) {
            if (!"internal".equals(j.type()) && j.shape() != null && !j.shape().isBlank()) {
                junctions.add(SumoNet.points(j.shape()));
            }
        }
        Map<String, double[]> at = new TreeMap<>();
        for (ControlledIntersection ci : signals) {
            at.put(ci.id(), ci.position(net));
        }
        double[] bounds = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        List<List<double[]>> everything = new ArrayList<>(lanes);
        everything.addAll(junctions);
        everything.add(new ArrayList<>(at.values()));
        for (List<double[]> shape : everything) {
            for (double[] p : shape) {
                bounds[0] = Math.min(bounds[0], p[0]);
                bounds[1] = Math.min(bounds[1], p[1]);
                bounds[2] = Math.max(bounds[2], p[0]);
                bounds[3] = Math.max(bounds[3], p[1]);
            }
        }
        if (bounds[0] > bounds[2]) {
            bounds = new double[] {0, 0, 100, 100};
        }
        double dx = Math.max(1, bounds[2] - bounds[0]);
        double dy = Math.max(1, bounds[3] - bounds[1]);
        double scale = Math.min((widthPx - 2.0 * PAD_PX) / dx, (MAX_HEIGHT_PX - 2.0 * PAD_PX) / dy);
        int heightPx = (int) Math.max(MIN_HEIGHT_PX, Math.ceil(dy * scale + 2 * PAD_PX + 18));
        double offX = (widthPx - dx * scale) / 2;
        double offY = (heightPx - 18 - dy * scale) / 2;
        Projection pr = new Projection(bounds[0], bounds[3], scale, offX, offY);

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"study-area\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\" aria-label=\"the study area: roads and the %d signals controlled\" "
                + "style=\"max-width:100%%;height:auto;background:#fbfbf8;border:1px solid #ddd\">",
                widthPx, heightPx, widthPx, heightPx, signals.size()));
        b.append("<g fill=\"#d9d9d4\" stroke=\"none\">");
        for (List<double[]> j : junctions) {
            if (j.size() >= 3) {
                b.append("<polygon points=\"").append(pr.list(j)).append("\"/>");
            }
        }
        b.append(String.format(Locale.ROOT, "</g><g fill=\"none\" stroke=\"#a7a7a0\" stroke-width=\"%.2f\" "
                + "stroke-linecap=\"butt\">", Math.max(0.6, Math.min(12, LANE_WIDTH_M * scale * 0.9))));
        for (List<double[]> lane : lanes) {
            if (lane.size() >= 2) {
                b.append("<polyline points=\"").append(pr.list(lane)).append("\"/>");
            }
        }
        b.append("</g>");

        List<double[]> taken = new ArrayList<>();
        for (double[] p : at.values()) {
            double[] q = pr.apply(p);
            taken.add(new double[] {q[0] - 7, q[1] - 7, q[0] + 7, q[1] + 7});
        }
        StringBuilder labels = new StringBuilder();
        for (Map.Entry<String, double[]> e : at.entrySet()) {
            String id = e.getKey();
            double[] q = pr.apply(e.getValue());
            boolean hl = id.equals(highlightId);
            String fill = hl ? "#ff7f0e" : "#d62728";
            b.append(String.format(Locale.ROOT, "<g class=\"signal\" data-id=\"%s\"><title>%s at x = %.0f m, y = %.0f m"
                    + "</title>%s<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1.5\"/></g>",
                    esc(id), esc(id), e.getValue()[0], e.getValue()[1], hl ? String.format(Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"11\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
                            q[0], q[1], fill) : "", q[0], q[1], fill));
            int font = id.length() > 16 ? 10 : 13;
            double w = id.length() * font * 0.62;
            double h = font + 2;
            double[][] candidates = {{q[0] + 9, q[1] + h / 2 - 2}, {q[0] - 9 - w, q[1] + h / 2 - 2},
                {q[0] - w / 2, q[1] - 10}, {q[0] - w / 2, q[1] + 10 + h}};
            double[] pick = candidates[0];
            for (double[] c : candidates) {
                double[] box = {c[0], c[1] - h + 2, c[0] + w, c[1] + 2};
                if (box[0] >= 0 && box[2] <= widthPx && box[1] >= 0 && box[3] <= heightPx && free(box, taken)) {
                    pick = c;
                    break;
                }
            }
            taken.add(new double[] {pick[0], pick[1] - h + 2, pick[0] + w, pick[1] + 2});
            labels.append(String.format(Locale.ROOT, "<text class=\"signal-label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" "
                    + "font-weight=\"bold\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">%s</text>",
                    pick[0], pick[1], font, hl ? "#b35900" : "#8c1c1c", esc(id)));
        }
        b.append(labels);

        double barM = niceFloor(dx / 5);
        double barPx = barM * scale;
        double y = heightPx - 12;
        b.append(String.format(Locale.ROOT, "<g class=\"scale-bar\"><path d=\"M%d %.1f v-5 h%.1f v5\" fill=\"none\" "
                + "stroke=\"#333\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text></g>",
                PAD_PX, y, barPx, PAD_PX + barPx + 6, y, barM >= 1000 ? trim(barM / 1000) + " km" : trim(barM) + " m"));
        return b.append("</svg>").toString();
    }

    private static boolean free(double[] box, List<double[]> taken) {
        for (double[] t : taken) {
            if (box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]) {
                return false;
            }
        }
        return true;
    }

    /** The largest of 1, 2, 5 × a power of ten at most {@code v}. */
    static double niceFloor(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double m : new double[] {5, 2, 1}) {
            if (m * p <= v) {
                return m * p;
            }
        }
        return p;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Network metres (y up) to drawing pixels (y down). */
    private record Projection(double minX, double maxY, double scale, double offX, double offY) {
        double[] apply(double[] p) {
            return new double[] {offX + (p[0] - minX) * scale, offY + (maxY - p[1]) * scale};
        }

        String list(List<double[]> pts) {
            StringBuilder b = new StringBuilder();
            for (double[] p : pts) {
                double[] q = apply(p);
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(String.format(Locale.ROOT, "%.1f,%.1f", q[0], q[1]));
            }
            return b.toString();
        }
    }
}
