package org.greenwave.core.ingest;

import org.greenwave.core.state.IntersectionState;

/**
 * What a contiguous range of detectors has reported so far, in primitive arrays indexed by detector index minus
 * {@link #firstDetector()}, and how it folds into an intersection's {@link IntersectionState} before a control tick.
 *
 * <ul>
 *   <li>{@link DetectorKind#STOP_LINE} and {@link DetectorKind#ADVANCE} loops count vehicles: every "on" edge is one
 *       vehicle, and an aggregate adds its count. The time the loop was occupied is summed from on/off edges and
 *       from aggregates' occupancy.</li>
 *   <li>{@link DetectorKind#AREA_IN} and {@link DetectorKind#AREA_OUT} lane-area detectors keep their latest
 *       reading. Several area detectors on one lane (a long approach covered in stretches) add up.</li>
 * </ul>
 * Late, duplicate and out-of-order readings are the adapter's to filter: this class applies what it is given. A
 * reading of the wrong sort for the detector's kind (an edge from a lane-area detector), or with negative counts or an
 * occupancy outside 0..1, is not applied; the caller counts it.
 *
 * <p>Threading: single writer, the thread that owns these detectors (an engine shard). No allocation after
 * construction.
 */
public final class DetectorStates {
    private static final byte STOP_LINE = (byte) DetectorKind.STOP_LINE.ordinal();
    private static final byte ADVANCE = (byte) DetectorKind.ADVANCE.ordinal();
    private static final byte AREA_IN = (byte) DetectorKind.AREA_IN.ordinal();
    private static final byte AREA_OUT = (byte) DetectorKind.AREA_OUT.ordinal();

    private final int firstDetector;
    private final byte[] kind;
    private final int[] lane;
    /** Loops: vehicles counted since the last fold. */
    private final int[] pendingVehicles;
    /** Loops: vehicles counted since start. */
    private final long[] vehicles;
    private final boolean[] occupied;
    /** Loops: the presence the last aggregate reported at its interval's end. */
    private final boolean[] present;
    private final long[] onSinceMs;
    /** Loops: time occupied since start, from completed on/off pairs and aggregates. */
    private final long[] occupiedMs;
    /** Loops: {@link #occupiedMs} plus the running occupation, at the last fold. */
    private final long[] occupiedMsAtFold;
    /** Loops: engine time of the last fold, ms; {@code Long.MIN_VALUE} before the first. */
    private final long[] foldMs;
    /** Area detectors: latest reading. */
    private final int[] areaVehicles;
    private final int[] areaHalting;
    private final double[] areaJamM;
    /** Area detectors: a reading arrived since the last fold. */
    private final boolean[] areaFresh;
    /** Readings applied so far (edges, aggregates and area readings). */
    private final long[] readings;
    /** Per-lane sums while folding; as long as the largest lane index in the range + 1. */
    private final int[] sumVehicles;
    private final int[] sumHalting;
    private final double[] sumJamM;

    /**
     * @param directory     where the detectors' kinds and lanes come from
     * @param firstDetector first detector index of the range
     * @param count         number of detectors in the range
     */
    public DetectorStates(DetectorDirectory directory, int firstDetector, int count) {
        if (firstDetector < 0 || count < 0 || firstDetector + count > directory.detectorCount()) {
            throw new IllegalArgumentException("detector range " + firstDetector + "+" + count + " outside 0.."
                    + directory.detectorCount());
        }
        this.firstDetector = firstDetector;
        this.kind = new byte[count];
        this.lane = new int[count];
        int maxLane = 0;
        for (int k = 0; k < count; k++) {
            kind[k] = (byte) directory.detectorKind(firstDetector + k).ordinal();
            lane[k] = directory.detectorLane(firstDetector + k);
            if (lane[k] < 0) {
                throw new IllegalArgumentException("detector " + directory.detectorId(firstDetector + k)
                        + " has a negative lane index " + lane[k]);
            }
            maxLane = Math.max(maxLane, lane[k]);
        }
        this.pendingVehicles = new int[count];
        this.vehicles = new long[count];
        this.occupied = new boolean[count];
        this.present = new boolean[count];
        this.onSinceMs = new long[count];
        this.occupiedMs = new long[count];
        this.occupiedMsAtFold = new long[count];
        this.foldMs = new long[count];
        java.util.Arrays.fill(foldMs, Long.MIN_VALUE);
        this.areaVehicles = new int[count];
        this.areaHalting = new int[count];
        this.areaJamM = new double[count];
        this.areaFresh = new boolean[count];
        this.readings = new long[count];
        this.sumVehicles = new int[maxLane + 1];
        this.sumHalting = new int[maxLane + 1];
        this.sumJamM = new double[maxLane + 1];
    }

    /**
     * Readings applied so far to detectors {@code [fromDetector, toDetector)}: loop edges, loop aggregates and area
     * readings, whatever their values (a zero count is a reading too); readings refused as out of range are not
     * counted.
     */
    public long readings(int fromDetector, int toDetector) {
        long n = 0;
        for (int k = fromDetector - firstDetector; k < toDetector - firstDetector; k++) {
            n += readings[k];
        }
        return n;
    }

    public int firstDetector() {
        return firstDetector;
    }

    public int count() {
        return kind.length;
    }

    private boolean isLoop(int k) {
        return kind[k] == STOP_LINE || kind[k] == ADVANCE;
    }

    /**
     * Applies an on/off edge of a loop; "on" counts one vehicle.
     *
     * @param detector detector index (of the directory, not of the range)
     * @return false when the detector is not a loop; nothing was applied
     */
    public boolean edge(int detector, boolean on, long timeMs) {
        int k = detector - firstDetector;
        if (!isLoop(k)) {
            return false;
        }
        readings[k]++;
        if (on) {
            pendingVehicles[k]++;
            vehicles[k]++;
            if (!occupied[k]) {
                occupied[k] = true;
                onSinceMs[k] = timeMs;
            }
        } else if (occupied[k]) {
            occupied[k] = false;
            occupiedMs[k] += Math.max(0, timeMs - onSinceMs[k]);
        }
        return true;
    }

    /**
     * Applies a loop's aggregate: adds its count and its occupied time. Speed is not used yet.
     *
     * @return false when the detector is not a loop or the values are out of range; nothing was applied
     */
    public boolean aggregate(int detector, int intervalMs, int count, double occupancy) {
        return aggregate(detector, intervalMs, count, occupancy, false);
    }

    /**
     * As {@link #aggregate(int, int, int, double)}, with the loop's presence at the interval's end: until the next
     * aggregate the loop counts as occupied now when it was (as after an unmatched "on" edge), without adding
     * occupied time, which the aggregates carry.
     */
    public boolean aggregate(int detector, int intervalMs, int count, double occupancy, boolean occupiedAtEnd) {
        int k = detector - firstDetector;
        if (!isLoop(k) || count < 0 || intervalMs < 0 || !(occupancy >= 0 && occupancy <= 1)) {
            return false;
        }
        readings[k]++;
        pendingVehicles[k] += count;
        vehicles[k] += count;
        occupiedMs[k] += Math.round(occupancy * intervalMs);
        present[k] = occupiedAtEnd;
        return true;
    }

    /**
     * Keeps a lane-area detector's latest reading.
     *
     * @return false when the detector is not a lane-area detector or the values are out of range; nothing was applied
     */
    public boolean area(int detector, int vehicleCount, int halting, double jamM) {
        int k = detector - firstDetector;
        if (isLoop(k) || vehicleCount < 0 || halting < 0 || !(jamM >= 0)) {
            return false;
        }
        areaVehicles[k] = vehicleCount;
        areaHalting[k] = halting;
        areaJamM[k] = jamM;
        areaFresh[k] = true;
        readings[k]++;
        return true;
    }

    /**
     * Moves the readings of detectors {@code [fromDetector, toDetector)} into {@code state}: loop counts since the
     * last fold are added to the lane's stop-line or advance count, and the lanes' area readings (summed over the
     * lane's area detectors) replace the state's. Lanes without an area detector are left alone. A loop's occupancy is
     * its occupied share of the time since the last fold, measured at {@code state.nowMs()}.
     */
    public void foldInto(int fromDetector, int toDetector, IntersectionState state) {
        int from = fromDetector - firstDetector;
        int to = toDetector - firstDetector;
        long nowMs = state.nowMs();
        for (int k = from; k < to; k++) {
            int n = pendingVehicles[k];
            if (kind[k] == STOP_LINE || kind[k] == ADVANCE) {
                long occ = occupiedMs[k] + (occupied[k] ? Math.max(0, nowMs - onSinceMs[k]) : 0);
                double share = 0;
                if (foldMs[k] != Long.MIN_VALUE && nowMs > foldMs[k]) {
                    share = Math.min(1, Math.max(0, (double) (occ - occupiedMsAtFold[k]) / (nowMs - foldMs[k])));
                }
                occupiedMsAtFold[k] = occ;
                foldMs[k] = nowMs;
                if (kind[k] == STOP_LINE) {
                    state.addStopLineCount(lane[k], n);
                    state.stopLineOccupancy(lane[k], share, occupied[k] || present[k]);
                } else {
                    state.addAdvanceCount(lane[k], n);
                    state.advanceOccupancy(lane[k], share, occupied[k] || present[k]);
                }
            }
            pendingVehicles[k] = 0;
        }
        foldAreas(from, to, AREA_IN, state);
        foldAreas(from, to, AREA_OUT, state);
    }

    private void foldAreas(int from, int to, byte areaKind, IntersectionState state) {
        for (int k = from; k < to; k++) {
            if (kind[k] == areaKind) {
                sumVehicles[lane[k]] = 0;
                sumHalting[lane[k]] = 0;
                sumJamM[lane[k]] = 0;
            }
        }
        for (int k = from; k < to; k++) {
            if (kind[k] == areaKind) {
                sumVehicles[lane[k]] += areaVehicles[k];
                sumHalting[lane[k]] += areaHalting[k];
                sumJamM[lane[k]] += areaJamM[k];
            }
        }
        for (int k = from; k < to; k++) {
            if (kind[k] == areaKind) {
                int l = lane[k];
                if (areaKind == AREA_IN) {
                    state.incomingArea(l, sumVehicles[l], sumHalting[l], sumJamM[l]);
                    if (areaFresh[k]) {
                        state.incomingAreaReported(l);
                    }
                    areaFresh[k] = false;
                } else {
                    state.outgoingArea(l, sumVehicles[l]);
                }
            }
        }
    }

    /** Vehicles a loop has counted since start (0 for area detectors). */
    public long vehicles(int detector) {
        return vehicles[detector - firstDetector];
    }

    /** Whether a loop is occupied now (its last edge was "on", or its last aggregate reported presence). */
    public boolean occupied(int detector) {
        return occupied[detector - firstDetector] || present[detector - firstDetector];
    }

    /**
     * Milliseconds a loop has been occupied since start, from completed on/off pairs and aggregates; a vehicle on the
     * loop now is not included until it leaves.
     */
    public long occupiedMs(int detector) {
        return occupiedMs[detector - firstDetector];
    }

    /** A lane-area detector's latest vehicle count. */
    public int areaVehicles(int detector) {
        return areaVehicles[detector - firstDetector];
    }

    /** A lane-area detector's latest halting count. */
    public int areaHalting(int detector) {
        return areaHalting[detector - firstDetector];
    }

    /** A lane-area detector's latest jam length, metres. */
    public double areaJamM(int detector) {
        return areaJamM[detector - firstDetector];
    }
}
