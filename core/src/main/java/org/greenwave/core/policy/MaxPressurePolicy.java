package org.greenwave.core.policy;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionView;
import org.greenwave.core.time.Millis;

/**
 * Varaiya's max-pressure control: once the current phase has had its minimum green, serve the phase whose movements
 * have the largest pressure, where a movement's pressure is the vehicles on its incoming lane minus those on its
 * outgoing lane (both as measured by the lane-area detectors). The current phase is kept on ties, so a change needs a
 * strictly larger pressure. No cycle, no phase order.
 */
public final class MaxPressurePolicy implements SignalPolicy {
    private final IntersectionModel model;
    private final long decisionIntervalMs;
    private boolean decided;
    private long lastDecisionMs;

    /**
     * @param decisionIntervalS how often, in seconds, the phase choice is revisited once the minimum green is over
     */
    public MaxPressurePolicy(IntersectionModel model, double decisionIntervalS) {
        this.model = model;
        this.decisionIntervalMs = Millis.fromSeconds(decisionIntervalS);
    }

    @Override
    public int propose(IntersectionView view) {
        int current = view.phase();
        if (view.interval() != SafetyInterlock.GREEN) {
            return view.targetPhase();
        }
        if (view.phaseElapsedMs() < model.minGreenMs(current)
                || (decided && view.nowMs() - lastDecisionMs < decisionIntervalMs)) {
            return current;
        }
        decided = true;
        lastDecisionMs = view.nowMs();
        int best = current;
        double bestPressure = pressure(view, current);
        for (int p = 0; p < model.greenPhaseCount(); p++) {
            double pressure = pressure(view, p);
            if (pressure > bestPressure) {
                best = p;
                bestPressure = pressure;
            }
        }
        return best;
    }

    /** Sum of movement pressures over the links that phase {@code p} gives a green. */
    static double pressure(IntersectionView view, int p) {
        IntersectionModel m = view.model();
        double sum = 0;
        for (int l = 0; l < m.linkCount(); l++) {
            if (m.linkUsed(l) && SignalChar.isGreen(m.greenState(p, l))) {
                sum += view.incomingVehicles(m.linkIncomingLane(l)) - view.outgoingVehicles(m.linkOutgoingLane(l));
            }
        }
        return sum;
    }
}
