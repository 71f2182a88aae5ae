package org.greenwave.core.engine;

/**
 * What a shard thread does when a duty cycle found no work (Agrona's idle strategy). Only {@link Engine#launch}ed
 * engines idle; an {@link Engine#invoked} engine leaves that to its caller.
 *
 * <p>Threading: one instance per shard thread, called only by it; implementations may keep state.
 */
public interface IdleStrategy {
    /**
     * Called after every duty cycle.
     *
     * @param workCount the work the duty cycle did; 0 means idle, anything else resets the back-off
     */
    void idle(int workCount);

    /** Forgets any back-off; the next idle starts from the beginning. */
    void reset();
}
