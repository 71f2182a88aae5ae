package org.greenwave.core.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * Spins, then yields, then parks for exponentially longer, up to a maximum; any work resets it. The engine's default:
 * a busy shard reacts within nanoseconds, an idle one costs almost no CPU, and a due control tick is at most
 * {@code maxParkNs} late.
 *
 * <p>Parking is the runner's business, not control logic: control logic reads time only from the engine's clock.
 * Threading: one instance per thread.
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    /** Defaults: 10 spins, 5 yields, then parks from 1 µs up to 1 ms. */
    public static final int DEFAULT_SPINS = 10;
    public static final int DEFAULT_YIELDS = 5;
    public static final long DEFAULT_MIN_PARK_NS = 1_000;
    public static final long DEFAULT_MAX_PARK_NS = 1_000_000;

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private int spins;
    private int yields;
    private long parkNs;

    public BackoffIdleStrategy() {
        this(DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MIN_PARK_NS, DEFAULT_MAX_PARK_NS);
    }

    /**
     * @throws IllegalArgumentException unless {@code spins, yields >= 0} and {@code 0 < minParkNs <= maxParkNs}
     */
    public BackoffIdleStrategy(int maxSpins, int maxYields, long minParkNs, long maxParkNs) {
        if (maxSpins < 0 || maxYields < 0 || minParkNs <= 0 || maxParkNs < minParkNs) {
            throw new IllegalArgumentException("back-off needs spins, yields >= 0 and 0 < minParkNs <= maxParkNs, was "
                    + maxSpins + ", " + maxYields + ", " + minParkNs + ", " + maxParkNs);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs << 1, maxParkNs);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }
}
