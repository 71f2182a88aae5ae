package org.greenwave.forecast.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Daily arrival-rate profiles of lanes: per lane key ({@link Features#laneKey}), the rate in vehicles per second for
 * each {@link #binS()}-second bin of the day, {@code NaN} for a bin never observed. Learned online by the forecaster,
 * saved with the {@link QueueModel}, and used to seed the forecasters of the next run. Immutable.
 */
public final class FlowProfiles {
    /** Seconds in a day; the bin length must divide it. */
    public static final int DAY_S = 86_400;

    private final int binS;
    private final Map<String, double[]> rates;

    /**
     * @param binS  bin length, seconds; divides 86,400
     * @param rates per lane key, {@code 86400 / binS} rates (vehicles per second, ≥ 0, or NaN); copied
     * @throws IllegalArgumentException naming the lane and what is wrong
     */
    public FlowProfiles(int binS, Map<String, double[]> rates) {
        if (binS <= 0 || DAY_S % binS != 0) {
            throw new IllegalArgumentException("profile bin of " + binS + " s does not divide a day");
        }
        this.binS = binS;
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double[] r = e.getValue();
            if (r.length != DAY_S / binS) {
                throw new IllegalArgumentException("profile of lane " + e.getKey() + " has " + r.length
                        + " bins, needs " + DAY_S / binS);
            }
            for (double v : r) {
                if (!Double.isNaN(v) && !(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("profile of lane " + e.getKey() + " has rate " + v);
                }
            }
            copy.put(e.getKey(), r.clone());
        }
        this.rates = Collections.unmodifiableMap(copy);
    }

    /** No profiles. */
    public static FlowProfiles empty(int binS) {
        return new FlowProfiles(binS, Map.of());
    }

    /** Bin length, seconds. */
    public int binS() {
        return binS;
    }

    /** Bins per day. */
    public int bins() {
        return DAY_S / binS;
    }

    /** The lane keys with a profile, in insertion order. */
    public Iterable<String> laneKeys() {
        return rates.keySet();
    }

    /** A copy of the lane's rates, or null when there is no profile for it. */
    public double[] rates(String laneKey) {
        double[] r = rates.get(laneKey);
        return r == null ? null : r.clone();
    }

    /** Number of lanes with a profile. */
    public int size() {
        return rates.size();
    }
}
