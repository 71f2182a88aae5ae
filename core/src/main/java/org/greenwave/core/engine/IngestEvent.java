package org.greenwave.core.engine;

/**
 * One detector reading on its way from a producer thread to the shard that owns the detector. Preallocated at
 * start-up and reused: a producer takes a free one from the shard's pool, fills it and queues it; the shard applies
 * it and returns it to the pool. The queues' ordered stores publish the plain fields.
 */
final class IngestEvent {
    static final int EDGE = 0;
    static final int AGGREGATE = 1;
    static final int LANE_AREA = 2;

    int type;
    int detector;
    /** An edge's direction; an aggregate's presence at its interval's end. */
    boolean on;
    long timeMs;
    int intervalMs;
    int count;
    double occupancy;
    int vehicles;
    int halting;
    double jamM;
}
