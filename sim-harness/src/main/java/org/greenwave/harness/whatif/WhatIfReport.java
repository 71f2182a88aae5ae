package org.greenwave.harness.whatif;

import org.greenwave.harness.kpi.ComparisonTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.greenwave.harness.report.SvgChart;
import org.greenwave.harness.scenario.Scenario;

import static org.greenwave.harness.report.SvgChart.esc;

/**
 * The what-if report: one self-contained HTML page (inline SVG, no scripts, no network) with average delay against
 * demand per controller (mean ± sd over seeds, one chart per detector-failure share), the distribution of per-vehicle
 * delay, the queue over time at the worst intersection, and the table of every grid cell.
 */
final class WhatIfReport {
    private WhatIfReport() {
    }

    static void write(Path file, Scenario scenario, List<String> controllers, List<Double> demands,
                      List<Double> shares, List<Long> seeds, List<WhatIfStudy.Cell> cells) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>What-if study — ")
                .append(esc(scenario.name())).append("</title><style>body{font-family:sans-serif;max-width:1100px;"
                        + "margin:1em auto;padding:0 1em;color:#222}table{border-collapse:collapse;font-size:14px;"
                        + "margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}"
                        + "td:first-child,th:first-child{text-align:left}.legend{font-size:13px;margin:.2em 0 1em}"
                        + ".legend span{margin-right:1.2em}.charts{display:flex;flex-wrap:wrap;gap:1em}</style></head><body>");
        b.append("<h1>What-if study: ").append(esc(scenario.name())).append("</h1>");
        b.append(String.format(Locale.ROOT, "<p>%.0f–%.0f s simulated; controllers %s; demand ×%s; detectors failed %s; "
                + "seeds %s; %d runs. Delay is the mean of <code>timeLoss + departDelay</code> over every vehicle due in "
                + "the window (RESCO definition). Failed detectors are drawn per seed, the same for every controller.</p>",
                scenario.beginS(), scenario.endS(), esc(String.join(", ", controllers)), join(demands),
                shareList(shares), seeds, cells.size()));

        b.append("<h2>Average delay against demand</h2><div class=\"charts\">");
        for (double share : shares) {
            SvgChart chart = new SvgChart(520, 320, "demand factor", "average delay (s)");
            for (int c = 0; c < controllers.size(); c++) {
                double[] x = new double[demands.size()];
                double[] mean = new double[demands.size()];
                double[] sd = new double[demands.size()];
                for (int d = 0; d < demands.size(); d++) {
                    double[] v = delays(cells, controllers.get(c), demands.get(d), share);
                    x[d] = demands.get(d);
                    mean[d] = mean(v);
                    sd[d] = sd(v);
                }
                chart.series(controllers.get(c), x, mean, sd, null, false, true);
            }
            if (demands.size() == 1) {
                chart.xRange(demands.get(0) - 0.1, demands.get(0) + 0.1);
            }
            b.append("<div><h3>").append(share == 0 ? "all detectors working"
                    : String.format(Locale.ROOT, "%.0f %% of detectors failed", share * 100)).append("</h3>")
                    .append(chart.render()).append("</div>");
        }
        b.append("</div>");

        double demand = closest(demands, 1.0);
        double share0 = shares.get(0);
        b.append(String.format(Locale.ROOT, "<h2>Per-vehicle delay (demand ×%s, %s, all seeds)</h2>", trim(demand),
                shareLabel(share0)));
        SvgChart cdf = new SvgChart(720, 320, "delay per vehicle (s)", "share of vehicles with at most this delay");
        StringBuilder pct = new StringBuilder("<table><tr><th>controller</th><th>vehicles</th><th>median s</th>"
                + "<th>p90 s</th><th>p95 s</th><th>max s</th></tr>");
        double xMax = 0;
        List<double[]> pooledAll = new ArrayList<>();
        for (String controller : controllers) {
            double[] pooled = pooled(cells, controller, demand, share0);
            Arrays.sort(pooled);
            pooledAll.add(pooled);
            if (pooled.length > 0) {
                xMax = Math.max(xMax, ComparisonTable.quantile(pooled, 0.99));
            }
        }
        for (int c = 0; c < controllers.size(); c++) {
            double[] pooled = pooledAll.get(c);
            int points = 101;
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                x[i] = SvgChart.niceCeil(Math.max(1, xMax)) * i / (points - 1);
                y[i] = pooled.length == 0 ? Double.NaN : atMost(pooled, x[i]);
            }
            cdf.series(controllers.get(c), x, y, null, null, false, false);
            pct.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>"
                    + "<td>%.1f</td></tr>", esc(controllers.get(c)), pooled.length, ComparisonTable.quantile(pooled, 0.5),
                    ComparisonTable.quantile(pooled, 0.9), ComparisonTable.quantile(pooled, 0.95), pooled.length == 0 ? Double.NaN
                            : pooled[pooled.length - 1]));
        }
        b.append(cdf.xRange(0, SvgChart.niceCeil(Math.max(1, xMax))).render()).append(pct).append("</table>");

        double worstDemand = demands.get(demands.size() - 1);
        int worst = worstIntersection(cells, worstDemand, share0);
        if (worst >= 0) {
            long seed = seeds.get(0);
            String id = cells.get(0).queues().ids()[worst];
            b.append(String.format(Locale.ROOT, "<h2>Queue over time at the worst intersection: %s</h2><p>Halting vehicles "
                    + "on its incoming lanes (SUMO), demand ×%s, %s, seed %d. Worst: the largest mean queue over the "
                    + "controllers at this demand.</p>", esc(id), trim(worstDemand), shareLabel(share0), seed));
            SvgChart q = new SvgChart(1000, 320, "simulation time (s)", "halting vehicles");
            for (String controller : controllers) {
                for (WhatIfStudy.Cell c : cells) {
                    if (c.controller().equals(controller) && c.demand() == worstDemand && c.failureShare() == share0
                            && c.seed() == seed) {
                        float[] series = c.queues().haltingVeh()[worst];
                        double[] x = new double[series.length];
                        double[] y = new double[series.length];
                        for (int i = 0; i < series.length; i++) {
                            x[i] = c.queues().beginS() + (double) i * QueueTrace.PERIOD_S;
                            y[i] = series[i];
                        }
                        q.series(controller, x, y, null, null, false, false);
                    }
                }
            }
            b.append(q.render());
        }

        b.append("<h2>Results</h2><table><tr><th>controller</th><th>demand</th><th>detectors failed</th>"
                + "<th>average delay s (mean ± sd)</th><th>trip time s</th><th>stops per vehicle</th>"
                + "<th>throughput veh/h</th><th>vehicles not arrived</th><th>safety violations</th></tr>");
        for (String controller : controllers) {
            for (double d : demands) {
                for (double share : shares) {
                    List<WhatIfStudy.Cell> group = group(cells, controller, d, share);
                    double[] delay = delays(cells, controller, d, share);
                    b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>×%s</td><td>%s</td><td>%.2f ± %.2f</td>"
                                    + "<td>%.1f</td><td>%.2f</td><td>%.0f</td><td>%.0f</td><td>%d</td></tr>",
                            esc(controller), trim(d), shareLabel(share), mean(delay), sd(delay),
                            avg(group, c -> c.summary().trips().avgTripTimeS()),
                            avg(group, c -> c.summary().trips().avgStops()),
                            avg(group, c -> c.summary().throughputVehPerH()),
                            avg(group, c -> c.summary().trips().unfinished() + c.summary().trips().undeparted()),
                            group.stream().mapToLong(c -> c.summary().safetyViolations()).sum()));
                }
            }
        }
        b.append("</table><p>Every run's files: <code>runs/&lt;controller&gt;/demand-&lt;d&gt;/failed-&lt;share&gt;/"
                + "seed-&lt;n&gt;/</code>; one row per run in <code>results.csv</code>.</p></body></html>\n");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static List<WhatIfStudy.Cell> group(List<WhatIfStudy.Cell> cells, String controller, double demand,
                                                double share) {
        List<WhatIfStudy.Cell> out = new ArrayList<>();
        for (WhatIfStudy.Cell c : cells) {
            if (c.controller().equals(controller) && c.demand() == demand && c.failureShare() == share) {
                out.add(c);
            }
        }
        return out;
    }

    private static double[] delays(List<WhatIfStudy.Cell> cells, String controller, double demand, double share) {
        return group(cells, controller, demand, share).stream().mapToDouble(c -> c.summary().trips().avgDelayS())
                .toArray();
    }

    private static double[] pooled(List<WhatIfStudy.Cell> cells, String controller, double demand, double share) {
        return group(cells, controller, demand, share).stream().flatMapToDouble(c -> Arrays.stream(c.delaysS()))
                .toArray();
    }

    private static double avg(List<WhatIfStudy.Cell> group, java.util.function.ToDoubleFunction<WhatIfStudy.Cell> f) {
        return group.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The intersection with the largest mean queue, averaged over the controllers' first-seed runs; -1 if none. */
    private static int worstIntersection(List<WhatIfStudy.Cell> cells, double demand, double share) {
        double[] sum = null;
        for (WhatIfStudy.Cell c : cells) {
            if (c.demand() != demand || c.failureShare() != share || c.queues().haltingVeh() == null) {
                continue;
            }
            float[][] h = c.queues().haltingVeh();
            if (sum == null) {
                sum = new double[h.length];
            }
            for (int i = 0; i < h.length; i++) {
                for (float v : h[i]) {
                    sum[i] += v;
                }
            }
        }
        if (sum == null) {
            return -1;
        }
        int worst = 0;
        for (int i = 1; i < sum.length; i++) {
            if (sum[i] > sum[worst]) {
                worst = i;
            }
        }
        return worst;
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** Sample standard deviation; 0 for a single value. */
    static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Share of sorted values at most {@code x}. */
    private static double atMost(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }

    private static double closest(List<Double> values, double target) {
        double best = values.get(0);
        for (double v : values) {
            if (Math.abs(v - target) < Math.abs(best - target)) {
                best = v;
            }
        }
        return best;
    }

    private static String shareLabel(double share) {
        return share == 0 ? "all detectors working" : String.format(Locale.ROOT, "%.0f %% of detectors failed", share * 100);
    }

    private static String shareList(List<Double> shares) {
        List<String> out = new ArrayList<>();
        for (double s : shares) {
            out.add(String.format(Locale.ROOT, "%.0f %%", s * 100));
        }
        return String.join(", ", out);
    }

    private static String join(List<Double> values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(trim(v));
        }
        return String.join(", ×", out);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(v);
    }
}
