package org.greenwave.core.oversight;

/**
 * The operator override in force at a signal, as published with the signal's snapshot. Immutable: the engine makes a
 * new one when the override changes, so publishing it costs nothing per tick.
 *
 * @param command    the command in force
 * @param sinceS     engine time the engine took it, seconds
 * @param expiresAtS engine time adaptive control resumes, seconds
 * @param flashing   for {@link OperatorCommand.Kind#FLASH}: the device was told to flash (before that the engine waits
 *                   for the minimum green of the phase shown)
 * @param heldPhase  for {@link OperatorCommand.Kind#HOLD}: the phase held; the advance's phase for
 *                   {@link OperatorCommand.Kind#ADVANCE}; otherwise -1
 */
public record OverrideStatus(OperatorCommand command, double sinceS, double expiresAtS, boolean flashing,
                             int heldPhase) {
}
