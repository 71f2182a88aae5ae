package org.greenwave.app;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.ReasonCounts;


/** The status line {@code greenwave serve} prints every {@code --status-every} seconds. */
final class ServeStatus {
    /** Always with seconds ({@link LocalTime#toString} drops ":00"). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private ServeStatus() {
    }

    /**
     * One line: time, the field link's state, the field port's totals since start (rejections by reason, most frequent
     * first), and the engine's decision p99.
     *
     * @param link          what the link is to the field, e.g. {@code broker} for MQTT
     * @param linkState     the port's {@link org.greenwave.core.port.LinkState}
     * @param decisionP99Ns the decision latency's p99 over the last minute, nanoseconds
     * @param more          what the port runs on adds (e.g. {@code broker refused 0}), or null
     */
    static String line(LocalTime time, String link, Object linkState, FieldCounters c, long decisionP99Ns,
                       String more) {
        return String.format(Locale.ROOT, "%s  %s %s  plans out %d  dropped %d  decision p99 %.1f µs",
                TIME.format(time), link, input(linkState, c), c.plansSent(), c.plansDropped(), decisionP99Ns / 1000.0)
                + (more == null ? "" : "  " + more);
    }

    /**
     * What an input took: the link's state and its totals since start, e.g. {@code CONNECTED  msgs in 12  applied 40
     * rejected 1 (malformed-json 1)}; the field port's part of {@link #line}, and a second input's (the cameras'
     * beside NTCIP controllers).
     */
    static String input(Object linkState, FieldCounters c) {
        return String.format(Locale.ROOT, "%s  msgs in %d  applied %d  rejected %s", linkState, c.messagesIn(),
                c.entriesApplied(), rejects(c.rejects()));
    }

    /**
     * {@code 0}, or the total and each reason's count, most frequent first, e.g.
     * {@code 3 (unknown-detector 2, malformed-json 1)}. Each count is read once, so the total is their sum.
     */
    static String rejects(ReasonCounts c) {
        List<String> codes = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        c.forEach((code, n) -> {
            codes.add(code);
            counts.add(n);
        });
        long total = 0;
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            total += counts.get(i);
            if (counts.get(i) > 0) {
                seen.add(i);
            }
        }
        if (total == 0) {
            return "0";
        }
        // Most frequent first; equal counts in the reasons' declared order (the sort is stable).
        seen.sort((a, b) -> Long.compare(counts.get(b), counts.get(a)));
        StringBuilder sb = new StringBuilder().append(total).append(" (");
        for (int k = 0; k < seen.size(); k++) {
            int i = seen.get(k);
            sb.append(k == 0 ? "" : ", ").append(codes.get(i)).append(' ').append(counts.get(i));
        }
        return sb.append(')').toString();
    }
}
