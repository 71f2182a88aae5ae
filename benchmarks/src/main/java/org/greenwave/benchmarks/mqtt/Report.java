/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.time.Millis;

/** The benchmark's report on standard output: the header, the tables of each part and the summary. */
final class Report {
    private Report() {
    }

    static void printHeader(Options o) {
        String command = ProcessHandle.current().info().commandLine().orElse(null);
        if (command == null) {
            command = "java " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + " -cp "
                    + System.getProperty("java.class.path") + " " + MqttEndToEnd.class.getName() + " "
                    + String.join(" ", o.args);
        }
        System.out.println("MqttEndToEnd: detector messages -> Mosquitto -> MqttEngineGateway -> engine -> plans -> "
                + "Mosquitto -> subscriber");
        System.out.println("Command: " + command);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "Machine: %d cores (%s), %.1f GiB, %s %s, Java %s (%s), load average at start "
                + "%s%n", Runtime.getRuntime().availableProcessors(), cpuModel(),
                os.getTotalMemorySize() / (double) (1L << 30), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), loadAverage());
        System.out.printf(Locale.ROOT, "Settings: %d intersections, %d shards, %d publisher clients (QoS 0, sending "
                + "in %s slices), rates %s msg/s x %d s after %d s warm-up, caught up within %s s; latency at %,d "
                + "msg/s, tickS %s, %d s; broker max_inflight_messages %d%n", o.intersections, o.shards, o.publishers,
                o.publishSliceUs == 0 ? "no" : o.publishSliceUs + " us", join(o.rates), o.stepS, o.warmupS,
                fmt(o.catchUpS), o.latencyRate, joinS(o.latencyTicksS), o.latencyS, o.brokerInflight);
    }

    static void printThroughput(List<StepResult> results, Phase phase, Network network, Options options) {
        System.out.printf(Locale.ROOT, "%nThroughput: %d intersections x 16 detectors (%d loops), %d shards, "
                + "%d publisher clients, tickS %s s%n", network.intersectionCount(), network.loopCount(),
                phase.engine.shardCount(), options.publishers, fmt(Millis.toSeconds(EngineContext.DEFAULT_TICK_MS)));
        System.out.println("| target msg/s | scheduled | sent | publish rate msg/s | received | received by "
                + "| rejected | refused | broker dropped | sustained |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (StepResult r : results) {
            String by = Double.isNaN(r.caughtUpAfterS)
                    ? (Double.isNaN(r.settledAfterS) ? "never (settle bound)"
                    : String.format(Locale.ROOT, "end + %.2f s", r.settledAfterS))
                    : String.format(Locale.ROOT, "end + %.3f s", r.caughtUpAfterS);
            System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,.0f | %,d | %s | %,d | %,d | %s | %s |%n",
                    r.targetRate, r.scheduled, r.sent, r.publishRate(), r.received, by, r.rejected, r.refused,
                    r.brokerDropped < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", r.brokerDropped),
                    r.sustained() ? "yes" : "NO: " + r.why());
        }
        System.out.println();
        System.out.println("Where the time goes per step, ms: (a) intended send -> gateway hands the reading to "
                + "Ingest; of which 'call' = intended send -> publish call and 'written' = intended send -> Paho "
                + "reports the message written to the socket (both on the publisher's side):");
        System.out.println("| target msg/s | (a) p50 | (a) p99 | (a) max | call p99 | call max | written p50 "
                + "| written p99 | written max | publisher backlog max | broker heap max | unmatched "
                + "| GC count / ms |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (StepResult r : results) {
            System.out.printf(Locale.ROOT,
                    "| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %,d | %s | %,d | %d / %d |%n",
                    r.targetRate, ms(r.ingest, 50), ms(r.ingest, 99), msMax(r.ingest), ms(r.publishLag, 99),
                    msMax(r.publishLag), ms(r.publishWritten, 50), ms(r.publishWritten, 99), msMax(r.publishWritten),
                    r.maxClientBacklog, mib(r.brokerHeapMaxBytes), r.unmatched, r.gcCount, r.gcMs);
        }
        System.out.println();
        printCpu(results);
    }

    private static void printCpu(List<StepResult> results) {
        System.out.println("CPU per step, in cores (CPU seconds per wall second; the machine has "
                + Runtime.getRuntime().availableProcessors() + "):");
        System.out.println("| target msg/s | publishers | busiest publisher thread | broker (1 thread) | gateway "
                + "| busiest gateway thread | shards | plan subscriber | JVM other (GC, JIT) | machine busy "
                + "| other processes | load avg |");
        System.out.println("|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (StepResult r : results) {
            CpuMeter.Usage u = r.cpu;
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %s %.2f | %.2f | %.2f | %s %.2f | %.2f | %.2f | %.2f | %.2f "
                    + "| %.2f | %s |%n", r.targetRate, u.publishers(), u.busiestPublisherThread(),
                    u.busiestPublisherCores(), u.broker(), u.gateway(), u.busiestGatewayThread(),
                    u.busiestGatewayCores(), u.shards(), u.subscriber(), u.jvmOther(), u.machineBusy(),
                    u.otherProcesses(), u.loadAverage());
        }
        System.out.println("CPU per message sent, us (cores / publish rate), and the rate the machine's cores would "
                + "carry at that cost:");
        System.out.println("| target msg/s | publishers | broker | gateway | shards | JVM other | all of ours "
                + "| cores / all of ours |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        int cores = Runtime.getRuntime().availableProcessors();
        for (StepResult r : results) {
            CpuMeter.Usage u = r.cpu;
            double perMsgUs = 1e6 / Math.max(r.publishRate(), 1);
            double all = u.publishers() + u.broker() + u.gateway() + u.shards() + u.subscriber() + u.jvmOther();
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,.0f msg/s |%n",
                    r.targetRate, u.publishers() * perMsgUs, u.broker() * perMsgUs, u.gateway() * perMsgUs,
                    u.shards() * perMsgUs, u.jvmOther() * perMsgUs, all * perMsgUs,
                    cores / (all * perMsgUs) * 1e6);
        }
    }

    static void printLatency(LatencyResult l, Options options) {
        StepResult r = l.step();
        System.out.printf(Locale.ROOT, "messages: scheduled %,d, sent %,d (%,.0f msg/s), received %,d, rejected %,d, "
                + "refused %,d, unmatched %,d -> %s%n", r.scheduled, r.sent, r.publishRate(), r.received, r.rejected,
                r.refused, r.unmatched, r.sustained() ? "sustained" : "NOT sustained (" + r.why() + ")");
        System.out.printf(Locale.ROOT, "publisher backlog max %,d messages per client, broker heap max %s, GC %d "
                + "collections / %d ms%n", r.maxClientBacklog, mib(r.brokerHeapMaxBytes), r.gcCount, r.gcMs);
        System.out.printf(Locale.ROOT, "plans: issued %,d (%,.0f/s), published %,d, acknowledged %,d, superseded %,d, "
                + "dropped stale %,d, sends deferred %,d; received by the subscriber %,d, matched %,d%n",
                l.plansIssued(), l.plansIssued() / (double) options.latencyS, l.plansPublished(), l.plansAcknowledged(),
                l.plansSuperseded(), l.plansDroppedStale(), l.plansDeferred(), l.plansReceived(), l.plansMatched());
        System.out.printf(Locale.ROOT, "engine: ticks skipped %,d (measured window), largest tick lag %.1f ms "
                + "(whole phase, warm-up included)%n",
                l.ticksSkipped(), l.maxTickLagNs() / 1e6);
        System.out.println("| leg, ms | count | p50 | p99 | p99.9 | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("publisher lag: intended send -> publish call (part of a)", r.publishLag);
        row("publisher written: intended send -> Paho reports it written (part of a)", r.publishWritten);
        row("(a) ingest: intended send -> gateway hands reading to Ingest", r.ingest);
        System.out.printf(Locale.ROOT,
                "| engine decision: tick start -> sink returns | %,d | %.3f | %.3f | - | %.3f |%n",
                l.decision().count(), l.decision().p50Ns() / 1e6, l.decision().p99Ns() / 1e6,
                l.decision().maxNs() / 1e6);
        row("(b) plan: PlanSink -> subscriber has decoded it", l.planLeg());
        System.out.printf(Locale.ROOT, "| (c) control period tickS | - | %s | %s | %s | %s |%n", fmtMs(l.tickS()),
                fmtMs(l.tickS()), fmtMs(l.tickS()), fmtMs(l.tickS()));
        System.out.printf(Locale.ROOT, "a reading is reflected in a plan received at most (a) + tickS + (b) later: "
                + "p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (each leg at that percentile, added; the "
                + "decision and the shard's idle back-off, <= %.1f ms tick lag here, come on top)%n",
                bound(l, 50), bound(l, 99), bound(l, 99.9), boundMax(l), l.maxTickLagNs() / 1e6);
        printCpu(List.of(r));
    }

    private static double bound(LatencyResult l, double percentile) {
        return (pct(l.step().ingest, percentile) + pct(l.planLeg(), percentile)) / 1e6 + l.tickS() * 1e3;
    }

    private static double boundMax(LatencyResult l) {
        return (l.step().ingest.getMaxValue() + l.planLeg().getMaxValue()) / 1e6 + l.tickS() * 1e3;
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |%n", name, h.getTotalCount(), ms(h, 50),
                ms(h, 99), ms(h, 99.9), msMax(h));
    }

    static void summary(List<StepResult> steps, List<LatencyResult> latencies, PlanSubscriber subscriber) {
        System.out.printf(Locale.ROOT, "%n== Summary ==%n");
        long best = 0;
        for (StepResult r : steps) {
            if (r.sustained()) {
                best = Math.max(best, r.targetRate);
            }
        }
        System.out.printf(Locale.ROOT, "highest sustained rate: %s%n",
                best == 0 ? "none of the steps" : String.format(Locale.ROOT, "%,d msg/s", best));
        System.out.println("| tickS | msgs/s | (a) p50 | (a) p99 | (a) p99.9 | (a) max | (b) p50 | (b) p99 | (b) p99.9 "
                + "| (b) max | bound p99 = (a) + tickS + (b) | bound max |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LatencyResult l : latencies) {
            Histogram a = l.step().ingest;
            Histogram b = l.planLeg();
            System.out.printf(Locale.ROOT, "| %s s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %.1f ms | %.1f ms "
                    + "|%n", fmt(l.tickS()), l.step().publishRate(), ms(a, 50), ms(a, 99), ms(a, 99.9), msMax(a),
                    ms(b, 50), ms(b, 99), ms(b, 99.9), msMax(b), bound(l, 99), boundMax(l));
        }
        System.out.printf(Locale.ROOT, "plans the subscriber could not decode or place (whole run): %,d%n",
                subscriber.undecodable.get());
        System.out.println("load average at end: " + loadAverage());
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", pct(h, percentile) / 1e6);
    }

    private static String msMax(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", h.getMaxValue() / 1e6);
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static long pct(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String fmtMs(double s) {
        return String.format(Locale.ROOT, "%.0f", s * 1e3);
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", x));
        }
        return sb.toString();
    }

    private static String joinS(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : " and ").append(fmt(x)).append(" s");
        }
        return sb.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Unknown model.
        }
        return System.getProperty("os.arch");
    }
}
