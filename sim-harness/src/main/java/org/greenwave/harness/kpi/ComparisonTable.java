package org.greenwave.harness.kpi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table of controllers, each KPI as mean ± sample standard deviation over seeds. A KPI a run could not
 * measure (person delay where no person finished a trip, bus delay where no bus ran) is left out of its mean, and the
 * cell names how many runs it averages ("(n=2)"); a cell with no value at all shows "—".
 */
public final class ComparisonTable {
    private record Column(String header, ToDoubleFunction<RunSummary> value, int decimals) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("delay s", s -> s.trips().avgDelayS(), 2),
            new Column("trip time s", s -> s.trips().avgTripTimeS(), 1),
            new Column("waiting s", s -> s.trips().avgWaitingS(), 1),
            new Column("stops", s -> s.trips().avgStops(), 2),
            new Column("person delay s", s -> orNaN(s.persons() == null ? null : s.persons().avgDelayS()), 1),
            new Column("bus delay s", s -> orNaN(s.buses() == null ? null : s.buses().avgDelayS()), 1),
            new Column("throughput veh/h", RunSummary::throughputVehPerH, 0),
            new Column("max wait s", s -> s.monitors().maxWaitS(), 0),
            new Column("starved", s -> s.monitors().starvationEvents(), 0),
            new Column("gridlock", s -> s.monitors().gridlock() ? 1 : 0, 0),
            new Column("teleports", s -> s.teleports(), 0),
            new Column("safety viol.", s -> s.safetyViolations(), 0),
            new Column("wall s", RunSummary::wallTimeS, 1));

    /** Shown where no run of a group measured the KPI. */
    public static final String NONE = "—";

    private ComparisonTable() {
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** Mean and sample standard deviation (0 for a single value). */
    public static double[] meanSd(double[] xs) {
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0};
    }

    /** The {@code q}-quantile of sorted values (the value at rank {@code floor(q n)}); NaN when there are none. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Summaries grouped by controller, in first-seen order. */
    public static Map<String, List<RunSummary>> byController(List<RunSummary> runs) {
        Map<String, List<RunSummary>> m = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            m.computeIfAbsent(r.controller(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** Renders the table as aligned plain text (also valid Markdown). */
    public static String render(List<RunSummary> runs) {
        Map<String, List<RunSummary>> groups = byController(runs);
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[COLUMNS.size() + 2];
        header[0] = "controller";
        header[1] = "seeds";
        for (int i = 0; i < COLUMNS.size(); i++) {
            header[i + 2] = COLUMNS.get(i).header();
        }
        rows.add(header);
        for (Map.Entry<String, List<RunSummary>> e : groups.entrySet()) {
            String[] row = new String[header.length];
            row[0] = e.getValue().get(0).controllerLabel();
            row[1] = String.valueOf(e.getValue().size());
            for (int i = 0; i < COLUMNS.size(); i++) {
                Column c = COLUMNS.get(i);
                double[] xs = e.getValue().stream().mapToDouble(c.value()).filter(x -> !Double.isNaN(x)).toArray();
                if (xs.length == 0) {
                    row[i + 2] = NONE;
                    continue;
                }
                double[] ms = meanSd(xs);
                String fmt = "%." + c.decimals() + "f ± %." + c.decimals() + "f";
                row[i + 2] = String.format(Locale.ROOT, fmt, ms[0], ms[1])
                        + (xs.length < e.getValue().size() ? " (n=" + xs.length + ")" : "");
            }
            rows.add(row);
        }
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] r = rows.get(ri);
            b.append('|');
            for (int i = 0; i < r.length; i++) {
                String cell = i < 2 ? pad(r[i], width[i], false) : pad(r[i], width[i], true);
                b.append(' ').append(cell).append(" |");
            }
            b.append('\n');
            if (ri == 0) {
                b.append('|');
                for (int i = 0; i < r.length; i++) {
                    b.append(i < 2 ? "-" : "").append("-".repeat(width[i] + 1)).append(i < 2 ? "|" : ":|");
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
