package org.greenwave.forecast.learn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.greenwave.core.forecast.PredictionBands;
import smile.base.cart.Loss;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

/**
 * The learned queue predictor: one gradient-boosted regression-tree ensemble (Smile {@link GradientTreeBoost}, least
 * squares) per horizon of {@link Features} (5, 15, 30, 60 s), plus, per lane and per horizon, which {@link Predictor}
 * (persistence, the model-based roll-out or the learned correction of it) is the best one there.
 *
 * <p><b>Target.</b> Each ensemble predicts the <i>correction</i> to the model-based prediction at its horizon: the
 * true queue at t + h minus feature {@link Features#modelQueueFeature(int)}. The prediction is that feature plus the
 * correction, at least 0. Learning a correction keeps the physics of the roll-out and lets the trees spend themselves
 * on what it misses; the model-based value stays available to the trees as a feature.
 *
 * <p><b>Training</b> ({@link #train(List, List, TrainingConfig)}): the ensembles are fitted on the training samples.
 * The choice is made on validation samples: those given (in {@code forecast-eval}, from runs with seeds of their own,
 * distinct from the training and evaluation seeds), or, without them, the latest {@link TrainingConfig#validationShare}
 * of each lane's training samples (key {@link Features#laneKey}), which are then held out of the fit (a lane with
 * fewer than 5 samples is only trained on). On them every lane gets the mean absolute error (MAE) per horizon of
 * persistence (the estimate, feature {@link Features#QUEUE_VEH}), the model-based and the learned prediction, and
 * uses at each horizon the one with the least MAE (a tie goes to the simpler one), so that on validation data no lane
 * is worse than persistence at any horizon. Lanes absent from validation use the same choice made over all
 * validation samples pooled ({@link #defaultChoice()}); with no validation sample at all, the model-based
 * prediction. Same samples in the same order and the same configuration (seed included) give the same model.
 *
 * <p><b>File format</b> ({@link #save}, {@link #load}), a zip archive: <ul>
 * <li>{@code manifest.json}: {@code format} ("greenwave-queue-model"), {@code formatVersion} (3),
 * {@code featureNames}, {@code horizonsS}, {@code target}, {@code training} (seed, trees, maxDepth, maxNodes,
 * nodeSize, shrinkage, subsample, validationShare), {@code trainingSamples}, {@code validationSamples},
 * {@code defaultChoice} and {@code lanes}, each a lane object: {@code lane} (its key; "*" for the default),
 * {@code choice} (per horizon "persistence", "model" or "learned"), {@code validationSamples}, and per horizon the
 * validation MAE of each predictor in vehicles ({@code learnedMaeVeh}, {@code modelMaeVeh},
 * {@code persistenceMaeVeh}; null where no sample); optionally {@code bands} ({@link PredictionBands}): {@code
 * lowQuantile}, {@code highQuantile}, {@code bucketEdgesVeh}, and for {@code intersection} and {@code approach}, for
 * {@code 5s}, {@code 15s}, {@code 30s}, {@code 60s} and {@code delay}, {@code lowResidual} and {@code highResidual},
 * one number per size bucket (null where there is no band);</li>
 * <li>{@code trees-5s.bin}, {@code trees-15s.bin}, {@code trees-30s.bin}, {@code trees-60s.bin}: each ensemble's
 * trees as plain numbers ({@link FlatEnsemble#write}); no Java serialization, so loading a file runs no code from
 * it;</li>
 * <li>{@code profiles.json} (optional): {@link FlowProfiles}, {@code {"binS": 900, "lanes": [{"lane": key,
 * "ratesVehPerS": [..., null for unknown]}]}}.</li>
 * </ul>
 * A model file is outside input: {@link #load} refuses a file over {@link #MAX_FILE_BYTES}, an archive with other
 * entries or more than {@link #MAX_UNPACKED_BYTES} unpacked, and checks every number and name it reads. Files of
 * versions 1 (trees in Java serialization) and 2 (one predictor per lane) are refused with a request to train again.
 *
 * <p>Threading: immutable and safe to share; each forecaster gets its own {@link #evaluator()}.
 */
public final class QueueModel {
    /** Value of the manifest's {@code format}. */
    public static final String FORMAT = "greenwave-queue-model";
    /** Value of the manifest's {@code formatVersion} this build writes and reads. */
    public static final int FORMAT_VERSION = 3;
    /** Largest model file {@link #load} reads, bytes (a default model is well under 1 MB). */
    public static final long MAX_FILE_BYTES = 64L << 20;
    /** Largest total of the unpacked entries {@link #load} reads, bytes. */
    public static final long MAX_UNPACKED_BYTES = 128L << 20;
    static final String MANIFEST = "manifest.json";
    static final String PROFILES = "profiles.json";
    private static final String TARGET = "queue at t+h minus the model-based prediction at h, vehicles";
    private static final int MIN_LANE_SAMPLES_FOR_VALIDATION = 5;
    /** Lane key of {@link #defaultChoice()}. */
    public static final String DEFAULT_LANE = "*";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainingConfig training;
    /** The Smile ensembles of a model trained in this process; null for a loaded one. */
    private final GradientTreeBoost[] ensembles;
    private final FlatEnsemble[] flat;
    private final int trainingSamples;
    private final int validationSamples;
    private final LaneChoice defaults;
    private final Map<String, LaneChoice> lanes;
    private final FlowProfiles profiles;
    private final PredictionBands bands;

    private QueueModel(TrainingConfig training, GradientTreeBoost[] ensembles, FlatEnsemble[] flat,
                       int trainingSamples, int validationSamples, LaneChoice defaults, Map<String, LaneChoice> lanes,
                       FlowProfiles profiles, PredictionBands bands) {
        this.training = training;
        this.ensembles = ensembles;
        this.flat = flat;
        this.trainingSamples = trainingSamples;
        this.validationSamples = validationSamples;
        this.defaults = defaults;
        this.lanes = Collections.unmodifiableMap(new LinkedHashMap<>(lanes));
        this.profiles = profiles;
        this.bands = bands;
    }

    private static FlatEnsemble[] flatten(GradientTreeBoost[] ensembles, double shrinkage) {
        FlatEnsemble[] flat = new FlatEnsemble[ensembles.length];
        for (int h = 0; h < ensembles.length; h++) {
            flat[h] = new FlatEnsemble(ensembles[h], shrinkage);
        }
        return flat;
    }

    /** {@link #train(List, List, TrainingConfig)} with the default configuration and the given seed. */
    public static QueueModel train(List<Sample> samples, List<Sample> validation, long seed) {
        TrainingConfig c = new TrainingConfig();
        c.seed = seed;
        return train(samples, validation, c);
    }

    /** {@link #train(List, List, TrainingConfig)} without separate validation samples. */
    public static QueueModel train(List<Sample> samples, TrainingConfig config) {
        return train(samples, List.of(), config);
    }

    /**
     * Fits the ensembles on {@code samples} and chooses per lane and horizon on {@code validation} (see the class
     * comment); with no validation samples, on the latest {@link TrainingConfig#validationShare} of each lane's
     * samples, which are then not trained on. Runs on the calling thread (Smile may use the
     * common fork-join pool inside a fit); takes seconds to minutes for 10⁵–10⁶ samples.
     *
     * @throws IllegalArgumentException when the configuration is bad, or a horizon has fewer than
     *                                  {@code 2 × nodeSize} training samples with a known target
     */
    public static QueueModel train(List<Sample> samples, List<Sample> validation, TrainingConfig config) {
        TrainingConfig cfg = config.copy().conclude();
        Map<String, List<Sample>> byLane = new LinkedHashMap<>();
        for (Sample s : samples) {
            byLane.computeIfAbsent(s.laneKey(), k -> new ArrayList<>()).add(s);
        }
        List<Sample> train = new ArrayList<>();
        Map<String, List<Sample>> held = new LinkedHashMap<>();
        if (!validation.isEmpty()) {
            train.addAll(samples);
            for (Sample s : validation) {
                held.computeIfAbsent(s.laneKey(), k -> new ArrayList<>()).add(s);
            }
            byLane.clear();
        }
        for (Map.Entry<String, List<Sample>> e : byLane.entrySet()) {
            List<Sample> lane = new ArrayList<>(e.getValue());
            lane.sort(Comparator.comparingDouble(Sample::nowS));
            int hold = lane.size() < MIN_LANE_SAMPLES_FOR_VALIDATION ? 0
                    : (int) Math.ceil(lane.size() * cfg.validationShare);
            int cut = lane.size() - hold;
            train.addAll(lane.subList(0, cut));
            if (hold > 0) {
                held.put(e.getKey(), lane.subList(cut, lane.size()));
            }
        }

        GradientTreeBoost[] ensembles = new GradientTreeBoost[Features.HORIZON_COUNT];
        String[] names = new String[Features.COUNT + 1];
        for (int f = 0; f < Features.COUNT; f++) {
            names[f] = Features.names().get(f);
        }
        names[Features.COUNT] = "correctionVeh";
        for (int h = 0; h < ensembles.length; h++) {
            int n = 0;
            for (Sample s : train) {
                n += Double.isNaN(s.target(h)) ? 0 : 1;
            }
            if (n < 2 * cfg.nodeSize) {
                throw new IllegalArgumentException("horizon " + Features.horizonS(h) + " s has " + n
                        + " training samples with a known target; at least " + 2 * cfg.nodeSize + " are needed");
            }
            double[][] rows = new double[n][];
            int r = 0;
            for (Sample s : train) {
                if (Double.isNaN(s.target(h))) {
                    continue;
                }
                double[] row = Arrays.copyOf(s.featuresView(), Features.COUNT + 1);
                row[Features.COUNT] = s.target(h) - s.feature(Features.modelQueueFeature(h));
                rows[r++] = row;
            }
            MathEx.setSeed(cfg.seed + h);
            ensembles[h] = GradientTreeBoost.fit(Formula.lhs(names[Features.COUNT]), DataFrame.of(rows, names),
                    Loss.ls(), cfg.trees, cfg.maxDepth, cfg.maxNodes, cfg.nodeSize, cfg.shrinkage, cfg.subsample);
        }

        FlatEnsemble[] flat = flatten(ensembles, cfg.shrinkage);
        QueueModel unchosen = new QueueModel(cfg, ensembles, flat, train.size(), 0, null, Map.of(), null, null);
        Evaluator ev = unchosen.evaluator();
        double[] out = new double[Features.HORIZON_COUNT];
        int hc = Features.HORIZON_COUNT;
        // [predictor][horizon] absolute error sums and counts, pooled over the lanes.
        double[][] pool = new double[Predictor.values().length][hc];
        int[] poolCount = new int[hc];
        Map<String, LaneChoice> choices = new LinkedHashMap<>();
        int heldCount = 0;
        for (Map.Entry<String, List<Sample>> e : held.entrySet()) {
            double[][] err = new double[Predictor.values().length][hc];
            int[] count = new int[hc];
            for (Sample s : e.getValue()) {
                ev.predict(s.featuresView(), out);
                double persistence = s.feature(Features.QUEUE_VEH);
                for (int h = 0; h < hc; h++) {
                    double truth = s.target(h);
                    if (Double.isNaN(truth)) {
                        continue;
                    }
                    err[Predictor.LEARNED.ordinal()][h] += Math.abs(out[h] - truth);
                    err[Predictor.MODEL.ordinal()][h] += Math.abs(Math.max(0, s.feature(Features.modelQueueFeature(h)))
                            - truth);
                    err[Predictor.PERSISTENCE.ordinal()][h] += Math.abs(persistence - truth);
                    count[h]++;
                }
            }
            heldCount += e.getValue().size();
            for (int h = 0; h < hc; h++) {
                for (int p = 0; p < err.length; p++) {
                    pool[p][h] += err[p][h];
                    err[p][h] = count[h] == 0 ? Double.NaN : err[p][h] / count[h];
                }
                poolCount[h] += count[h];
            }
            choices.put(e.getKey(), new LaneChoice(e.getKey(), best(err, null), e.getValue().size(),
                    err[Predictor.LEARNED.ordinal()], err[Predictor.MODEL.ordinal()],
                    err[Predictor.PERSISTENCE.ordinal()]));
        }
        for (int h = 0; h < hc; h++) {
            for (double[] p : pool) {
                p[h] = poolCount[h] == 0 ? Double.NaN : p[h] / poolCount[h];
            }
        }
        Predictor[] fallback = new Predictor[hc];
        Arrays.fill(fallback, Predictor.MODEL);
        LaneChoice defaults = new LaneChoice(DEFAULT_LANE, best(pool, fallback), heldCount,
                pool[Predictor.LEARNED.ordinal()], pool[Predictor.MODEL.ordinal()],
                pool[Predictor.PERSISTENCE.ordinal()]);
        return new QueueModel(cfg, ensembles, flat, train.size(), heldCount, defaults, choices, null, null);
    }

    /**
     * Per horizon, the predictor with the least mean absolute error in {@code maeVeh[predictor][horizon]}; a tie goes
     * to the simpler one (persistence, then model-based). A horizon without errors takes {@code fallback}'s choice, or
     * persistence without one.
     */
    private static Predictor[] best(double[][] maeVeh, Predictor[] fallback) {
        Predictor[] choice = new Predictor[Features.HORIZON_COUNT];
        for (int h = 0; h < choice.length; h++) {
            Predictor bestP = null;
            double bestErr = Double.POSITIVE_INFINITY;
            for (Predictor p : Predictor.values()) {
                double e = maeVeh[p.ordinal()][h];
                if (e < bestErr) {
                    bestErr = e;
                    bestP = p;
                }
            }
            choice[h] = bestP != null ? bestP : fallback != null ? fallback[h] : Predictor.PERSISTENCE;
        }
        return choice;
    }

    /** The same model with these flow profiles (replacing any it had), to be saved with it. */
    public QueueModel withProfiles(FlowProfiles flowProfiles) {
        return new QueueModel(training, ensembles, flat, trainingSamples, validationSamples, defaults, lanes,
                flowProfiles, bands);
    }

    /** The same model with these calibrated bands of the intersection and approach totals, to be saved with it. */
    public QueueModel withBands(PredictionBands predictionBands) {
        return new QueueModel(training, ensembles, flat, trainingSamples, validationSamples, defaults, lanes, profiles,
                predictionBands);
    }

    /** The bands of the intersection and approach totals, calibrated on validation data; null when it has none. */
    public PredictionBands bands() {
        return bands;
    }

    /** The saved flow profiles, or null when the model has none. */
    public FlowProfiles profiles() {
        return profiles;
    }

    /**
     * The predictors of a lane ({@link Features#laneKey}): its own, or {@link #defaultChoice()} for a lane the
     * validation did not see.
     */
    public LaneChoice choice(String laneKey) {
        LaneChoice c = lanes.get(laneKey);
        return c == null ? defaults : c;
    }

    /**
     * The choice for lanes the validation did not see (key {@link #DEFAULT_LANE}): per horizon the predictor with the
     * least error over all validation samples pooled, with those pooled errors.
     */
    public LaneChoice defaultChoice() {
        return defaults;
    }

    /** The per-lane choices with their validation errors, by lane key. */
    public Map<String, LaneChoice> laneChoices() {
        return lanes;
    }

    /** How many lanes use each predictor at each horizon, e.g. "5 s: 3 persistence, 2 model, 7 learned; …". */
    public String choiceCounts() {
        StringBuilder b = new StringBuilder();
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            int[] n = new int[Predictor.values().length];
            for (QueueModel.LaneChoice c : lanes.values()) {
                n[c.predictor(h).ordinal()]++;
            }
            b.append(h == 0 ? "" : "; ").append(Features.horizonS(h)).append(" s:");
            for (Predictor p : Predictor.values()) {
                b.append(' ').append(n[p.ordinal()]).append(' ').append(p.fileName())
                        .append(p.ordinal() < n.length - 1 ? "," : "");
            }
        }
        return b.append(" (of ").append(lanes.size()).append(" lanes)").toString();
    }

    /** Samples the ensembles were fitted on. */
    public int trainingSamples() {
        return trainingSamples;
    }

    /** Samples held out for the per-lane choice. */
    public int validationSamples() {
        return validationSamples;
    }

    /** A copy of the training configuration (hyperparameters and seed). */
    public TrainingConfig training() {
        return training.copy();
    }

    /** Predicted queue at each horizon for one feature vector, vehicles. Allocates; for tools and tests. */
    public double[] predict(double[] features) {
        double[] out = new double[Features.HORIZON_COUNT];
        evaluator().predict(features, out);
        return out;
    }

    /**
     * Smile's own prediction for horizon {@code h} (the ensemble's {@code predict}), to check the evaluator; only for
     * a model trained in this process.
     */
    double smilePrediction(int h, double[] features) {
        StructType schema = ensembles[h].schema();
        return Math.max(0, features[Features.modelQueueFeature(h)] + ensembles[h].predict(Tuple.of(features, schema)));
    }

    /** A predictor for one thread, which evaluates without allocating. */
    public Evaluator evaluator() {
        return new Evaluator();
    }

    /**
     * Evaluates the ensembles on one feature vector without allocating, over flat copies of the trees
     * ({@link FlatEnsemble}). Stateless, so any thread; the forecaster keeps one as its hot-path entry point.
     */
    public final class Evaluator {
        private Evaluator() {
        }

        /**
         * @param features     a {@link Features} vector ({@link Features#COUNT} values)
         * @param queueOutVeh  receives the predicted queue at each horizon, vehicles, ≥ 0
         */
        public void predict(double[] features, double[] queueOutVeh) {
            for (int h = 0; h < Features.HORIZON_COUNT; h++) {
                queueOutVeh[h] = Math.max(0, features[Features.modelQueueFeature(h)] + flat[h].predict(features));
            }
        }
    }

    /**
     * Writes the model to {@code file} (see the class comment), replacing it atomically where the file system
     * allows: the archive is written beside it first.
     */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(JSON.writeValueAsBytes(manifest()));
                zip.closeEntry();
                for (int h = 0; h < flat.length; h++) {
                    zip.putNextEntry(new ZipEntry(entryName(h)));
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream out = new DataOutputStream(bytes)) {
                        flat[h].write(out);
                    }
                    bytes.writeTo(zip);
                    zip.closeEntry();
                }
                if (profiles != null) {
                    zip.putNextEntry(new ZipEntry(PROFILES));
                    zip.write(JSON.writeValueAsBytes(profilesJson(profiles)));
                    zip.closeEntry();
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String entryName(int h) {
        return "trees-" + Features.horizonS(h) + "s.bin";
    }

    private ObjectNode manifest() {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        ArrayNode names = m.putArray("featureNames");
        Features.names().forEach(names::add);
        ArrayNode horizons = m.putArray("horizonsS");
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            horizons.add(Features.horizonS(h));
        }
        m.put("target", TARGET);
        ObjectNode t = m.putObject("training");
        t.put("seed", training.seed);
        t.put("trees", training.trees);
        t.put("maxDepth", training.maxDepth);
        t.put("maxNodes", training.maxNodes);
        t.put("nodeSize", training.nodeSize);
        t.put("shrinkage", training.shrinkage);
        t.put("subsample", training.subsample);
        t.put("validationShare", training.validationShare);
        m.put("trainingSamples", trainingSamples);
        m.put("validationSamples", validationSamples);
        laneJson(m.putObject("defaultChoice"), defaults);
        ArrayNode ls = m.putArray("lanes");
        for (LaneChoice c : lanes.values()) {
            laneJson(ls.addObject(), c);
        }
        if (bands != null) {
            bandsJson(m.putObject("bands"), bands);
        }
        return m;
    }

    private static final String[] BAND_SCOPES = {"intersection", "approach"};

    private static void bandsJson(ObjectNode b, PredictionBands bands) {
        b.put("lowQuantile", bands.lowQuantile());
        b.put("highQuantile", bands.highQuantile());
        ArrayNode edges = b.putArray("bucketEdgesVeh");
        for (double e : bands.bucketEdgesVeh()) {
            edges.add(e);
        }
        int buckets = bands.bucketEdgesVeh().length + 1;
        double[] low = bands.lowResiduals();
        double[] high = bands.highResiduals();
        for (int scope = 0; scope < PredictionBands.SCOPES; scope++) {
            ObjectNode sc = b.putObject(BAND_SCOPES[scope]);
            for (int slot = 0; slot < PredictionBands.SLOTS; slot++) {
                ObjectNode sl = sc.putObject(bandSlotName(slot));
                ArrayNode lo = sl.putArray("lowResidual");
                ArrayNode hi = sl.putArray("highResidual");
                for (int k = 0; k < buckets; k++) {
                    int i = (scope * PredictionBands.SLOTS + slot) * buckets + k;
                    addNumber(lo, low[i]);
                    addNumber(hi, high[i]);
                }
            }
        }
    }

    /** The numbers of a band array; null reads as NaN, anything else but a number is refused. */
    private static double[] bandNumbers(Path file, JsonNode array, String where) throws ModelFileException {
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isNumber() && !array.get(i).isNull()) {
                throw new ModelFileException(file, where + "[" + i + "] is " + array.get(i) + ", not a number");
            }
        }
        return numbers(array);
    }

    private static String bandSlotName(int slot) {
        return slot == PredictionBands.SLOT_DELAY ? "delay" : PredictionBands.horizonS(slot) + "s";
    }

    /** The manifest's {@code bands} object, checked. */
    private static PredictionBands readBands(Path file, JsonNode b) throws ModelFileException {
        String where = MANIFEST + ": bands";
        if (!b.isObject()) {
            throw new ModelFileException(file, where + " is not an object");
        }
        JsonNode edgesNode = b.path("bucketEdgesVeh");
        if (!edgesNode.isArray()) {
            throw new ModelFileException(file, where + ".bucketEdgesVeh is not an array of numbers");
        }
        double[] edges = bandNumbers(file, edgesNode, where + ".bucketEdgesVeh");
        int buckets = edges.length + 1;
        int n = PredictionBands.SCOPES * PredictionBands.SLOTS * buckets;
        double[] low = new double[n];
        double[] high = new double[n];
        for (int scope = 0; scope < PredictionBands.SCOPES; scope++) {
            for (int slot = 0; slot < PredictionBands.SLOTS; slot++) {
                String at = where + "." + BAND_SCOPES[scope] + "." + bandSlotName(slot);
                JsonNode sl = b.path(BAND_SCOPES[scope]).path(bandSlotName(slot));
                JsonNode lo = sl.path("lowResidual");
                JsonNode hi = sl.path("highResidual");
                if (!lo.isArray() || !hi.isArray() || lo.size() != buckets || hi.size() != buckets) {
                    throw new ModelFileException(file, at + " needs lowResidual and highResidual arrays of " + buckets
                            + " numbers (one per size bucket, null where there is no band)");
                }
                double[] l = bandNumbers(file, lo, at + ".lowResidual");
                double[] h = bandNumbers(file, hi, at + ".highResidual");
                for (int k = 0; k < buckets; k++) {
                    int i = (scope * PredictionBands.SLOTS + slot) * buckets + k;
                    low[i] = l[k];
                    high[i] = h[k];
                }
            }
        }
        try {
            return PredictionBands.of(b.path("lowQuantile").asDouble(Double.NaN),
                    b.path("highQuantile").asDouble(Double.NaN), edges, low, high);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, where + ": " + e.getMessage(), e);
        }
    }

    private static void laneJson(ObjectNode l, LaneChoice c) {
        l.put("lane", c.laneKey());
        ArrayNode choice = l.putArray("choice");
        for (Predictor p : c.predictors) {
            choice.add(p.fileName());
        }
        l.put("validationSamples", c.validationSamples());
        ArrayNode le = l.putArray("learnedMaeVeh");
        ArrayNode me = l.putArray("modelMaeVeh");
        ArrayNode pe = l.putArray("persistenceMaeVeh");
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            addNumber(le, c.learnedMaeVeh[h]);
            addNumber(me, c.modelMaeVeh[h]);
            addNumber(pe, c.persistenceMaeVeh[h]);
        }
    }

    /** One lane's choice from the manifest, checked: {@code where} names it in an error. */
    private static LaneChoice readLane(Path file, JsonNode l, String where) throws ModelFileException {
        String key = l.path("lane").asText("");
        if (key.isEmpty()) {
            throw new ModelFileException(file, MANIFEST + ": " + where + " has no lane key");
        }
        JsonNode choice = l.path("choice");
        if (!choice.isArray() || choice.size() != Features.HORIZON_COUNT) {
            throw new ModelFileException(file, MANIFEST + ": " + where + " (lane " + key + ") needs a choice per "
                    + "horizon, " + Features.HORIZON_COUNT + " of 'persistence', 'model' or 'learned'; found " + choice);
        }
        Predictor[] predictors = new Predictor[Features.HORIZON_COUNT];
        for (int h = 0; h < predictors.length; h++) {
            predictors[h] = Predictor.ofFileName(choice.get(h).asText(""));
            if (predictors[h] == null || !choice.get(h).isTextual()) {
                throw new ModelFileException(file, MANIFEST + ": " + where + " (lane " + key + "): choice "
                        + choice.get(h) + " at " + Features.horizonS(h) + " s is none of 'persistence', 'model', "
                        + "'learned'");
            }
        }
        double[][] mae = new double[3][];
        String[] names = {"learnedMaeVeh", "modelMaeVeh", "persistenceMaeVeh"};
        for (int i = 0; i < names.length; i++) {
            JsonNode a = l.path(names[i]);
            if (!a.isArray() || a.size() != Features.HORIZON_COUNT) {
                throw new ModelFileException(file, MANIFEST + ": " + where + " (lane " + key + "): " + names[i]
                        + " needs " + Features.HORIZON_COUNT + " numbers (null where unknown)");
            }
            mae[i] = numbers(a);
        }
        return new LaneChoice(key, predictors, Math.max(0, l.path("validationSamples").asInt()), mae[0], mae[1],
                mae[2]);
    }

    private static void addNumber(ArrayNode a, double v) {
        if (Double.isNaN(v)) {
            a.addNull();
        } else {
            a.add(v);
        }
    }

    private static ObjectNode profilesJson(FlowProfiles p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("binS", p.binS());
        ArrayNode lanes = root.putArray("lanes");
        for (String key : p.laneKeys()) {
            ObjectNode l = lanes.addObject();
            l.put("lane", key);
            ArrayNode r = l.putArray("ratesVehPerS");
            for (double v : p.rates(key)) {
                addNumber(r, v);
            }
        }
        return root;
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws ModelFileException naming the file and what is wrong with it (missing, a folder, too large, not a zip
     *                            archive, not a queue model, another format version or feature set, a missing,
     *                            unexpected or damaged entry)
     * @throws IOException        when the file exists but cannot be read
     */
    public static QueueModel load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFileException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(file, "not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new ModelFileException(file, "is " + size + " bytes, more than the " + MAX_FILE_BYTES
                    + " a queue model may have");
        }
        Map<String, byte[]> entries = new HashMap<>();
        long[] unpacked = new long[1];
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (!isEntry(name)) {
                    throw new ModelFileException(file, "unexpected entry '" + name + "' (a queue model holds "
                            + MANIFEST + ", " + entryName(0) + " … " + entryName(Features.HORIZON_COUNT - 1) + " and "
                            + PROFILES + ")");
                }
                if (entries.containsKey(name)) {
                    throw new ModelFileException(file, "entry " + name + " appears twice");
                }
                entries.put(name, readEntry(file, name, zip, unpacked));
            }
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file", e);
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            throw new ModelFileException(file, "not a readable zip archive (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new ModelFileException(file, "not a zip archive (or an empty one)");
        }
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            throw new ModelFileException(file, "no " + MANIFEST + " (not a Greenwave queue model)");
        }
        JsonNode m;
        try {
            m = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new ModelFileException(file, MANIFEST + " is not valid JSON: " + e.getMessage(), e);
        }
        if (m == null || !m.isObject()) {
            throw new ModelFileException(file, MANIFEST + " is not a JSON object");
        }
        String format = m.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(file, "format is '" + format + "', expected '" + FORMAT + "'");
        }
        int version = m.path("formatVersion").asInt(-1);
        if (version == 1) {
            throw new ModelFileException(file, "format version 1 (trees in Java serialization) is no longer read; "
                    + "train the model again with this build's forecast-eval (it writes version " + FORMAT_VERSION + ")");
        }
        if (version == 2) {
            throw new ModelFileException(file, "format version 2 (one predictor per lane, validated without "
                    + "persistence) is no longer read; train the model again with this build's forecast-eval (it "
                    + "writes version " + FORMAT_VERSION + ", a predictor per lane and horizon)");
        }
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(file, "format version " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        List<String> names = new ArrayList<>();
        m.path("featureNames").forEach(n -> names.add(n.asText()));
        if (!names.equals(Features.names())) {
            throw new ModelFileException(file, "feature names " + names + " differ from this build's "
                    + Features.names());
        }
        List<Integer> horizons = new ArrayList<>();
        m.path("horizonsS").forEach(n -> horizons.add(n.asInt()));
        List<Integer> expected = new ArrayList<>();
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            expected.add(Features.horizonS(h));
        }
        if (!horizons.equals(expected)) {
            throw new ModelFileException(file, "horizons " + horizons + " differ from this build's " + expected);
        }
        TrainingConfig cfg = new TrainingConfig();
        JsonNode t = m.path("training");
        cfg.seed = t.path("seed").asLong();
        cfg.trees = t.path("trees").asInt();
        cfg.maxDepth = t.path("maxDepth").asInt();
        cfg.maxNodes = t.path("maxNodes").asInt();
        cfg.nodeSize = t.path("nodeSize").asInt();
        cfg.shrinkage = t.path("shrinkage").asDouble(Double.NaN);
        cfg.subsample = t.path("subsample").asDouble(Double.NaN);
        cfg.validationShare = t.path("validationShare").asDouble(Double.NaN);
        try {
            cfg.conclude();
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, MANIFEST + ": training section: " + e.getMessage(), e);
        }
        if (!m.path("defaultChoice").isObject()) {
            throw new ModelFileException(file, MANIFEST + ": no defaultChoice object");
        }
        LaneChoice defaults = readLane(file, m.path("defaultChoice"), "defaultChoice");
        Map<String, LaneChoice> lanes = new LinkedHashMap<>();
        JsonNode laneArray = m.path("lanes");
        if (!laneArray.isArray()) {
            throw new ModelFileException(file, MANIFEST + ": lanes is not an array");
        }
        for (int i = 0; i < laneArray.size(); i++) {
            LaneChoice c = readLane(file, laneArray.get(i), "lanes[" + i + "]");
            if (lanes.put(c.laneKey(), c) != null) {
                throw new ModelFileException(file, MANIFEST + ": lane " + c.laneKey() + " appears twice");
            }
        }
        FlatEnsemble[] flat = new FlatEnsemble[Features.HORIZON_COUNT];
        for (int h = 0; h < flat.length; h++) {
            String name = entryName(h);
            byte[] bytes = entries.get(name);
            if (bytes == null) {
                throw new ModelFileException(file, "entry " + name + " is missing");
            }
            try {
                flat[h] = FlatEnsemble.read(bytes, Features.COUNT);
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(file, "entry " + name + " " + e.getMessage(), e);
            }
            if (flat[h].trees() != cfg.trees) {
                throw new ModelFileException(file, "entry " + name + " has " + flat[h].trees() + " trees; the "
                        + "manifest says " + cfg.trees);
            }
            if (flat[h].shrinkage() != cfg.shrinkage) {
                throw new ModelFileException(file, "entry " + name + " sums its trees with shrinkage "
                        + flat[h].shrinkage() + "; the manifest says " + cfg.shrinkage);
            }
        }
        FlowProfiles profiles = null;
        byte[] profileBytes = entries.get(PROFILES);
        if (profileBytes != null) {
            profiles = readProfiles(file, profileBytes);
        }
        PredictionBands bands = m.has("bands") ? readBands(file, m.path("bands")) : null;
        return new QueueModel(cfg, null, flat, m.path("trainingSamples").asInt(), m.path("validationSamples").asInt(),
                defaults, lanes, profiles, bands);
    }

    private static boolean isEntry(String name) {
        if (name.equals(MANIFEST) || name.equals(PROFILES)) {
            return true;
        }
        for (int h = 0; h < Features.HORIZON_COUNT; h++) {
            if (name.equals(entryName(h))) {
                return true;
            }
        }
        return false;
    }

    /** Reads one entry, adding its size to {@code unpacked[0]}; refuses to unpack more than the limit in all. */
    private static byte[] readEntry(Path file, String name, ZipInputStream zip, long[] unpacked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = zip.read(buf)) > 0) {
            unpacked[0] += n;
            if (unpacked[0] > MAX_UNPACKED_BYTES) {
                throw new ModelFileException(file, "unpacks to more than " + MAX_UNPACKED_BYTES + " bytes (at entry "
                        + name + ")");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static FlowProfiles readProfiles(Path file, byte[] bytes) throws ModelFileException {
        try {
            JsonNode p = JSON.readTree(bytes);
            int binS = p.path("binS").asInt(-1);
            Map<String, double[]> rates = new LinkedHashMap<>();
            for (JsonNode l : p.path("lanes")) {
                rates.put(l.path("lane").asText(), numbers(l.path("ratesVehPerS")));
            }
            return new FlowProfiles(binS, rates);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFileException(file, PROFILES + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode n = array.get(i);
            v[i] = n.isNumber() ? n.asDouble() : Double.NaN;
        }
        return v;
    }

    /**
     * The per-lane decision and the validation it rests on.
     *
     * @param laneKey           {@link Features#laneKey}, or {@link #DEFAULT_LANE}
     * @param predictors        the predictor per horizon of {@link Features}
     * @param validationSamples held-out samples of the lane
     * @param learnedMaeVeh     MAE of the learned prediction per horizon, vehicles (NaN: no sample)
     * @param modelMaeVeh       MAE of the model-based prediction per horizon, vehicles (NaN: no sample)
     * @param persistenceMaeVeh MAE of persistence per horizon, vehicles (NaN: no sample)
     */
    public record LaneChoice(String laneKey, Predictor[] predictors, int validationSamples, double[] learnedMaeVeh,
                             double[] modelMaeVeh, double[] persistenceMaeVeh) {
        public LaneChoice {
            if (predictors.length != Features.HORIZON_COUNT || learnedMaeVeh.length != Features.HORIZON_COUNT
                    || modelMaeVeh.length != Features.HORIZON_COUNT
                    || persistenceMaeVeh.length != Features.HORIZON_COUNT) {
                throw new IllegalArgumentException("lane " + laneKey + ": a choice and errors per horizon needed");
            }
            predictors = predictors.clone();
            learnedMaeVeh = learnedMaeVeh.clone();
            modelMaeVeh = modelMaeVeh.clone();
            persistenceMaeVeh = persistenceMaeVeh.clone();
        }

        /** The predictor at horizon index {@code h}. */
        public Predictor predictor(int h) {
            return predictors[h];
        }

        /** Whether any horizon uses the learned prediction. */
        public boolean usesLearned() {
            for (Predictor p : predictors) {
                if (p == Predictor.LEARNED) {
                    return true;
                }
            }
            return false;
        }

        /** The choice per horizon as text, e.g. {@code "5 s learned, 15 s model, 30 s persistence, 60 s learned"}. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (int h = 0; h < predictors.length; h++) {
                b.append(h == 0 ? "" : ", ").append(Features.horizonS(h)).append(" s ").append(predictors[h].fileName());
            }
            return b.toString();
        }

        @Override
        public Predictor[] predictors() {
            return predictors.clone();
        }

        @Override
        public double[] learnedMaeVeh() {
            return learnedMaeVeh.clone();
        }

        @Override
        public double[] modelMaeVeh() {
            return modelMaeVeh.clone();
        }

        @Override
        public double[] persistenceMaeVeh() {
            return persistenceMaeVeh.clone();
        }
    }

    /**
     * Hyperparameters and seed of {@link #train(List, TrainingConfig)}. Mutable until passed to it (copied);
     * {@link #conclude()} validates.
     */
    public static final class TrainingConfig {
        /** Seed of Smile's random numbers (row subsampling); horizon i uses {@code seed + i}. */
        public long seed = 0;
        /** Trees per ensemble. */
        public int trees = 100;
        /** Maximum depth of a tree. */
        public int maxDepth = 6;
        /** Maximum leaves of a tree. */
        public int maxNodes = 32;
        /** Minimum samples in a leaf. */
        public int nodeSize = 5;
        /** Learning rate, 0..1 (exclusive of 0). */
        public double shrinkage = 0.1;
        /** Share of the samples each tree is fitted on, 0..1 (exclusive of 0). */
        public double subsample = 0.7;
        /** Share of each lane's samples (its latest) held out for the per-lane choice, 0..0.9. */
        public double validationShare = 0.2;

        TrainingConfig copy() {
            TrainingConfig c = new TrainingConfig();
            c.seed = seed;
            c.trees = trees;
            c.maxDepth = maxDepth;
            c.maxNodes = maxNodes;
            c.nodeSize = nodeSize;
            c.shrinkage = shrinkage;
            c.subsample = subsample;
            c.validationShare = validationShare;
            return c;
        }

        /**
         * Validates every field.
         *
         * @return this
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public TrainingConfig conclude() {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be >= 1, was " + trees);
            }
            if (maxDepth < 2) {
                throw new IllegalArgumentException("maxDepth must be >= 2, was " + maxDepth);
            }
            if (maxNodes < 2) {
                throw new IllegalArgumentException("maxNodes must be >= 2, was " + maxNodes);
            }
            if (nodeSize < 1) {
                throw new IllegalArgumentException("nodeSize must be >= 1, was " + nodeSize);
            }
            if (!(shrinkage > 0 && shrinkage <= 1)) {
                throw new IllegalArgumentException("shrinkage must be in (0, 1], was " + shrinkage);
            }
            if (!(subsample > 0 && subsample <= 1)) {
                throw new IllegalArgumentException("subsample must be in (0, 1], was " + subsample);
            }
            if (!(validationShare >= 0 && validationShare <= 0.9)) {
                throw new IllegalArgumentException("validationShare must be in 0..0.9, was " + validationShare);
            }
            return this;
        }
    }

}
