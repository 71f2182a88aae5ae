package org.greenwave.forecast.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.core.forecast.ForecasterFactory;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.forecast.estimate.LaneDetectorHealth;
import org.greenwave.forecast.estimate.LaneQueueEstimator;
import org.greenwave.forecast.learn.FeatureSink;
import org.greenwave.forecast.learn.Features;
import org.greenwave.forecast.learn.FlowProfiles;
import org.greenwave.forecast.learn.QueueModel;

/**
 * Makes a {@link QueueForecaster} per intersection, all with the same configuration, optional learned model and
 * optional training-data sink:
 * <pre>{@code
 * new QueueForecasterFactory(new Config())                      // model-based predictions
 * new QueueForecasterFactory(new Config(), QueueModel.load(f), null)  // learned where it validated better
 * new QueueForecasterFactory(new Config(), null, trainingSet)   // capture features (allocates per tick)
 * }</pre>
 *
 * <p>Threading: {@link #create} is called at engine start-up (any thread); each forecaster then belongs to its
 * intersection's control thread. {@link #flowProfiles()} reads the forecasters' state: call it after the engine has
 * stopped.
 */
public final class QueueForecasterFactory implements ForecasterFactory {
    private final Config config;
    private final QueueModel model;
    private final FeatureSink sink;
    private final List<QueueForecaster> created = new ArrayList<>();

    /** Model-based predictions, no capture. */
    public QueueForecasterFactory(Config config) {
        this(config, null, null);
    }

    /**
     * @param config validated here ({@link Config#conclude()}) and copied
     * @param model  learned predictor (and flow profiles to start from), or null
     * @param sink   training-data capture, or null; see {@link FeatureSink} for its cost
     * @throws IllegalArgumentException for a bad configuration, or a model whose profiles use other bins
     */
    public QueueForecasterFactory(Config config, QueueModel model, FeatureSink sink) {
        this.config = config.copy().conclude();
        this.model = model;
        this.sink = sink;
        if (model != null && model.profiles() != null && model.profiles().binS() != this.config.profileBinS) {
            throw new IllegalArgumentException("the model's flow profiles use " + model.profiles().binS()
                    + " s bins, profileBinS is " + this.config.profileBinS + " s");
        }
    }

    /**
     * The forecaster of every run that uses a trained model, as {@code forecast-eval} evaluates it: the default
     * configuration, {@code model} (null: model-based predictions only), no capture.
     */
    public static QueueForecasterFactory withModel(QueueModel model) {
        return new QueueForecasterFactory(new Config(), model, null);
    }

    @Override
    public synchronized QueueForecaster create(IntersectionModel intersection, List<DetectorSpec> detectors) {
        QueueForecaster f = new QueueForecaster(config, intersection, detectors, model, sink);
        created.add(f);
        return f;
    }

    /** The forecasters made so far, in creation order. */
    public synchronized List<QueueForecaster> forecasters() {
        return List.copyOf(created);
    }

    /**
     * The daily flow profiles learned by every forecaster made so far, by lane key, to save with a model
     * ({@link QueueModel#withProfiles}). Call after the engine has stopped.
     */
    public synchronized FlowProfiles flowProfiles() {
        Map<String, double[]> rates = new LinkedHashMap<>();
        int bins = FlowProfiles.DAY_S / config.profileBinS;
        for (QueueForecaster f : created) {
            for (int l = 0; l < f.laneCount(); l++) {
                double[] r = new double[bins];
                f.copyProfile(l, r);
                rates.put(Features.laneKey(f.intersectionId(), l), r);
            }
        }
        return new FlowProfiles(config.profileBinS, rates);
    }

    /**
     * Tuning of the forecaster. Mutable until passed to the factory, which copies it; {@link #conclude()} validates
     * and fails fast.
     */
    public static final class Config {
        /**
         * The per-lane queue estimator. Its {@code advanceDistanceM} (60 m) matches the advance loops the simulation
         * harness generates; its {@code laneLengthM} and {@code saturationFlowVehPerS} are set per lane from the
         * model ({@link IntersectionModel#incomingLaneSaturationVehPerS}) and {@link #areaLengthM}.
         */
        public LaneQueueEstimator.Config estimator = new LaneQueueEstimator.Config();
        /** Detector health rules. */
        public LaneDetectorHealth.Config health = new LaneDetectorHealth.Config();
        /** Length of the lane-area zone, metres; 200 m matches the lane-area detectors the harness generates. */
        public double areaLengthM = 200;
        /** Time of day at engine time 0, seconds after midnight (engine time is injected, not wall time). */
        public double dayStartS = 0;
        /** Time constant of the recent arrival rate, seconds. */
        public double recentRateTauS = 120;
        /** Length of a bin of the daily flow profile, seconds; divides 86,400. */
        public int profileBinS = 900;
        /** Weight of a new day's rate in a profile bin (EWMA across days), 0..1. */
        public double profileAlpha = 0.3;
        /** Share of the profile's rate in the arrival rate once its bin has been seen, 0..1. */
        public double profileWeight = 0.3;
        /** Typical green assumed before one has been observed, seconds. */
        public double initialGreenS = 30;
        /** Typical time between greens assumed before one has been observed, seconds. */
        public double initialRedS = 30;
        /** Weight of a newly observed interval in the typical green and red durations, 0..1. */
        public double patternAlpha = 0.3;
        /**
         * Under a device's own program: time constant, seconds, over which the learned program's schedule past the
         * current state's end fades into each lane's mean green share (its later switches are uncertain); 0 keeps the
         * schedule as learned.
         */
        public double programSpreadS = 30;
        /**
         * Time constant over which the stop-line and advance loops' counts are compared when the lane-area detector
         * is missing or faulty ({@code LoopBalance}), seconds: several signal cycles, since what crosses the stop
         * line balances what joined the queue only over whole cycles.
         */
        public double balanceTauS = 300;
        /** Seconds of counts both loops need before their balance is used. */
        public double balanceMinS = 120;
        /**
         * Vehicles a lane without a working lane-area detector should have received (by its upstream neighbour's
         * outflow or its learned flow profile) while neither of its loops showed any activity, before both loops are
         * taken for dead. At 8 expected vehicles a Poisson stream brings none with probability 0.03 %.
         */
        public double silentExpectedVeh = 8;
        /** How long a supplied upstream outflow is used, seconds. */
        public double upstreamValidityS = 5;
        /**
         * How long the engine's published signal plan ({@code IntersectionState.plannedGreenShare}) stays the
         * schedule of the roll-out, seconds after it was published.
         */
        public double planValidityS = 5;

        /** An independent deep copy. */
        public Config copy() {
            Config c = new Config();
            c.estimator = estimator.copy();
            c.health = health.copy();
            c.areaLengthM = areaLengthM;
            c.dayStartS = dayStartS;
            c.recentRateTauS = recentRateTauS;
            c.profileBinS = profileBinS;
            c.profileAlpha = profileAlpha;
            c.profileWeight = profileWeight;
            c.initialGreenS = initialGreenS;
            c.initialRedS = initialRedS;
            c.patternAlpha = patternAlpha;
            c.programSpreadS = programSpreadS;
            c.balanceTauS = balanceTauS;
            c.balanceMinS = balanceMinS;
            c.silentExpectedVeh = silentExpectedVeh;
            c.upstreamValidityS = upstreamValidityS;
            c.planValidityS = planValidityS;
            return c;
        }

        /**
         * Validates every field, including the estimator's and the health rules'.
         *
         * @return this
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public Config conclude() {
            if (estimator == null || health == null) {
                throw new IllegalArgumentException("estimator and health configurations must be set");
            }
            estimator.conclude();
            health.conclude();
            positive("areaLengthM", areaLengthM);
            if (!Double.isFinite(dayStartS)) {
                throw new IllegalArgumentException("dayStartS must be finite, was " + dayStartS);
            }
            positive("recentRateTauS", recentRateTauS);
            if (profileBinS <= 0 || FlowProfiles.DAY_S % profileBinS != 0) {
                throw new IllegalArgumentException("profileBinS must divide 86400, was " + profileBinS);
            }
            fraction("profileAlpha", profileAlpha);
            fraction("profileWeight", profileWeight);
            positive("initialGreenS", initialGreenS);
            positive("initialRedS", initialRedS);
            fraction("patternAlpha", patternAlpha);
            if (!(programSpreadS >= 0) || Double.isInfinite(programSpreadS)) {
                throw new IllegalArgumentException("programSpreadS must be 0 or positive and finite, was " + programSpreadS);
            }
            positive("balanceTauS", balanceTauS);
            positive("balanceMinS", balanceMinS);
            positive("silentExpectedVeh", silentExpectedVeh);
            positive("upstreamValidityS", upstreamValidityS);
            positive("planValidityS", planValidityS);
            return this;
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
            }
        }

        private static void fraction(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in 0..1, was " + v);
            }
        }
    }
}
