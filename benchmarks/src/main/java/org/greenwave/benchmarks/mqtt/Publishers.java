/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.CONNECT_TIMEOUT_MS;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.MAX_LATENCY_NS;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.PUBLISHER_ID;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.greenwave.adapters.mqtt.DetectorPayloadEncoder;
import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.NoDelaySocketFactory;
import org.greenwave.adapters.mqtt.Topics;

/**
 * The field side: {@code P} Paho clients, each with a thread per step that publishes its share of the schedule.
 * Loop {@code l} belongs to client {@code l % P}, so one loop's events always go through one connection, in order.
 */
final class Publishers implements AutoCloseable {
    /** Messages a client may hold unwritten before its thread waits (Paho's QoS 0 queue is unbounded). */
    private static final long MAX_CLIENT_BACKLOG = 20_000;
    /** How long after the step's end a publisher that fell behind may keep sending. */
    private static final long GRACE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** @param threadCpuNs CPU time of each publisher thread of the step */
    record Run(long scheduled, long sent, long failures, long lastSendNs, long maxClientBacklog,
               long[] threadCpuNs) {
    }

    /** Intended send → the publish call. */
    final Recorder lag = new Recorder(1, MAX_LATENCY_NS, 3);
    /** Intended send → Paho reports the message written to the socket (its completion callback). */
    final Recorder written = new Recorder(1, MAX_LATENCY_NS, 3);
    private final MqttAsyncClient[] clients;
    private final AtomicLong[] completed;
    private final MqttActionListener[] onWritten;
    private final long[] published;
    private final SendTable table;
    private final long sliceNs;
    private final String[] loopIds;
    private final String[] loopTopics;
    private final long[] lastMs;
    private final boolean[] lastOn;
    private final long epochMsAtOrigin = System.currentTimeMillis();
    private final long originNs = System.nanoTime();

    /**
     * @param sliceNs a publisher thread wakes at most once per slice and sends all messages due by then; 0 wakes
     *                for each message at its due time
     */
    Publishers(String url, int count, long sliceNs, Network network, SendTable table) throws MqttException {
        this.table = table;
        this.sliceNs = sliceNs;
        this.loopIds = network.loopIds().clone();
        Topics topics = Topics.defaults();
        this.loopTopics = new String[loopIds.length];
        for (int l = 0; l < loopIds.length; l++) {
            loopTopics[l] = topics.detectors(network.intersectionId(network.loopIntersection()[l]),
                    DetectorPayloadKind.EVENTS);
        }
        this.lastMs = new long[loopIds.length];
        this.lastOn = new boolean[loopIds.length];
        this.clients = new MqttAsyncClient[count];
        this.completed = new AtomicLong[count];
        this.onWritten = new MqttActionListener[count];
        this.published = new long[count];
        for (int p = 0; p < count; p++) {
            AtomicLong done = new AtomicLong();
            completed[p] = done;
            onWritten[p] = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    long nowNs = System.nanoTime();
                    done.incrementAndGet();
                    if (token.getUserContext() instanceof Long intended) {
                        written.recordValue(Math.min(Math.max(nowNs - intended, 1), MAX_LATENCY_NS));
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.incrementAndGet();
                }
            };
            clients[p] = new MqttAsyncClient(url, PUBLISHER_ID + p, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setSessionExpiryInterval(0L);
            o.setSocketFactory(new NoDelaySocketFactory());
            o.setKeepAliveInterval(30);
            o.setConnectionTimeout(10);
            clients[p].connect(o).waitForCompletion(CONNECT_TIMEOUT_MS);
        }
    }

    /** Runs one step on {@code P} threads and waits for them (bounded by the step's end plus a grace). */
    Run run(long rate, long startNs, long durationNs) throws InterruptedException {
        long scheduled = rate * durationNs / 1_000_000_000L;
        int count = clients.length;
        long[] sent = new long[count];
        long[] failures = new long[count];
        long[] lastSend = new long[count];
        long[] backlog = new long[count];
        long[] cpuNs = new long[count];
        Thread[] threads = new Thread[count];
        for (int p = 0; p < count; p++) {
            int share = p;
            threads[p] = new Thread(() -> publish(share, rate, startNs, durationNs, scheduled, sent, failures,
                    lastSend, backlog, cpuNs), PUBLISHER_ID + "thread-" + p);
            threads[p].setDaemon(true);
            threads[p].start();
        }
        long total = 0;
        long failed = 0;
        long last = startNs;
        long maxBacklog = 0;
        for (int p = 0; p < count; p++) {
            threads[p].join(TimeUnit.NANOSECONDS.toMillis(durationNs + GRACE_NS) + 10_000);
            if (threads[p].isAlive()) {
                throw new IllegalStateException("publisher " + p + " did not stop");
            }
            total += sent[p];
            failed += failures[p];
            last = Math.max(last, lastSend[p]);
            maxBacklog = Math.max(maxBacklog, backlog[p]);
        }
        return new Run(scheduled, total, failed, last, maxBacklog, cpuNs);
    }

    /** Publisher thread {@code p}: messages {@code p, p + P, p + 2P, ...} of the schedule. */
    private void publish(int p, long rate, long startNs, long durationNs, long scheduled, long[] sentOut,
                         long[] failuresOut, long[] lastSendOut, long[] backlogOut, long[] cpuOut) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        MqttAsyncClient client = clients[p];
        AtomicLong done = completed[p];
        MqttActionListener listener = onWritten[p];
        DetectorPayloadEncoder encoder = new DetectorPayloadEncoder();
        int loops = loopIds.length;
        int step = clients.length;
        long stopNs = startNs + durationNs + GRACE_NS;
        long sliceNs = this.sliceNs;
        long sent = 0;
        long failures = 0;
        long lastSendNs = startNs;
        long maxBacklog = 0;
        outer:
        for (long k = p; k < scheduled; k += step) {
            long dueNs = startNs + k * 1_000_000_000L / rate;
            long now;
            if ((now = System.nanoTime()) - dueNs < 0) {
                // Wake at the next slice boundary and send everything due by then in one burst: one wake-up per
                // slice instead of one per message. The latency still counts from each message's due time.
                long wakeNs = sliceNs <= 1 ? dueNs
                        : startNs + ((dueNs - startNs + sliceNs - 1) / sliceNs) * sliceNs;
                while ((now = System.nanoTime()) - wakeNs < 0) {
                    LockSupport.parkNanos(wakeNs - now);
                }
            }
            if (now - stopNs > 0) {
                break;
            }
            long backlog = published[p] - done.get();
            maxBacklog = Math.max(maxBacklog, backlog);
            while (published[p] - done.get() > MAX_CLIENT_BACKLOG) {
                if (System.nanoTime() - stopNs > 0) {
                    break outer;
                }
                LockSupport.parkNanos(100_000);
            }
            int loop = (int) (k % loops);
            long ms = epochMsAtOrigin + Math.floorDiv(dueNs - originNs, 1_000_000L);
            if (ms <= lastMs[loop]) {
                ms = lastMs[loop] + 1;
            }
            lastMs[loop] = ms;
            boolean on = !lastOn[loop];
            lastOn[loop] = on;
            table.put(loop, ms, dueNs);
            byte[] payload = encoder.begin(DetectorPayloadKind.EVENTS).event(loopIds[loop], ms, on).finish();
            long callNs = System.nanoTime();
            lag.recordValue(Math.min(Math.max(callNs - dueNs, 1), MAX_LATENCY_NS));
            try {
                client.publish(loopTopics[loop], payload, 0, false, dueNs, listener);
                published[p]++;
                sent++;
                lastSendNs = callNs;
            } catch (MqttException e) {
                failures++;
            }
        }
        sentOut[p] = sent;
        failuresOut[p] = failures;
        lastSendOut[p] = lastSendNs;
        backlogOut[p] = maxBacklog;
        cpuOut[p] = mx.getCurrentThreadCpuTime() - cpuStart;
    }

    @Override
    public void close() {
        for (MqttAsyncClient c : clients) {
            if (c == null) {
                continue;
            }
            try {
                c.disconnect(2_000).waitForCompletion(3_000);
            } catch (MqttException e) {
                // Closing anyway.
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                // Nothing more to do.
            }
        }
    }
}
