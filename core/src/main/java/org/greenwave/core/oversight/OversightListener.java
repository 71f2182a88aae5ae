package org.greenwave.core.oversight;

/**
 * Told of every change to an operator override, for the audit log and the dashboard.
 *
 * <p>Threading: called on the shard thread that runs the signal, during its duty cycle: it must return quickly,
 * never block, and not throw (what it throws is counted as an engine error). Events are rare (one per operator
 * command, expiry or completion), so implementations may allocate.
 */
@FunctionalInterface
public interface OversightListener {
    OversightListener NONE = e -> {
    };

    void onEvent(OversightEvent event);
}
