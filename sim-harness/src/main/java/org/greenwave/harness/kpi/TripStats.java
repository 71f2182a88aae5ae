package org.greenwave.harness.kpi;

import java.io.IOException;
import java.nio.file.Path;

import javax.xml.stream.XMLStreamReader;

/**
 * Trip KPIs of one run, from SUMO's tripinfo output written with unfinished and undeparted vehicles.
 *
 * <p>Average delay follows the RESCO definition: over every row, {@code timeLoss + departDelay}, averaged. Vehicles
 * still in the network at the end are rows of their own; vehicles that were due but never inserted are rows whose
 * {@code departDelay} SUMO sets to {@code end - scheduled depart}. Trip time is the mean {@code duration} over the same
 * rows.
 *
 * @param vehicles      rows: every vehicle due in the window
 * @param arrived       vehicles that reached their destination
 * @param unfinished    vehicles still in the network at the end
 * @param undeparted    vehicles due but never inserted
 * @param avgDelayS     mean of {@code timeLoss + departDelay}
 * @param avgTripTimeS  mean {@code duration}
 * @param avgWaitingS   mean {@code waitingTime} (time spent below 0.1 m/s)
 * @param avgStops      mean {@code waitingCount} (times a vehicle came to a halt)
 * @param avgDepartDelayS mean {@code departDelay}
 */
public record TripStats(long vehicles, long arrived, long unfinished, long undeparted, double avgDelayS,
                        double avgTripTimeS, double avgWaitingS, double avgStops, double avgDepartDelayS) {

    /**
     * Reads a tripinfo file.
     *
     * @throws IOException when the file cannot be read or is not well-formed, naming the file and line
     */
    public static TripStats read(Path tripinfo) throws IOException {
        double[] sum = new double[9];
        forEachRow(tripinfo, r -> {
            sum[0]++;
            double dd = num(r, "departDelay");
            sum[1] += num(r, "timeLoss") + dd;
            sum[2] += dd;
            sum[3] += num(r, "duration");
            sum[4] += num(r, "waitingTime");
            sum[5] += num(r, "waitingCount");
            if (num(r, "depart") < 0) {
                sum[6]++;
            } else if (num(r, "arrival") < 0) {
                sum[7]++;
            } else {
                sum[8]++;
            }
        });
        long n = (long) sum[0];
        double d = Math.max(1, n);
        return new TripStats(n, (long) sum[8], (long) sum[7], (long) sum[6], sum[1] / d, sum[3] / d, sum[4] / d,
                sum[5] / d, sum[2] / d);
    }

    /**
     * Every row's delay ({@code timeLoss + departDelay}, seconds), in file order: the distribution behind
     * {@link #avgDelayS()}.
     *
     * @throws IOException as {@link #read}
     */
    public static double[] delays(Path tripinfo) throws IOException {
        return column(tripinfo, r -> num(r, "timeLoss") + num(r, "departDelay"));
    }

    /**
     * Every row's {@code waitingTime} (seconds spent below 0.1 m/s), in file order: the distribution behind
     * {@link #avgWaitingS()}.
     *
     * @throws IOException as {@link #read}
     */
    public static double[] waitingTimes(Path tripinfo) throws IOException {
        return column(tripinfo, r -> num(r, "waitingTime"));
    }

    private static double[] column(Path tripinfo, java.util.function.ToDoubleFunction<XMLStreamReader> value)
            throws IOException {
        double[][] out = {new double[1024]};
        int[] n = {0};
        forEachRow(tripinfo, r -> {
            if (n[0] == out[0].length) {
                out[0] = java.util.Arrays.copyOf(out[0], n[0] * 2);
            }
            out[0][n[0]++] = value.applyAsDouble(r);
        });
        return java.util.Arrays.copyOf(out[0], n[0]);
    }

    /** Calls {@code row} at every {@code tripinfo} element of the file. */
    private static void forEachRow(Path tripinfo, java.util.function.Consumer<XMLStreamReader> row)
            throws IOException {
        Tripinfo.read(tripinfo, (name, r) -> {
            if ("tripinfo".equals(name)) {
                row.accept(r);
            }
        });
    }

    private static double num(XMLStreamReader r, String name) {
        return Tripinfo.num(r, name);
    }
}
