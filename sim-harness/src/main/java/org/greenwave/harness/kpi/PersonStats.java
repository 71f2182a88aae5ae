package org.greenwave.harness.kpi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Person KPIs of one run, from the {@code <personinfo>} elements of SUMO's tripinfo output (written with unfinished
 * persons).
 *
 * <p>A person's delay is the sum over their stages of the walks' {@code timeLoss} (time lost against walking
 * the route at their own free speed: waiting at red crossings, queueing on sidewalks) and the rides' {@code
 * waitingTime} (time spent waiting at the stop for the vehicle). Averages are over the persons who finished their
 * plan in the window: SUMO leaves a walk still under way at the end with {@code timeLoss="0"}, which would pass
 * for no delay, so persons still on their way are counted in {@link #unfinished} and kept out of the averages.
 *
 * @param persons           persons in the tripinfo output: every person who started in the window
 * @param arrived           persons who finished their plan in the window
 * @param unfinished        persons still on their way at the end
 * @param avgDelayS         mean delay per arrived person, seconds; {@code null} when none arrived
 * @param avgWalkTimeLossS  mean of the walk stages' {@code timeLoss} summed per arrived person; {@code null} as above
 * @param avgRideWaitingS   mean of the ride stages' {@code waitingTime} summed per arrived person; {@code null} as
 *                          above
 */
public record PersonStats(long persons, long arrived, long unfinished, Double avgDelayS, Double avgWalkTimeLossS,
                          Double avgRideWaitingS) {

    /**
     * Reads the persons of a tripinfo file.
     *
     * @throws IOException when the file cannot be read or is not well-formed, naming the file and line
     */
    public static PersonStats read(Path tripinfo) throws IOException {
        // [persons, arrived, walk loss, ride wait] over arrived persons; per person while inside <personinfo>
        double[] sum = new double[4];
        double[] person = new double[2];
        boolean[] inPerson = {false, false};
        Tripinfo.read(tripinfo, new Tripinfo.Visitor() {
            @Override
            public void start(String name, javax.xml.stream.XMLStreamReader r) {
                switch (name) {
                    case "personinfo" -> {
                        inPerson[0] = true;
                        inPerson[1] = false;
                        person[0] = 0;
                        person[1] = 0;
                    }
                    case "walk" -> stage(r, 0, "timeLoss");
                    case "ride" -> stage(r, 1, "waitingTime");
                    default -> {
                        if (inPerson[0] && r.getAttributeValue(null, "arrival") != null
                                && Tripinfo.num(r, "arrival") < 0) {
                            inPerson[1] = true;
                        }
                    }
                }
            }

            private void stage(javax.xml.stream.XMLStreamReader r, int slot, String attribute) {
                if (!inPerson[0]) {
                    return;
                }
                person[slot] += Tripinfo.num(r, attribute);
                if (r.getAttributeValue(null, "arrival") != null && Tripinfo.num(r, "arrival") < 0) {
                    inPerson[1] = true;
                }
            }

            @Override
            public void end(String name) {
                if (!"personinfo".equals(name)) {
                    return;
                }
                inPerson[0] = false;
                sum[0]++;
                if (!inPerson[1]) {
                    sum[1]++;
                    sum[2] += person[0];
                    sum[3] += person[1];
                }
            }
        });
        long persons = (long) sum[0];
        long arrived = (long) sum[1];
        if (arrived == 0) {
            return new PersonStats(persons, 0, persons, null, null, null);
        }
        double walk = sum[2] / arrived;
        double ride = sum[3] / arrived;
        return new PersonStats(persons, arrived, persons - arrived, walk + ride, walk, ride);
    }
}
