/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How to launch SUMO for {@link SumoProcess#start}. Built with {@link #builder()}; immutable after
 * {@link Builder#build()}, so one instance can start many runs.
 *
 * <p>The scenario is either a {@code .sumocfg} ({@link Builder#configFile}) or a network plus route
 * files ({@link Builder#netFile}, {@link Builder#routeFiles}); given together, the explicit files
 * override the configuration's, as on SUMO's command line. File paths are made absolute against the
 * JVM's working directory so they mean the same whatever {@link Builder#workingDirectory} is.
 *
 * <p>Instances are immutable and therefore safe to share between threads.
 */
public final class SumoOptions {

    /** SUMO's own default seed, passed explicitly so every run is reproducible from its argv. */
    public static final long DEFAULT_SEED = 23;
    /** Where Debian's {@code sumo} package installs SUMO's data. */
    public static final Path DEFAULT_SUMO_HOME = Path.of("/usr/share/sumo");

    private final String binary;
    private final Path configFile;
    private final Path netFile;
    private final List<Path> routeFiles;
    private final List<Path> additionalFiles;
    private final long seed;
    private final double stepLengthS;
    private final Double beginS;
    private final Double endS;
    private final List<String> extraArgs;
    private final Path workingDirectory;
    private final Path logFile;
    private final long connectTimeoutMs;
    private final Path sumoHome;

    private SumoOptions(Builder b) {
        this.binary = b.binary;
        this.configFile = b.configFile;
        this.netFile = b.netFile;
        this.routeFiles = List.copyOf(b.routeFiles);
        this.additionalFiles = List.copyOf(b.additionalFiles);
        this.seed = b.seed;
        this.stepLengthS = b.stepLengthS;
        this.beginS = b.beginS;
        this.endS = b.endS;
        this.extraArgs = List.copyOf(b.extraArgs);
        this.workingDirectory = b.workingDirectory;
        this.logFile = b.logFile;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.sumoHome = b.sumoHome;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The complete argv for a SUMO that serves TraCI on {@code port}: binary, scenario files,
     * {@code --remote-port}, {@code --seed}, {@code --step-length}, optional {@code --begin} /
     * {@code --end}, {@code --no-step-log} (the per-step progress line would flood the log), then
     * {@link Builder#extraArgs} verbatim. Warnings stay on: they end up in the log file.
     */
    public List<String> commandLine(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return commandLine(Integer.toString(port));
    }

    /**
     * The same command line without a TraCI port: SUMO run on its own with these options simulates the same scenario,
     * seed and window and writes the same outputs, with its own programs in charge of the signals.
     */
    public List<String> standaloneCommandLine() {
        return commandLine((String) null);
    }

    private List<String> commandLine(String port) {
        List<String> argv = new ArrayList<>();
        argv.add(binary);
        if (configFile != null) {
            argv.add("-c");
            argv.add(absolute(configFile));
        }
        if (netFile != null) {
            argv.add("-n");
            argv.add(absolute(netFile));
        }
        if (!routeFiles.isEmpty()) {
            argv.add("-r");
            argv.add(joined(routeFiles));
        }
        if (!additionalFiles.isEmpty()) {
            argv.add("-a");
            argv.add(joined(additionalFiles));
        }
        if (port != null) {
            argv.add("--remote-port");
            argv.add(port);
        }
        argv.add("--seed");
        argv.add(Long.toString(seed));
        argv.add("--step-length");
        argv.add(Double.toString(stepLengthS));
        if (beginS != null) {
            argv.add("--begin");
            argv.add(Double.toString(beginS));
        }
        if (endS != null) {
            argv.add("--end");
            argv.add(Double.toString(endS));
        }
        argv.add("--no-step-log");
        argv.addAll(extraArgs);
        return List.copyOf(argv);
    }

    public String binary() {
        return binary;
    }

    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    public Optional<Path> netFile() {
        return Optional.ofNullable(netFile);
    }

    public List<Path> routeFiles() {
        return routeFiles;
    }

    public List<Path> additionalFiles() {
        return additionalFiles;
    }

    public long seed() {
        return seed;
    }

    public double stepLengthS() {
        return stepLengthS;
    }

    /** Simulation begin time override in seconds. */
    public Optional<Double> beginS() {
        return Optional.ofNullable(beginS);
    }

    /**
     * Simulation end time override in seconds. Under TraCI control SUMO 1.15 keeps stepping past it
     * when asked to; the client decides when the run is over.
     */
    public Optional<Double> endS() {
        return Optional.ofNullable(endS);
    }

    public List<String> extraArgs() {
        return extraArgs;
    }

    /** SUMO's working directory; empty means the JVM's. */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** Where SUMO's stdout and stderr go; empty means a temporary file chosen by {@link SumoProcess}. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** SUMO_HOME given to SUMO when the environment has no usable one. */
    public Path sumoHome() {
        return sumoHome;
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().toString();
    }

    private static String joined(List<Path> paths) {
        return paths.stream().map(SumoOptions::absolute).collect(Collectors.joining(","));
    }

    /** Mutable builder; not thread-safe. {@link #build()} validates and snapshots. */
    public static final class Builder {
        private String binary = "sumo";
        private Path configFile;
        private Path netFile;
        private List<Path> routeFiles = List.of();
        private List<Path> additionalFiles = List.of();
        private long seed = DEFAULT_SEED;
        private double stepLengthS = 1.0;
        private Double beginS;
        private Double endS;
        private List<String> extraArgs = List.of();
        private Path workingDirectory;
        private Path logFile;
        private long connectTimeoutMs = 30_000;
        private Path sumoHome = DEFAULT_SUMO_HOME;

        private Builder() {
        }

        /** The SUMO executable, a name looked up on PATH or a path. Default "sumo". */
        public Builder binary(String binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** The {@code .sumocfg} to load ({@code -c}). */
        public Builder configFile(Path configFile) {
            this.configFile = configFile;
            return this;
        }

        /** The network ({@code -n}); needed unless {@link #configFile} names one. */
        public Builder netFile(Path netFile) {
            this.netFile = netFile;
            return this;
        }

        /** Route files ({@code -r}), in loading order. */
        public Builder routeFiles(List<Path> routeFiles) {
            this.routeFiles = List.copyOf(routeFiles);
            return this;
        }

        /** Additional files ({@code -a}), e.g. detectors and programs, in loading order. */
        public Builder additionalFiles(List<Path> additionalFiles) {
            this.additionalFiles = List.copyOf(additionalFiles);
            return this;
        }

        /** Random seed ({@code --seed}). Default {@link #DEFAULT_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Simulation step length in seconds ({@code --step-length}). Default 1.0. */
        public Builder stepLengthS(double stepLengthS) {
            this.stepLengthS = stepLengthS;
            return this;
        }

        /** Begin time in seconds ({@code --begin}); null keeps the scenario's. */
        public Builder begin(Double beginS) {
            this.beginS = beginS;
            return this;
        }

        /**
         * End time in seconds ({@code --end}); null keeps the scenario's. SUMO uses it for its own
         * bookkeeping (e.g. output intervals); under TraCI it does not stop the run by itself.
         */
        public Builder end(Double endS) {
            this.endS = endS;
            return this;
        }

        /** Arguments appended to the command line verbatim, after all generated ones. */
        public Builder extraArgs(List<String> extraArgs) {
            this.extraArgs = List.copyOf(extraArgs);
            return this;
        }

        /** SUMO's working directory (relevant for output files it writes); default the JVM's. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /**
         * File receiving SUMO's stdout and stderr, truncated at start. Default: a temporary file
         * that {@link SumoProcess#close()} deletes after a clean exit and keeps otherwise.
         */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** How long to wait for SUMO to load and accept the TraCI connection. Default 30000 ms. */
        public Builder connectTimeoutMs(long connectTimeoutMs) {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        /** SUMO_HOME to give SUMO if the environment has none (or a non-directory). Default /usr/share/sumo. */
        public Builder sumoHome(Path sumoHome) {
            this.sumoHome = Objects.requireNonNull(sumoHome, "sumoHome");
            return this;
        }

        /** @throws IllegalArgumentException if the options cannot describe a SUMO run */
        public SumoOptions build() {
            if (configFile == null && netFile == null) {
                throw new IllegalArgumentException("SUMO needs a configFile (.sumocfg) or a netFile");
            }
            if (binary.isBlank()) {
                throw new IllegalArgumentException("binary must not be blank");
            }
            if (!(stepLengthS > 0) || Double.isInfinite(stepLengthS)) {
                throw new IllegalArgumentException("stepLengthS must be positive and finite: " + stepLengthS);
            }
            if (beginS != null && !Double.isFinite(beginS) || endS != null && !Double.isFinite(endS)) {
                throw new IllegalArgumentException("begin and end must be finite: " + beginS + ", " + endS);
            }
            if (beginS != null && endS != null && endS <= beginS) {
                throw new IllegalArgumentException("end " + endS + " s must be after begin " + beginS + " s");
            }
            if (connectTimeoutMs <= 0) {
                throw new IllegalArgumentException("connectTimeoutMs must be positive: " + connectTimeoutMs);
            }
            return new SumoOptions(this);
        }
    }
}
