package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.engine.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

class WakeableIdleTest {

    @Test
    void wakeEndsAParkThatWouldLastAMinute() throws Exception {
        // No spins or yields: the first idle parks for a minute unless woken.
        long minuteNs = TimeUnit.MINUTES.toNanos(1);
        WakeableIdle idle = new WakeableIdle(new BackoffIdleStrategy(0, 0, minuteNs, minuteNs));
        CountDownLatch idled = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(1);
        Thread shard = new Thread(() -> {
            idle.idle(1); // work done: registers the thread, no park
            idled.countDown();
            idle.idle(0);
            parked.countDown();
        });
        shard.setDaemon(true);
        shard.start();
        assertThat(idled.await(30, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        // Until the shard is parked, each wake leaves a permit that ends its next park.
        while (!parked.await(10, TimeUnit.MILLISECONDS)) {
            idle.wake();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void wakeBeforeAnyIdleDoesNothing() {
        new WakeableIdle().wake();
    }
}
