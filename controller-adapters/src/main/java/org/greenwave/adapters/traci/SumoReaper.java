/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills SUMO children still registered when the JVM shuts down (Ctrl-C, {@code System.exit}), so no
 * run leaves an orphan {@code sumo} behind. One shutdown hook for the whole JVM, installed on first
 * use. Thread-safe: processes may be (de)registered from any thread.
 */
final class SumoReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hookInstalled;

    private SumoReaper() {
    }

    /**
     * Registers a child to be killed at JVM exit.
     *
     * @throws IllegalStateException if the JVM is already shutting down (the caller must kill it)
     */
    static void register(Process process) {
        synchronized (SumoReaper.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(SumoReaper::reapAll, "greenwave-sumo-reaper"));
                hookInstalled = true;
            }
        }
        LIVE.add(process);
    }

    static void deregister(Process process) {
        LIVE.remove(process);
    }

    static boolean isRegistered(Process process) {
        return LIVE.contains(process);
    }

    /** Asks every child to terminate, gives them a moment to flush their logs, then kills the rest. */
    private static void reapAll() {
        for (Process p : LIVE) {
            p.destroy();
        }
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Process p : LIVE) {
            try {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0 || !p.waitFor(leftNs, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
