package org.greenwave.core.policy;

import org.greenwave.core.state.IntersectionView;

/**
 * A control policy for one intersection. Policies propose; the {@link org.greenwave.core.safety.SafetyInterlock}
 * decides. One instance per intersection, so a policy may keep memory between ticks; it reads the world only through
 * the view it is given, so the same code runs live and under simulation.
 *
 * <p>Threading: called only on the intersection's control thread. {@link #propose} must not allocate.
 */
public interface SignalPolicy {
    /**
     * The program the field device should run by itself, or {@code null} when the engine drives the signal through
     * the interlock. Policies that name a device program (the signal's own program, its fixed-time variant, the
     * device's own actuated logic) are how the engine compares against what cities run today; the engine then only watches.
     */
    default String deviceProgram() {
        return null;
    }

    /**
     * Whether the engine puts this policy under a {@link Watchdog} (when the engine's context enables watchdogs):
     * true for the adaptive controller the engine is deployed with; the baselines it is compared against run as
     * they are.
     */
    default boolean supervised() {
        return false;
    }

    /**
     * Proposes the green phase to show: the current one to hold it, another to ask for a change.
     *
     * @return a green phase index of the view's model
     */
    int propose(IntersectionView view);
}
