package org.greenwave.harness.whatif;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.MeanCi;
import org.greenwave.harness.kpi.RunSummary;

/**
 * The headline of a what-if study, computed from its runs: per controller at the base demand (the factor nearest
 * 1.0) with all detectors working (the smallest failure share), the delay per vehicle with its 95 % confidence
 * interval over seeds, the longest wait, throughput and the monitors' counts, and where the runs measured them the
 * delay per person (pedestrians) and per bus with theirs; the demand in vehicles per hour; and a paragraph that
 * states the comparison in words. Shared by the report and the terminal.
 */
public final class WhatIfSummary {
    /** The controller whose runs are the signals' own programs, unchanged. */
    static final String OWN_PROGRAM = Policies.DEVICE;
    static final String ADAPTIVE = Policies.GREENWAVE;

    /**
     * One controller at the base demand and failure share.
     *
     * @param delayS            delay per vehicle, mean over seeds with its interval
     * @param maxWaitS          the longest any vehicle waited in any of the runs, seconds
     * @param throughputVehPerH vehicles arrived per hour, mean over seeds with its interval
     * @param safetyViolations  violations the safety monitor counted, summed over the runs
     * @param starvationEvents  starvation events, summed over the runs
     * @param gridlockRuns      runs in which the network locked up
     * @param watchdogTrips     watchdog trips, summed over the runs
     * @param personDelayS      delay per person who finished their trip, mean over the seeds that measured it (n
     *                          counts those) with its interval; n = 0 where no run had a person finish
     * @param personsArrived    persons who finished their trip, summed over the runs
     * @param personsUnfinished persons still on their way at the end, summed over the runs (not in the delay)
     * @param busDelayS         delay per bus, mean over the seeds that had buses with its interval; n = 0 where none
     * @param buses             buses due in the window, summed over the runs
     */
    public record Row(String controller, MeanCi delayS, double maxWaitS, MeanCi throughputVehPerH,
                      long safetyViolations, long starvationEvents, int gridlockRuns, long watchdogTrips,
                      MeanCi personDelayS, long personsArrived, long personsUnfinished, MeanCi busDelayS, long buses) {
    }

    private final String scenario;
    private final List<String> controllers;
    private final List<Double> demands;
    private final List<Double> shares;
    private final List<WhatIfStudy.Cell> cells;
    private final double baseDemand;
    private final double baseShare;
    private final Map<Double, Double> vehPerH = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    private WhatIfSummary(String scenario, List<String> controllers, List<Double> demands, List<Double> shares,
                          List<WhatIfStudy.Cell> cells) {
        this.scenario = scenario;
        this.controllers = List.copyOf(controllers);
        this.demands = List.copyOf(demands);
        this.shares = List.copyOf(shares);
        this.cells = List.copyOf(cells);
        this.baseDemand = closest(demands, 1.0);
        this.baseShare = shares.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        for (double d : demands) {
            List<WhatIfStudy.Cell> at = cells.stream().filter(c -> c.demand() == d).toList();
            vehPerH.put(d, at.stream().mapToDouble(c -> c.summary().trips().vehicles() * 3600.0
                    / (c.summary().endS() - c.summary().beginS())).average().orElse(Double.NaN));
        }
        for (String controller : controllers) {
            rows.add(row(controller, baseDemand, baseShare));
        }
    }

    /** Summarises the runs of a study over the axes it was run with. */
    public static WhatIfSummary of(String scenario, List<String> controllers, List<Double> demands,
                                   List<Double> shares, List<WhatIfStudy.Cell> cells) {
        return new WhatIfSummary(scenario, controllers, demands, shares, cells);
    }

    private Row row(String controller, double demand, double share) {
        List<WhatIfStudy.Cell> g = group(controller, demand, share);
        return new Row(controller, ci(g, c -> c.summary().trips().avgDelayS()),
                g.stream().mapToDouble(c -> c.summary().monitors().maxWaitS()).max().orElse(Double.NaN),
                ci(g, c -> c.summary().throughputVehPerH()),
                g.stream().mapToLong(c -> c.summary().safetyViolations()).sum(),
                g.stream().mapToLong(c -> c.summary().monitors().starvationEvents()).sum(),
                (int) g.stream().filter(c -> c.summary().monitors().gridlock()).count(),
                g.stream().mapToLong(c -> c.summary().monitors().watchdogTrips()).sum(),
                ci(g, WhatIfSummary::personDelayS),
                g.stream().mapToLong(c -> c.summary().persons() == null ? 0 : c.summary().persons().arrived()).sum(),
                g.stream().mapToLong(c -> c.summary().persons() == null ? 0 : c.summary().persons().unfinished()).sum(),
                ci(g, WhatIfSummary::busDelayS),
                g.stream().mapToLong(c -> c.summary().buses() == null ? 0 : c.summary().buses().buses()).sum());
    }

    /** The run's delay per person who finished their trip; NaN where it measured none. */
    static double personDelayS(WhatIfStudy.Cell c) {
        Double v = c.summary().persons() == null ? null : c.summary().persons().avgDelayS();
        return v == null ? Double.NaN : v;
    }

    /** The run's delay per bus; NaN where it had no bus. */
    static double busDelayS(WhatIfStudy.Cell c) {
        Double v = c.summary().buses() == null ? null : c.summary().buses().avgDelayS();
        return v == null ? Double.NaN : v;
    }

    /** Whether any run of the study measured a delay per person: the report then shows it. */
    public boolean personsMeasured() {
        return cells.stream().anyMatch(c -> !Double.isNaN(personDelayS(c)));
    }

    /** Whether any run of the study had buses: the report then shows their delay. */
    public boolean busesMeasured() {
        return cells.stream().anyMatch(c -> !Double.isNaN(busDelayS(c)));
    }

    List<WhatIfStudy.Cell> group(String controller, double demand, double share) {
        return cells.stream().filter(c -> c.controller().equals(controller) && c.demand() == demand
                && c.failureShare() == share).toList();
    }

    static MeanCi ci(List<WhatIfStudy.Cell> group, ToDoubleFunction<WhatIfStudy.Cell> f) {
        return MeanCi.of(group.stream().mapToDouble(f).toArray());
    }

    /** {@code controller} as tables show it: for the signals' own programs, with their type. */
    public String label(String controller) {
        String type = cells.stream().map(c -> c.summary().ownProgramType()).filter(t -> t != null && !t.isEmpty())
                .findFirst().orElse(null);
        return RunSummary.label(controller, type);
    }

    /** The demand factor the headline is about: the one nearest 1.0. */
    public double baseDemand() {
        return baseDemand;
    }

    /** The detector-failure share the headline is about: the smallest. */
    public double baseShare() {
        return baseShare;
    }

    /** Vehicles due to enter per hour of window at {@code demand}, mean over the runs at that factor. */
    public double vehPerH(double demand) {
        return vehPerH.getOrDefault(demand, Double.NaN);
    }

    /** The vehicles per hour the route files give at factor 1.0 (measured there, or scaled from the base factor). */
    public double baseVehPerH() {
        return vehPerH(baseDemand) / baseDemand;
    }

    /** One row per controller, in study order. */
    public List<Row> rows() {
        return rows;
    }

    /** The row of {@code controller}, or null. */
    public Row row(String controller) {
        return rows.stream().filter(r -> r.controller().equals(controller)).findFirst().orElse(null);
    }

    /** The baseline (any controller but Greenwave) with the lowest mean delay at the base point; null if none. */
    public Row bestBaseline() {
        Row best = null;
        for (Row r : rows) {
            if (!r.controller().equals(ADAPTIVE) && r.delayS().n() > 0
                    && (best == null || r.delayS().mean() < best.delayS().mean())) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Greenwave's delay minus {@code baseline}'s at the base point, paired by seed (the same seed gives both the same
     * traffic), with its 95 % interval; n = 0 when they share no seed.
     */
    public MeanCi pairedDifference(String controller, String baseline, double demand, double share) {
        List<Double> diffs = new ArrayList<>();
        for (WhatIfStudy.Cell a : group(controller, demand, share)) {
            for (WhatIfStudy.Cell b : group(baseline, demand, share)) {
                if (a.seed() == b.seed()) {
                    diffs.add(a.summary().trips().avgDelayS() - b.summary().trips().avgDelayS());
                }
            }
        }
        return MeanCi.of(diffs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The headline in words, from the numbers (plain text). */
    public String paragraph() {
        StringBuilder b = new StringBuilder();
        int seeds = (int) cells.stream().mapToLong(WhatIfStudy.Cell::seed).distinct().count();
        b.append(String.format(Locale.ROOT, "%s, %s (%s × %s × %s × %s). Base demand (×%s): %,.0f veh/h due to enter "
                + "the network.", scenario, count(cells.size(), "run"), count(controllers.size(), "controller"),
                count(demands.size(), "demand level"), count(shares.size(), "detector-failure share"),
                count(seeds, "seed"), factor(baseDemand), vehPerH(baseDemand)));
        String point = "At base demand" + (shares.size() > 1 || baseShare > 0 ? " " + shareWords(baseShare) : "");
        Row gw = row(ADAPTIVE);
        Row best = bestBaseline();
        Row own = row(OWN_PROGRAM);
        if (gw != null && gw.delayS().n() > 0 && best != null) {
            b.append(' ').append(point).append(", Greenwave's delay per vehicle was ").append(delay(gw.delayS()));
            if (own != null && own != best) {
                b.append(", against ").append(delay(own.delayS())).append(" under the signals' own programs (")
                        .append(label(OWN_PROGRAM)).append(") and ").append(delay(best.delayS()))
                        .append(" under the best baseline, ").append(best.controller()).append('.');
            } else {
                b.append(", against ").append(delay(best.delayS())).append(" under the best baseline, ")
                        .append(best.controller()).append(best == own ? " (the signals' own programs)" : "")
                        .append('.');
            }
            double pct = 100 * (gw.delayS().mean() / best.delayS().mean() - 1);
            MeanCi diff = pairedDifference(ADAPTIVE, best.controller(), baseDemand, baseShare);
            b.append(String.format(Locale.ROOT, " That is %.0f %% %s than %s", Math.abs(pct),
                    pct <= 0 ? "lower" : "higher", best.controller()));
            if (diff.n() >= 2) {
                b.append(String.format(Locale.ROOT, "; paired by seed the difference is %+.1f s (95 %% CI %+.1f to "
                        + "%+.1f s, n = %d), %s.", diff.mean(), diff.low(), diff.high(), diff.n(),
                        diff.excludesZero() ? "larger than the run-to-run variation" : "within the run-to-run variation"));
            } else {
                b.append(" (one seed: no interval; run more seeds to judge the difference).");
            }
            b.append(String.format(Locale.ROOT, " The longest any vehicle waited was %.0f s under Greenwave and %.0f s "
                    + "under %s; throughput was %,.0f against %,.0f veh/h.", gw.maxWaitS(), best.maxWaitS(),
                    best.controller(), gw.throughputVehPerH().mean(), best.throughputVehPerH().mean()));
        } else if (best != null) {
            List<Row> sorted = new ArrayList<>(rows.stream().filter(r -> r.delayS().n() > 0).toList());
            sorted.sort((x, y) -> Double.compare(x.delayS().mean(), y.delayS().mean()));
            b.append(' ').append(point).append(", the lowest delay per vehicle was ").append(best.controller())
                    .append("'s ").append(delay(best.delayS()));
            for (int i = 1; i < sorted.size(); i++) {
                b.append(i == 1 ? ", then " : ", ").append(sorted.get(i).controller()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f s", sorted.get(i).delayS().mean()));
            }
            b.append(String.format(Locale.ROOT, ". The longest any vehicle waited under %s was %.0f s; throughput was "
                    + "%,.0f veh/h.", best.controller(), best.maxWaitS(), best.throughputVehPerH().mean()));
        }
        if (personsMeasured()) {
            b.append(' ').append(groupSentence("Pedestrians", "person", Row::personDelayS,
                    r -> String.format(Locale.ROOT, "%,d finished, %,d unfinished", r.personsArrived(),
                            r.personsUnfinished())));
        }
        if (busesMeasured()) {
            b.append(' ').append(groupSentence("Buses", "bus", Row::busDelayS,
                    r -> String.format(Locale.ROOT, "%,d bus%s", r.buses(), r.buses() == 1 ? "" : "es")));
        }
        b.append(' ').append(monitors());
        if (gw != null && best != null) {
            double top = demands.stream().mapToDouble(Double::doubleValue).max().orElse(baseDemand);
            if (top > baseDemand) {
                Row gTop = row(ADAPTIVE, top, baseShare);
                Row bTop = bestAt(top, baseShare);
                if (gTop.delayS().n() > 0 && bTop != null) {
                    b.append(String.format(Locale.ROOT, " At the highest demand, ×%s (%,.0f veh/h), Greenwave's delay "
                            + "was %.1f s against %.1f s for the best baseline there, %s.", factor(top), vehPerH(top),
                            gTop.delayS().mean(), bTop.delayS().mean(), bTop.controller()));
                }
            }
            for (double share : shares) {
                if (share == baseShare) {
                    continue;
                }
                Row gFail = row(ADAPTIVE, baseDemand, share);
                Row bFail = bestAt(baseDemand, share);
                if (gFail.delayS().n() > 0 && bFail != null) {
                    b.append(String.format(Locale.ROOT, " %s, Greenwave's delay at base demand was %.1f s (%+.0f %% on "
                            + "%s) against %.1f s for %s.", capital(shareWords(share)), gFail.delayS().mean(),
                            100 * (gFail.delayS().mean() / gw.delayS().mean() - 1), shareWords(baseShare),
                            bFail.delayS().mean(), bFail.controller()));
                }
            }
        }
        return b.toString();
    }

    /**
     * One group's delay at the base point in one sentence: Greenwave's first, then every other controller that
     * measured it, in study order, each with its interval and {@code counts}.
     */
    private String groupSentence(String group, String unit, java.util.function.Function<Row, MeanCi> delay,
                                 java.util.function.Function<Row, String> counts) {
        List<Row> measured = new ArrayList<>();
        Row gw = row(ADAPTIVE);
        if (gw != null && delay.apply(gw).n() > 0) {
            measured.add(gw);
        }
        for (Row r : rows) {
            if (r != gw && delay.apply(r).n() > 0) {
                measured.add(r);
            }
        }
        if (measured.isEmpty()) {
            return String.format(Locale.ROOT, "%s: none measured at base demand %s.", group, shareWords(baseShare));
        }
        StringBuilder b = new StringBuilder(group).append(": ");
        for (int i = 0; i < measured.size(); i++) {
            Row r = measured.get(i);
            MeanCi ci = delay.apply(r);
            b.append(i == 0 ? "" : i == 1 ? ", against " : i == measured.size() - 1 ? " and " : ", ");
            b.append(String.format(Locale.ROOT, "%.1f s", ci.mean())).append(i == 0 ? " per " + unit : "")
                    .append(Double.isNaN(ci.halfWidth()) ? " (n = 1, no interval; "
                            : String.format(Locale.ROOT, " (95 %% CI %.1f–%.1f s, n = %d; ", ci.low(), ci.high(),
                            ci.n()))
                    .append(counts.apply(r)).append(") under ")
                    .append(r.controller().equals(ADAPTIVE) ? "Greenwave" : label(r.controller()));
        }
        return b.append('.').toString();
    }

    private Row bestAt(double demand, double share) {
        Row best = null;
        for (String c : controllers) {
            if (c.equals(ADAPTIVE)) {
                continue;
            }
            Row r = row(c, demand, share);
            if (r.delayS().n() > 0 && (best == null || r.delayS().mean() < best.delayS().mean())) {
                best = r;
            }
        }
        return best;
    }

    /** What the safety monitor and the run monitors counted over every run of the study, in one sentence. */
    private String monitors() {
        long violations = cells.stream().mapToLong(c -> c.summary().safetyViolations()).sum();
        long starvation = cells.stream().mapToLong(c -> c.summary().monitors().starvationEvents()).sum();
        long gridlocks = cells.stream().filter(c -> c.summary().monitors().gridlock()).count();
        long watchdog = cells.stream().mapToLong(c -> c.summary().monitors().watchdogTrips()).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Over all %d runs the safety monitor counted ",
                cells.size()));
        b.append(violations == 0 ? "no violations" : violations + " violation" + (violations == 1 ? "" : "s")
                + byController(c -> c.summary().safetyViolations()));
        b.append(starvation == 0 ? "; no vehicle was starved at a red light"
                : "; " + starvation + " starvation event" + (starvation == 1 ? "" : "s")
                + byController(c -> c.summary().monitors().starvationEvents()));
        b.append(gridlocks == 0 ? "; no run locked up" : "; " + gridlocks + " run" + (gridlocks == 1 ? "" : "s")
                + " locked up" + byController(c -> c.summary().monitors().gridlock() ? 1 : 0));
        if (watchdog > 0) {
            b.append("; watchdogs handed signals back to their own programs ").append(watchdog).append(" time")
                    .append(watchdog == 1 ? "" : "s").append(byController(c -> c.summary().monitors().watchdogTrips()));
        }
        return b.append('.').toString();
    }

    private String byController(ToDoubleFunction<WhatIfStudy.Cell> count) {
        List<String> parts = new ArrayList<>();
        for (String c : controllers) {
            long n = (long) cells.stream().filter(x -> x.controller().equals(c)).mapToDouble(count).sum();
            if (n > 0) {
                parts.add(c + " " + n);
            }
        }
        return " (" + String.join(", ", parts) + ")";
    }

    /** The headline table as aligned plain text, for the terminal. */
    public String table() {
        boolean persons = personsMeasured();
        boolean buses = busesMeasured();
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("controller", "n", "delay s (95% CI)"));
        if (persons) {
            header.add("person delay s (95% CI)");
        }
        if (buses) {
            header.add("bus delay s (95% CI)");
        }
        header.addAll(List.of("max wait s", "throughput veh/h", "starved", "gridlock runs", "safety viol."));
        lines.add(header.toArray(String[]::new));
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(label(r.controller()), String.valueOf(r.delayS().n()),
                    interval(r.delayS(), 1)));
            if (persons) {
                line.add(measured(r.personDelayS(), r.delayS().n(), 1));
            }
            if (buses) {
                line.add(measured(r.busDelayS(), r.delayS().n(), 1));
            }
            line.addAll(List.of(String.format(Locale.ROOT, "%.0f", r.maxWaitS()),
                    String.format(Locale.ROOT, "%.0f", r.throughputVehPerH().mean()),
                    String.valueOf(r.starvationEvents()), String.valueOf(r.gridlockRuns()),
                    String.valueOf(r.safetyViolations())));
            lines.add(line.toArray(String[]::new));
        }
        int[] w = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                w[i] = Math.max(w[i], l[i].length());
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "At base demand ×%s (%,.0f veh/h), %s:%n",
                factor(baseDemand), vehPerH(baseDemand), shareWords(baseShare)));
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                String cell = i == 0 ? l[i] + " ".repeat(w[i] - l[i].length()) : " ".repeat(w[i] - l[i].length()) + l[i];
                b.append(i == 0 ? "" : "  ").append(cell);
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }

    /**
     * A KPI some runs may not measure: {@link #interval}, with {@code " (n=2)"} when fewer than the group's {@code runs}
     * measured it, and {@link ComparisonTable#NONE} when none did.
     */
    static String measured(MeanCi ci, int runs, int decimals) {
        return ci.n() == 0 ? ComparisonTable.NONE : interval(ci, decimals) + (ci.n() < runs ? " (n=" + ci.n() + ")" : "");
    }

    /** {@code "12.3 (10.1–14.5)"}, or the mean alone without an interval. */
    static String interval(MeanCi ci, int decimals) {
        if (ci.n() == 0) {
            return "–";
        }
        String f = "%." + decimals + "f";
        return Double.isNaN(ci.halfWidth()) ? String.format(Locale.ROOT, f, ci.mean())
                : String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", ci.mean(), ci.low(), ci.high());
    }

    private static String delay(MeanCi ci) {
        return Double.isNaN(ci.halfWidth()) ? String.format(Locale.ROOT, "%.1f s (n = 1, no interval)", ci.mean())
                : String.format(Locale.ROOT, "%.1f s (95 %% CI %.1f–%.1f s, n = %d)", ci.mean(), ci.low(), ci.high(),
                ci.n());
    }

    static String shareWords(double share) {
        return share == 0 ? "with all detectors working"
                : String.format(Locale.ROOT, "with %.0f %% of detectors failed", share * 100);
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String factor(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(v);
    }

    static double closest(List<Double> values, double target) {
        double best = values.get(0);
        for (double v : values) {
            if (Math.abs(v - target) < Math.abs(best - target)) {
                best = v;
            }
        }
        return best;
    }
}
