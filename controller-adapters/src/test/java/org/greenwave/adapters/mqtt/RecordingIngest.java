/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.greenwave.core.ingest.Ingest;

/** An {@link Ingest} that records every call, from any thread, and can be told to refuse. */
final class RecordingIngest implements Ingest {

    /** One call; unused fields are zero. */
    record Call(String kind, int detector, long timeMs, boolean on, int intervalMs, int count, double occupancy,
                double speedMps, int vehicles, int halting, double jamM) {

        static Call edge(int detector, long timeMs, boolean on) {
            return new Call("edge", detector, timeMs, on, 0, 0, 0, 0, 0, 0, 0);
        }

        static Call aggregate(int detector, long endMs, int intervalMs, int count, double occupancy, double speedMps) {
            return new Call("aggregate", detector, endMs, false, intervalMs, count, occupancy, speedMps, 0, 0, 0);
        }

        static Call laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
            return new Call("laneArea", detector, timeMs, false, 0, 0, 0, 0, vehicles, halting, jamM);
        }
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean refuse;

    void refuse(boolean refuse) {
        this.refuse = refuse;
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    int size() {
        return calls.size();
    }

    void clear() {
        calls.clear();
    }

    @Override
    public boolean detectorEdge(int detector, boolean on, long timeMs) {
        return record(Call.edge(detector, timeMs, on));
    }

    @Override
    public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count, double occupancy,
                                     double speedMps) {
        return record(Call.aggregate(detector, intervalEndMs, intervalMs, count, occupancy, speedMps));
    }

    @Override
    public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
        return record(Call.laneArea(detector, timeMs, vehicles, halting, jamM));
    }

    private boolean record(Call call) {
        if (refuse) {
            return false;
        }
        calls.add(call);
        return true;
    }
}
