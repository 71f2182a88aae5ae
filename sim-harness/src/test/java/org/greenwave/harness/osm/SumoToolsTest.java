package org.greenwave.harness.osm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SumoToolsTest {
    /** A SUMO install under {@code dir/sumo}: the named tools, as empty scripts. */
    private static Path fakeSumo(Path dir, boolean netconvert, boolean randomTrips) throws IOException {
        Path home = Files.createDirectories(dir.resolve("sumo"));
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("tools"));
        if (netconvert) {
            executable(home.resolve("bin/netconvert"));
        }
        if (randomTrips) {
            Files.writeString(home.resolve("tools/randomTrips.py"), "");
        }
        return home;
    }

    private static Path executable(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    @Test
    void findsTheToolsInSumoHomeAndOnPath(@TempDir Path dir) throws IOException {
        Path home = fakeSumo(dir, true, true);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path python = executable(bin.resolve("python3"));
        SumoTools t = SumoTools.locate(Map.of("SUMO_HOME", home.toString(), "PATH", "/nonexistent:" + bin));
        assertThat(t.netconvert()).isEqualTo(home.resolve("bin/netconvert"));
        assertThat(t.python()).isEqualTo(python);
        assertThat(t.randomTrips()).isEqualTo(home.resolve("tools/randomTrips.py"));
        assertThat(t.sumoHome()).isEqualTo(home);
    }

    @Test
    void eachMissingToolIsNamedWithHowToInstallIt(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("python3"));
        Path noNetconvert = fakeSumo(dir.resolve("a"), false, true);
        assertThatThrownBy(() -> SumoTools.locate(Map.of("SUMO_HOME", noNetconvert.toString(), "PATH", bin.toString())))
                .hasMessageContaining("netconvert not found").hasMessageContaining("apt-get install sumo sumo-tools");
        Path noTools = fakeSumo(dir.resolve("b"), true, false);
        assertThatThrownBy(() -> SumoTools.locate(Map.of("SUMO_HOME", noTools.toString(), "PATH", bin.toString())))
                .hasMessageContaining(noTools.resolve("tools/randomTrips.py") + " not found")
                .hasMessageContaining("sumo-tools");
        Path full = fakeSumo(dir.resolve("c"), true, true);
        assertThatThrownBy(() -> SumoTools.locate(Map.of("SUMO_HOME", full.toString(), "PATH", "")))
                .hasMessageContaining("python3 not found on PATH").hasMessageContaining("apt-get install python3");
    }

    @Test
    void aFailingToolIsQuotedByItsOwnErrorLines(@TempDir Path dir) throws IOException {
        Path home = fakeSumo(dir, true, true);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("python3"));
        SumoTools t = SumoTools.locate(Map.of("SUMO_HOME", home.toString(), "PATH", bin.toString()));
        Path script = Files.writeString(dir.resolve("fails.sh"), "echo 'Reading the net...'\n"
                + "echo 'Traceback (most recent call last):'\necho '  File \"x.py\", line 3'\n"
                + "echo \"FileNotFoundError: [Errno 2] No such file: 'a.net.xml'\" >&2\nexit 3\n");
        Path log = dir.resolve("tool.log");
        assertThatThrownBy(() -> t.run("randomTrips.py", List.of("/bin/sh", script.toString()), dir, log, "the net"))
                .isInstanceOf(SumoTools.ToolFailure.class)
                .hasMessage("randomTrips.py failed on the net (exit code 3):\n"
                        + "  FileNotFoundError: [Errno 2] No such file: 'a.net.xml'");
        Files.writeString(log, "one\ntwo\nthree\nfour\n");
        assertThat(SumoTools.errorLines(log)).containsExactly("two", "three", "four");
        Files.writeString(log, "Warning: x\nError: No nodes loaded.\nQuitting (on error).\n");
        assertThat(SumoTools.errorLines(log)).containsExactly("Error: No nodes loaded.");
    }
}
