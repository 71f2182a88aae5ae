package org.greenwave.harness.kpi;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code results.csv}: one row per run, with every KPI of the run's {@code summary.json} (lists of examples left
 * out). A study adds columns of its own (e.g. the demand factor) after {@code controller}. A KPI the run did not
 * measure (person delay where no person finished, bus delay without buses, summaries from before these KPIs) is an
 * empty field, never 0. Numbers have at most four decimals and a dot as decimal separator, whatever the locale.
 */
public final class ResultsCsv {
    /** One run: its summary and the values of the study's own columns, in their order. */
    public record Row(RunSummary summary, List<String> studyValues) {
    }

    private record Column(String header, Function<RunSummary, Object> value) {
    }

    private static final List<Column> KPIS = List.of(
            new Column("begin_s", RunSummary::beginS),
            new Column("end_s", RunSummary::endS),
            new Column("signals", RunSummary::signals),
            new Column("transport", RunSummary::transport),
            new Column("vehicles", s -> s.trips().vehicles()),
            new Column("arrived", s -> s.trips().arrived()),
            new Column("unfinished", s -> s.trips().unfinished()),
            new Column("undeparted", s -> s.trips().undeparted()),
            new Column("avg_delay_s", s -> s.trips().avgDelayS()),
            new Column("avg_trip_time_s", s -> s.trips().avgTripTimeS()),
            new Column("avg_waiting_s", s -> s.trips().avgWaitingS()),
            new Column("avg_stops", s -> s.trips().avgStops()),
            new Column("avg_depart_delay_s", s -> s.trips().avgDepartDelayS()),
            new Column("throughput_veh_per_h", RunSummary::throughputVehPerH),
            new Column("persons", s -> s.persons() == null ? null : s.persons().persons()),
            new Column("persons_arrived", s -> s.persons() == null ? null : s.persons().arrived()),
            new Column("persons_unfinished", s -> s.persons() == null ? null : s.persons().unfinished()),
            new Column("avg_person_delay_s", s -> s.persons() == null ? null : s.persons().avgDelayS()),
            new Column("avg_walk_time_loss_s", s -> s.persons() == null ? null : s.persons().avgWalkTimeLossS()),
            new Column("avg_ride_waiting_s", s -> s.persons() == null ? null : s.persons().avgRideWaitingS()),
            new Column("buses", s -> s.buses() == null ? null : s.buses().buses()),
            new Column("buses_arrived", s -> s.buses() == null ? null : s.buses().arrived()),
            new Column("buses_unfinished", s -> s.buses() == null ? null : s.buses().unfinished()),
            new Column("buses_undeparted", s -> s.buses() == null ? null : s.buses().undeparted()),
            new Column("avg_bus_delay_s", s -> s.buses() == null ? null : s.buses().avgDelayS()),
            new Column("teleports", RunSummary::teleports),
            new Column("safety_violations", RunSummary::safetyViolations),
            new Column("ingest_drops", RunSummary::ingestDrops),
            new Column("fallback_steps", RunSummary::fallbackSteps),
            new Column("interlock_held", RunSummary::interlockHeld),
            new Column("interlock_forced", RunSummary::interlockForced),
            new Column("max_wait_s", s -> s.monitors().maxWaitS()),
            new Column("wait_p95_s", s -> s.monitors().waitP95S()),
            new Column("share_wait_over_300", s -> s.monitors().shareWaitOver300()),
            new Column("starvation_bound_s", s -> s.monitors().starvationBoundS()),
            new Column("starvation_events", s -> s.monitors().starvationEvents()),
            new Column("longest_starved_red_s", s -> s.monitors().longestStarvedRedS()),
            new Column("gridlock", s -> s.monitors().gridlock()),
            new Column("gridlock_from_s", s -> s.monitors().gridlockFromS()),
            new Column("max_still_vehicles", s -> s.monitors().maxStillVehicles()),
            new Column("watchdog_trips", s -> s.monitors().watchdogTrips()),
            new Column("watchdog_suspended_s", s -> s.monitors().watchdogSuspendedS()),
            new Column("own_program_type", RunSummary::ownProgramType),
            new Column("wall_time_s", RunSummary::wallTimeS),
            new Column("sumo_version", RunSummary::sumoVersion));

    private ResultsCsv() {
    }

    /** The header: {@code scenario,controller}, the study's columns, {@code seed}, then the KPIs. */
    public static String header(List<String> studyColumns) {
        List<String> h = new ArrayList<>(List.of("scenario", "controller"));
        h.addAll(studyColumns);
        h.add("seed");
        for (Column c : KPIS) {
            h.add(c.header());
        }
        return String.join(",", h);
    }

    /** Renders the header and one line per row. */
    public static String render(List<String> studyColumns, List<Row> rows) {
        StringBuilder b = new StringBuilder(header(studyColumns)).append('\n');
        for (Row r : rows) {
            if (r.studyValues().size() != studyColumns.size()) {
                throw new IllegalArgumentException("row has " + r.studyValues().size() + " study values for "
                        + studyColumns.size() + " columns");
            }
            RunSummary s = r.summary();
            b.append(field(s.scenario())).append(',').append(field(s.controller()));
            for (String v : r.studyValues()) {
                b.append(',').append(field(v));
            }
            b.append(',').append(s.seed());
            for (Column c : KPIS) {
                b.append(',').append(field(c.value().apply(s)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Writes {@link #render} to {@code file}. */
    public static void write(Path file, List<String> studyColumns, List<Row> rows) throws IOException {
        Files.writeString(file, render(studyColumns, rows));
    }

    private static String field(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            // Four decimals, trailing zeros dropped: "12.5", "3".
            return d.isNaN() ? "" : d.isInfinite() ? d.toString()
                    : BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
        String s = v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
