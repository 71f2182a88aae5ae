package org.greenwave.harness.run;

import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;

/**
 * Counts starvation at one signal from what SUMO shows: a vehicle that stands at the head of its lane (on the lane's
 * stop-line loop) for longer than the bound, while the link it waits for has been red all that time and its exit has
 * room. Each such vehicle counts once. The link a vehicle waits for is asked of SUMO (its next signal link) only when
 * it has stood there longer than the bound, so the monitor costs nothing in a run without starvation.
 *
 * <p>Threading: the run's thread only.
 */
final class StarvationMonitor {
    private final IntersectionModel model;
    private final double boundS;
    private final double[] redSinceS;
    /** Per lane: the vehicle at its head that was last judged, and whether it counted. */
    private final String[] judgedVehicle;
    private final boolean[] judgedCounted;
    private final double[] judgedSinceS;
    private long events;
    private double longestS;

    /** @param boundS how long a vehicle may wait at the head of its lane for a red link whose exit has room */
    StarvationMonitor(IntersectionModel model, double boundS) {
        this.model = model;
        this.boundS = boundS;
        this.redSinceS = new double[model.linkCount()];
        java.util.Arrays.fill(redSinceS, Double.NaN);
        int lanes = model.incomingLaneCount();
        this.judgedVehicle = new String[lanes];
        this.judgedCounted = new boolean[lanes];
        this.judgedSinceS = new double[lanes];
    }

    /**
     * One step.
     *
     * @param state      the state SUMO shows from {@code nowS}
     * @param stopLoops  per incoming lane (model index): the vehicles on its stop-line loop this step, or null
     * @param exitRoom   per outgoing lane (model index): whether it has room for another vehicle
     * @param linkOf     the link index of this signal a vehicle waits for, or -1 (asked of SUMO)
     */
    void observe(double nowS, CharSequence state, List<LoopVehicleData>[] stopLoops, boolean[] exitRoom,
                 ToIntFunction<String> linkOf, List<String> examples, int maxExamples) {
        for (int l = 0; l < redSinceS.length; l++) {
            if (SignalChar.isPassable(state.charAt(l))) {
                redSinceS[l] = Double.NaN;
            } else if (Double.isNaN(redSinceS[l])) {
                redSinceS[l] = nowS;
            }
        }
        for (int lane = 0; lane < stopLoops.length; lane++) {
            LoopVehicleData head = null;
            if (stopLoops[lane] != null) {
                List<LoopVehicleData> vehicles = stopLoops[lane];
                // Indexed: an iterator would be allocated for every lane every step.
                for (int v = 0, count = vehicles.size(); v < count; v++) {
                    LoopVehicleData d = vehicles.get(v);
                    if (d.stillOnLoop() && (head == null || d.entryTimeS() < head.entryTimeS())) {
                        head = d;
                    }
                }
            }
            if (head == null) {
                judgedVehicle[lane] = null;
                continue;
            }
            if (head.vehicleId().equals(judgedVehicle[lane])) {
                if (judgedCounted[lane]) {
                    longestS = Math.max(longestS, nowS - judgedSinceS[lane]);
                }
                continue;
            }
            double waitedS = nowS - head.entryTimeS();
            if (waitedS <= boundS) {
                continue;
            }
            judgedVehicle[lane] = head.vehicleId();
            judgedSinceS[lane] = head.entryTimeS();
            judgedCounted[lane] = false;
            int link = linkOf.applyAsInt(head.vehicleId());
            if (link < 0 || link >= redSinceS.length || !model.linkUsed(link)
                    || model.linkIncomingLane(link) != lane) {
                continue;
            }
            double redS = Double.isNaN(redSinceS[link]) ? 0 : nowS - redSinceS[link];
            if (redS > boundS && exitRoom[model.linkOutgoingLane(link)]) {
                judgedCounted[lane] = true;
                events++;
                longestS = Math.max(longestS, waitedS);
                if (examples.size() < maxExamples) {
                    examples.add(String.format(Locale.ROOT,
                            "t=%.0f %s: vehicle %s waited %.0f s at the head of %s for link %d (-> %s), red for %.0f s",
                            nowS, model.id(), head.vehicleId(), waitedS, model.incomingLaneId(lane), link,
                            model.outgoingLaneId(model.linkOutgoingLane(link)), redS));
                }
            }
        }
    }

    long events() {
        return events;
    }

    /** The longest wait at the head of a lane that counted as starvation, seconds; 0 when none did. */
    double longestS() {
        return longestS;
    }
}
