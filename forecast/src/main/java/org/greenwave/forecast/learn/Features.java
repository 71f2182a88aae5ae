package org.greenwave.forecast.learn;

import java.util.List;

/**
 * The fixed per-lane feature vector of the learned queue predictor: what the forecaster knows about one incoming lane
 * at one control tick, computed from its own history. The order, names and meaning below are part of the model file
 * format ({@link QueueModel}); a model trained on another feature set is refused at load.
 *
 * <p>Counts are vehicles over the stated window ending at the tick. "Arrivals" are the forecaster's per-tick arrival
 * measurement: the advance loop's count while it works and is not covered by the queue, else the stop-line loop's
 * count (over a cycle departures match arrivals), else the lane-area detector's moving vehicles over their time to
 * cross the zone, else the estimator's smoothed rate. A value that cannot be known reads {@link #MISSING} (-1).
 */
public final class Features {
    /** Value of a feature that cannot be known (no such detector, detector faulty, nothing supplied). */
    public static final double MISSING = -1;

    /** Queue estimate now, vehicles. */
    public static final int QUEUE_VEH = 0;
    /** Variance of the estimate, vehicles². */
    public static final int QUEUE_VARIANCE_VEH2 = 1;
    /** Arrivals in the last 10 s, vehicles. */
    public static final int ARRIVALS_10S_VEH = 2;
    /** Arrivals in the last 30 s, vehicles. */
    public static final int ARRIVALS_30S_VEH = 3;
    /** Arrivals in the last 60 s, vehicles. */
    public static final int ARRIVALS_60S_VEH = 4;
    /** Departures (stop-line count, or the estimator's modelled discharge) in the last 10 s, vehicles. */
    public static final int DEPARTURES_10S_VEH = 5;
    /** Departures in the last 30 s, vehicles. */
    public static final int DEPARTURES_30S_VEH = 6;
    /** Share of the last tick the advance loop was occupied, 0..1; -1 when the lane has none or it is faulty. */
    public static final int ADVANCE_OCCUPANCY = 7;
    /** Halting vehicles in the lane-area zone; -1 when the lane has no area detector or it is faulty. */
    public static final int AREA_HALTING_VEH = 8;
    /** Vehicles in the lane-area zone; -1 when the lane has no area detector or it is faulty. */
    public static final int AREA_VEHICLES_VEH = 9;
    /** 1 when the lane shows green now, else 0. */
    public static final int GREEN_NOW = 10;
    /** Seconds the lane's current green or red interval has lasted. */
    public static final int INTERVAL_ELAPSED_S = 11;
    /** Typical green duration of the lane (learned), seconds. */
    public static final int TYPICAL_GREEN_S = 12;
    /** Typical time between greens of the lane (learned), seconds. */
    public static final int TYPICAL_RED_S = 13;
    /** Model-based predicted queue 5 s ahead, vehicles. */
    public static final int MODEL_QUEUE_5S_VEH = 14;
    /** Model-based predicted queue 15 s ahead, vehicles. */
    public static final int MODEL_QUEUE_15S_VEH = 15;
    /** Model-based predicted queue 30 s ahead, vehicles. */
    public static final int MODEL_QUEUE_30S_VEH = 16;
    /** Model-based predicted queue 60 s ahead, vehicles. */
    public static final int MODEL_QUEUE_60S_VEH = 17;
    /** sin(2π × time of day / 86,400 s). */
    public static final int TIME_OF_DAY_SIN = 18;
    /** cos(2π × time of day / 86,400 s). */
    public static final int TIME_OF_DAY_COS = 19;
    /** Arrival rate of the lane's learned daily flow profile now, vehicles per second; -1 while unknown. */
    public static final int PROFILE_RATE_VEH_PER_S = 20;
    /** Vehicles an upstream intersection is expected to send to the lane's queue in the next 30 s; -1 if none. */
    public static final int UPSTREAM_30S_VEH = 21;
    /** 1 when the queue has spilled back over the advance loop, else 0. */
    public static final int SPILLED_BACK = 22;
    /** Number of features. */
    public static final int COUNT = 23;

    /** Horizons of the learned predictor, seconds ahead. */
    private static final int[] HORIZONS_S = {5, 15, 30, 60};
    /** Number of horizons. */
    public static final int HORIZON_COUNT = HORIZONS_S.length;

    private static final List<String> NAMES = List.of(
            "queueVeh", "queueVarianceVeh2", "arrivals10sVeh", "arrivals30sVeh", "arrivals60sVeh",
            "departures10sVeh", "departures30sVeh", "advanceOccupancy", "areaHaltingVeh", "areaVehiclesVeh",
            "greenNow", "intervalElapsedS", "typicalGreenS", "typicalRedS", "modelQueue5sVeh", "modelQueue15sVeh",
            "modelQueue30sVeh", "modelQueue60sVeh", "timeOfDaySin", "timeOfDayCos", "profileRateVehPerS",
            "upstream30sVeh", "spilledBack");

    private Features() {
    }

    /** The feature names in vector order (immutable). */
    public static List<String> names() {
        return NAMES;
    }

    /** Horizon {@code index} (0..{@link #HORIZON_COUNT}−1) in seconds: 5, 15, 30, 60. */
    public static int horizonS(int index) {
        return HORIZONS_S[index];
    }

    /** Index of the model-based prediction feature for horizon {@code index}. */
    public static int modelQueueFeature(int horizonIndex) {
        return MODEL_QUEUE_5S_VEH + horizonIndex;
    }

    /** The id of a lane across intersections: {@code intersectionId + "#" + laneIndex}. */
    public static String laneKey(String intersectionId, int lane) {
        return intersectionId + "#" + lane;
    }
}
