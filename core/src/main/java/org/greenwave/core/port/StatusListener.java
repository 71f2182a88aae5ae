package org.greenwave.core.port;

/**
 * Receives controller status that passed the port's validation. Called on the port's receiving thread (one thread per
 * port), in arrival order; must be quick, must not block and must not throw (an exception is counted as an internal
 * error of the port).
 */
@FunctionalInterface
public interface StatusListener {
    void onStatus(ControllerStatus status);

    /** A listener that ignores every status. */
    StatusListener NONE = status -> {
    };
}
