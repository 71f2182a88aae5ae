/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.adapters.mqtt.DetectorPayloadEncoder;
import org.greenwave.adapters.mqtt.DetectorPayloadKind;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.mqtt.NoDelaySocketFactory;
import org.greenwave.benchmarks.EngineBench;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.time.Clock;
import org.greenwave.testsupport.MosquittoBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
 * <p>The parts, each in its class: the settings ({@link Options}), the synthetic network ({@link Network}), the
 * field's publishers ({@link Publishers}, {@link SendTable}) and the controllers' subscriber ({@link PlanSubscriber}),
 * one engine and gateway per part ({@link Phase}, with {@link RecordingIngest} and {@link PlanTap} timing the legs),
 * the measurement ({@link LoadTest}, {@link StepResult}, {@link LatencyResult}, {@link CpuMeter}) and the report
 * ({@link Report}).
 *
 * <p>Run (defaults: about 2 minutes; {@code --help} lists the options):
 * <pre>java -cp benchmarks/target/benchmarks.jar org.greenwave.benchmarks.mqtt.MqttEndToEnd [--intersections 100]
 *     [--shards 2] [--publishers 2] [--rates 25000,50000,75000,100000,150000,200000] [--step-s 10] [--warmup-s 5]
 *     [--catch-up-s 1] [--settle-s 15] [--latency-rate 50000] [--latency-s 20] [--latency-ticks 1,0.05]
 *     [--broker-inflight 1000] [--publish-slice-us 1000] [--keep-going]</pre>
 * Rates above the first step that is not sustained are skipped unless {@code --keep-going}. A publisher thread wakes
 * once per {@code --publish-slice-us} and sends what is due in one burst (0: it wakes for every message): on a small
 * machine, per-message wake-ups of the load generator take CPU from the system under test. A message held back that
 * way counts as latency from its due time, like any other delay.
 */
@Command(name = "MqttEndToEnd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Detector messages through a real Mosquitto into the engine and its plans back out: the "
                + "highest sustained rate, and the latency of each leg.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:a complete run", "1:something failed (the broker's log is printed)", "2:bad arguments"})
public final class MqttEndToEnd implements Callable<Integer> {

    /** The engine's clock: wall time, milliseconds since the epoch. */
    static final Clock WALL = System::currentTimeMillis;

    static final String PUBLISHER_ID = "mqtt-e2e-pub-";
    static final String SUBSCRIBER_ID = "mqtt-e2e-plans";
    /** Longest latency the histograms track; longer ones are recorded as this. */
    static final long MAX_LATENCY_NS = 60_000_000_000L;
    static final long CONNECT_TIMEOUT_MS = 10_000;

    @Spec
    CommandSpec spec;

    @Mixin
    Options options = new Options();

    /** Exits 0 after a complete run, 1 when something failed, 2 on bad arguments; never leaves threads behind. */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the benchmark with {@code args} and returns its exit code; help and argument errors go to {@code out} and
     * {@code err}, the report to standard output.
     */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        MqttEndToEnd command = new MqttEndToEnd();
        command.options.args = args.clone();
        CommandLine cl = new CommandLine(command).setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("MqttEndToEnd failed: " + ex);
            ex.printStackTrace(c.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        Options o = options;
        o.validate(spec);
        Network network = Network.build(o.intersections);
        if (network.loopCount() % o.publishers != 0) {
            throw new ParameterException(spec.commandLine(), "--publishers " + o.publishers + " must divide the "
                    + "number of loops (" + network.loopCount() + "), so that every loop is published by one client");
        }
        Report.printHeader(o);
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
                new LoadTest(o, network, broker, table, pubs, sub).run();
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
}
