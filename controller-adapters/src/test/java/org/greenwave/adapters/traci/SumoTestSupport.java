/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds tiny SUMO scenarios for the integration tests. The tests need the {@code sumo} and
 * {@code netgenerate} binaries; when they are missing the tests fail with the install step instead of
 * being skipped, because a skipped integration test looks like a passing one.
 */
final class SumoTestSupport {

    static final String INSTALL_STEP = "apt-get install sumo sumo-tools (or run ./greenwave test)";

    /** Id of the induction loop the scenarios define. */
    static final String LOOP_ID = "e1_west";
    /** Id of the lane-area detector the scenarios define. */
    static final String LANE_AREA_ID = "e2_west";
    /** The lane both detectors sit on: westernmost approach to junction A0. */
    static final String DETECTOR_LANE = "left0A0_0";

    private SumoTestSupport() {
    }

    /** Fails the test (never skips) when {@code tool} is not on PATH. */
    static void requireOnPath(String tool) {
        requireOnPath(tool, System.getenv("PATH"));
    }

    static void requireOnPath(String tool, String path) {
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    return;
                }
            }
        }
        throw new AssertionError("The SUMO integration tests need '" + tool + "' on PATH, which does not have it. "
                + "Install SUMO 1.15: " + INSTALL_STEP + ".");
    }

    /** A scenario on disk: network, routes and detectors. */
    record Scenario(Path dir, Path net, Path routes, Path additional, List<String> tlsIds) {

        SumoOptions.Builder options() {
            return SumoOptions.builder()
                    .netFile(net)
                    .routeFiles(List.of(routes))
                    .additionalFiles(List.of(additional))
                    .logFile(dir.resolve("sumo.log"))
                    .connectTimeoutMs(20_000);
        }
    }

    /**
     * An {@code n} x {@code n} grid of signalised junctions (ids A0, A1, ..., B0, ...) with 100 m
     * approach stubs at the fringe, flows crossing it along every row and column in both directions,
     * one induction loop and one lane-area detector on {@link #DETECTOR_LANE}.
     */
    static Scenario grid(Path dir, int n, double vehiclesPerHourPerFlow) throws IOException, InterruptedException {
        requireOnPath("netgenerate");
        List<String> tlsIds = new ArrayList<>();
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                tlsIds.add((char) ('A' + x) + Integer.toString(y));
            }
        }
        Path net = dir.resolve("grid.net.xml");
        run(dir, List.of("netgenerate", "--grid", "--grid.number=" + n, "--grid.length=200",
                "--grid.attach-length=100", "--tls.set=" + String.join(",", tlsIds), "--no-turnarounds=true",
                "--seed=1", "-o", net.toString()));

        StringBuilder routes = new StringBuilder("<routes>\n");
        routes.append("  <vType id=\"car\" length=\"5\" accel=\"2.6\" decel=\"4.5\" sigma=\"0.5\"/>\n");
        char lastColumn = (char) ('A' + n - 1);
        int lastRow = n - 1;
        for (int i = 0; i < n; i++) {
            char column = (char) ('A' + i);
            flow(routes, "we" + i, "left" + i + "A" + i, "" + lastColumn + i + "right" + i, vehiclesPerHourPerFlow);
            flow(routes, "ew" + i, "right" + i + lastColumn + i, "A" + i + "left" + i, vehiclesPerHourPerFlow);
            flow(routes, "sn" + i, "bottom" + i + column + "0", "" + column + lastRow + "top" + i, vehiclesPerHourPerFlow);
            flow(routes, "ns" + i, "top" + i + column + lastRow, column + "0bottom" + i, vehiclesPerHourPerFlow);
        }
        routes.append("</routes>\n");
        Path routeFile = dir.resolve("grid.rou.xml");
        Files.writeString(routeFile, routes, StandardCharsets.UTF_8);

        Path additional = dir.resolve("detectors.add.xml");
        Files.writeString(additional, "<additional>\n"
                + "  <inductionLoop id=\"" + LOOP_ID + "\" lane=\"" + DETECTOR_LANE + "\" pos=\"50\" period=\"60\""
                + " file=\"NUL\"/>\n"
                + "  <laneAreaDetector id=\"" + LANE_AREA_ID + "\" lane=\"" + DETECTOR_LANE + "\" pos=\"10\""
                + " length=\"80\" period=\"60\" file=\"NUL\"/>\n"
                + "</additional>\n", StandardCharsets.UTF_8);
        return new Scenario(dir, net, routeFile, additional, List.copyOf(tlsIds));
    }

    private static void flow(StringBuilder sb, String id, String from, String to, double vehiclesPerHour) {
        sb.append("  <flow id=\"").append(id).append("\" type=\"car\" from=\"").append(from)
                .append("\" to=\"").append(to).append("\" begin=\"0\" end=\"3600\" vehsPerHour=\"")
                .append(vehiclesPerHour).append("\" departLane=\"best\" departSpeed=\"max\"/>\n");
    }

    private static void run(Path dir, List<String> argv) throws IOException, InterruptedException {
        Path log = dir.resolve(argv.get(0) + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("SUMO_HOME", SumoOptions.DEFAULT_SUMO_HOME.toString());
        if (!Files.isDirectory(Path.of(pb.environment().get("SUMO_HOME")))) {
            pb.environment().put("SUMO_HOME", SumoOptions.DEFAULT_SUMO_HOME.toString());
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv.get(0) + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(argv + " failed with code " + p.exitValue() + ":\n" + Files.readString(log));
        }
    }
}
