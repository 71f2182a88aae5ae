package org.greenwave.core.oversight;

/**
 * Something that happened to an operator override at one signal, as the engine reports it to its
 * {@link OversightListener}.
 *
 * @param intersection   dense index of the signal
 * @param intersectionId external id of the signal
 * @param type           what happened
 * @param command        the command concerned
 * @param engineTimeS    engine-clock time, seconds
 * @param message        for people, e.g. why adaptive control resumed
 */
public record OversightEvent(int intersection, String intersectionId, Type type, OperatorCommand command,
                             double engineTimeS, String message) {
    /** What happened. */
    public enum Type {
        /** The engine took the command; it is in force. */
        APPLIED,
        /** All-red flash began: the signal's minimum green was over and the device was told to flash. */
        FLASHING,
        /** An operator ended the override ({@link OperatorCommand.Kind#ADAPTIVE}); adaptive control resumed. */
        CLEARED,
        /** A newer command took its place. */
        REPLACED,
        /** Its duration ran out; adaptive control resumed. */
        EXPIRED,
        /** It did what it asked (an advance reached its phase); adaptive control resumed. */
        COMPLETED
    }
}
