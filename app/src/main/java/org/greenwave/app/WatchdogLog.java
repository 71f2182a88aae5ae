package org.greenwave.app;

import java.io.PrintWriter;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.IntersectionSnapshot;

/**
 * Says when a signal's watchdog hands it to its own program, and when the engine takes it back: one line each, from
 * the engine's snapshots. Threading: one caller.
 */
final class WatchdogLog {
    private final Engine engine;
    private final IntersectionSnapshot[] snapshots;
    private final long[] trips;
    private final boolean[] suspended;

    WatchdogLog(Engine engine) {
        this.engine = engine;
        int n = engine.intersectionCount();
        this.snapshots = new IntersectionSnapshot[n];
        this.trips = new long[n];
        this.suspended = new boolean[n];
        for (int i = 0; i < n; i++) {
            snapshots[i] = engine.newSnapshot(i);
        }
    }

    /** Writes a line for every signal whose watchdog tripped or released it since the last call. */
    void report(PrintWriter out) {
        for (int i = 0; i < snapshots.length; i++) {
            engine.snapshot(i, snapshots[i]);
            IntersectionSnapshot s = snapshots[i];
            if (s.watchdogTrips() != trips[i]) {
                out.printf("watchdog: signal %s back on its own program (%d trip(s)): %s%n", s.model().id(),
                        s.watchdogTrips(), s.watchdogReason());
            } else if (suspended[i] && !s.watchdogSuspended()) {
                out.printf("watchdog: signal %s under adaptive control again%n", s.model().id());
            }
            trips[i] = s.watchdogTrips();
            suspended[i] = s.watchdogSuspended();
        }
    }
}
