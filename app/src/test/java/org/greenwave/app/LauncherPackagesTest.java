package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher installs the Debian packages a command needs: here python3, which SUMO's randomTrips.py (run by
 * {@code greenwave osm}) needs. Runs the real launcher script with stand-ins for apt-get, SUMO, Mosquitto and the JDK
 * on {@code PATH}, so nothing is installed and nothing is built.
 */
class LauncherPackagesTest {
    private static void script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        assertThat(p.toFile().setExecutable(true)).isTrue();
    }

    /** A checkout holding only the launcher and a jar newer than every source, so the launcher builds nothing. */
    private static Path checkout(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Path launcher = root.resolve("greenwave");
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("greenwave"), launcher);
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        Files.createDirectories(root.resolve("app/target"));
        Files.writeString(root.resolve("app/target/greenwave.jar"), "");
        return root;
    }

    /** A PATH with the shell tools the launcher uses and stand-ins for the rest; python3 only when asked. */
    private static Path bin(Path dir, Path aptLog, boolean python) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("dirname", "sed", "find", "env", "rm")) {
            Path real = Path.of("/usr/bin", tool);
            script(bin.resolve(tool), "exec " + (Files.exists(real) ? real : Path.of("/bin", tool)) + " \"$@\"");
        }
        script(bin.resolve("id"), "echo 0");
        script(bin.resolve("apt-get"), "echo \"$@\" >> '" + aptLog + "'");
        for (String tool : List.of("sumo", "mosquitto", "mosquitto_sub")) {
            script(bin.resolve(tool), "exit 0");
        }
        script(bin.resolve("javac"), "echo 'javac 17.0.9' >&2");
        script(bin.resolve("java"), "echo \"java $*\"");
        if (python) {
            script(bin.resolve("python3"), "exit 0");
        }
        return bin;
    }

    private static String launch(Path root, Path bin, Path sumoHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("greenwave").toString(),
                "osm", "--help").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("SUMO_HOME", sumoHome.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void installsPython3WhenItIsMissing(@TempDir Path dir) throws Exception {
        Path aptLog = dir.resolve("apt.log");
        Path sumoHome = Files.createDirectories(dir.resolve("sumo/tools"));
        String output = launch(checkout(dir), bin(dir, aptLog, false), sumoHome.getParent());
        assertThat(Files.readString(aptLog)).contains("install").containsPattern("install .* python3( |$)");
        assertThat(output).contains("installing").contains("python3").contains("java -XX:+UseSerialGC -Xms32m -Dgreenwave.home=")
                .contains("osm --help");
    }

    @Test
    void installsNothingForPythonWhenItIsThere(@TempDir Path dir) throws Exception {
        Path aptLog = dir.resolve("apt.log");
        Path sumoHome = Files.createDirectories(dir.resolve("sumo/tools"));
        launch(checkout(dir), bin(dir, aptLog, true), sumoHome.getParent());
        assertThat(Files.exists(aptLog) ? Files.readString(aptLog) : "").doesNotContain("python3");
    }
}
