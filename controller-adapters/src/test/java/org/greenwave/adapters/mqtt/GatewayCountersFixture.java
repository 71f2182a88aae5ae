/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/** Gateway counters as a running gateway would have left them, for other modules' tests. */
public final class GatewayCountersFixture {
    private GatewayCountersFixture() {
    }

    /** Counters holding {@code n} rejections for {@code reason}; add more with {@link #reject}. */
    public static GatewayCounters withRejects(RejectReason reason, int n) {
        return reject(new GatewayCounters(), reason, n);
    }

    /** Adds {@code n} rejections for {@code reason} and returns {@code counters}. */
    public static GatewayCounters reject(GatewayCounters counters, RejectReason reason, int n) {
        for (int i = 0; i < n; i++) {
            counters.reject(reason);
        }
        return counters;
    }

    /** Adds {@code n} to {@code counter} and returns {@code counters}. */
    public static GatewayCounters add(GatewayCounters counters, GatewayCounters.Counter counter, long n) {
        counters.add(counter, n);
        return counters;
    }
}
