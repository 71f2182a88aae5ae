package org.greenwave.harness.kpi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Bus KPIs of one run: the rows of SUMO's tripinfo output (written with unfinished and undeparted vehicles) whose
 * vehicle type has {@code vClass="bus"}, with delay by the same RESCO definition as {@link TripStats}: {@code
 * timeLoss + departDelay} over every bus due in the window, unfinished and undeparted ones included. SUMO does not
 * count the time a bus stands at a stop as time loss, so dwell times at stops are not delay.
 *
 * @param buses      rows: every bus due in the window
 * @param arrived    buses that reached the end of their route
 * @param unfinished buses still in the network at the end
 * @param undeparted buses due but never inserted
 * @param avgDelayS  mean of {@code timeLoss + departDelay} over the buses, seconds; {@code null} when there are none
 */
public record BusStats(long buses, long arrived, long unfinished, long undeparted, Double avgDelayS) {

    /**
     * Reads the buses of a tripinfo file.
     *
     * @param busTypes the ids of the vehicle types whose {@code vClass} is {@code bus}
     * @throws IOException when the file cannot be read or is not well-formed, naming the file and line
     */
    public static BusStats read(Path tripinfo, Set<String> busTypes) throws IOException {
        double[] sum = new double[4];
        long[] undeparted = {0};
        Tripinfo.read(tripinfo, (name, r) -> {
            if (!"tripinfo".equals(name) || !busTypes.contains(r.getAttributeValue(null, "vType"))) {
                return;
            }
            sum[0]++;
            sum[1] += Tripinfo.num(r, "timeLoss") + Tripinfo.num(r, "departDelay");
            if (Tripinfo.num(r, "depart") < 0) {
                undeparted[0]++;
            } else if (Tripinfo.num(r, "arrival") < 0) {
                sum[2]++;
            } else {
                sum[3]++;
            }
        });
        long buses = (long) sum[0];
        return new BusStats(buses, (long) sum[3], (long) sum[2], undeparted[0], buses == 0 ? null : sum[1] / buses);
    }
}
