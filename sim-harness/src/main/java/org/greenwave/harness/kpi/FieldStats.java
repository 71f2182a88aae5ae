package org.greenwave.harness.kpi;

import java.util.Map;

/**
 * What the field controllers of a run did with the plans that reached them, summed over the signals; {@code field} in
 * {@code summary.json}. The fallbacks count only signals the engine drives: a signal left to its device program by
 * the controller (device, fixed, actuated) runs that program with or without plans.
 *
 * @param plansAccepted    plans the field controllers followed
 * @param plansRefused     plans refused, for any reason (signature or plan)
 * @param refusedByReason  the same by reason code ({@code unsigned}, {@code forged}, {@code expired}, ...), every
 *                         reason listed, zeros included
 * @param fallbacksEntered times a controller went from following a plan to its own program because the plan ran out
 *                         with no newer valid one (an outage, plans refused); the fallback a controller starts in is
 *                         not counted
 * @param fallbackS        signal-seconds of simulated time the controllers ran without a valid plan
 */
public record FieldStats(long plansAccepted, long plansRefused, Map<String, Long> refusedByReason,
                         long fallbacksEntered, double fallbackS) {
    public FieldStats {
        refusedByReason = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(refusedByReason));
    }

    /**
     * The refusals that happened, e.g. {@code forged 2, expired 1}, in {@code refusedByReason}'s order; empty when
     * none.
     */
    public String refusalsText() {
        StringBuilder b = new StringBuilder();
        refusedByReason.forEach((code, n) -> {
            if (n > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(code).append(' ').append(n);
            }
        });
        return b.toString();
    }
}
