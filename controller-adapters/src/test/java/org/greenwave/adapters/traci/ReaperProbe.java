/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM entry point for {@link SumoReaperTest}: starts SUMO, keeps it busy with a very long
 * simulation step (so SUMO would not notice the closed socket for a long time), prints its pid, then
 * leaves without closing it, either through {@code System.exit} or by waiting to be terminated.
 */
final class ReaperProbe {

    private ReaperProbe() {
    }

    public static void main(String[] args) throws Exception {
        SumoOptions options = SumoOptions.builder()
                .netFile(Path.of(args[0]))
                .routeFiles(List.of(Path.of(args[1])))
                .logFile(Path.of(args[2]))
                .build();
        SumoProcess sumo = SumoProcess.start(options);
        // The client is handed to this thread for good; main never touches it again.
        Thread busy = new Thread(() -> {
            try {
                sumo.client().simulationStep(1.0e7);
            } catch (TraciException e) {
                // Expected when SUMO is killed under the step.
            }
        }, "long-step");
        busy.setDaemon(true);
        busy.start();
        Thread.sleep(200);
        System.out.println("PID " + sumo.pid());
        System.out.flush();
        if (args[3].equals("exit")) {
            System.exit(3);
        }
        Thread.sleep(60_000);
    }
}
