package org.greenwave.harness.whatif;

import static org.greenwave.harness.report.SvgChart.esc;
import static org.greenwave.harness.whatif.WhatIfSummary.factor;
import static org.greenwave.harness.whatif.WhatIfSummary.shareWords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.MeanCi;
import org.greenwave.harness.report.NetDrawing;
import org.greenwave.harness.report.SvgChart;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.SumoNet;

/**
 * The what-if report: one self-contained HTML page (inline SVG, no scripts, no network) to hand on. From the top:
 * when, by which versions and by which command it was made; a summary written from the numbers
 * ({@link WhatIfSummary}) and the headline table (delay per person and per bus beside the delay per vehicle where
 * a run measured them, "—" where a controller's runs did not); a drawing of the study area with every signal named; the method
 * (demand in veh/h, the delay definition, what the error bars are); delay against demand per controller (mean over
 * seeds with its 95 % confidence interval and n at each point, one chart per detector-failure share); the
 * distribution of per-vehicle delay; the queue over time at the worst intersection; and the table of every grid cell.
 * Where one controller's values exceed another's more than {@link SvgChart.Scale#MAX_LINEAR_SPREAD} times, a chart
 * takes a log scale, or separate panels where a log scale cannot show the values, and says so.
 */
final class WhatIfReport {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Everything the report is made from. */
    record Input(Scenario scenario, SumoNet net, List<ControlledIntersection> signals, List<String> controllers,
                 List<Double> demands, List<Double> shares, List<Long> seeds, List<WhatIfStudy.Cell> cells,
                 Provenance provenance) {
    }

    private WhatIfReport() {
    }

    static void write(Path file, Input in) throws IOException {
        Files.writeString(file, html(in), StandardCharsets.UTF_8);
    }

    static String html(Input in) {
        Scenario scenario = in.scenario();
        List<String> controllers = in.controllers();
        List<WhatIfStudy.Cell> cells = in.cells();
        WhatIfSummary summary = WhatIfSummary.of(scenario.name(), controllers, in.demands(), in.shares(), cells);
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>What-if study — ")
                .append(esc(scenario.name())).append("</title><style>body{font-family:sans-serif;max-width:1100px;"
                        + "margin:1em auto;padding:0 1em;color:#222;line-height:1.4}table{border-collapse:collapse;"
                        + "font-size:14px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}td{white-space:nowrap}"
                        + ".legend{font-size:13px;margin:.2em 0 1em}.legend span{margin-right:1.2em}"
                        + ".charts{display:flex;flex-wrap:wrap;gap:1em}.meta{color:#555;font-size:14px}"
                        + "#summary{font-size:16px;background:#f6f8fa;border-left:4px solid #1f77b4;padding:.6em 1em}"
                        + ".note{font-size:13px;color:#555}code{word-break:break-all}</style></head><body>");
        b.append("<h1>What-if study: ").append(esc(scenario.name())).append("</h1>");
        b.append(meta(in));
        b.append("<h2>Summary</h2><p id=\"summary\">").append(esc(summary.paragraph())).append("</p>");
        b.append(headline(summary));

        int worst = worstIntersection(cells, topDemand(in), summary.baseShare());
        String worstId = worst >= 0 && cells.get(0).queues().ids() != null ? cells.get(0).queues().ids()[worst] : null;
        b.append("<h2>Study area</h2>").append(NetDrawing.svg(in.net(), in.signals(), 1000, worstId));
        b.append(String.format(Locale.ROOT, "<p class=\"note\">Roads and junctions from <code>%s</code>; the %d "
                + "signals controlled are the red dots, each named by its id%s. Positions are the network's own "
                + "coordinates in metres.</p>", esc(String.valueOf(scenario.netFile().getFileName())),
                in.signals().size(), worstId == null ? "" : "; the ringed one is the worst intersection, whose queue is "
                        + "plotted below"));
        b.append(signalTable(in));

        b.append("<h2>Method</h2>").append(method(in, summary));

        b.append("<h2>Average delay against demand</h2>");
        for (double share : in.shares()) {
            b.append("<h3>").append(capital(shareWords(share))).append("</h3>").append(delayChart(in, summary, share));
        }

        b.append(distribution(in, summary));

        if (worstId != null) {
            b.append(queues(in, worst, worstId));
        }

        b.append(results(in, summary));
        b.append("<p class=\"note\">Every run's files: <code>runs/&lt;controller&gt;/demand-&lt;d&gt;/failed-&lt;share"
                + "&gt;/seed-&lt;n&gt;/</code>; one row per run in <code>results.csv</code>.</p></body></html>\n");
        return b.toString();
    }

    private static String meta(Input in) {
        TreeSet<String> sumo = new TreeSet<>();
        for (WhatIfStudy.Cell c : in.cells()) {
            String v = c.summary().sumoVersion();
            if (v != null && !v.isBlank()) {
                sumo.add(v.startsWith("SUMO") ? v : "SUMO " + v);
            }
        }
        Provenance p = in.provenance();
        return String.format(Locale.ROOT, "<p class=\"meta\" id=\"provenance\">Run on <time datetime=\"%s\">%s</time> "
                + "by Greenwave %s with %s. Command: <code id=\"command\">%s</code></p>", p.date(), DATE.format(p.date()),
                esc(p.greenwaveVersion()), sumo.isEmpty() ? "SUMO (version not reported)"
                        : esc(String.join(", ", sumo)), p.commandLine() == null ? "(not run from the command line)"
                        : esc(p.commandLine()));
    }

    private static String headline(WhatIfSummary s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<table id=\"headline\"><caption "
                + "style=\"text-align:left;font-size:14px\">At base demand ×%s (%,.0f veh/h), %s. Mean over seeds, "
                + "with its 95 %% confidence interval.</caption><tr><th>controller</th><th>n</th><th>delay per vehicle s"
                + "</th><th>95 %% CI s</th>%s<th>longest wait s</th><th>throughput veh/h</th><th>starvation events</th>"
                + "<th>gridlocked runs</th><th>safety violations</th></tr>", factor(s.baseDemand()),
                s.vehPerH(s.baseDemand()), shareWords(s.baseShare()), groupHeaders(s, "per person s", "per bus s")));
        for (WhatIfSummary.Row r : s.rows()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%s</td>%s<td>%.0f</td>"
                    + "<td>%,.0f</td><td>%d</td><td>%d</td><td>%d</td></tr>", esc(s.label(r.controller())), r.delayS().n(),
                    r.delayS().mean(), ciText(r.delayS()),
                    groupCells(s, r.personDelayS(), r.busDelayS(), r.delayS().n(), "%.1f"), r.maxWaitS(),
                    r.throughputVehPerH().mean(), r.starvationEvents(), r.gridlockRuns(), r.safetyViolations()));
        }
        return b.append("</table>").toString();
    }

    /** The person and bus delay headers (each: mean, 95 % CI), for the groups the study measured. */
    private static String groupHeaders(WhatIfSummary s, String person, String bus) {
        return (s.personsMeasured() ? "<th>delay " + person + "</th><th>95 % CI s</th>" : "")
                + (s.busesMeasured() ? "<th>delay " + bus + "</th><th>95 % CI s</th>" : "");
    }

    /**
     * The person and bus delay cells under {@link #groupHeaders}: the mean formatted as {@code meanFormat}, with
     * "(n=k)" when fewer than the group's {@code runs} measured it, and its interval; "—" in both where none did.
     */
    private static String groupCells(WhatIfSummary s, MeanCi person, MeanCi bus, int runs, String meanFormat) {
        return (s.personsMeasured() ? groupCell(person, runs, meanFormat) : "")
                + (s.busesMeasured() ? groupCell(bus, runs, meanFormat) : "");
    }

    private static String groupCell(MeanCi ci, int runs, String meanFormat) {
        if (ci.n() == 0) {
            return "<td>" + ComparisonTable.NONE + "</td><td>" + ComparisonTable.NONE + "</td>";
        }
        return "<td>" + String.format(Locale.ROOT, meanFormat, ci.mean()) + (ci.n() < runs ? " (n=" + ci.n() + ")" : "")
                + "</td><td>" + ciText(ci) + "</td>";
    }

    private static String signalTable(Input in) {
        StringBuilder b = new StringBuilder("<table id=\"signals\"><tr><th>signal</th><th>x m</th><th>y m</th>"
                + "<th>junctions</th><th>own program</th><th>incoming lanes</th><th>green phases</th></tr>");
        for (ControlledIntersection ci : in.signals()) {
            double[] at = ci.position(in.net());
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f</td><td>%.0f</td><td>%s</td><td>%s</td>"
                    + "<td>%d</td><td>%d</td></tr>", esc(ci.id()), at[0], at[1], esc(String.join(" ", ci.junctionIds())),
                    esc(ci.program().type() + " (" + ci.program().programId() + ")"), ci.model().incomingLaneCount(),
                    ci.model().greenPhaseCount()));
        }
        return b.append("</table>").toString();
    }

    private static String method(Input in, WhatIfSummary s) {
        Scenario sc = in.scenario();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<p>%.0f–%.0f s simulated (%s); controllers "
                + "%s; seeds %s. Demand is the route files' scaled by SUMO (<code>--scale</code>); in vehicles due to "
                + "enter the network per hour of window, counted over the runs:</p><table id=\"demand\"><tr><th>demand "
                + "factor</th>", sc.beginS(), sc.endS(), duration(sc.endS() - sc.beginS()),
                esc(String.join(", ", in.controllers())), in.seeds()));
        for (double d : in.demands()) {
            b.append("<th>×").append(factor(d)).append("</th>");
        }
        b.append("</tr><tr><td>veh/h</td>");
        for (double d : in.demands()) {
            b.append(String.format(Locale.ROOT, "<td>%,.0f</td>", s.vehPerH(d)));
        }
        b.append("</tr></table>");
        b.append("<p>Delay per vehicle is the mean of <code>timeLoss + departDelay</code> over every vehicle due in "
                + "the window, those still driving or never inserted at its end included (RESCO's definition). ");
        if (s.personsMeasured()) {
            b.append("Delay per person is the walks' <code>timeLoss</code> (mostly waiting at red crossings) plus the "
                    + "rides' <code>waitingTime</code> (waiting at the stop), over the persons who finished their trip "
                    + "in the window; those still on their way at its end are counted apart, not in the mean. ");
        }
        if (s.busesMeasured()) {
            b.append("Delay per bus is the vehicles' definition over the buses only (<code>vClass=\"bus\"</code>); "
                    + "time standing at a stop is not delay. ");
        }
        if (s.personsMeasured() || s.busesMeasured()) {
            b.append("A run in which no person finished, or without buses, has no such delay: it is left out of the "
                    + "mean, \"(n=k)\" says when the mean is over fewer runs than the vehicles', and \""
                    + ComparisonTable.NONE + "\" marks a controller none of whose runs measured it. ");
        }
        b.append("Failed detectors are drawn per seed, the same for every controller. The same seed gives every "
                + "controller the same traffic, so differences between controllers are compared seed by seed.</p>");
        b.append("<p id=\"error-bars\"><b>Points and error bars.</b> A point is the mean over the n seeds run at it; "
                + "its error bar is the 95 % confidence interval of that mean, Student's t with n − 1 degrees of "
                + "freedom: mean ± t<sub>0.975, n−1</sub> × s / √n, s the standard deviation over seeds. "
                + "n is written beside each point; with n = 1 there is no interval. Where one controller's values "
                + "exceed another's more than " + (int) SvgChart.Scale.MAX_LINEAR_SPREAD + " times, the chart uses a "
                + "log scale (said on its axis), or one panel per controller where a log scale cannot show zeros.</p>");
        return b.toString();
    }

    private static String delayChart(Input in, WhatIfSummary s, double share) {
        List<String> controllers = in.controllers();
        int nd = in.demands().size();
        double[] x = new double[nd];
        for (int d = 0; d < nd; d++) {
            x[d] = s.vehPerH(in.demands().get(d));
        }
        double[][] mean = new double[controllers.size()][nd];
        double[][] half = new double[controllers.size()][nd];
        String[][] labels = new String[controllers.size()][nd];
        double[] peaks = new double[controllers.size()];
        boolean positive = true;
        for (int c = 0; c < controllers.size(); c++) {
            for (int d = 0; d < nd; d++) {
                MeanCi ci = WhatIfSummary.ci(s.group(controllers.get(c), in.demands().get(d), share),
                        cell -> cell.summary().trips().avgDelayS());
                mean[c][d] = ci.mean();
                half[c][d] = ci.halfWidth();
                labels[c][d] = ci.n() == 0 ? null : "n=" + ci.n();
                peaks[c] = Math.max(peaks[c], Double.isNaN(ci.mean()) ? 0 : ci.mean());
                positive &= Double.isNaN(ci.mean()) || ci.mean() > 0;
            }
        }
        SvgChart.Scale scale = SvgChart.Scale.choose(peaks, positive);
        String xLabel = "demand (veh/h due to enter)";
        String yLabel = "delay per vehicle (s)";
        StringBuilder b = new StringBuilder();
        if (scale == SvgChart.Scale.PANELS) {
            b.append(panelNote(peaks)).append("<div class=\"charts\">");
            for (int c = 0; c < controllers.size(); c++) {
                SvgChart chart = new SvgChart(340, 260, xLabel, yLabel);
                chart.series(controllers.get(c), x, mean[c], half[c], SvgChart.colour(c), false, true).labels(labels[c]);
                b.append("<div class=\"panel\"><h4>").append(esc(controllers.get(c))).append("</h4>")
                        .append(demandRange(chart, x).render()).append("</div>");
            }
            return b.append("</div>").toString();
        }
        SvgChart chart = new SvgChart(720, 340, xLabel, yLabel);
        for (int c = 0; c < controllers.size(); c++) {
            chart.series(controllers.get(c), x, mean[c], half[c], null, false, true).labels(labels[c]);
        }
        if (scale == SvgChart.Scale.LOG) {
            chart.logY();
            b.append(String.format(Locale.ROOT, "<p class=\"note\">Log scale: the controllers' delays differ up to %.0f "
                    + "times.</p>", SvgChart.Scale.spread(peaks)));
        }
        return b.append(demandRange(chart, x).render()).toString();
    }

    private static SvgChart demandRange(SvgChart chart, double[] x) {
        double lo = Arrays.stream(x).min().orElse(0);
        double hi = Arrays.stream(x).max().orElse(1);
        double pad = hi > lo ? (hi - lo) * 0.08 : Math.max(1, lo * 0.1);
        return chart.xRange(Math.max(0, lo - pad), hi + pad);
    }

    private static String panelNote(double[] peaks) {
        return String.format(Locale.ROOT, "<p class=\"note\">One panel per controller, each with its own axis: their "
                + "values differ up to %.0f times, which one linear axis would flatten.</p>", SvgChart.Scale.spread(peaks));
    }

    private static String distribution(Input in, WhatIfSummary s) {
        double demand = s.baseDemand();
        double share = s.baseShare();
        List<String> controllers = in.controllers();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<h2>Per-vehicle delay (base demand ×%s, %s, "
                + "all seeds pooled)</h2>", factor(demand), shareWords(share)));
        List<double[]> pooledAll = new ArrayList<>();
        double[] p99 = new double[controllers.size()];
        double xMax = 0;
        for (int c = 0; c < controllers.size(); c++) {
            double[] pooled = s.group(controllers.get(c), demand, share).stream()
                    .flatMapToDouble(cell -> Arrays.stream(cell.delaysS())).toArray();
            Arrays.sort(pooled);
            pooledAll.add(pooled);
            p99[c] = pooled.length == 0 ? Double.NaN : ComparisonTable.quantile(pooled, 0.99);
            xMax = Math.max(xMax, Double.isNaN(p99[c]) ? 0 : p99[c]);
        }
        boolean log = SvgChart.Scale.choose(p99, true) == SvgChart.Scale.LOG;
        SvgChart cdf = new SvgChart(720, 320, "delay per vehicle (s)", "share of vehicles with at most this delay");
        double top = SvgChart.niceCeil(Math.max(1, xMax));
        int points = 121;
        for (int c = 0; c < controllers.size(); c++) {
            double[] pooled = pooledAll.get(c);
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                x[i] = log ? Math.pow(top, (double) i / (points - 1)) : top * i / (points - 1);
                y[i] = pooled.length == 0 ? Double.NaN : atMost(pooled, x[i]);
            }
            cdf.series(controllers.get(c), x, y, null, null, false, false);
        }
        if (log) {
            cdf.logX();
            b.append(String.format(Locale.ROOT, "<p class=\"note\">Log scale: the controllers' 99th percentiles differ "
                    + "up to %.0f times.</p>", SvgChart.Scale.spread(p99)));
        } else {
            cdf.xRange(0, top);
        }
        b.append(cdf.render());
        b.append("<table><tr><th>controller</th><th>vehicles</th><th>median s</th><th>p90 s</th><th>p95 s</th>"
                + "<th>max s</th></tr>");
        for (int c = 0; c < controllers.size(); c++) {
            double[] pooled = pooledAll.get(c);
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>"
                    + "<td>%.1f</td></tr>", esc(controllers.get(c)), pooled.length, ComparisonTable.quantile(pooled, 0.5),
                    ComparisonTable.quantile(pooled, 0.9), ComparisonTable.quantile(pooled, 0.95),
                    pooled.length == 0 ? Double.NaN : pooled[pooled.length - 1]));
        }
        return b.append("</table>").toString();
    }

    private static String queues(Input in, int worst, String worstId) {
        List<WhatIfStudy.Cell> cells = in.cells();
        double demand = topDemand(in);
        double share = in.shares().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        long seed = in.seeds().get(0);
        String where = worstId;
        for (ControlledIntersection ci : in.signals()) {
            if (ci.id().equals(worstId)) {
                double[] at = ci.position(in.net());
                where = String.format(Locale.ROOT, "%s (x = %.0f m, y = %.0f m)", worstId, at[0], at[1]);
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<h2 id=\"worst\">Queue over time at the worst "
                + "intersection: %s</h2><p>Signal %s, ringed on the map above. Halting vehicles on its incoming lanes "
                + "(SUMO), demand ×%s, %s, seed %d. Worst: the largest mean queue over every controller's runs at this "
                + "demand.</p>", esc(worstId), esc(where), factor(demand), shareWords(share), seed));
        List<String> names = new ArrayList<>();
        List<double[][]> series = new ArrayList<>();
        for (String controller : in.controllers()) {
            for (WhatIfStudy.Cell c : cells) {
                if (c.controller().equals(controller) && c.demand() == demand && c.failureShare() == share
                        && c.seed() == seed && c.queues().haltingVeh() != null) {
                    float[] h = c.queues().haltingVeh()[worst];
                    double[][] xy = new double[2][h.length];
                    for (int i = 0; i < h.length; i++) {
                        xy[0][i] = c.queues().beginS() + (double) i * QueueTrace.PERIOD_S;
                        xy[1][i] = h[i];
                    }
                    names.add(controller);
                    series.add(xy);
                }
            }
        }
        double[] peaks = new double[series.size()];
        for (int i = 0; i < peaks.length; i++) {
            peaks[i] = Arrays.stream(series.get(i)[1]).max().orElse(0);
        }
        String xLabel = "simulation time (s)";
        String yLabel = "halting vehicles";
        if (SvgChart.Scale.choose(peaks, false) == SvgChart.Scale.PANELS) {
            b.append(panelNote(peaks)).append("<div class=\"charts\">");
            for (int i = 0; i < series.size(); i++) {
                SvgChart q = new SvgChart(520, 240, xLabel, yLabel);
                q.series(names.get(i), series.get(i)[0], series.get(i)[1], null,
                        SvgChart.colour(in.controllers().indexOf(names.get(i))), false, false);
                b.append("<div class=\"panel\"><h4>").append(esc(names.get(i))).append("</h4>").append(q.render())
                        .append("</div>");
            }
            return b.append("</div>").toString();
        }
        SvgChart q = new SvgChart(1000, 320, xLabel, yLabel);
        for (int i = 0; i < series.size(); i++) {
            q.series(names.get(i), series.get(i)[0], series.get(i)[1], null,
                    SvgChart.colour(in.controllers().indexOf(names.get(i))), false, false);
        }
        return b.append(q.render()).toString();
    }

    private static String results(Input in, WhatIfSummary s) {
        StringBuilder b = new StringBuilder("<h2>Results</h2><table id=\"results\"><tr><th>controller</th><th>demand"
                + "</th><th>veh/h</th><th>detectors failed</th><th>n</th><th>delay s</th><th>95 % CI s</th>"
                + groupHeaders(s, "per person s", "per bus s") + "<th>trip time s</th><th>stops per vehicle</th><th>throughput veh/h</th><th>longest wait s</th>"
                + "<th>vehicles not arrived</th><th>starvation events</th><th>safety violations</th></tr>");
        for (String controller : in.controllers()) {
            for (double d : in.demands()) {
                for (double share : in.shares()) {
                    List<WhatIfStudy.Cell> group = s.group(controller, d, share);
                    MeanCi delay = WhatIfSummary.ci(group, c -> c.summary().trips().avgDelayS());
                    b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>×%s</td><td>%,.0f</td><td>%.0f %%</td>"
                                    + "<td>%d</td><td>%.2f</td><td>%s</td>%s<td>%.1f</td><td>%.2f</td><td>%.0f</td>"
                                    + "<td>%.0f</td><td>%.0f</td><td>%d</td><td>%d</td></tr>",
                            esc(controller), factor(d), s.vehPerH(d), share * 100, delay.n(), delay.mean(),
                            ciText(delay), groupCells(s, WhatIfSummary.ci(group, WhatIfSummary::personDelayS),
                                    WhatIfSummary.ci(group, WhatIfSummary::busDelayS), delay.n(), "%.2f"), avg(group, c -> c.summary().trips().avgTripTimeS()),
                            avg(group, c -> c.summary().trips().avgStops()),
                            avg(group, c -> c.summary().throughputVehPerH()),
                            group.stream().mapToDouble(c -> c.summary().monitors().maxWaitS()).max().orElse(Double.NaN),
                            avg(group, c -> c.summary().trips().unfinished() + c.summary().trips().undeparted()),
                            group.stream().mapToLong(c -> c.summary().monitors().starvationEvents()).sum(),
                            group.stream().mapToLong(c -> c.summary().safetyViolations()).sum()));
                }
            }
        }
        return b.append("</table>").toString();
    }

    private static String ciText(MeanCi ci) {
        return Double.isNaN(ci.halfWidth()) ? "–" : String.format(Locale.ROOT, "%.1f–%.1f", ci.low(), ci.high());
    }

    private static double avg(List<WhatIfStudy.Cell> group, java.util.function.ToDoubleFunction<WhatIfStudy.Cell> f) {
        return group.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The intersection with the largest mean queue over every run at this demand and share; -1 if none. */
    static int worstIntersection(List<WhatIfStudy.Cell> cells, double demand, double share) {
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
        if (sum == null || sum.length == 0) {
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

    private static double topDemand(Input in) {
        return in.demands().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static String duration(double s) {
        return s >= 3600 && s % 3600 == 0 ? (long) (s / 3600) + " h" : String.format(Locale.ROOT, "%.0f min", s / 60);
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
