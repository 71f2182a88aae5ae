package org.greenwave.forecast.learn;

/**
 * One training example of the learned predictor: a lane's {@link Features} at time {@code nowS} and the true queue
 * {@link Features#horizonS(int)} seconds later for each horizon ({@code NaN} where it is not known; that horizon then
 * skips the sample).
 *
 * @param intersectionId    the intersection's model id
 * @param lane              incoming lane index
 * @param nowS              time of the features, seconds
 * @param features          {@link Features#COUNT} finite values (copied)
 * @param queueAtHorizonVeh {@link Features#HORIZON_COUNT} true queues, vehicles, ≥ 0 or NaN (copied)
 */
public record Sample(String intersectionId, int lane, double nowS, double[] features, double[] queueAtHorizonVeh) {
    /** @throws IllegalArgumentException naming what is wrong with the sample */
    public Sample {
        if (intersectionId == null || lane < 0 || !Double.isFinite(nowS)) {
            throw new IllegalArgumentException("sample needs an intersection id, a lane >= 0 and a finite time, was "
                    + intersectionId + " lane " + lane + " at " + nowS);
        }
        if (features == null || features.length != Features.COUNT) {
            throw new IllegalArgumentException("sample " + Features.laneKey(intersectionId, lane) + " at " + nowS
                    + ": needs " + Features.COUNT + " features, had " + (features == null ? 0 : features.length));
        }
        if (queueAtHorizonVeh == null || queueAtHorizonVeh.length != Features.HORIZON_COUNT) {
            throw new IllegalArgumentException("sample " + Features.laneKey(intersectionId, lane) + " at " + nowS
                    + ": needs " + Features.HORIZON_COUNT + " targets, had "
                    + (queueAtHorizonVeh == null ? 0 : queueAtHorizonVeh.length));
        }
        for (int f = 0; f < features.length; f++) {
            if (!Double.isFinite(features[f])) {
                throw new IllegalArgumentException("sample " + Features.laneKey(intersectionId, lane) + " at " + nowS
                        + ": feature " + Features.names().get(f) + " is " + features[f]);
            }
        }
        for (double q : queueAtHorizonVeh) {
            if (!Double.isNaN(q) && !(q >= 0 && q < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("sample " + Features.laneKey(intersectionId, lane) + " at " + nowS
                        + ": target queue " + q + " is negative or infinite");
            }
        }
        features = features.clone();
        queueAtHorizonVeh = queueAtHorizonVeh.clone();
    }

    /** {@link Features#laneKey(String, int)} of the sample's lane. */
    public String laneKey() {
        return Features.laneKey(intersectionId, lane);
    }

    /** A copy of the features. */
    @Override
    public double[] features() {
        return features.clone();
    }

    /** A copy of the targets. */
    @Override
    public double[] queueAtHorizonVeh() {
        return queueAtHorizonVeh.clone();
    }

    /** The features without copying; callers in this package must not modify it. */
    double[] featuresView() {
        return features;
    }

    double feature(int index) {
        return features[index];
    }

    double target(int horizonIndex) {
        return queueAtHorizonVeh[horizonIndex];
    }
}
