/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineMetrics;
import org.greenwave.core.engine.LatencySnapshot;
import org.greenwave.core.time.Millis;
import org.greenwave.testsupport.MosquittoBroker;

/**
 * The measurement: part 1 steps the publishers' rate up until a step is not sustained, part 2 measures the latency
 * legs at one rate for each control period; each step publishes on the fixed schedule and waits for the gateway to
 * catch up. One thread (the command's).
 */
final class LoadTest {
    private final Options options;
    private final Network network;
    private final MosquittoBroker broker;
    private final SendTable sendTable;
    private final Publishers publishers;
    private final PlanSubscriber subscriber;
    private final CpuMeter cpu;

    LoadTest(Options options, Network network, MosquittoBroker broker, SendTable sendTable, Publishers publishers,
             PlanSubscriber subscriber) {
        this.options = options;
        this.network = network;
        this.broker = broker;
        this.sendTable = sendTable;
        this.publishers = publishers;
        this.subscriber = subscriber;
        this.cpu = new CpuMeter(broker);
    }

    void run() throws InterruptedException {
        List<StepResult> steps = throughput();
        List<LatencyResult> latencies = new ArrayList<>();
        for (double tickS : options.latencyTicksS) {
            latencies.add(latency(tickS));
        }
        Report.summary(steps, latencies, subscriber);
    }

    private List<StepResult> throughput() throws InterruptedException {
        List<StepResult> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n== Part 1: sustained detector messages/s (tickS %s s, %d s per step, "
                + "caught up within %s s) ==%n", Report.fmt(Millis.toSeconds(EngineContext.DEFAULT_TICK_MS)), options.stepS,
                Report.fmt(options.catchUpS));
        try (Phase phase = Phase.open("throughput", Millis.toSeconds(EngineContext.DEFAULT_TICK_MS), network, broker, sendTable,
                subscriber, options)) {
            long first = options.rates[0];
            StepResult warm = runStep(phase, first, options.warmupS);
            System.out.printf(Locale.ROOT, "warm-up: %,d msg/s for %d s: sent %,d, received %,d, %s%n", first,
                    options.warmupS, warm.sent, warm.received, warm.sustained() ? "caught up" : "NOT caught up");
            if (!warm.sustained() && !settle(phase, warm)) {
                return results;
            }
            for (long rate : options.rates) {
                StepResult r = runStep(phase, rate, options.stepS);
                results.add(r);
                System.out.printf(Locale.ROOT, "  step %,d msg/s: sent %,d of %,d, received %,d, rejected %,d, "
                        + "refused %,d -> %s%n", rate, r.sent, r.scheduled, r.received, r.rejected, r.refused,
                        r.sustained() ? "sustained" : "NOT sustained (" + r.why() + ")");
                if (!r.sustained()) {
                    boolean cleared = settle(phase, r);
                    if (!cleared) {
                        System.out.printf(Locale.ROOT, "  backlog not cleared within %s s: higher rates skipped%n",
                                Report.fmt(options.settleS));
                        break;
                    }
                    if (!options.keepGoing) {
                        System.out.println("  higher rates skipped (--keep-going runs them)");
                        break;
                    }
                }
            }
            Report.printThroughput(results, phase, network, options);
        }
        return results;
    }

    /**
     * After a step that was not caught up in time: waits (bounded) until the gateway has received everything sent,
     * so that the next step starts from an empty pipeline. Returns false if that did not happen.
     */
    private boolean settle(Phase phase, StepResult r) {
        long deadlineNs = System.nanoTime() + (long) (options.settleS * 1e9);
        long startNs = System.nanoTime();
        while (phase.messagesIn() - r.messagesInBefore < r.sent) {
            if (System.nanoTime() - deadlineNs > 0) {
                r.settledAfterS = Double.NaN;
                return false;
            }
            sleepMs(10);
        }
        r.settledAfterS = (System.nanoTime() - startNs) / 1e9 + options.catchUpS;
        return true;
    }

    private LatencyResult latency(double tickS) throws InterruptedException {
        double lifetimeS = Phase.planLifetimeS(tickS);
        System.out.printf(Locale.ROOT, "%n== Part 2: detector -> plan latency at %,d msg/s, tickS %s s (plan "
                + "lifetime %s s), %d s measured after %d s warm-up ==%n", options.latencyRate, Report.fmt(tickS),
                Report.fmt(lifetimeS), options.latencyS, options.warmupS);
        try (Phase phase = Phase.open("latency-" + Report.fmt(tickS).replace('.', '_'), tickS, network, broker,
                sendTable, subscriber, options)) {
            StepResult warm = runStep(phase, options.latencyRate, options.warmupS);
            if (!warm.sustained()) {
                settle(phase, warm);
            }
            phase.engine.metrics().decisionLatency();
            long plansIssued = phase.engine.metrics().plansIssued();
            long ticksSkipped = phase.engine.metrics().ticksSkipped();
            long[] gw = phase.gatewaySnapshot();
            long subReceived = subscriber.received.get();
            long subMatched = subscriber.matched.get();
            subscriber.planLeg.getIntervalHistogram();
            StepResult r = runStep(phase, options.latencyRate, options.latencyS);
            Histogram planLeg = subscriber.planLeg.getIntervalHistogram();
            LatencySnapshot decision = phase.engine.metrics().decisionLatency();
            long[] gwEnd = phase.gatewaySnapshot();
            EngineMetrics m = phase.engine.metrics();
            long maxLagNs = 0;
            for (int s = 0; s < m.shardCount(); s++) {
                maxLagNs = Math.max(maxLagNs, m.maxTickLagNs(s));
            }
            LatencyResult l = new LatencyResult(tickS, lifetimeS, r, planLeg, decision,
                    m.plansIssued() - plansIssued, gwEnd[0] - gw[0], gwEnd[1] - gw[1], gwEnd[2] - gw[2],
                    gwEnd[3] - gw[3], gwEnd[4] - gw[4], subscriber.received.get() - subReceived,
                    subscriber.matched.get() - subMatched, m.ticksSkipped() - ticksSkipped, maxLagNs);
            Report.printLatency(l, options);
            return l;
        }
    }

    /**
     * Publishes at {@code rate} for {@code durationS}, then waits up to {@code catchUpS} for the gateway to have
     * received everything sent.
     */
    private StepResult runStep(Phase phase, long rate, int durationS) throws InterruptedException {
        StepResult r = new StepResult(rate);
        long[] gw = phase.gatewaySnapshot();
        long unmatched = phase.ingest.unmatched.get();
        long brokerDropped = subscriber.brokerDropped;
        long[] gc = gc();
        phase.ingest.latency.getIntervalHistogram();
        publishers.lag.getIntervalHistogram();
        publishers.written.getIntervalHistogram();
        subscriber.brokerHeapMax.set(0);
        r.messagesInBefore = gw[5];
        CpuMeter.Sample cpuStart = cpu.sample();

        long durationNs = durationS * 1_000_000_000L;
        long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Publishers.Run run = publishers.run(rate, startNs, durationNs);
        // CPU while publishing; the catch-up below is mostly waiting.
        r.cpu = cpu.since(cpuStart, run.threadCpuNs());
        r.scheduled = run.scheduled();
        r.sent = run.sent();
        r.publishFailures = run.failures();
        r.lastSendNs = run.lastSendNs();
        r.maxClientBacklog = run.maxClientBacklog();
        r.startNs = startNs;
        long endNs = startNs + durationNs;

        long catchUpDeadlineNs = endNs + (long) (options.catchUpS * 1e9);
        r.caughtUpAfterS = Double.NaN;
        while (true) {
            long in = phase.messagesIn() - r.messagesInBefore;
            long now = System.nanoTime();
            if (in >= r.sent) {
                r.caughtUpAfterS = Math.max(0, now - endNs) / 1e9;
                break;
            }
            if (now - catchUpDeadlineNs > 0) {
                break;
            }
            LockSupport.parkNanos(2_000_000);
        }
        r.received = phase.messagesIn() - r.messagesInBefore;
        long[] gwEnd = phase.gatewaySnapshot();
        r.rejected = gwEnd[6] - gw[6];
        r.refused = gwEnd[7] - gw[7];
        r.unmatched = phase.ingest.unmatched.get() - unmatched;
        r.ingest = phase.ingest.latency.getIntervalHistogram();
        r.publishLag = publishers.lag.getIntervalHistogram();
        r.publishWritten = publishers.written.getIntervalHistogram();
        r.brokerHeapMaxBytes = subscriber.brokerHeapMax.get();
        long[] gcEnd = gc();
        r.gcCount = gcEnd[0] - gc[0];
        r.gcMs = gcEnd[1] - gc[1];
        long dropped = subscriber.brokerDropped;
        r.brokerDropped = dropped < 0 || brokerDropped < 0 ? -1 : dropped - brokerDropped;
        return r;
    }

    private static long[] gc() {
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    static void sleepMs(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
