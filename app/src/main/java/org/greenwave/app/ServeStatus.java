package org.greenwave.app;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.greenwave.adapters.mqtt.BrokerCounters;
import org.greenwave.adapters.mqtt.GatewayCounters;
import org.greenwave.adapters.mqtt.RejectReason;

/** The status line {@code greenwave serve} prints every {@code --status-every} seconds. */
final class ServeStatus {
    /** Always with seconds ({@link LocalTime#toString} drops ":00"). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private ServeStatus() {
    }

    /**
     * One line: time, broker state, the gateway's totals since start (rejections by reason, most frequent first),
     * and the engine's decision p99.
     *
     * @param decisionP99Ns the decision latency's p99 over the last minute, nanoseconds
     * @param broker        the embedded broker's refusals, or null with an external broker
     */
    static String line(LocalTime time, Object brokerState, GatewayCounters c, long decisionP99Ns,
                       BrokerCounters broker) {
        return line(time, brokerState, c, decisionP99Ns) + (broker == null ? ""
                : "  broker refused " + broker.summary());
    }

    static String line(LocalTime time, Object brokerState, GatewayCounters c, long decisionP99Ns) {
        return String.format(Locale.ROOT, "%s  broker %s  msgs in %d  applied %d  rejected %s  plans out %d  "
                        + "dropped %d  decision p99 %.1f µs",
                TIME.format(time), brokerState, c.get(GatewayCounters.Counter.MESSAGES_IN),
                c.get(GatewayCounters.Counter.ENTRIES_APPLIED), rejects(c),
                c.get(GatewayCounters.Counter.PLANS_PUBLISHED),
                c.get(GatewayCounters.Counter.PLANS_DROPPED_DISCONNECTED)
                        + c.get(GatewayCounters.Counter.PLANS_DROPPED_STALE),
                decisionP99Ns / 1000.0);
    }

    /**
     * {@code 0}, or the total and each reason's count, most frequent first, e.g.
     * {@code 3 (unknown-detector 2, malformed-json 1)}. Each count is read once, so the total is their sum.
     */
    static String rejects(GatewayCounters c) {
        RejectReason[] reasons = RejectReason.values();
        long[] counts = new long[reasons.length];
        long total = 0;
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < reasons.length; i++) {
            counts[i] = c.rejects(reasons[i]);
            total += counts[i];
            if (counts[i] > 0) {
                seen.add(i);
            }
        }
        if (total == 0) {
            return "0";
        }
        // Most frequent first; equal counts in the reasons' declared order (the sort is stable).
        seen.sort((a, b) -> Long.compare(counts[b], counts[a]));
        StringBuilder sb = new StringBuilder().append(total).append(" (");
        for (int k = 0; k < seen.size(); k++) {
            int i = seen.get(k);
            sb.append(k == 0 ? "" : ", ").append(reasons[i].code()).append(' ').append(counts[i]);
        }
        return sb.append(')').toString();
    }
}
