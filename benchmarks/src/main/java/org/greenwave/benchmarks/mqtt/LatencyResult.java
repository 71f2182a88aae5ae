/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import org.HdrHistogram.Histogram;
import org.greenwave.core.engine.LatencySnapshot;

record LatencyResult(double tickS, double planLifetimeS, StepResult step, Histogram planLeg,
                     LatencySnapshot decision, long plansIssued, long plansPublished, long plansAcknowledged,
                     long plansSuperseded, long plansDroppedStale, long plansDeferred, long plansReceived,
                     long plansMatched, long ticksSkipped, long maxTickLagNs) {
}
