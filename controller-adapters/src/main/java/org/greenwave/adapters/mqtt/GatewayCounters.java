/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.concurrent.atomic.AtomicLongArray;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.ReasonCounts;


/**
 * What the MQTT gateway has done, as monotonically increasing counts. Lock-free: writers (MQTT callback threads,
 * engine shard threads, the gateway's own threads) add with one atomic instruction, readers on any thread see recent
 * values. Two reads are not a consistent snapshot of each other.
 *
 * <p>As the port's {@link FieldCounters}: plans sent are those published, plans dropped those dropped stale or while
 * disconnected; connect time-outs and session takeovers are reported besides ({@code greenwave_mqtt_*}).
 */
public final class GatewayCounters implements FieldCounters {

    /** The gateway's counters other than rejections. */
    public enum Counter {
        /** Messages received on the detector and status topics (and any other topic that reached the gateway). */
        MESSAGES_IN("messagesIn"),
        /** Detector entries validated and accepted by Ingest. */
        ENTRIES_APPLIED("entriesApplied"),
        /** Valid detector entries that Ingest refused because a shard queue was full. */
        INGEST_REFUSED("ingestRefused"),
        /** Valid status messages handed to the status listener. */
        STATUS_RECEIVED("statusReceived"),
        /** Plans handed to the MQTT client for sending. */
        PLANS_PUBLISHED("plansPublished"),
        /** Plans the broker acknowledged (QoS 1) or that were written to the socket (QoS 0). */
        PLANS_ACKNOWLEDGED("plansAcknowledged"),
        /**
         * Times the plan sender had to wait because the broker's receive maximum of unacknowledged messages was
         * reached; the plan was sent later, or superseded or dropped stale meanwhile.
         */
        PLAN_SENDS_DEFERRED("planSendsDeferred"),
        /** Plans replaced by a newer plan of the same intersection before they could be sent. */
        PLANS_SUPERSEDED("plansSuperseded"),
        /** Plans dropped because they had expired, or would before a broker could deliver them. */
        PLANS_DROPPED_STALE("plansDroppedStale"),
        /** Plans dropped because the gateway was not connected when they were issued or due to be sent. */
        PLANS_DROPPED_DISCONNECTED("plansDroppedDisconnected"),
        /** Plans the MQTT client refused with an error other than a lost connection. */
        PLANS_FAILED("plansFailed"),
        /** Health messages published. */
        HEALTH_PUBLISHED("healthPublished"),
        /** Health messages not published (disconnected or client busy). */
        HEALTH_DROPPED("healthDropped"),
        /** Successful connections, the first included. */
        CONNECTS("connects"),
        /** Successful connections after the first. */
        RECONNECTS("reconnects"),
        /** Connection attempts that failed. */
        CONNECT_FAILURES("connectFailures"),
        /**
         * Connection attempts abandoned because the broker did not answer within the connect time-out and its grace
         * (each is also a connect failure).
         */
        CONNECT_TIMEOUTS("connectTimeouts"),
        /** Established connections that were lost. */
        CONNECTION_LOSSES("connectionLosses"),
        /**
         * Connections the broker closed because another client connected with the gateway's client id (MQTT 5 reason
         * 0x8E, session taken over); each is also a connection loss.
         */
        SESSION_TAKEOVERS("sessionTakeovers"),
        /** Unexpected exceptions caught on a gateway thread (bugs; each is logged). */
        INTERNAL_ERRORS("internalErrors");

        private final String code;

        Counter(String code) {
            this.code = code;
        }

        /** The name in health payloads. */
        public String code() {
            return code;
        }
    }

    private static final Counter[] COUNTERS = Counter.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTERS.length);
    private final AtomicLongArray rejects = new AtomicLongArray(RejectReason.all().length);
    private final ReasonCounts rejectCounts = new ReasonCounts() {
        @Override
        public void forEach(ReasonSink sink) {
            for (RejectReason r : RejectReason.all()) {
                sink.count(r.code(), rejects(r));
            }
        }

        @Override
        public long total() {
            return rejectsTotal();
        }
    };

    public long get(Counter counter) {
        return counts.get(counter.ordinal());
    }

    public long rejects(RejectReason reason) {
        return rejects.get(reason.ordinal());
    }

    /** Sum over all reasons. */
    public long rejectsTotal() {
        long sum = 0;
        for (int i = 0; i < rejects.length(); i++) {
            sum += rejects.get(i);
        }
        return sum;
    }

    @Override
    public long messagesIn() {
        return get(Counter.MESSAGES_IN);
    }

    @Override
    public long entriesApplied() {
        return get(Counter.ENTRIES_APPLIED);
    }

    @Override
    public long ingestRefused() {
        return get(Counter.INGEST_REFUSED);
    }

    /** Every {@link RejectReason} by its code, in declaration order. */
    @Override
    public ReasonCounts rejects() {
        return rejectCounts;
    }

    @Override
    public long plansSent() {
        return get(Counter.PLANS_PUBLISHED);
    }

    @Override
    public long plansDropped() {
        return get(Counter.PLANS_DROPPED_DISCONNECTED) + get(Counter.PLANS_DROPPED_STALE);
    }

    @Override
    public long connectionLosses() {
        return get(Counter.CONNECTION_LOSSES);
    }

    @Override
    public void report(MetricSink sink) {
        sink.metric("greenwave_mqtt_connect_timeouts_total", "counter",
                "MQTT connection attempts abandoned for want of an answer.", get(Counter.CONNECT_TIMEOUTS));
        sink.metric("greenwave_mqtt_session_takeovers_total", "counter",
                "Times another client took the engine's MQTT session over.", get(Counter.SESSION_TAKEOVERS));
    }

    static Counter[] counters() {
        return COUNTERS;
    }

    void increment(Counter counter) {
        counts.getAndIncrement(counter.ordinal());
    }

    void add(Counter counter, long n) {
        counts.getAndAdd(counter.ordinal(), n);
    }

    /** Counts one rejection and returns the new total for its reason. */
    long reject(RejectReason reason) {
        return rejects.incrementAndGet(reason.ordinal());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GatewayCounters{");
        for (Counter c : COUNTERS) {
            sb.append(c.code()).append('=').append(get(c)).append(", ");
        }
        sb.append("rejects={");
        boolean first = true;
        for (RejectReason r : RejectReason.all()) {
            long n = rejects(r);
            if (n != 0) {
                sb.append(first ? "" : ", ").append(r.code()).append('=').append(n);
                first = false;
            }
        }
        return sb.append("}}").toString();
    }
}
