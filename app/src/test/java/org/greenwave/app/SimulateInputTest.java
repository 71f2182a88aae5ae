package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} refuses input that would simulate no traffic, naming the file at fault, before SUMO starts. */
class SimulateInputTest {
    private static final Path OWN = Path.of("").toAbsolutePath().getParent().resolve("scenarios/intersection");
    private static final Path NET = OWN.resolve("intersection.net.xml");
    private static final Path ROUTES = OWN.resolve("intersection.rou.xml");

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private int simulate(Path out, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        return Main.execute(all);
    }

    @Test
    void aNetworkWithoutRoutesIsRefused(@TempDir Path dir) {
        assertThat(simulate(dir, "--net", NET.toString())).isEqualTo(2);
        assertThat(err()).contains("--net " + NET).contains("needs --routes").contains("no vehicle would be simulated");
        assertThat(dir.resolve("greenwave/seed-1")).doesNotExist();
    }

    @Test
    void routesBesideAScenarioAreRefused(@TempDir Path dir) {
        assertThat(simulate(dir, "--scenario", OWN.toString(), "--routes", ROUTES.toString())).isEqualTo(2);
        assertThat(err()).contains("--routes goes with --net");
    }

    @Test
    void aRouteFileThatDoesNotExistIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.rou.xml");
        assertThat(simulate(dir, "--net", NET.toString(), "--routes", missing.toString())).isEqualTo(1);
        assertThat(err()).contains(missing.toString()).contains("route file not found");
    }

    @Test
    void routesThatInsertNoVehicleAreRefusedNamingTheFiles(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("types-only.rou.xml");
        Files.writeString(empty, "<routes>\n    <vType id=\"car\"/>\n    <route id=\"r\" edges=\"W_in\"/>\n</routes>\n");
        assertThat(simulate(dir.resolve("out"), "--net", NET.toString(), "--routes", empty.toString())).isEqualTo(1);
        assertThat(err()).contains(empty.toString()).contains("no vehicle, trip, flow or person is defined");
        assertThat(dir.resolve("out/greenwave/seed-1/tripinfo.xml")).doesNotExist();
    }

    @Test
    void aConfigurationNamingNoRoutesIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("no-routes.sumocfg");
        Files.writeString(cfg, "<configuration><input><net-file value=\"" + NET + "\"/></input></configuration>\n");
        assertThat(simulate(dir.resolve("out"), "--scenario", cfg.toString())).isEqualTo(1);
        assertThat(err()).contains(cfg.toString()).contains("names no route files");
    }

    @Test
    void aConfigurationNamingAMissingRouteFileIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.sumocfg");
        Files.writeString(cfg, "<configuration>\n<input>\n<net-file value=\"" + NET + "\"/>\n"
                + "<route-files value=\"gone.rou.xml\"/>\n</input>\n</configuration>\n");
        assertThat(simulate(dir.resolve("out"), "--scenario", cfg.toString())).isEqualTo(1);
        assertThat(err()).contains(cfg + ":4").contains("gone.rou.xml").contains("does not exist");
    }

    @Test
    @Tag("sumo")
    void relativeOutputsOfSumoArgsGoUnderTheRunsFolderAndAbsoluteOnesWhereTheySay(@TempDir Path dir) throws Exception {
        Path absolute = dir.resolve("elsewhere/summary.xml");
        Files.createDirectories(absolute.getParent());
        Path out = dir.resolve("out");
        assertThat(simulate(out, "--scenario", OWN.toString(), "--controller", "fixed", "--seeds", "1", "--begin", "0",
                "--end", "60", "--sumo-arg=--queue-output=q.xml", "--sumo-arg=--fcd-output",
                "--sumo-arg=traces/fcd.xml", "--sumo-arg=--summary-output=" + absolute)).as(err()).isZero();
        Path outputs = out.resolve("fixed/seed-1/outputs");
        assertThat(Files.readString(outputs.resolve("q.xml"))).contains("<data timestep=");
        assertThat(Files.readString(outputs.resolve("traces/fcd.xml"))).contains("<timestep time=");
        assertThat(Files.readString(absolute)).contains("<step time=");
        assertThat(Path.of("q.xml")).as("nothing in the current folder").doesNotExist();
        assertThat(Path.of("traces")).doesNotExist();
        assertThat(Files.readAllLines(out.resolve("fixed/seed-1/sumo-command.txt")))
                .contains("--queue-output=" + outputs.toAbsolutePath().resolve("q.xml"));
    }

    @Test
    @Tag("sumo")
    void aWindowInWhichNoVehicleIsDueFails(@TempDir Path dir) {
        assertThat(simulate(dir, "--scenario", OWN.toString(), "--controller", "fixed", "--seeds", "1",
                "--begin", "4000", "--end", "4060")).isEqualTo(1);
        assertThat(err()).contains("no vehicle was due between 4000 s and 4060 s")
                .contains(OWN.resolve("intersection.sumocfg").toString());
    }
}
