package org.greenwave.harness.forecast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.harness.report.SvgChart;

/**
 * Writes the forecast evaluation's report: a Markdown table ({@code forecast.md}) and a self-contained HTML page
 * ({@code report.html}: the table, an SVG plot of MAE per horizon for the forecast and for persistence, with and
 * without failed detectors, and an SVG plot of one lane's queue over time: truth, estimate and the 30 s prediction).
 */
public final class ForecastReport {
    /** One evaluated condition (e.g. all detectors working, or 20 % dead). */
    public record Condition(String label, ForecastErrors errors) {
    }

    private ForecastReport() {
    }

    /**
     * The Markdown tables of one scenario under one controller.
     *
     * @param lanes per lane key of the report, the predictors the model chose for it (empty without a model)
     */
    public static String markdown(String scenario, String controller, List<Long> seeds, List<Long> trainSeeds,
                                  List<Condition> conditions, Map<String, QueueModel.LaneChoice> lanes) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Scenario %s, controller %s, evaluation seeds %s, training seeds %s.%n%n",
                scenario, controller, seeds, trainSeeds.isEmpty() ? "none" : trainSeeds.toString()));
        b.append("| detectors | horizon s | MAE veh | RMSE veh | persistence MAE | persistence RMSE | MAE / persistence | lane-seconds |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Condition c : conditions) {
            ForecastErrors e = c.errors();
            int[] hs = e.horizonsS();
            for (int h = 0; h < hs.length; h++) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %s | %d |%n", c.label(),
                        hs[h], e.mae(h), e.rmse(h), e.persistenceMae(h), e.persistenceRmse(h),
                        hs[h] == 0 ? "–" : String.format(Locale.ROOT, "%.2f", e.mae(h) / e.persistenceMae(h)),
                        e.samples(h)));
            }
        }
        b.append("\n").append(totalsTable(conditions));
        ForecastErrors base = conditions.get(0).errors();
        b.append(String.format(Locale.ROOT, "%nMean true queue per lane: %.2f veh. Estimate MAE in metres against "
                + "SUMO's jam length: %.1f m (%s).%n", base.meanTruthVeh(), base.estimateMaeM(), conditions.get(0).label()));
        for (Condition c : conditions) {
            b.append(String.format(Locale.ROOT, "%nLanes whose estimate is furthest off (%s):%n%n", c.label()));
            b.append("| lane | estimate MAE veh | mean true queue veh |\n|---|---|---|\n");
            for (String[] row : c.errors().worstLanes(5)) {
                b.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
            }
        }
        if (!lanes.isEmpty()) {
            b.append("\nPredictor per lane and horizon, chosen on validation data (validation MAE of persistence / "
                    + "model-based / learned, veh):\n\n| lane |");
            for (int h = 0; h < Features.HORIZON_COUNT; h++) {
                b.append(' ').append(Features.horizonS(h)).append(" s |");
            }
            b.append("\n|---|").append("---|".repeat(Features.HORIZON_COUNT)).append('\n');
            for (Map.Entry<String, QueueModel.LaneChoice> e : lanes.entrySet()) {
                QueueModel.LaneChoice c = e.getValue();
                b.append("| ").append(e.getKey()).append(QueueModel.DEFAULT_LANE.equals(c.laneKey())
                        ? " (not validated: the pooled choice)" : "").append(" |");
                for (int h = 0; h < Features.HORIZON_COUNT; h++) {
                    b.append(String.format(Locale.ROOT, " %s (%.2f / %.2f / %.2f) |", c.predictor(h).fileName(),
                            c.persistenceMaeVeh()[h], c.modelMaeVeh()[h], c.learnedMaeVeh()[h]));
                }
                b.append('\n');
            }
        }
        b.append('\n');
        for (int i = 1; i < conditions.size(); i++) {
            ForecastErrors e = conditions.get(i).errors();
            b.append(String.format(Locale.ROOT, "With %s: estimate MAE %.2f veh (%+.0f %%), 30 s MAE %.2f veh (%+.0f %%).%n",
                    conditions.get(i).label(), e.mae(0), 100 * (e.mae(0) / base.mae(0) - 1), e.mae(index(e, 30)),
                    100 * (e.mae(index(e, 30)) / base.mae(index(base, 30)) - 1)));
        }
        return b.toString();
    }

    /**
     * The intersections' predicted totals: per condition and horizon the total queue's MAE, persistence's, their ratio
     * and how often the 10–90 % band held the truth; then the delay over the next minute.
     */
    static String totalsTable(List<Condition> conditions) {
        StringBuilder b = new StringBuilder("Intersection totals (the sum over an intersection's detected lanes; band: "
                + "10–90 %, calibrated on the validation runs):\n\n");
        b.append("| detectors | horizon s | total MAE veh | persistence MAE veh | MAE / persistence | band coverage "
                + "| intersection-seconds |\n|---|---|---|---|---|---|---|\n");
        for (Condition c : conditions) {
            ForecastErrors e = c.errors();
            int[] hs = e.horizonsS();
            for (int h = 1; h < hs.length; h++) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %s | %d |%n", c.label(), hs[h],
                        e.totalMae(h), e.totalPersistenceMae(h), e.totalMae(h) / e.totalPersistenceMae(h),
                        percent(e.totalCoverage(h)), e.totalSamples(h)));
            }
        }
        b.append("\n| detectors | delay over the next 60 s: MAE veh·s | mean true delay veh·s | band coverage |\n"
                + "|---|---|---|---|\n");
        for (Condition c : conditions) {
            ForecastErrors e = c.errors();
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s |%n", c.label(), e.delayMaeVehS(),
                    e.meanDelayVehS(), percent(e.delayCoverage())));
        }
        return b.toString();
    }

    /** A share as a percentage, or "no band" for NaN. */
    static String percent(double share) {
        return Double.isNaN(share) ? "no band" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    static int index(ForecastErrors e, int horizonS) {
        int[] hs = e.horizonsS();
        for (int h = 0; h < hs.length; h++) {
            if (hs[h] == horizonS) {
                return h;
            }
        }
        throw new IllegalArgumentException("no horizon " + horizonS);
    }

    /** Writes {@code report.html} into {@code dir}. */
    public static void html(Path dir, String scenario, String markdown, List<Condition> conditions,
                            ForecastRecorder.LaneSeries example, double beginS) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Greenwave forecast evaluation — ")
                .append(SvgChart.esc(scenario)).append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:1em auto;"
                        + "padding:0 1em;color:#222}table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;"
                        + "padding:3px 8px;text-align:right}th{background:#f3f3f3}svg{background:#fff;border:1px solid #ddd}"
                        + ".legend span{margin-right:1.5em}</style></head><body>");
        b.append("<h1>Queue forecast evaluation: ").append(SvgChart.esc(scenario)).append("</h1>");
        b.append("<p>Errors in vehicles per lane, against SUMO's ground truth (halting vehicles on the lane's approach "
                + "stretch). Persistence predicts the current estimate for every horizon.</p>");
        b.append(markdownTable(markdown));
        b.append("<h2>Mean absolute error by horizon</h2>");
        b.append(maePlot(conditions));
        if (example != null) {
            b.append("<h2>One lane over time: ").append(SvgChart.esc(example.key)).append("</h2>");
            b.append(seriesPlot(example, beginS));
        }
        b.append("</body></html>\n");
        Files.writeString(dir.resolve("report.html"), b.toString(), StandardCharsets.UTF_8);
    }

    private static String maePlot(List<Condition> conditions) {
        SvgChart chart = new SvgChart(640, 320, "horizon (s)", "MAE (veh per lane)");
        for (int ci = 0; ci < conditions.size(); ci++) {
            ForecastErrors e = conditions.get(ci).errors();
            int[] hs = e.horizonsS();
            double[] x = new double[hs.length];
            double[] ours = new double[hs.length];
            double[] persistence = new double[hs.length];
            for (int i = 0; i < hs.length; i++) {
                x[i] = hs[i];
                ours[i] = e.mae(i);
                persistence[i] = e.persistenceMae(i);
            }
            String colour = SvgChart.colour(ci);
            chart.series("forecast, " + conditions.get(ci).label(), x, ours, null, colour, false, true);
            chart.series("persistence, " + conditions.get(ci).label(), x, persistence, null, colour, true, false);
        }
        return chart.render();
    }

    private static String seriesPlot(ForecastRecorder.LaneSeries ls, double beginS) {
        int from = ForecastErrors.WARM_UP_S;
        int to = Math.min(ls.truthVeh.length, from + 900);
        int n = to - from;
        double[] x = new double[n];
        double[] truth = new double[n];
        double[] estimate = new double[n];
        double[] predicted = new double[n];
        int h30 = index30();
        for (int i = 0; i < n; i++) {
            int t = from + i;
            x[i] = beginS + t;
            truth[i] = ls.truthVeh[t];
            estimate[i] = ls.predictedVeh[0][t];
            // The 30 s prediction drawn at the time it is for.
            int made = t - ForecastRecorder.HORIZONS_S[h30];
            predicted[i] = made >= 0 ? ls.predictedVeh[h30][made] : Double.NaN;
        }
        return new SvgChart(1000, 300, "simulation time (s)", "queue (veh)")
                .series("SUMO truth", x, truth, null, "#222", false, false)
                .series("engine estimate", x, estimate, null, "#1f77b4", false, false)
                .series("engine prediction made 30 s earlier", x, predicted, null, "#ff7f0e", true, false)
                .render();
    }

    private static int index30() {
        for (int h = 0; h < ForecastRecorder.HORIZONS_S.length; h++) {
            if (ForecastRecorder.HORIZONS_S[h] == 30) {
                return h;
            }
        }
        throw new IllegalStateException("no 30 s horizon");
    }

    /** The Markdown table lines of {@code markdown} as an HTML table; other lines as paragraphs. */
    private static String markdownTable(String markdown) {
        StringBuilder b = new StringBuilder();
        boolean header = true;
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                if (line.startsWith("|---")) {
                    continue;
                }
                if (!inTable) {
                    b.append("<table>");
                    inTable = true;
                }
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                b.append("<tr>");
                for (String c : cells) {
                    b.append(header ? "<th>" : "<td>").append(SvgChart.esc(c.trim())).append(header ? "</th>" : "</td>");
                }
                b.append("</tr>");
                header = false;
            } else {
                if (inTable) {
                    b.append("</table>");
                    inTable = false;
                }
                if (!line.isBlank()) {
                    b.append("<p>").append(SvgChart.esc(line)).append("</p>");
                }
            }
        }
        if (inTable) {
            b.append("</table>");
        }
        return b.toString();
    }
}
