/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.greenwave.adapters.mqtt.DecodeResult;
import org.greenwave.adapters.mqtt.DetectorPayloadEncoder;
import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.GatewayCounters;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.mqtt.MqttGatewayOptions;
import org.greenwave.adapters.mqtt.NoDelaySocketFactory;
import org.greenwave.adapters.mqtt.PlanDecoder;
import org.greenwave.adapters.mqtt.PlanMessage;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.EngineMetrics;
import org.greenwave.core.engine.LatencySnapshot;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.Clock;
import org.greenwave.testsupport.MosquittoBroker;

/**
 * Detector messages through a real Mosquitto 2 broker into a launched engine, and its plans back out: how many
 * messages per second the whole path sustains, and how long a reading takes to reach the engine and a plan to reach a
 * controller.
 *
 * <p>Set-up, all in this process except the broker: Mosquitto as a child process on 127.0.0.1 (see {@link
 * MosquittoBroker}, the integration tests' broker, with the in-flight window and {@code $SYS} set); a network of
 * {@code N} intersections ({@link EngineBench#sixteenLinks}, 16 detectors each, of which 8 induction loops;
 * alternately Webster and max-pressure) in an engine with {@code S} shards on the wall clock; an {@link
 * MqttEngineGateway} connected to the broker, feeding the engine and publishing its plans; {@code P} publisher
 * clients (Paho v5 {@code MqttAsyncClient}, QoS 0, {@link NoDelaySocketFactory}) standing in for the field, each
 * owning a fixed share of the loops so that every loop's events go through one client, in order; one Paho subscriber
 * on the plan topics standing in for the controllers.
 *
 * <p>Each message is one on/off edge of one loop ({@link DetectorPayloadEncoder}, {@link DetectorPayloadKind#EVENTS}),
 * on the events topic of the loop's intersection, loops in turn. Message {@code k} of a step at rate {@code R} is due
 * at {@code start + k / R}: a fixed schedule, so latencies are measured from the <i>intended</i> send time and a
 * publisher that falls behind shows as latency, not as a quieter load (no coordinated omission). Its timestamp is the
 * wall-clock time of that intended send, made strictly increasing per loop, and edges alternate on/off per loop, so
 * everything passes the gateway's validation.
 *
 * <p>Part 1, throughput: rate steps of {@code stepS} each. A step is <b>sustained</b> when the publishers sent every
 * scheduled message, the gateway's {@code MESSAGES_IN} reached the number sent within {@code catchUpS} of the step's
 * end, and the gateway rejected nothing and Ingest refused nothing (a full shard queue).
 *
 * <p>Part 2, latency at one rate, once per control period: (a) the ingest leg, intended send → the gateway hands the
 * reading to {@link Ingest} (a recording decorator of the engine's Ingest, which finds the message's intended send
 * time by loop and timestamp in a table the publishers fill); (b) the plan leg, the engine hands the plan to its
 * {@link PlanSink} (a recording decorator in front of the gateway) → the subscriber has received and decoded it; and
 * (c) the control period itself: a reading waits at most one period for the next tick. All three with
 * {@link System#nanoTime()} in this one process.
 *
 * <p>Everything shares the machine: publishers, broker, gateway and engine compete for the same cores, so the
 * report also gives, per step, the CPU each part used (publisher threads and their Paho threads; the broker process;
 * the gateway's Paho and own threads; the shards; the rest of the JVM; other processes, from {@code /proc/stat}) and
 * where the ingest leg's time went (publisher side versus broker and gateway).
 *
 * <p>Run (defaults: about 2 minutes):
 * <pre>java -cp benchmarks/target/benchmarks.jar org.greenwave.benchmarks.MqttEndToEnd [--intersections 100]
 *     [--shards 2] [--publishers 2] [--rates 25000,50000,75000,100000,150000,200000] [--step-s 10] [--warmup-s 5]
 *     [--catch-up-s 1] [--settle-s 15] [--latency-rate 50000] [--latency-s 20] [--latency-ticks 1,0.05]
 *     [--broker-inflight 1000] [--publish-slice-us 1000] [--keep-going]</pre>
 * Rates above the first step that is not sustained are skipped unless {@code --keep-going}. A publisher thread wakes
 * once per {@code --publish-slice-us} and sends what is due in one burst (0: it wakes for every message): on a small
 * machine, per-message wake-ups of the load generator take CPU from the system under test. A message held back that
 * way counts as latency from its due time, like any other delay.
 */
public final class MqttEndToEnd {

    /** The engine's clock: wall time, seconds since the epoch. */
    static final Clock WALL = () -> System.currentTimeMillis() / 1000.0;

    static final String PUBLISHER_ID = "mqtt-e2e-pub-";
    static final String SUBSCRIBER_ID = "mqtt-e2e-plans";
    /** Longest latency the histograms track; longer ones are recorded as this. */
    static final long MAX_LATENCY_NS = 60_000_000_000L;
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private final Options options;
    private final Network network;
    private final MosquittoBroker broker;
    private final SendTable sendTable;
    private final Publishers publishers;
    private final PlanSubscriber subscriber;
    private final CpuMeter cpu;

    private MqttEndToEnd(Options options, Network network, MosquittoBroker broker, SendTable sendTable,
                         Publishers publishers, PlanSubscriber subscriber) {
        this.options = options;
        this.network = network;
        this.broker = broker;
        this.sendTable = sendTable;
        this.publishers = publishers;
        this.subscriber = subscriber;
        this.cpu = new CpuMeter(broker);
    }

    /** Exits 0 after a complete run, 1 when something failed, 2 on bad arguments; never leaves threads behind. */
    public static void main(String[] args) {
        System.exit(runMain(args));
    }

    private static int runMain(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("MqttEndToEnd: " + e.getMessage());
            System.err.println(Options.USAGE);
            return 2;
        }
        printHeader(o);
        Network network = Network.build(o.intersections);
        if (network.loopCount() % o.publishers != 0) {
            System.err.println("MqttEndToEnd: --publishers " + o.publishers + " must divide the number of loops ("
                    + network.loopCount() + "), so that every loop is published by one client");
            return 2;
        }
        MosquittoBroker broker;
        try {
            // QoS 1 messages in flight per client (the plans; Mosquitto's default is 20) and $SYS every second.
            broker = MosquittoBroker.start(List.of("allow_anonymous true",
                    "max_inflight_messages " + o.brokerInflight, "sys_interval 1"));
        } catch (AssertionError | IOException e) {
            System.err.println("MqttEndToEnd: " + e.getMessage());
            return 1;
        }
        try (broker) {
            System.out.printf(Locale.ROOT, "Broker: %s, pid %d, config:%n", broker.url(), broker.pid());
            for (String line : broker.config().split("\n")) {
                if (!line.isBlank()) {
                    System.out.println("    " + line);
                }
            }
            SendTable table = new SendTable(network.loopCount());
            try (Publishers pubs = new Publishers(broker.url(), o.publishers, o.publishSliceUs * 1_000L, network,
                    table);
                 PlanSubscriber sub = new PlanSubscriber(broker.url(), network)) {
                new MqttEndToEnd(o, network, broker, table, pubs, sub).run();
                return 0;
            } catch (Exception | Error e) {
                System.err.println("MqttEndToEnd failed: " + e);
                e.printStackTrace();
                System.err.println("Mosquitto " + (broker.isRunning() ? "is running" : "has exited")
                        + "; its log ends with:\n" + broker.logTail());
                return 1;
            }
        }
    }

    private void run() throws InterruptedException {
        List<StepResult> steps = throughput();
        List<LatencyResult> latencies = new ArrayList<>();
        for (double tickS : options.latencyTicksS) {
            latencies.add(latency(tickS));
        }
        summary(steps, latencies);
    }

    // ---------------------------------------------------------------- part 1: throughput

    private List<StepResult> throughput() throws InterruptedException {
        List<StepResult> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n== Part 1: sustained detector messages/s (tickS %s s, %d s per step, "
                + "caught up within %s s) ==%n", fmt(EngineContext.DEFAULT_TICK_S), options.stepS,
                fmt(options.catchUpS));
        try (Phase phase = Phase.open("throughput", EngineContext.DEFAULT_TICK_S, network, broker, sendTable,
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
                                fmt(options.settleS));
                        break;
                    }
                    if (!options.keepGoing) {
                        System.out.println("  higher rates skipped (--keep-going runs them)");
                        break;
                    }
                }
            }
            printThroughput(results, phase);
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

    private void printThroughput(List<StepResult> results, Phase phase) {
        System.out.printf(Locale.ROOT, "%nThroughput: %d intersections x 16 detectors (%d loops), %d shards, "
                + "%d publisher clients, tickS %s s%n", network.intersectionCount(), network.loopCount(),
                phase.engine.shardCount(), options.publishers, fmt(EngineContext.DEFAULT_TICK_S));
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

    private void printCpu(List<StepResult> results) {
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

    // ---------------------------------------------------------------- part 2: latency

    private LatencyResult latency(double tickS) throws InterruptedException {
        double lifetimeS = planLifetimeS(tickS);
        System.out.printf(Locale.ROOT, "%n== Part 2: detector -> plan latency at %,d msg/s, tickS %s s (plan "
                + "lifetime %s s), %d s measured after %d s warm-up ==%n", options.latencyRate, fmt(tickS),
                fmt(lifetimeS), options.latencyS, options.warmupS);
        try (Phase phase = Phase.open("latency-" + fmt(tickS).replace('.', '_'), tickS, network, broker,
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
            printLatency(l);
            return l;
        }
    }

    /** Three periods (the engine's default), but at least 1 s, so plans outlive the gateway's 250 ms send margin. */
    private static double planLifetimeS(double tickS) {
        return Math.max(3 * tickS, 1.0);
    }

    private void printLatency(LatencyResult l) {
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

    // ---------------------------------------------------------------- one step

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

    // ---------------------------------------------------------------- report

    private static void printHeader(Options o) {
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

    private void summary(List<StepResult> steps, List<LatencyResult> latencies) {
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

    static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", pct(h, percentile) / 1e6);
    }

    static String msMax(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", h.getMaxValue() / 1e6);
    }

    private static String mib(long bytes) {
        return bytes <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static long pct(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    private static String fmt(double v) {
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

    static void sleepMs(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    // ---------------------------------------------------------------- parts

    /** Command-line settings; {@link #parse} fails with a message naming the bad argument. */
    static final class Options {
        static final String USAGE = "usage: MqttEndToEnd [--intersections 100] [--shards 2] [--publishers 2] "
                + "[--rates 25000,50000,75000,100000,150000,200000] [--step-s 10] [--warmup-s 5] [--catch-up-s 1] "
                + "[--settle-s 15] [--latency-rate 50000] [--latency-s 20] [--latency-ticks 1,0.05] "
                + "[--broker-inflight 1000] [--publish-slice-us 1000] [--keep-going]";

        String[] args;
        int intersections = 100;
        int shards = 2;
        int publishers = 2;
        long[] rates = {25_000, 50_000, 75_000, 100_000, 150_000, 200_000};
        int stepS = 10;
        int warmupS = 5;
        double catchUpS = 1;
        double settleS = 15;
        long latencyRate = 50_000;
        int latencyS = 20;
        double[] latencyTicksS = {1, 0.05};
        int brokerInflight = 1000;
        long publishSliceUs = 1000;
        boolean keepGoing;

        static Options parse(String[] args) {
            Options o = new Options();
            o.args = args.clone();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--keep-going")) {
                    o.keepGoing = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("argument " + name + " needs a value");
                }
                String v = args[++i];
                switch (name) {
                    case "--intersections" -> o.intersections = (int) integer(name, v, 1, 1_000);
                    case "--shards" -> o.shards = (int) integer(name, v, 1, 64);
                    case "--publishers" -> o.publishers = (int) integer(name, v, 1, 64);
                    case "--rates" -> o.rates = rates(name, v);
                    case "--step-s" -> o.stepS = (int) integer(name, v, 1, 600);
                    case "--warmup-s" -> o.warmupS = (int) integer(name, v, 1, 600);
                    case "--catch-up-s" -> o.catchUpS = decimal(name, v, 0.01, 60);
                    case "--settle-s" -> o.settleS = decimal(name, v, 0, 600);
                    case "--latency-rate" -> o.latencyRate = integer(name, v, 1, 10_000_000);
                    case "--latency-s" -> o.latencyS = (int) integer(name, v, 1, 600);
                    case "--latency-ticks" -> o.latencyTicksS = ticks(name, v);
                    case "--broker-inflight" -> o.brokerInflight = (int) integer(name, v, 0, 65_535);
                    case "--publish-slice-us" -> o.publishSliceUs = integer(name, v, 0, 100_000);
                    default -> throw new IllegalArgumentException("unknown argument " + name);
                }
            }
            return o;
        }

        private static long integer(String name, String v, long min, long max) {
            long x;
            try {
                x = Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
            }
            if (x < min || x > max) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", not " + x);
            }
            return x;
        }

        private static double decimal(String name, String v, double min, double max) {
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
            }
            if (!(x >= min && x <= max)) {
                throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", not " + v);
            }
            return x;
        }

        private static long[] rates(String name, String v) {
            String[] parts = v.split(",");
            long[] r = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                r[i] = integer(name, parts[i].trim(), 1, 10_000_000);
                if (i > 0 && r[i] <= r[i - 1]) {
                    throw new IllegalArgumentException(name + " must rise step by step, but " + r[i] + " follows "
                            + r[i - 1]);
                }
            }
            return r;
        }

        private static double[] ticks(String name, String v) {
            String[] parts = v.split(",");
            double[] t = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                t[i] = decimal(name, parts[i].trim(), 0.001, 60);
            }
            return t;
        }
    }

    /** The synthetic network, and its induction loops in the order the publishers cycle through them. */
    record Network(List<EngineIntersection> intersections, String[] loopIds, int[] loopIntersection,
                   Map<String, Integer> intersectionIndex) {

        static Network build(int n) {
            List<EngineIntersection> xs = new ArrayList<>(n);
            List<String> ids = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                IntersectionModel m = EngineBench.sixteenLinks("j" + i);
                List<DetectorSpec> detectors = EngineBench.detectors(m);
                xs.add(new EngineIntersection(m, i % 2 == 0 ? Policies.WEBSTER : Policies.MAX_PRESSURE, detectors));
                index.put(m.id(), i);
                for (DetectorSpec d : detectors) {
                    if (d.kind() == DetectorKind.STOP_LINE || d.kind() == DetectorKind.ADVANCE) {
                        ids.add(d.id());
                        owners.add(i);
                    }
                }
            }
            int[] owner = new int[owners.size()];
            for (int l = 0; l < owner.length; l++) {
                owner[l] = owners.get(l);
            }
            return new Network(xs, ids.toArray(new String[0]), owner, index);
        }

        int intersectionCount() {
            return intersections.size();
        }

        int loopCount() {
            return loopIds.length;
        }

        String intersectionId(int i) {
            return intersections.get(i).model().id();
        }
    }

    /**
     * Per loop, the timestamp and intended send time of its last {@value #RING} messages, filled by the publisher
     * that owns the loop before it publishes, read by the gateway's callback thread to find a reading's intended send
     * time. One writer per loop: the owning publisher thread; {@code written} is published with a release store
     * after the slot is filled.
     */
    static final class SendTable {
        static final int RING = 2048;
        private static final int MASK = RING - 1;

        final long[] timeMs;
        final long[] intendedNs;
        final AtomicLongArray written;

        SendTable(int loops) {
            timeMs = new long[loops * RING];
            intendedNs = new long[loops * RING];
            written = new AtomicLongArray(loops);
        }

        /** Publisher thread owning {@code loop}. */
        void put(int loop, long ms, long intended) {
            long w = written.get(loop);
            int slot = loop * RING + (int) (w & MASK);
            timeMs[slot] = ms;
            intendedNs[slot] = intended;
            written.lazySet(loop, w + 1);
        }

        /**
         * The intended send time of the message of {@code loop} stamped {@code ms}, searching from
         * {@code readPos[loop]} (advanced past it), or -1 when it is not in the table (lost, or too old). Reader
         * thread only.
         */
        long find(int loop, long ms, long[] readPos) {
            long w = written.get(loop);
            long r = Math.max(readPos[loop], w - RING);
            long found = -1;
            while (r < w) {
                int slot = loop * RING + (int) (r & MASK);
                long t = timeMs[slot];
                if (t < ms) {
                    r++;
                    continue;
                }
                if (t == ms) {
                    found = intendedNs[slot];
                    r++;
                }
                break;
            }
            readPos[loop] = r;
            return found;
        }
    }

    /**
     * The engine's Ingest as the gateway sees it: records, for each loop edge, the time from the message's intended
     * send to this hand-over, then passes the reading on. Called on the gateway's MQTT callback thread.
     */
    static final class RecordingIngest implements Ingest {
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

    /**
     * The engine's plan sink: notes when each plan was issued, by intersection and sequence, then hands it to the
     * gateway (set once the gateway exists; plans before that are dropped). Called on shard threads; one writer per
     * intersection (its shard).
     */
    static final class PlanTap implements PlanSink {
        static final int SLOTS = 256;
        private final AtomicLongArray sequence;
        private final long[] issuedNs;
        volatile PlanSink target;

        PlanTap(int intersections) {
            sequence = new AtomicLongArray(intersections * SLOTS);
            issuedNs = new long[intersections * SLOTS];
            for (int i = 0; i < sequence.length(); i++) {
                sequence.set(i, -1);
            }
        }

        @Override
        public void onPlan(TimingPlan plan) {
            long nowNs = System.nanoTime();
            int slot = plan.intersection() * SLOTS + (int) (plan.sequence() & (SLOTS - 1));
            sequence.lazySet(slot, -1);
            issuedNs[slot] = nowNs;
            sequence.lazySet(slot, plan.sequence());
            PlanSink t = target;
            if (t != null) {
                t.onPlan(plan);
            }
        }

        /** When plan {@code seq} of {@code intersection} was issued, or -1 if unknown. Any thread. */
        long issuedNs(int intersection, long seq) {
            int slot = intersection * SLOTS + (int) (seq & (SLOTS - 1));
            if (sequence.get(slot) != seq) {
                return -1;
            }
            long t = issuedNs[slot];
            return sequence.get(slot) == seq ? t : -1;
        }
    }

    /** One engine and its gateway, connected to the broker; the subscriber matches plans against its tap. */
    static final class Phase implements AutoCloseable {
        final Engine engine;
        final MqttEngineGateway gateway;
        final RecordingIngest ingest;
        private final PlanSubscriber subscriber;

        private Phase(Engine engine, MqttEngineGateway gateway, RecordingIngest ingest, PlanSubscriber subscriber) {
            this.engine = engine;
            this.gateway = gateway;
            this.ingest = ingest;
            this.subscriber = subscriber;
        }

        static Phase open(String name, double tickS, Network network, MosquittoBroker broker, SendTable table,
                          PlanSubscriber subscriber, Options options) throws InterruptedException {
            PlanTap tap = new PlanTap(network.intersectionCount());
            EngineContext ctx = new EngineContext().intersections(network.intersections()).shards(options.shards)
                    .tickS(tickS).planLifetimeS(planLifetimeS(tickS)).clock(WALL).planSink(tap);
            Engine engine = Engine.launch(ctx);
            MqttEngineGateway gateway = null;
            try {
                RecordingIngest ingest = new RecordingIngest(engine.ingest(), engine.directory(), network, table);
                gateway = MqttEngineGateway.start(MqttGatewayOptions.builder().brokerUrl(broker.url())
                        .engineId("e2e-" + name).build(), engine.directory(), ingest, WALL);
                tap.target = gateway;
                subscriber.tap = tap;
                if (!gateway.awaitConnected(CONNECT_TIMEOUT_MS)) {
                    throw new IllegalStateException("the gateway did not connect to " + broker.url() + " within "
                            + CONNECT_TIMEOUT_MS + " ms: " + gateway.state());
                }
                return new Phase(engine, gateway, ingest, subscriber);
            } catch (RuntimeException | InterruptedException e) {
                if (gateway != null) {
                    gateway.close();
                }
                engine.close();
                throw e;
            }
        }

        long messagesIn() {
            return gateway.counters().get(GatewayCounters.Counter.MESSAGES_IN);
        }

        /**
         * Plans published, acknowledged, superseded, dropped stale, deferred; messages in; rejects; ingest refused.
         */
        long[] gatewaySnapshot() {
            GatewayCounters c = gateway.counters();
            return new long[] {c.get(GatewayCounters.Counter.PLANS_PUBLISHED),
                c.get(GatewayCounters.Counter.PLANS_ACKNOWLEDGED), c.get(GatewayCounters.Counter.PLANS_SUPERSEDED),
                c.get(GatewayCounters.Counter.PLANS_DROPPED_STALE), c.get(GatewayCounters.Counter.PLAN_SENDS_DEFERRED),
                c.get(GatewayCounters.Counter.MESSAGES_IN), c.rejectsTotal(),
                c.get(GatewayCounters.Counter.INGEST_REFUSED)};
        }

        @Override
        public void close() {
            subscriber.tap = null;
            gateway.close();
            engine.close();
        }
    }

    /**
     * The field side: {@code P} Paho clients, each with a thread per step that publishes its share of the schedule.
     * Loop {@code l} belongs to client {@code l % P}, so one loop's events always go through one connection, in order.
     */
    static final class Publishers implements AutoCloseable {
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

    /**
     * The controllers' side: one Paho client on every plan topic (QoS 1), which records the time from the engine's
     * sink to here for each plan it can match by intersection and sequence; also reads the broker's dropped-message
     * count from {@code $SYS}. Paho calls back on one thread.
     */
    static final class PlanSubscriber implements MqttCallback, AutoCloseable {
        private static final String DROPPED = "$SYS/broker/publish/messages/dropped";
        private static final String HEAP = "$SYS/broker/heap/current";

        final Recorder planLeg = new Recorder(1, MAX_LATENCY_NS, 3);
        final AtomicLong received = new AtomicLong();
        final AtomicLong matched = new AtomicLong();
        final AtomicLong undecodable = new AtomicLong();
        volatile PlanTap tap;
        volatile long brokerDropped = -1;
        /** Largest broker heap seen since the last reset, bytes; 0 when none was seen. */
        final AtomicLong brokerHeapMax = new AtomicLong();
        private final Map<String, Integer> intersectionIndex;
        private final MqttAsyncClient client;

        PlanSubscriber(String url, Network network) throws MqttException {
            this.intersectionIndex = network.intersectionIndex();
            client = new MqttAsyncClient(url, SUBSCRIBER_ID, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setSessionExpiryInterval(0L);
            o.setSocketFactory(new NoDelaySocketFactory());
            o.setConnectionTimeout(10);
            client.connect(o).waitForCompletion(CONNECT_TIMEOUT_MS);
            client.subscribe(new String[] {Topics.defaults().planFilter(), DROPPED, HEAP}, new int[] {1, 0, 0})
                    .waitForCompletion(CONNECT_TIMEOUT_MS);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            long nowNs = System.nanoTime();
            if (topic.startsWith("$SYS/")) {
                long v;
                try {
                    v = Long.parseLong(new String(message.getPayload(), StandardCharsets.US_ASCII).trim());
                } catch (NumberFormatException e) {
                    v = -1;
                }
                if (topic.equals(DROPPED)) {
                    brokerDropped = v;
                } else {
                    long heap = v;
                    brokerHeapMax.accumulateAndGet(heap, Math::max);
                }
                return;
            }
            received.incrementAndGet();
            int from = topic.indexOf("/intersections/") + "/intersections/".length();
            int to = topic.lastIndexOf('/');
            String id = topic.substring(from, to);
            DecodeResult<PlanMessage> r = PlanDecoder.decode(id, message.getPayload());
            Integer index = intersectionIndex.get(id);
            PlanTap t = tap;
            if (!r.isOk() || index == null) {
                undecodable.incrementAndGet();
                return;
            }
            long issued = t == null ? -1 : t.issuedNs(index, r.value().sequence());
            if (issued >= 0) {
                matched.incrementAndGet();
                planLeg.recordValue(Math.min(Math.max(nowNs - issued, 1), MAX_LATENCY_NS));
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            System.err.println("plan subscriber disconnected: " + response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            System.err.println("plan subscriber error: " + exception);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }

        @Override
        public void close() {
            try {
                client.disconnect(2_000).waitForCompletion(3_000);
            } catch (MqttException e) {
                // Closing anyway.
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // Nothing more to do.
            }
        }
    }

    /** One rate step's outcome. */
    static final class StepResult {
        final long targetRate;
        long scheduled;
        long sent;
        long publishFailures;
        long received;
        long rejected;
        long refused;
        long unmatched;
        long messagesInBefore;
        long startNs;
        long lastSendNs;
        long brokerDropped;
        long gcCount;
        long gcMs;
        /** Seconds after the step's scheduled end until everything sent was received; NaN if not within catch-up. */
        double caughtUpAfterS;
        /** Seconds after the step's end until the backlog cleared, when it was not caught up; NaN if never. */
        double settledAfterS = Double.NaN;
        long maxClientBacklog;
        long brokerHeapMaxBytes;
        Histogram ingest;
        Histogram publishLag;
        Histogram publishWritten;
        CpuMeter.Usage cpu;

        StepResult(long targetRate) {
            this.targetRate = targetRate;
        }

        /** Messages per second from the step's start to the last publish call. */
        double publishRate() {
            double s = Math.max(lastSendNs - startNs, 1) / 1e9 + 1.0 / targetRate;
            return sent / s;
        }

        boolean sustained() {
            return sent == scheduled && publishFailures == 0 && !Double.isNaN(caughtUpAfterS) && received == sent
                    && rejected == 0 && refused == 0;
        }

        String why() {
            List<String> reasons = new ArrayList<>();
            if (sent < scheduled || publishFailures > 0) {
                reasons.add(String.format(Locale.ROOT, "publishers sent %,d of %,d%s", sent, scheduled,
                        publishFailures > 0 ? ", " + publishFailures + " publish failures" : ""));
            }
            if (Double.isNaN(caughtUpAfterS) || received != sent) {
                reasons.add(String.format(Locale.ROOT, "received %,d of %,d by end + catch-up", received, sent));
            }
            if (rejected > 0) {
                reasons.add(String.format(Locale.ROOT, "%,d rejected", rejected));
            }
            if (refused > 0) {
                reasons.add(String.format(Locale.ROOT, "%,d refused", refused));
            }
            return String.join("; ", reasons);
        }
    }

    record LatencyResult(double tickS, double planLifetimeS, StepResult step, Histogram planLeg,
                         LatencySnapshot decision, long plansIssued, long plansPublished, long plansAcknowledged,
                         long plansSuperseded, long plansDroppedStale, long plansDeferred, long plansReceived,
                         long plansMatched, long ticksSkipped, long maxTickLagNs) {
    }

    /**
     * CPU time by part: this JVM's threads grouped by name (publishers, gateway, shards, plan subscriber, the rest),
     * the broker process, and the whole machine from {@code /proc/stat}, so that the limiting part shows.
     */
    static final class CpuMeter {
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
                    jvmOther / wallNs, machineBusy, Math.max(0, machineBusy - ours), loadAverage());
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
}
