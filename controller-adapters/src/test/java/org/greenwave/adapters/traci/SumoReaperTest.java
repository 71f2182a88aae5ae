/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that exits or is terminated without closing its SumoProcess leaves no sumo behind. */
@Tag("sumo")
@Timeout(60)
class SumoReaperTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireSumo() {
        SumoTestSupport.requireOnPath("sumo");
    }

    @Test
    void systemExitKillsSumo() throws Exception {
        assertNoOrphanAfter("exit");
    }

    @Test
    void terminationSignalKillsSumo() throws Exception {
        assertNoOrphanAfter("wait");
    }

    private void assertNoOrphanAfter(String mode) throws Exception {
        SumoTestSupport.Scenario scenario = SumoTestSupport.grid(dir, 2, 300);
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ReaperProbe.class.getName(), scenario.net().toString(), scenario.routes().toString(),
                dir.resolve("sumo.log").toString(), mode))
                .redirectErrorStream(true).start();
        Optional<ProcessHandle> sumo = Optional.empty();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("PID ")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output:\n%s", seen).isNotNull();
            long sumoPid = Long.parseLong(line.substring(4).trim());
            sumo = ProcessHandle.of(sumoPid);
            assertThat(sumo).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

            if (mode.equals("wait")) {
                child.destroy(); // SIGTERM, as Ctrl-C or a service manager would send
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // SUMO was the child's child: once reaped it is gone; allow the kernel a moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ProcessHandle sumoHandle = sumo.get();
            while (sumoHandle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sumoHandle.isAlive()).as("sumo %d after its JVM ended (%s)", sumoPid, mode).isFalse();
        } finally {
            child.destroyForcibly();
            // Should the reaper regress, do not leave the orphan running for the rest of the build. The
            // handle was taken while SUMO ran, so it cannot hit a process that reused the pid.
            sumo.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
