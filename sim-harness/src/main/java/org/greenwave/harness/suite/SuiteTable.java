package org.greenwave.harness.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.RunSummary;

/**
 * The suite's table: per scenario, every controller's delay (mean ± sd over seeds) with its longest wait, share of
 * vehicles waiting over 300 s, throughput, starvation, gridlock and safety counts; the best baseline (the controller
 * other than Greenwave's with the least mean delay) and Greenwave's ratio to it; and a summary over all scenarios.
 * Rendered as Markdown, CSV (one row per scenario × controller) and a self-contained HTML page.
 */
public final class SuiteTable {
    /** The adaptive controller the suite judges. */
    public static final String ADAPTIVE = Policies.GREENWAVE;

    /**
     * One controller on one scenario, over its seeds; {@code label} is the controller as shown, with the type of the
     * signals' own program for {@code device} (see {@link RunSummary#controllerLabel}). The person and bus delays are
     * means over the runs that measured them, {@code null} where none did (no persons arrived, no buses).
     */
    public record Cell(String controller, int runs, double delayMeanS, double delaySdS, double maxWaitS,
                       double shareWaitOver300, double throughputVehPerH, long starvationEvents, int gridlockRuns,
                       long safetyViolations, long watchdogTrips, String label, Double personDelayMeanS,
                       Double busDelayMeanS) {
    }

    /** One scenario: its cells, or why it failed. */
    public record Row(String scenario, int signals, String failure, List<Cell> cells, String bestBaseline,
                      double bestBaselineDelayS) {
        public Cell cell(String controller) {
            for (Cell c : cells) {
                if (c.controller().equals(controller)) {
                    return c;
                }
            }
            return null;
        }

        /** {@code controller} as this scenario's table shows it (e.g. {@code device (actuated)}); "–" for none. */
        public String label(String controller) {
            Cell c = controller == null ? null : cell(controller);
            return c != null ? c.label() : controller == null ? "–" : controller;
        }

        /** {@code controller}'s mean delay over the best baseline's; NaN when either is missing. */
        public double ratio(String controller) {
            Cell c = cell(controller);
            return c == null || bestBaseline == null ? Double.NaN : c.delayMeanS() / bestBaselineDelayS;
        }
    }

    /** The summary over every scenario of one adaptive label ({@code greenwave}, or its variant). */
    public record Summary(String controller, int scenarios, int failed, int compared, double medianRatio,
                          double worstRatio, String worstScenario, int atOrBelowBest, List<String> misses,
                          long starvationEvents, int gridlockRuns, long safetyViolations, long watchdogTrips) {
    }

    private SuiteTable() {
    }

    /** Baselines: every controller whose name does not start with the adaptive controller's. */
    static boolean isBaseline(String controller) {
        return !controller.startsWith(ADAPTIVE);
    }

    public static List<Row> rows(List<Suite.Result> results) {
        List<Row> rows = new ArrayList<>();
        for (Suite.Result r : results) {
            if (r.failed()) {
                rows.add(new Row(r.scenario().name(), r.signals(), r.failure(), List.of(), null, Double.NaN));
                continue;
            }
            Map<String, List<RunSummary>> by = ComparisonTable.byController(r.runs());
            List<Cell> cells = new ArrayList<>();
            String best = null;
            double bestDelay = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, List<RunSummary>> e : by.entrySet()) {
                Cell c = cell(e.getKey(), e.getValue());
                cells.add(c);
                if (isBaseline(c.controller()) && c.delayMeanS() < bestDelay) {
                    best = c.controller();
                    bestDelay = c.delayMeanS();
                }
            }
            rows.add(new Row(r.scenario().name(), r.signals(), null, cells, best, best == null ? Double.NaN : bestDelay));
        }
        return rows;
    }

    static Cell cell(String controller, List<RunSummary> runs) {
        double[] delays = runs.stream().mapToDouble(s -> s.trips().avgDelayS()).toArray();
        double[] ms = ComparisonTable.meanSd(delays);
        double maxWait = 0;
        double share = 0;
        double throughput = 0;
        long starved = 0;
        int gridlock = 0;
        long violations = 0;
        long trips = 0;
        for (RunSummary s : runs) {
            maxWait = Math.max(maxWait, s.monitors().maxWaitS());
            share += s.monitors().shareWaitOver300() / runs.size();
            throughput += s.throughputVehPerH() / runs.size();
            starved += s.monitors().starvationEvents();
            gridlock += s.monitors().gridlock() ? 1 : 0;
            violations += s.safetyViolations();
            trips += s.monitors().watchdogTrips();
        }
        return new Cell(controller, runs.size(), ms[0], ms[1], maxWait, share, throughput, starved, gridlock, violations,
                trips, runs.get(0).controllerLabel(),
                meanOfMeasured(runs, s -> s.persons() == null ? null : s.persons().avgDelayS()),
                meanOfMeasured(runs, s -> s.buses() == null ? null : s.buses().avgDelayS()));
    }

    /** The mean of a KPI over the runs that measured it; null when none did. */
    private static Double meanOfMeasured(List<RunSummary> runs, java.util.function.Function<RunSummary, Double> kpi) {
        double sum = 0;
        int n = 0;
        for (RunSummary r : runs) {
            Double v = kpi.apply(r);
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /** The summary of {@code controller} (the adaptive one or its variant) over every row. */
    public static Summary summary(List<Row> rows, String controller) {
        List<Double> ratios = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        double worst = Double.NEGATIVE_INFINITY;
        String worstScenario = null;
        int failed = 0;
        int atOrBelow = 0;
        long starved = 0;
        int gridlock = 0;
        long violations = 0;
        long trips = 0;
        for (Row row : rows) {
            if (row.failure() != null) {
                failed++;
                continue;
            }
            Cell c = row.cell(controller);
            if (c == null) {
                continue;
            }
            starved += c.starvationEvents();
            gridlock += c.gridlockRuns();
            violations += c.safetyViolations();
            trips += c.watchdogTrips();
            double ratio = row.ratio(controller);
            if (Double.isNaN(ratio)) {
                continue;
            }
            ratios.add(ratio);
            if (ratio > worst) {
                worst = ratio;
                worstScenario = row.scenario();
            }
            if (c.delayMeanS() <= row.bestBaselineDelayS()) {
                atOrBelow++;
            } else {
                misses.add(String.format(Locale.ROOT, "%s: %.1f s against %s %.1f s (+%.1f s, +%.0f %%)", row.scenario(),
                        c.delayMeanS(), row.label(row.bestBaseline()), row.bestBaselineDelayS(),
                        c.delayMeanS() - row.bestBaselineDelayS(), 100 * (ratio - 1)));
            }
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Summary(controller, rows.size(), failed, sorted.length, median,
                sorted.length == 0 ? Double.NaN : worst, worstScenario, atOrBelow, misses, starved, gridlock, violations,
                trips);
    }

    /** The adaptive labels present: {@code greenwave} and any variant of it, in first-seen order. */
    static List<String> adaptiveLabels(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            for (Cell c : r.cells()) {
                if (!isBaseline(c.controller()) && !out.contains(c.controller())) {
                    out.add(c.controller());
                }
            }
        }
        return out;
    }

    /** Every controller present, in first-seen order. */
    static List<String> controllers(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            for (Cell c : r.cells()) {
                if (!out.contains(c.controller())) {
                    out.add(c.controller());
                }
            }
        }
        return out;
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Summary lines, Markdown. */
    static String summaryMarkdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        for (String label : adaptiveLabels(rows)) {
            Summary s = summary(rows, label);
            b.append(String.format(Locale.ROOT, "- **%s**: %d scenarios (%d failed to run), compared on %d; median ratio "
                    + "to the best baseline %s; worst %s (%s); at or below the best baseline on %d of %d; starvation "
                    + "%d, gridlocked runs %d, safety violations %d, watchdog trips %d.%n", label, s.scenarios(),
                    s.failed(), s.compared(), f(s.medianRatio(), 3), f(s.worstRatio(), 3),
                    s.worstScenario() == null ? "–" : s.worstScenario(), s.atOrBelowBest(), s.compared(),
                    s.starvationEvents(), s.gridlockRuns(), s.safetyViolations(), s.watchdogTrips()));
            if (!s.misses().isEmpty()) {
                b.append("  Above the best baseline:\n");
                for (String m : s.misses()) {
                    b.append("  - ").append(m).append('\n');
                }
            }
        }
        for (Row r : rows) {
            if (r.failure() != null) {
                b.append("- **").append(r.scenario()).append("** did not run: ").append(r.failure()).append('\n');
            }
        }
        return b.toString();
    }

    /** The main table (a row per scenario) and the full table (a row per scenario × controller), Markdown. */
    public static String markdown(List<Row> rows, String header) {
        List<String> all = controllers(rows);
        List<String> adaptive = adaptiveLabels(rows);
        StringBuilder b = new StringBuilder(header);
        b.append("\n## Summary\n\n").append(summaryMarkdown(rows));
        b.append("\n## Delay per vehicle by scenario (s, mean ± sd over seeds)\n\n| scenario | signals |");
        for (String c : all) {
            b.append(' ').append(c).append(" |");
        }
        b.append(" best baseline |");
        for (String a : adaptive) {
            b.append(" ratio ").append(a).append(" |");
        }
        b.append(" flags |\n|---|---:|");
        b.append("---:|".repeat(all.size())).append("---|").append("---:|".repeat(adaptive.size())).append("---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.signals()).append(" |");
            if (r.failure() != null) {
                b.append(" did not run |".repeat(all.size())).append(" – |").append(" – |".repeat(adaptive.size()))
                        .append(" failed |\n");
                continue;
            }
            for (String c : all) {
                Cell cell = r.cell(c);
                b.append(' ').append(cell == null ? "–" : f(cell.delayMeanS(), 1) + " ± " + f(cell.delaySdS(), 1))
                        .append(" |");
            }
            b.append(' ').append(r.label(r.bestBaseline())).append(" |");
            for (String a : adaptive) {
                b.append(' ').append(f(r.ratio(a), 2)).append(" |");
            }
            b.append(' ').append(flags(r, adaptive)).append(" |\n");
        }
        b.append("\n## Every controller on every scenario\n\n| scenario | controller | runs | delay s | max wait s | "
                + "waiting > 300 s | throughput veh/h | starvation | gridlocked runs | safety violations | watchdog trips |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            for (Cell c : r.cells()) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s ± %s | %s | %s %% | %s | %d | %d | %d | %d |%n",
                        r.scenario(), c.label(), c.runs(), f(c.delayMeanS(), 2), f(c.delaySdS(), 2),
                        f(c.maxWaitS(), 0), f(100 * c.shareWaitOver300(), 2), f(c.throughputVehPerH(), 0),
                        c.starvationEvents(), c.gridlockRuns(), c.safetyViolations(), c.watchdogTrips()));
            }
        }
        return b.toString();
    }

    /** What went wrong for the adaptive controller on a row: starvation, gridlock, violations, above the best. */
    static String flags(Row r, List<String> adaptive) {
        List<String> flags = new ArrayList<>();
        for (String a : adaptive) {
            Cell c = r.cell(a);
            if (c == null) {
                continue;
            }
            String who = adaptive.size() > 1 ? a + ": " : "";
            if (c.starvationEvents() > 0) {
                flags.add(who + "starvation " + c.starvationEvents());
            }
            if (c.gridlockRuns() > 0) {
                flags.add(who + "gridlock " + c.gridlockRuns() + "/" + c.runs());
            }
            if (c.safetyViolations() > 0) {
                flags.add(who + "unsafe " + c.safetyViolations());
            }
            double ratio = r.ratio(a);
            if (ratio > 1) {
                flags.add(who + String.format(Locale.ROOT, "+%.1f s", c.delayMeanS() - r.bestBaselineDelayS()));
            }
        }
        return flags.isEmpty() ? "" : String.join(", ", flags);
    }

    /** One line per scenario × controller; a failed scenario is one line with its reason. */
    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("scenario,signals,controller,controller_label,runs,delay_mean_s,delay_sd_s,best_baseline,"
                + "ratio_to_best_baseline,max_wait_s,share_wait_over_300,throughput_veh_h,starvation_events,"
                + "gridlock_runs,safety_violations,watchdog_trips,person_delay_mean_s,bus_delay_mean_s,failed\n");
        for (Row r : rows) {
            if (r.failure() != null) {
                b.append(csvField(r.scenario())).append(',').append(r.signals()).append(",,,,,,,,,,,,,,,,,")
                        .append(csvField(r.failure())).append('\n');
                continue;
            }
            for (Cell c : r.cells()) {
                b.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%.3f,%.3f,%s,%s,%.1f,%.5f,%.1f,%d,%d,%d,%d,%s,%s,%n",
                        csvField(r.scenario()), r.signals(), csvField(c.controller()), csvField(c.label()), c.runs(),
                        c.delayMeanS(),
                        c.delaySdS(), r.bestBaseline() == null ? "" : r.bestBaseline(),
                        isBaseline(c.controller()) ? "" : f(r.ratio(c.controller()), 4), c.maxWaitS(),
                        c.shareWaitOver300(), c.throughputVehPerH(), c.starvationEvents(), c.gridlockRuns(),
                        c.safetyViolations(), c.watchdogTrips(), orEmpty(c.personDelayMeanS()),
                        orEmpty(c.busDelayMeanS())));
            }
        }
        return b.toString();
    }

    /** A measured KPI with 3 decimals, or an empty field where none was measured. */
    private static String orEmpty(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** A self-contained page (no scripts, nothing fetched): the summary, a chart of the ratios, the tables. */
    public static String html(List<Row> rows, String title, String header) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title><style>body{font:14px sans-serif;margin:24px;max-width:1400px}"
                        + "table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 6px;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}.bad{color:#b91c1c}"
                        + "</style></head><body><h1>").append(esc(title)).append("</h1><pre>").append(esc(header))
                .append("</pre><h2>Summary</h2><ul>");
        for (String line : summaryMarkdown(rows).split("\n")) {
            if (!line.isBlank()) {
                b.append("<li>").append(esc(line.replace("**", "").replaceFirst("^\\s*- ", ""))).append("</li>");
            }
        }
        b.append("</ul>").append(ratioChart(rows));
        List<String> all = controllers(rows);
        List<String> adaptive = adaptiveLabels(rows);
        b.append("<h2>Delay per vehicle by scenario (s)</h2><table><tr><th>scenario</th><th>signals</th>");
        for (String c : all) {
            b.append("<th>").append(esc(c)).append("</th>");
        }
        b.append("<th>best baseline</th>");
        for (String a : adaptive) {
            b.append("<th>ratio ").append(esc(a)).append("</th>");
        }
        b.append("<th>flags</th></tr>");
        for (Row r : rows) {
            b.append("<tr><td>").append(esc(r.scenario())).append("</td><td>").append(r.signals()).append("</td>");
            if (r.failure() != null) {
                b.append("<td class=\"bad\" colspan=\"").append(all.size() + adaptive.size() + 2).append("\">did not run: ")
                        .append(esc(r.failure())).append("</td></tr>");
                continue;
            }
            for (String c : all) {
                Cell cell = r.cell(c);
                b.append("<td>").append(cell == null ? "–" : f(cell.delayMeanS(), 1) + " ± " + f(cell.delaySdS(), 1))
                        .append("</td>");
            }
            b.append("<td>").append(esc(r.label(r.bestBaseline()))).append("</td>");
            for (String a : adaptive) {
                double ratio = r.ratio(a);
                b.append(ratio > 1 ? "<td class=\"bad\">" : "<td>").append(f(ratio, 2)).append("</td>");
            }
            b.append("<td class=\"bad\">").append(esc(flags(r, adaptive))).append("</td></tr>");
        }
        b.append("</table></body></html>\n");
        return b.toString();
    }

    /** Horizontal bars of each adaptive label's ratio per scenario, with lines at 0.85 and 1. */
    static String ratioChart(List<Row> rows) {
        List<String> adaptive = adaptiveLabels(rows);
        List<Row> shown = rows.stream().filter(r -> r.failure() == null && r.bestBaseline() != null).toList();
        if (shown.isEmpty() || adaptive.isEmpty()) {
            return "";
        }
        double max = 1.5;
        for (Row r : shown) {
            for (String a : adaptive) {
                double x = r.ratio(a);
                if (!Double.isNaN(x)) {
                    max = Math.max(max, Math.min(x, 4));
                }
            }
        }
        int left = 260;
        int width = 520;
        int barH = 9;
        int rowH = barH * adaptive.size() + 6;
        int height = rowH * shown.size() + 40;
        String[] colours = {"#2563eb", "#9333ea", "#059669"};
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<h2>Ratio to the best baseline</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-size=\"11\">", left + width + 40, height));
        double[] marks = {0.85, 1.0};
        for (double m : marks) {
            double x = left + width * m / max;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\">%.2f</text>", x, x, height - 25, x - 10,
                    height - 10, m));
        }
        for (int i = 0; i < shown.size(); i++) {
            Row r = shown.get(i);
            int y = i * rowH + 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6,
                    y + barH, esc(r.scenario())));
            for (int k = 0; k < adaptive.size(); k++) {
                double x = r.ratio(adaptive.get(k));
                if (Double.isNaN(x)) {
                    continue;
                }
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %.3f</title></rect>", left, y + k * barH, width * Math.min(x, max) / max, barH - 1,
                        colours[k % colours.length], esc(adaptive.get(k)), x));
            }
        }
        s.append("</svg><p>");
        for (int k = 0; k < adaptive.size(); k++) {
            s.append("<span style=\"color:").append(colours[k % colours.length]).append("\">■</span> ")
                    .append(esc(adaptive.get(k))).append(" &nbsp; ");
        }
        return s.append("</p>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** For tests: the row of {@code scenario}. */
    static Row row(List<Row> rows, String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElseThrow();
    }
}
