/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.greenwave.core.port.MetricSource;
import org.greenwave.core.port.ReasonCounts;

/**
 * What the embedded broker refused or dropped, so that nothing it does not deliver goes uncounted: connections it
 * refused, publishes and subscriptions its access list denied, clients it disconnected for an oversized or malformed
 * packet, and (from the broker's own metrics) messages it dropped, e.g. because a subscriber's queue was full, plus
 * the publishes it received and sent. Lock-free; any thread may read; two reads are not a consistent snapshot.
 */
public final class BrokerCounters implements MetricSource {

    /** Why the broker refused or dropped something. */
    public enum Refusal {
        /** A client without a user name where anonymous clients are not allowed. */
        ANONYMOUS("anonymous"),
        /** An unknown user name or a wrong password. */
        BAD_CREDENTIALS("bad-credentials"),
        /** No client certificate on a listener that wants one (mutual TLS). */
        NO_CLIENT_CERTIFICATE("no-client-certificate"),
        /** A client id reserved for the engine ({@code greenwave-engine-…}) from a client that is not the engine. */
        RESERVED_CLIENT_ID("reserved-client-id"),
        /** A publish (or a will) to a topic the access list does not let the client write. */
        PUBLISH_DENIED("publish-denied"),
        /** A subscription the access list does not let the client read. */
        SUBSCRIBE_DENIED("subscribe-denied"),
        /** A message the client may not receive under a {@code deny} line, held back. */
        DELIVERY_DENIED("delivery-denied"),
        /** A client disconnected because it sent a packet larger than the broker's limit. */
        PACKET_TOO_LARGE("packet-too-large"),
        /** A client disconnected for a malformed packet or a protocol error. */
        MALFORMED_PACKET("malformed-packet"),
        /** Messages the broker dropped on their way out (a subscriber's queue full, too large for it, expired). */
        DROPPED("dropped");

        private final String code;

        Refusal(String code) {
            this.code = code;
        }

        /** The label value in metrics and the status line. */
        public String code() {
            return code;
        }
    }

    private static final Refusal[] REFUSALS = Refusal.values();
    private final ReasonCounts refusals = new ReasonCounts() {
        @Override
        public void forEach(ReasonSink sink) {
            for (Refusal r : REFUSALS) {
                sink.count(r.code(), get(r));
            }
        }

        @Override
        public long total() {
            return BrokerCounters.this.total();
        }
    };
    private static final String DROPPED_PREFIX = "com.hivemq.messages.dropped";
    private static final String PUBLISHES_IN = "com.hivemq.messages.incoming.publish.count";
    private static final String PUBLISHES_OUT = "com.hivemq.messages.outgoing.publish.count";
    private static final String TAKEOVERS_NAME = "sessionsTakenOver";

    private final AtomicLongArray counts = new AtomicLongArray(REFUSALS.length);
    private final java.util.concurrent.atomic.AtomicLong takeovers = new java.util.concurrent.atomic.AtomicLong();
    private volatile MetricRegistry registry;

    BrokerCounters() {
    }

    void attach(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Counts one and returns the new count of that reason. */
    long increment(Refusal r) {
        return counts.incrementAndGet(r.ordinal());
    }

    void sessionTakenOver() {
        takeovers.incrementAndGet();
    }

    /** How many times so far, for {@code r}. */
    public long get(Refusal r) {
        if (r == Refusal.DROPPED) {
            return dropped();
        }
        return counts.get(r.ordinal());
    }

    /** Sum over every reason. */
    public long total() {
        long sum = 0;
        for (Refusal r : REFUSALS) {
            sum += get(r);
        }
        return sum;
    }

    /** PUBLISH packets the broker received from clients (the engine's own included). */
    public long publishesIn() {
        return count(PUBLISHES_IN);
    }

    /** PUBLISH packets the broker sent to subscribers. */
    public long publishesOut() {
        return count(PUBLISHES_OUT);
    }

    /** Connections the broker closed because another client connected with the same client id. */
    public long sessionsTakenOver() {
        return takeovers.get();
    }

    /** The broker's own count of dropped messages (all reasons). */
    private long dropped() {
        MetricRegistry r = registry;
        if (r == null) {
            return 0;
        }
        // HiveMQ counts each reason under com.hivemq.messages.dropped.<reason>.count and the total under .count.
        long total = count(DROPPED_PREFIX + ".count");
        if (total > 0) {
            return total;
        }
        long sum = 0;
        for (Map.Entry<String, Metric> e : r.getMetrics().entrySet()) {
            if (e.getKey().startsWith(DROPPED_PREFIX + ".")) {
                sum += value(e.getValue());
            }
        }
        return sum;
    }

    private long count(String name) {
        MetricRegistry r = registry;
        return r == null ? 0 : value(r.getMetrics().get(name));
    }

    private static long value(Metric m) {
        if (m instanceof Counting c) {
            return c.getCount();
        }
        if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    /**
     * {@code 0}, or the total and each reason's count, most frequent first, e.g.
     * {@code 5 (bad-credentials 3, publish-denied 2)}.
     */
    public String summary() {
        long[] c = new long[REFUSALS.length];
        long total = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = get(REFUSALS[i]);
            total += c[i];
        }
        if (total == 0) {
            return "0";
        }
        Integer[] order = new Integer[c.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(c[b], c[a]));
        StringBuilder sb = new StringBuilder().append(total).append(" (");
        boolean first = true;
        for (int i : order) {
            if (c[i] > 0) {
                sb.append(first ? "" : ", ").append(REFUSALS[i].code()).append(' ').append(c[i]);
                first = false;
            }
        }
        return sb.append(')').toString();
    }

    /** On the dashboard's {@code /metrics}: {@code greenwave_mqtt_broker_*}. */
    @Override
    public void report(MetricSink sink) {
        sink.byReason("greenwave_mqtt_broker_refused_total",
                "What the embedded MQTT broker refused or dropped, by reason.", refusals);
        sink.metric("greenwave_mqtt_broker_publishes_received_total", "counter",
                "PUBLISH packets the embedded broker received.", publishesIn());
        sink.metric("greenwave_mqtt_broker_publishes_sent_total", "counter",
                "PUBLISH packets the embedded broker sent to subscribers.", publishesOut());
        sink.metric("greenwave_mqtt_broker_sessions_taken_over_total", "counter",
                "Connections the embedded broker closed because another took their client id.", sessionsTakenOver());
    }

    @Override
    public String toString() {
        return "BrokerCounters{refused=" + summary() + ", " + TAKEOVERS_NAME + "=" + sessionsTakenOver()
                + ", publishesIn=" + publishesIn() + ", publishesOut=" + publishesOut() + "}";
    }
}
