package org.greenwave.harness.forecast;

import java.util.List;
import java.util.Locale;

import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.QueueModel;

/**
 * The tables of a {@code forecast-eval} over several scenarios and controllers: {@code summary.md} (scenario ×
 * controller × detectors × horizon: the forecast's MAE, persistence's, their ratio, and how many lanes do worse than
 * persistence) and {@code lanes.csv} (per lane and horizon: the predictor used, its evaluation MAE and persistence's).
 */
public final class ForecastSummary {
    /** Lane MAE above persistence's by more than this counts as worse, vehicles: below it is rounding. */
    public static final double WORSE_TOLERANCE_VEH = 0.005;

    private ForecastSummary() {
    }

    /** The summary table in Markdown, below {@code header} (e.g. the command line). */
    public static String markdown(List<ForecastEvaluation.Result> results, String header) {
        StringBuilder b = new StringBuilder(header).append("\n\n");
        b.append("| scenario | controller | detectors | horizon s | MAE veh | persistence MAE veh | MAE / persistence "
                + "| lanes worse than persistence |\n|---|---|---|---|---|---|---|---|\n");
        for (ForecastEvaluation.Result r : results) {
            for (ForecastReport.Condition c : r.conditions()) {
                ForecastErrors e = c.errors();
                int[] hs = e.horizonsS();
                for (int h = 0; h < hs.length; h++) {
                    b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.2f | %.2f | %s | %s |%n",
                            r.scenario(), r.controller(), c.label(), hs[h], e.mae(h), e.persistenceMae(h),
                            hs[h] == 0 ? "–" : String.format(Locale.ROOT, "%.2f", e.mae(h) / e.persistenceMae(h)),
                            hs[h] == 0 ? "–" : e.lanesWorseThanPersistence(h, WORSE_TOLERANCE_VEH) + " of "
                                    + e.laneKeys().size()));
                }
            }
        }
        b.append("\nIntersection totals (sum over each intersection's detected lanes; band 10–90 %, calibrated on the "
                + "validation runs):\n\n| scenario | controller | detectors | horizon s | total MAE veh | persistence MAE "
                + "veh | MAE / persistence | band coverage |\n|---|---|---|---|---|---|---|---|\n");
        for (ForecastEvaluation.Result r : results) {
            for (ForecastReport.Condition c : r.conditions()) {
                ForecastErrors e = c.errors();
                int[] hs = e.horizonsS();
                for (int h = 1; h < hs.length; h++) {
                    b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.2f | %.2f | %.2f | %s |%n",
                            r.scenario(), r.controller(), c.label(), hs[h], e.totalMae(h), e.totalPersistenceMae(h),
                            e.totalMae(h) / e.totalPersistenceMae(h), ForecastReport.percent(e.totalCoverage(h))));
                }
            }
        }
        return b.toString();
    }

    /**
     * One row per scenario, controller, lane and horizon (5 s and beyond), all detectors working: the predictor the
     * lane used ("model" without a trained model), the forecast's MAE and persistence's, vehicles.
     */
    public static String lanesCsv(List<ForecastEvaluation.Result> results) {
        StringBuilder b = new StringBuilder("scenario,controller,lane,horizonS,predictor,maeVeh,persistenceMaeVeh\n");
        for (ForecastEvaluation.Result r : results) {
            ForecastErrors e = r.conditions().get(0).errors();
            int[] hs = e.horizonsS();
            for (String lane : e.laneKeys()) {
                QueueModel.LaneChoice choice = r.lanes().get(lane);
                for (int h = 1; h < hs.length; h++) {
                    int fh = featureHorizon(hs[h]);
                    b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%.4f,%.4f%n", csv(r.scenario()),
                            csv(r.controller()), csv(lane), hs[h],
                            choice == null || fh < 0 ? "model" : choice.predictor(fh).fileName(),
                            e.laneMae(lane, h), e.lanePersistenceMae(lane, h)));
                }
            }
        }
        return b.toString();
    }

    private static int featureHorizon(int horizonS) {
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            if (Features.horizonS(h) == horizonS) {
                return h;
            }
        }
        return -1;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
