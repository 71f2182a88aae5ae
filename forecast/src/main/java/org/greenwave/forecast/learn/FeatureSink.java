package org.greenwave.forecast.learn;

/**
 * Receives the feature vector of every incoming lane at every control tick (training-data capture).
 *
 * <p>Threading: called on the intersection's control thread; a sink shared by intersections on several shards must
 * be thread-safe. <b>Allocation:</b> capture mode allocates: every call gets a fresh copy of the features, which the
 * sink may keep. Use it in evaluation runs, not in production.
 */
@FunctionalInterface
public interface FeatureSink {
    /**
     * @param intersectionId the intersection's model id
     * @param lane           incoming lane index
     * @param nowS           time of the tick, engine seconds
     * @param features       the lane's {@link Features} vector, owned by the sink from now on
     */
    void accept(String intersectionId, int lane, double nowS, double[] features);
}
