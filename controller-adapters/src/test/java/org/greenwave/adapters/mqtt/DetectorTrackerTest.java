/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DetectorTrackerTest {

    @Test
    void edgesAreOrderedByTimeThenDeduplicatedByState() {
        DetectorTracker t = new DetectorTracker(2);
        assertThat(t.acceptEdge(0, 100, true)).isNull();
        assertThat(t.acceptEdge(0, 100, true)).isEqualTo(RejectReason.DUPLICATE);
        assertThat(t.acceptEdge(0, 100, false)).isNull();
        assertThat(t.acceptEdge(0, 99, false)).isEqualTo(RejectReason.OUT_OF_ORDER);
        assertThat(t.acceptEdge(0, 101, false)).isNull();
        assertThat(t.acceptEdge(1, 0, true)).as("detectors are independent").isNull();
        assertThat(t.lastEdgeTimeMs(0)).isEqualTo(101);
        assertThat(t.lastEdgeTimeMs(1)).isZero();
    }

    @Test
    void aggregatesAndLaneAreaKeepTheirOwnHistory() {
        DetectorTracker t = new DetectorTracker(1);
        assertThat(t.acceptAggregate(0, 60_000)).isNull();
        assertThat(t.acceptAggregate(0, 60_000)).isEqualTo(RejectReason.DUPLICATE);
        assertThat(t.acceptAggregate(0, 0)).isEqualTo(RejectReason.OUT_OF_ORDER);
        assertThat(t.acceptLaneArea(0, 0)).isNull();
        assertThat(t.acceptLaneArea(0, 0)).isEqualTo(RejectReason.DUPLICATE);
        assertThat(t.acceptEdge(0, 0, true)).isNull();
    }

    /** Two threads offering the same values: each value is accepted exactly once, whoever wins. */
    @Test
    void concurrentOffersAcceptEachValueOnce() throws InterruptedException {
        int n = 200_000;
        DetectorTracker t = new DetectorTracker(1);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Runnable offer = () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (t.acceptEdge(0, i, (i & 1) == 0) == null) {
                    accepted.incrementAndGet();
                }
            }
        };
        Thread a = new Thread(offer);
        Thread b = new Thread(offer);
        a.start();
        b.start();
        go.countDown();
        a.join();
        b.join();
        // A value lost to the other thread is a duplicate; one the other thread already passed is out of order.
        // Either way it is never applied twice, and at least the last one is applied.
        assertThat(accepted.get()).isBetween(1, n);
        assertThat(t.lastEdgeTimeMs(0)).isEqualTo(n - 1);
    }
}
