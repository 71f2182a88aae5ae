package org.greenwave.forecast.estimate;

/**
 * Watches one induction loop of an incoming lane and flags it <b>dead</b> (silent: no edge for longer than
 * {@code silentS} while the neighbour loop on the same lane counted at least {@code minNeighbourVehicles}) or
 * <b>stuck on</b> (occupied continuously for longer than {@code stuckOnS} while the lane's signal showed green for at
 * least {@code stuckOnMinGreenS} of that time). A quiet lane — both loops silent, as at night — is not flagged.
 *
 * <p>With {@code silentOnlyOnGreen} the silent time accrues only while the lane shows green: right for a stop-line
 * loop, which legitimately counts nothing through a red however long, while the advance loop counts arrivals.
 *
 * <p>The flags clear as soon as the loop reports an edge (dead) or is not occupied throughout a tick (stuck on). The
 * caller passes {@link #faulty()} to {@link LaneQueueEstimator#detectorFault}.
 *
 * <p>Units: seconds. Thread: single-threaded, on the intersection's control thread. No allocation per update.
 */
public final class LoopHealth {
    private final double silentS;
    private final int minNeighbourVehicles;
    private final double stuckOnS;
    private final double stuckOnMinGreenS;
    private final boolean silentOnlyOnGreen;

    private boolean started;
    private double lastS;
    private double silentForS;
    private long neighbourSinceEdge;
    private double occupiedS;
    private double greenWhileOccupiedS;
    private boolean dead;
    private boolean stuckOn;

    /** Defaults: silent 300 s with at least 1 neighbour vehicle; stuck on 120 s with at least 60 s of green. */
    public LoopHealth() {
        this(300, 1, 120, 60);
    }

    /**
     * @throws IllegalArgumentException for a non-positive or non-finite time, or {@code minNeighbourVehicles < 1}
     */
    public LoopHealth(double silentS, int minNeighbourVehicles, double stuckOnS, double stuckOnMinGreenS) {
        this(silentS, minNeighbourVehicles, stuckOnS, stuckOnMinGreenS, false);
    }

    /**
     * @param silentOnlyOnGreen whether the silent time accrues only while the lane shows green (for a stop-line loop)
     * @throws IllegalArgumentException for a non-positive or non-finite time, or {@code minNeighbourVehicles < 1}
     */
    public LoopHealth(double silentS, int minNeighbourVehicles, double stuckOnS, double stuckOnMinGreenS,
                      boolean silentOnlyOnGreen) {
        if (!(silentS > 0) || Double.isInfinite(silentS)) {
            throw new IllegalArgumentException("silentS must be positive and finite, was " + silentS);
        }
        if (minNeighbourVehicles < 1) {
            throw new IllegalArgumentException("minNeighbourVehicles must be >= 1, was " + minNeighbourVehicles);
        }
        if (!(stuckOnS > 0) || Double.isInfinite(stuckOnS)) {
            throw new IllegalArgumentException("stuckOnS must be positive and finite, was " + stuckOnS);
        }
        if (!(stuckOnMinGreenS >= 0) || stuckOnMinGreenS > stuckOnS) {
            throw new IllegalArgumentException("stuckOnMinGreenS must be in 0..stuckOnS, was " + stuckOnMinGreenS);
        }
        this.silentS = silentS;
        this.minNeighbourVehicles = minNeighbourVehicles;
        this.stuckOnS = stuckOnS;
        this.stuckOnMinGreenS = stuckOnMinGreenS;
        this.silentOnlyOnGreen = silentOnlyOnGreen;
    }

    /**
     * One tick.
     *
     * @param nowS               time of this tick, seconds, monotonic (the first call starts the clocks)
     * @param edges              on and off edges this loop reported since the previous tick
     * @param occupiedThroughout whether this loop was occupied for the whole tick
     * @param green              whether the lane's signal showed green over the tick
     * @param neighbourVehicles  vehicles the other loop of the same lane counted since the previous tick
     * @return false when the tick was rejected (time going backwards, negative counts) and changed nothing
     */
    public boolean update(double nowS, int edges, boolean occupiedThroughout, boolean green, int neighbourVehicles) {
        if (!Double.isFinite(nowS) || (started && nowS < lastS) || edges < 0 || neighbourVehicles < 0) {
            return false;
        }
        if (!started) {
            started = true;
            lastS = nowS;
            silentForS = 0;
        }
        double dtS = nowS - lastS;
        lastS = nowS;

        if (edges > 0) {
            silentForS = 0;
            neighbourSinceEdge = 0;
            dead = false;
        } else if (!occupiedThroughout) {
            // A vehicle standing on the loop is presence, not silence (a queue blocked on green holds it there).
            if (green || !silentOnlyOnGreen) {
                silentForS += dtS;
            }
            neighbourSinceEdge += neighbourVehicles;
            dead = silentForS > silentS && neighbourSinceEdge >= minNeighbourVehicles;
        }

        if (occupiedThroughout) {
            occupiedS += dtS;
            if (green) {
                greenWhileOccupiedS += dtS;
            }
            stuckOn = occupiedS > stuckOnS && greenWhileOccupiedS >= stuckOnMinGreenS;
        } else {
            occupiedS = 0;
            greenWhileOccupiedS = 0;
            stuckOn = false;
        }
        return true;
    }

    /** No edge for longer than the silent time while the neighbour loop counted vehicles. */
    public boolean dead() {
        return dead;
    }

    /** Occupied for longer than the stuck-on time, through enough green that a real vehicle would have moved. */
    public boolean stuckOn() {
        return stuckOn;
    }

    /** {@link #dead()} or {@link #stuckOn()}: the loop's counts should not be trusted. */
    public boolean faulty() {
        return dead || stuckOn;
    }
}
