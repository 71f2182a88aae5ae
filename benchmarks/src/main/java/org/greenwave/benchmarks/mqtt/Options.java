/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The benchmark's settings from its command line; {@link #validate} names the option that is out of range. */
final class Options {
    @Option(names = "--intersections", paramLabel = "N", defaultValue = "100",
            description = "Intersections, 16 detectors each (8 of them loops), 1..1000 (default: ${DEFAULT-VALUE}).")
    int intersections;

    @Option(names = "--shards", paramLabel = "S", defaultValue = "2",
            description = "The engine's shards, 1..64 (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--publishers", paramLabel = "P", defaultValue = "2",
            description = "Publisher clients standing in for the field, 1..64; P divides the loops "
                    + "(default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--rates", paramLabel = "MSG_PER_S", split = ",",
            defaultValue = "25000,50000,75000,100000,150000,200000",
            description = "Throughput steps, messages/s, rising (default: ${DEFAULT-VALUE}).")
    long[] rates;

    @Option(names = "--step-s", paramLabel = "S", defaultValue = "10",
            description = "Seconds per throughput step, 1..600 (default: ${DEFAULT-VALUE}).")
    int stepS;

    @Option(names = "--warmup-s", paramLabel = "S", defaultValue = "5",
            description = "Warm-up seconds before the steps and before each latency run, 1..600 "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupS;

    @Option(names = "--catch-up-s", paramLabel = "S", defaultValue = "1",
            description = "How soon after a step's end the gateway must have received everything sent, 0.01..60 s "
                    + "(default: ${DEFAULT-VALUE}).")
    double catchUpS;

    @Option(names = "--settle-s", paramLabel = "S", defaultValue = "15",
            description = "How long to wait for a backlog to clear after a step that was not sustained, 0..600 s "
                    + "(default: ${DEFAULT-VALUE}).")
    double settleS;

    @Option(names = "--latency-rate", paramLabel = "MSG_PER_S", defaultValue = "50000",
            description = "Messages/s during the latency runs, 1..10000000 (default: ${DEFAULT-VALUE}).")
    long latencyRate;

    @Option(names = "--latency-s", paramLabel = "S", defaultValue = "20",
            description = "Seconds measured per latency run, 1..600 (default: ${DEFAULT-VALUE}).")
    int latencyS;

    @Option(names = "--latency-ticks", paramLabel = "S", split = ",", defaultValue = "1,0.05",
            description = "The control periods of the latency runs, 0.001..60 s each (default: ${DEFAULT-VALUE}).")
    double[] latencyTicksS;

    @Option(names = "--broker-inflight", paramLabel = "N", defaultValue = "1000",
            description = "Mosquitto's max_inflight_messages (QoS 1 plans in flight per client), 0..65535 "
                    + "(default: ${DEFAULT-VALUE}).")
    int brokerInflight;

    @Option(names = "--publish-slice-us", paramLabel = "US", defaultValue = "1000",
            description = "A publisher thread wakes once per slice and sends what is due in one burst; 0: once per "
                    + "message; 0..100000 (default: ${DEFAULT-VALUE}).")
    long publishSliceUs;

    @Option(names = "--keep-going",
            description = "Run the higher rates after a step that was not sustained (skipped by default).")
    boolean keepGoing;

    /** The command line as given, for the report. */
    String[] args = new String[0];

    /** Fails naming the first option out of its range. */
    void validate(CommandSpec spec) {
        range(spec, "--intersections", intersections, 1, 1_000);
        range(spec, "--shards", shards, 1, 64);
        range(spec, "--publishers", publishers, 1, 64);
        for (int i = 0; i < rates.length; i++) {
            range(spec, "--rates", rates[i], 1, 10_000_000);
            if (i > 0 && rates[i] <= rates[i - 1]) {
                throw new ParameterException(spec.commandLine(), "--rates must rise step by step, but " + rates[i]
                        + " follows " + rates[i - 1]);
            }
        }
        range(spec, "--step-s", stepS, 1, 600);
        range(spec, "--warmup-s", warmupS, 1, 600);
        range(spec, "--catch-up-s", catchUpS, 0.01, 60);
        range(spec, "--settle-s", settleS, 0, 600);
        range(spec, "--latency-rate", latencyRate, 1, 10_000_000);
        range(spec, "--latency-s", latencyS, 1, 600);
        for (double t : latencyTicksS) {
            range(spec, "--latency-ticks", t, 0.001, 60);
        }
        range(spec, "--broker-inflight", brokerInflight, 0, 65_535);
        range(spec, "--publish-slice-us", publishSliceUs, 0, 100_000);
    }

    private static void range(CommandSpec spec, String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new ParameterException(spec.commandLine(), name + " must be in " + min + ".." + max + ", not " + v);
        }
    }

    private static void range(CommandSpec spec, String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new ParameterException(spec.commandLine(), name + " must be in " + min + ".." + max + ", not " + v);
        }
    }
}
