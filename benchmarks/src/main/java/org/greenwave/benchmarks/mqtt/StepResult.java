/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/** One rate step's outcome. */
final class StepResult {
    final long targetRate;
    long scheduled;
    long sent;
    long publishFailures;
    long received;
    long rejected;
    long refused;
    long unmatched;
    long messagesInBefore;
    long startNs;
    long lastSendNs;
    long brokerDropped;
    long gcCount;
    long gcMs;
    /** Seconds after the step's scheduled end until everything sent was received; NaN if not within catch-up. */
    double caughtUpAfterS;
    /** Seconds after the step's end until the backlog cleared, when it was not caught up; NaN if never. */
    double settledAfterS = Double.NaN;
    long maxClientBacklog;
    long brokerHeapMaxBytes;
    Histogram ingest;
    Histogram publishLag;
    Histogram publishWritten;
    CpuMeter.Usage cpu;

    StepResult(long targetRate) {
        this.targetRate = targetRate;
    }

    /** Messages per second from the step's start to the last publish call. */
    double publishRate() {
        double s = Math.max(lastSendNs - startNs, 1) / 1e9 + 1.0 / targetRate;
        return sent / s;
    }

    boolean sustained() {
        return sent == scheduled && publishFailures == 0 && !Double.isNaN(caughtUpAfterS) && received == sent
                && rejected == 0 && refused == 0;
    }

    String why() {
        List<String> reasons = new ArrayList<>();
        if (sent < scheduled || publishFailures > 0) {
            reasons.add(String.format(Locale.ROOT, "publishers sent %,d of %,d%s", sent, scheduled,
                    publishFailures > 0 ? ", " + publishFailures + " publish failures" : ""));
        }
        if (Double.isNaN(caughtUpAfterS) || received != sent) {
            reasons.add(String.format(Locale.ROOT, "received %,d of %,d by end + catch-up", received, sent));
        }
        if (rejected > 0) {
            reasons.add(String.format(Locale.ROOT, "%,d rejected", rejected));
        }
        if (refused > 0) {
            reasons.add(String.format(Locale.ROOT, "%,d refused", refused));
        }
        return String.join("; ", reasons);
    }
}
