/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.greenwave.adapters.mqtt.GatewayCounters.Counter;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plan sender against a fake channel: it waits out a busy client, lets a newer plan replace a waiting one, and
 * drops what goes stale or outlives its connection, never sending it.
 */
class PlanPublisherTest {

    static final long NOW = 1_700_000_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Connected (odd epoch) unless told otherwise; BUSY while {@code busy} is set. */
    static final class FakeChannel implements PublishChannel {
        record Sent(String topic, long seq, long expiryS) {
        }

        volatile long epoch = 1;
        volatile boolean busy;
        final AtomicInteger busyAnswers = new AtomicInteger();
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public Result publish(String topic, byte[] payload, int qos, boolean retained, long expiryS, Object context) {
            if (!PublishChannel.isConnected(epoch)) {
                return Result.DISCONNECTED;
            }
            if (busy) {
                busyAnswers.incrementAndGet();
                return Result.BUSY;
            }
            try {
                sent.add(new Sent(topic, JSON.readTree(payload).get("seq").longValue(), expiryS));
                payloads.add(payload);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return Result.SENT;
        }
    }

    final ManualClock clock = new ManualClock(NOW);
    final FakeChannel channel = new FakeChannel();
    final GatewayCounters counters = new GatewayCounters();
    final PlanPublisher publisher = new PlanPublisher(new String[] {"A0", "B1"},
            new String[] {"t/A0/plan", "t/B1/plan"}, channel, counters, clock, 1, 250, null, "test-plans",
            System.getLogger("test"));
    final TimingPlan a0 = new TimingPlan(0, "A0", 2);
    final TimingPlan b1 = new TimingPlan(1, "B1", 2);

    {
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.stop(2_000);
    }

    private void offer(TimingPlan plan, long seq, long lifeMs) {
        plan.begin(seq, NOW, NOW + lifeMs, null);
        plan.add("Gr".toCharArray(), 5);
        publisher.offer(plan);
    }

    @Test
    void sendsWithTheWholeSecondsLeftAsExpiry() {
        offer(a0, 1, 5_999);
        Fixtures.await(10_000, () -> channel.sent.size() == 1, counters::toString);
        offer(b1, 1, 600);
        Fixtures.await(10_000, () -> channel.sent.size() == 2, counters::toString);
        assertThat(channel.sent).containsExactly(new FakeChannel.Sent("t/A0/plan", 1, 5),
                new FakeChannel.Sent("t/B1/plan", 1, 1));
        assertThat(counters.get(Counter.PLANS_PUBLISHED)).isEqualTo(2);
    }

    @Test
    void withASignerEveryPlanSentIsSignedByTheEnginesKey() {
        java.security.KeyPair key = SigningKeys.newKeyPair();
        FakeChannel signedChannel = new FakeChannel();
        PlanPublisher signing = new PlanPublisher(new String[] {"A0"}, new String[] {"t/A0/plan"}, signedChannel,
                counters, clock, 1, 250, new MessageSigner(key.getPrivate()), "test-signed-plans",
                System.getLogger("test"));
        signing.start();
        try {
            a0.begin(1, NOW, NOW + 3000, null);
            a0.add("Gr".toCharArray(), 5);
            signing.offer(a0);
            Fixtures.await(10_000, () -> signedChannel.sent.size() == 1, counters::toString);
        } finally {
            signing.stop(2_000);
        }
        TrustedKeys trusted = new TrustedKeys(List.of(key.getPublic()));
        assertThat(trusted.check(signedChannel.payloads.get(0))).isEqualTo(TrustedKeys.Check.SIGNED);
        assertThat(PlanDecoder.decode("A0", signedChannel.payloads.get(0)).value().sequence()).isEqualTo(1);
    }

    @Test
    void waitsOutABusyClient() {
        channel.busy = true;
        offer(a0, 1, 60_000);
        Fixtures.await(10_000, () -> channel.busyAnswers.get() >= 2, counters::toString);
        assertThat(channel.sent).isEmpty();
        channel.busy = false;
        publisher.delivered(PlanPublisher.PLAN_CONTEXT);
        Fixtures.await(10_000, () -> channel.sent.size() == 1, counters::toString);
        assertThat(counters.get(Counter.PLAN_SENDS_DEFERRED)).isEqualTo(channel.busyAnswers.get());
        assertThat(counters.get(Counter.PLANS_ACKNOWLEDGED)).isEqualTo(1);
    }

    @Test
    void aNewerPlanReplacesAWaitingOne() {
        channel.busy = true;
        offer(a0, 1, 60_000);
        offer(a0, 2, 60_000);
        offer(b1, 1, 60_000);
        offer(a0, 3, 60_000);
        channel.busy = false;
        publisher.wake();
        Fixtures.await(10_000, () -> channel.sent.size() == 2, counters::toString);
        assertThat(channel.sent).extracting(FakeChannel.Sent::topic, FakeChannel.Sent::seq)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("t/A0/plan", 3L),
                        org.assertj.core.groups.Tuple.tuple("t/B1/plan", 1L));
        assertThat(counters.get(Counter.PLANS_SUPERSEDED)).isEqualTo(2);
    }

    @Test
    void aPlanThatGoesStaleWhileWaitingIsNeverSent() {
        channel.busy = true;
        offer(a0, 1, 1_000);
        clock.set(NOW + 800);
        Fixtures.await(10_000, () -> counters.get(Counter.PLANS_DROPPED_STALE) == 1, counters::toString);
        channel.busy = false;
        offer(b1, 1, 60_000);
        Fixtures.await(10_000, () -> channel.sent.size() == 1, counters::toString);
        assertThat(channel.sent.get(0).topic()).isEqualTo("t/B1/plan");
    }

    @Test
    void aPlanIsOnlySentOnTheConnectionItWasIssuedOn() {
        channel.busy = true;
        offer(a0, 1, 60_000);
        channel.epoch = 2;
        Fixtures.await(10_000, () -> counters.get(Counter.PLANS_DROPPED_DISCONNECTED) == 1, counters::toString);
        channel.epoch = 3;
        channel.busy = false;
        offer(b1, 1, 60_000);
        Fixtures.await(10_000, () -> channel.sent.size() == 1, counters::toString);
        assertThat(channel.sent.get(0).topic()).isEqualTo("t/B1/plan");
    }

    @Test
    void plansIssuedWhileDisconnectedOrExpiredAreDroppedAtOnce() {
        channel.epoch = 2;
        offer(a0, 1, 60_000);
        assertThat(counters.get(Counter.PLANS_DROPPED_DISCONNECTED)).isEqualTo(1);
        channel.epoch = 3;
        offer(a0, 2, 249);
        offer(a0, 3, -5);
        assertThat(counters.get(Counter.PLANS_DROPPED_STALE)).isEqualTo(2);
        assertThat(channel.sent).isEmpty();
    }

    @Test
    void stoppingDropsWhatIsWaiting() {
        channel.busy = true;
        offer(a0, 1, 60_000);
        publisher.stop(2_000);
        assertThat(counters.get(Counter.PLANS_DROPPED_DISCONNECTED)).isEqualTo(1);
        offer(b1, 1, 60_000);
        assertThat(counters.get(Counter.PLANS_DROPPED_DISCONNECTED)).isEqualTo(2);
        assertThat(channel.sent).isEmpty();
    }
}
