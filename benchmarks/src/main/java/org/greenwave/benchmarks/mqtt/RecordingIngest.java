/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.MAX_LATENCY_NS;

import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;

/**
 * The engine's Ingest as the gateway sees it: records, for each loop edge, the time from the message's intended
 * send to this hand-over, then passes the reading on. Called on the gateway's MQTT callback thread.
 */
final class RecordingIngest implements Ingest {
    final Recorder latency = new Recorder(1, MAX_LATENCY_NS, 3);
    final AtomicLong unmatched = new AtomicLong();
    private final Ingest engine;
    private final SendTable table;
    private final int[] loopOfDetector;
    private final long[] readPos;

    RecordingIngest(Ingest engine, DetectorDirectory directory, Network network, SendTable table) {
        this.engine = engine;
        this.table = table;
        this.loopOfDetector = new int[directory.detectorCount()];
        java.util.Arrays.fill(loopOfDetector, -1);
        for (int l = 0; l < network.loopCount(); l++) {
            loopOfDetector[directory.detectorIndex(network.loopIds()[l])] = l;
        }
        this.readPos = new long[network.loopCount()];
    }

    @Override
    public boolean detectorEdge(int detector, boolean on, long timeMs) {
        long nowNs = System.nanoTime();
        int loop = loopOfDetector[detector];
        if (loop >= 0) {
            long intended = table.find(loop, timeMs, readPos);
            if (intended < 0) {
                unmatched.incrementAndGet();
            } else {
                latency.recordValue(Math.min(Math.max(nowNs - intended, 1), MAX_LATENCY_NS));
            }
        }
        return engine.detectorEdge(detector, on, timeMs);
    }

    @Override
    public boolean detectorAggregate(int detector, long intervalEndMs, int intervalMs, int count,
                                     double occupancy, double speedMps) {
        return engine.detectorAggregate(detector, intervalEndMs, intervalMs, count, occupancy, speedMps);
    }

    @Override
    public boolean laneArea(int detector, long timeMs, int vehicles, int halting, double jamM) {
        return engine.laneArea(detector, timeMs, vehicles, halting, jamM);
    }
}
