/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.time.Clock;

/**
 * Takes plans from the engine's shard threads and sends them from one thread of its own, so a shard never waits on
 * the MQTT client.
 *
 * <p>With a {@link MessageSigner}, the sender signs each plan just before it publishes it, so shard threads never
 * wait on the signature and a plan superseded in its slot is never signed.
 *
 * <p>Each intersection has one slot holding its newest plan not yet sent: a newer plan replaces an older one still
 * waiting (counted as superseded), since a controller only ever needs the latest. That is the only buffering. A plan
 * is dropped, never kept for later, when the connection is down at the moment it is issued, when the connection it
 * was issued on is gone by the time it would be sent, or when less than the minimum lifetime remains before it
 * expires. The MQTT 5 message expiry of a sent plan is the whole seconds remaining, rounded down, so a broker never
 * delivers it after its {@code expiresAtMs} (given broker and engine clocks that agree); only a plan with less than
 * a second left gets 1 s, the smallest expiry MQTT can express, and relies on the receiver's own check.
 *
 * <p>The sender waits only when the client has as many unacknowledged plans in flight as the broker's receive
 * maximum allows; acknowledgements wake it.
 *
 * <p>Threading: {@link #offer} from any number of shard threads at once (one encoder per thread); the sending loop on
 * its own thread; {@link #delivered} from the MQTT callback thread.
 */
final class PlanPublisher {

    /** An encoded plan waiting in its intersection's slot. */
    private record Outbound(byte[] payload, long expiresAtMs, long epoch) {
    }

    static final Object PLAN_CONTEXT = new Object();
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long BUSY_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String[] intersectionIds;
    private final String[] topics;
    private final AtomicReferenceArray<Outbound> slots;
    private final PublishChannel connection;
    private final GatewayCounters counters;
    private final Clock clock;
    private final int qos;
    private final long minLifetimeMs;
    private final System.Logger log;
    private final MessageSigner signer;
    private final ThreadLocal<PlanEncoder> encoders = ThreadLocal.withInitial(PlanEncoder::new);
    private final Thread thread;
    private volatile boolean running = true;
    private int cursor;

    /**
     * @param intersectionIds external id of each intersection, by the engine's dense index
     * @param planTopics      plan topic of each intersection, same order
     */
    PlanPublisher(String[] intersectionIds, String[] planTopics, PublishChannel connection, GatewayCounters counters,
                  Clock clock, int qos, long minLifetimeMs, MessageSigner signer, String threadName,
                  System.Logger log) {
        this.intersectionIds = intersectionIds.clone();
        this.topics = planTopics.clone();
        this.slots = new AtomicReferenceArray<>(intersectionIds.length);
        this.connection = connection;
        this.counters = counters;
        this.clock = clock;
        this.qos = qos;
        this.minLifetimeMs = minLifetimeMs;
        this.signer = signer;
        this.log = log;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Shard threads: encodes the plan and leaves it for the sender, or drops it. Never blocks. */
    void offer(TimingPlan plan) {
        long epoch = connection.epoch();
        if (!PublishChannel.isConnected(epoch) || !running) {
            counters.increment(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED);
            return;
        }
        int i = plan.intersection();
        if (i < 0 || i >= topics.length || !intersectionIds[i].equals(plan.intersectionId())) {
            counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
            logError("plan for intersection " + i + " '" + plan.intersectionId()
                    + "' does not match the detector directory; dropped");
            return;
        }
        if (plan.expiresAtMs() - nowMs() < minLifetimeMs) {
            counters.increment(GatewayCounters.Counter.PLANS_DROPPED_STALE);
            return;
        }
        PlanEncoder encoder = encoders.get();
        encoder.encode(plan);
        Outbound previous = slots.getAndSet(i, new Outbound(encoder.toByteArray(), plan.expiresAtMs(), epoch));
        if (previous != null) {
            counters.increment(GatewayCounters.Counter.PLANS_SUPERSEDED);
        }
        LockSupport.unpark(thread);
    }

    /** MQTT callback thread: a publish completed, so an in-flight slot is free. */
    void delivered(Object context) {
        if (context == PLAN_CONTEXT) {
            counters.increment(GatewayCounters.Counter.PLANS_ACKNOWLEDGED);
        }
        LockSupport.unpark(thread);
    }

    /** Wakes the sender, e.g. after the connection changed, so waiting plans are sent or dropped at once. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Stops the sender and drops what is still waiting. Idempotent. */
    void stop(long timeoutMs) {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getAndSet(i, null) != null) {
                counters.increment(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED);
            }
        }
    }

    private void run() {
        while (running) {
            boolean busy = false;
            try {
                busy = sendPending();
            } catch (RuntimeException e) {
                counters.increment(GatewayCounters.Counter.INTERNAL_ERRORS);
                logError("plan sender failed: " + e);
            }
            LockSupport.parkNanos(this, busy ? BUSY_PARK_NS : IDLE_PARK_NS);
        }
    }

    /** One pass over the slots, starting where the last pass stopped; true if the client was busy. */
    private boolean sendPending() {
        int n = slots.length();
        for (int k = 0; k < n && running; k++) {
            int i = (cursor + k) % n;
            Outbound o = slots.get(i);
            if (o == null) {
                continue;
            }
            if (connection.epoch() != o.epoch()) {
                if (slots.compareAndSet(i, o, null)) {
                    counters.increment(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED);
                }
                continue;
            }
            long remainingMs = o.expiresAtMs() - nowMs();
            if (remainingMs < minLifetimeMs) {
                if (slots.compareAndSet(i, o, null)) {
                    counters.increment(GatewayCounters.Counter.PLANS_DROPPED_STALE);
                }
                continue;
            }
            if (!slots.compareAndSet(i, o, null)) {
                continue;
            }
            long expiryS = Math.max(1, remainingMs / 1000);
            byte[] payload = signer == null ? o.payload() : signer.sign(o.payload());
            switch (connection.publish(topics[i], payload, qos, false, expiryS, PLAN_CONTEXT)) {
                case SENT -> counters.increment(GatewayCounters.Counter.PLANS_PUBLISHED);
                case BUSY -> {
                    counters.increment(GatewayCounters.Counter.PLAN_SENDS_DEFERRED);
                    if (!slots.compareAndSet(i, null, o)) {
                        counters.increment(GatewayCounters.Counter.PLANS_SUPERSEDED);
                    }
                    cursor = i;
                    return true;
                }
                case DISCONNECTED -> counters.increment(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED);
                case FAILED -> counters.increment(GatewayCounters.Counter.PLANS_FAILED);
            }
        }
        cursor = (cursor + 1) % Math.max(1, n);
        return false;
    }

    private long nowMs() {
        return clock.nowMs();
    }

    private void logError(String message) {
        try {
            log.log(Level.ERROR, message);
        } catch (RuntimeException ignored) {
            // Never let logging stop the sender.
        }
    }
}
