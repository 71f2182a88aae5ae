package org.greenwave.core.policy;

/**
 * A policy that exchanges projected outflows and full lanes with its neighbours through a {@link Neighbourhood}.
 * The engine calls {@link #join} once at start-up, before the first tick; afterwards the policy reads its neighbours'
 * slots and writes its own only from {@link SignalPolicy#propose}, on its intersection's control thread.
 */
public interface CoordinatedPolicy {
    /** Start-up only: the neighbourhood and this policy's intersection index in it. */
    void join(Neighbourhood neighbourhood, int intersection);
}
