package org.greenwave.app.dashboard;

import java.io.IOException;

import java.util.function.IntToDoubleFunction;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Network figures over the last hour of engine time, in one-minute buckets, estimated from the engine's detector data
 * (never from the simulator):
 * <ul>
 *   <li>throughput: stop-line loop counts at every signal, vehicles per hour (a vehicle crossing three signals counts
 *       three times);</li>
 *   <li>stopped delay: queued vehicle-seconds (the engine's queue estimate integrated over time) per vehicle served
 *       at the stop line, seconds per vehicle;</li>
 *   <li>stops: vehicles arriving at a lane that was red or had a standing queue (one vehicle or more);</li>
 *   <li>spill-backs: lanes whose queue reached back over their detection zone, counted when one starts.</li>
 * </ul>
 *
 * <p>Threading: {@link #add} from the sampler thread only; {@link #write} from the same thread (the sampler builds
 * the frames).
 */
final class NetworkKpis {
    static final int BUCKET_S = 60;
    static final int BUCKETS = 60;

    private final double[] bucketStartS = new double[BUCKETS];
    private final double[] bucketSpanS = new double[BUCKETS];
    private final long[] departures = new long[BUCKETS];
    private final double[] queueVehS = new double[BUCKETS];
    private final long[] stops = new long[BUCKETS];
    private final long[] spillBacks = new long[BUCKETS];
    private long current = -1;
    private double lastQueueVeh;
    private int lastSpilledLanes;

    /** Adds one record of {@code dtS} engine seconds ending at {@code nowS}. */
    void add(double nowS, double dtS, IntersectionHistory.Tally t) {
        long minute = (long) Math.floor(nowS / BUCKET_S);
        if (minute != current) {
            long from = current < 0 || minute - current > BUCKETS ? minute : current + 1;
            for (long m = from; m <= minute; m++) {
                int b = (int) Math.floorMod(m, (long) BUCKETS);
                bucketStartS[b] = m * (double) BUCKET_S;
                bucketSpanS[b] = 0;
                departures[b] = 0;
                queueVehS[b] = 0;
                stops[b] = 0;
                spillBacks[b] = 0;
            }
            current = minute;
        }
        int b = (int) Math.floorMod(minute, (long) BUCKETS);
        bucketSpanS[b] += dtS;
        departures[b] += t.departures;
        queueVehS[b] += t.queueVehS;
        stops[b] += t.stops;
        spillBacks[b] += t.spillBackOnsets;
        lastQueueVeh = t.queueVeh;
        lastSpilledLanes = t.spilledLanes;
    }

    /** Writes the totals over the hour held and the per-minute series, oldest first. */
    void write(JsonGenerator g) throws IOException {
        double span = 0;
        long dep = 0;
        double q = 0;
        long st = 0;
        long sb = 0;
        int held = 0;
        for (int i = 0; i < BUCKETS && current >= 0; i++) {
            long m = current - BUCKETS + 1 + i;
            int b = (int) Math.floorMod(m, (long) BUCKETS);
            if (m < 0 || bucketSpanS[b] <= 0 || bucketStartS[b] != m * (double) BUCKET_S) {
                continue;
            }
            held++;
            span += bucketSpanS[b];
            dep += departures[b];
            q += queueVehS[b];
            st += stops[b];
            sb += spillBacks[b];
        }
        g.writeNumberField("windowS", Math.round(span));
        g.writeNumberField("throughputVehPerH", span > 0 ? Math.round(dep * 3600.0 / span) : 0);
        g.writeNumberField("delaySPerVeh", dep > 0 ? Math.round(q / dep * 10) / 10.0 : 0);
        g.writeNumberField("stops", st);
        g.writeNumberField("stopsPerVeh", dep > 0 ? Math.round(st * 100.0 / dep) / 100.0 : 0);
        g.writeNumberField("spillBacks", sb);
        g.writeNumberField("spilledLanesNow", lastSpilledLanes);
        g.writeNumberField("queueVehNow", Math.round(lastQueueVeh * 10) / 10.0);
        g.writeFieldName("series");
        g.writeStartObject();
        writeSeries(g, "t", held, b -> bucketStartS[b]);
        writeSeries(g, "throughputVehPerH", held, b -> Math.round(departures[b] * 3600.0 / bucketSpanS[b]));
        writeSeries(g, "delaySPerVeh", held, b -> departures[b] > 0
                ? Math.round(queueVehS[b] / departures[b] * 10) / 10.0 : 0);
        writeSeries(g, "queueVeh", held, b -> Math.round(queueVehS[b] / bucketSpanS[b] * 10) / 10.0);
        writeSeries(g, "stops", held, b -> stops[b]);
        writeSeries(g, "spillBacks", held, b -> spillBacks[b]);
        g.writeEndObject();
    }

    private void writeSeries(JsonGenerator g, String name, int held, IntToDoubleFunction value) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (int i = 0; i < BUCKETS && held > 0; i++) {
            long m = current - BUCKETS + 1 + i;
            int b = (int) Math.floorMod(m, (long) BUCKETS);
            if (m < 0 || bucketSpanS[b] <= 0 || bucketStartS[b] != m * (double) BUCKET_S) {
                continue;
            }
            g.writeNumber(value.applyAsDouble(b));
        }
        g.writeEndArray();
    }
}
