package org.greenwave.core.engine;

/**
 * Receives every timing plan the engine issues. Called on the shard thread that owns the intersection, right after
 * its control tick; implementations must be quick, must not block, and must copy what they need from the plan
 * (see {@link TimingPlan}). Different shards call concurrently.
 */
@FunctionalInterface
public interface PlanSink {
    void onPlan(TimingPlan plan);
}
