/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.PUBLISHER_ID;
import static org.greenwave.benchmarks.mqtt.MqttEndToEnd.SUBSCRIBER_ID;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.greenwave.testsupport.MosquittoBroker;

/**
 * CPU time by part: this JVM's threads grouped by name (publishers, gateway, shards, plan subscriber, the rest),
 * the broker process, and the whole machine from {@code /proc/stat}, so that the limiting part shows.
 */
final class CpuMeter {
    private final MosquittoBroker broker;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    CpuMeter(MosquittoBroker broker) {
        this.broker = broker;
    }

    record Sample(long wallNs, long processNs, long brokerNs, long machineBusyTicks, long machineTotalTicks,
                  Map<String, Long> threadNs) {
    }

    /** Cores used (CPU seconds per wall second) by each part. */
    record Usage(double publishers, String busiestPublisherThread, double busiestPublisherCores, double broker,
                 double gateway, String busiestGatewayThread, double busiestGatewayCores, double shards,
                 double subscriber, double jvmOther, double machineBusy, double otherProcesses,
                 String loadAverage) {
    }

    Sample sample() {
        Map<String, Long> byThread = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null) {
                long t = threads.getThreadCpuTime(ids[i]);
                if (t > 0) {
                    byThread.merge(infos[i].getThreadName(), t, Long::sum);
                }
            }
        }
        long[] machine = machineTicks();
        return new Sample(System.nanoTime(), os.getProcessCpuTime(), broker.cpuTimeNs(), machine[0], machine[1],
                byThread);
    }

    /**
     * Usage between {@code start} and now.
     *
     * @param stepThreadsNs CPU time of each publisher step thread, as they reported it when they ended (they are
     *                      gone by now, so the thread bean cannot tell)
     */
    Usage since(Sample start, long[] stepThreadsNs) {
        Sample end = sample();
        double wallNs = Math.max(end.wallNs() - start.wallNs(), 1);
        double publishers = 0;
        String busiestPublisher = "-";
        double busiestPublisherNs = 0;
        for (int p = 0; p < stepThreadsNs.length; p++) {
            publishers += stepThreadsNs[p];
            if (stepThreadsNs[p] > busiestPublisherNs) {
                busiestPublisherNs = stepThreadsNs[p];
                busiestPublisher = PUBLISHER_ID + "thread-" + p;
            }
        }
        double gateway = 0;
        double shards = 0;
        double subscriber = 0;
        String busiestGateway = "-";
        double busiestGatewayNs = 0;
        for (Map.Entry<String, Long> e : end.threadNs().entrySet()) {
            String name = e.getKey();
            long delta = e.getValue() - start.threadNs().getOrDefault(name, 0L);
            if (delta <= 0 || name.startsWith(PUBLISHER_ID + "thread-")) {
                continue;
            }
            if (name.contains(PUBLISHER_ID)) {
                publishers += delta;
                if (delta > busiestPublisherNs) {
                    busiestPublisherNs = delta;
                    busiestPublisher = name;
                }
            } else if (name.contains("greenwave-engine-") || name.startsWith("greenwave-mqtt-")) {
                gateway += delta;
                if (delta > busiestGatewayNs) {
                    busiestGatewayNs = delta;
                    busiestGateway = name;
                }
            } else if (name.startsWith("greenwave-shard-")) {
                shards += delta;
            } else if (name.contains(SUBSCRIBER_ID)) {
                subscriber += delta;
            }
        }
        double processNs = end.processNs() - start.processNs();
        double brokerNs = end.brokerNs() >= 0 && start.brokerNs() >= 0 ? end.brokerNs() - start.brokerNs()
                : Double.NaN;
        double busyTicks = end.machineBusyTicks() - start.machineBusyTicks();
        double totalTicks = end.machineTotalTicks() - start.machineTotalTicks();
        int cores = Runtime.getRuntime().availableProcessors();
        double machineBusy = totalTicks > 0 ? cores * busyTicks / totalTicks : Double.NaN;
        double ours = (processNs + (Double.isNaN(brokerNs) ? 0 : brokerNs)) / wallNs;
        double jvmOther = Math.max(0, processNs - publishers - gateway - shards - subscriber);
        return new Usage(publishers / wallNs, busiestPublisher, busiestPublisherNs / wallNs, brokerNs / wallNs,
                gateway / wallNs, busiestGateway, busiestGatewayNs / wallNs, shards / wallNs, subscriber / wallNs,
                jvmOther / wallNs, machineBusy, Math.max(0, machineBusy - ours), Report.loadAverage());
    }

    /** Busy and total jiffies of all CPUs, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
