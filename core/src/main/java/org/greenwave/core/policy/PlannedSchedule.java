package org.greenwave.core.policy;

/**
 * A policy that plans a schedule ahead, not just the next phase: after each {@link SignalPolicy#propose} it exposes
 * the green phases it intends to run, in order, and when each is planned to end. The engine publishes them in the
 * timing plan after the states the interlock has already committed to. Entry 0 is the proposal just made; an empty
 * schedule means the policy plans nothing beyond it.
 *
 * <p>Threading: read on the intersection's control thread right after {@code propose}, until the next call.
 */
public interface PlannedSchedule {
    /** Number of planned green phases (consecutive entries differ). */
    int plannedCount();

    /** The green phase of entry {@code i}. */
    int plannedPhase(int i);

    /** When entry {@code i}'s green is planned to end, seconds after the tick of the last proposal. */
    double plannedEndS(int i);
}
