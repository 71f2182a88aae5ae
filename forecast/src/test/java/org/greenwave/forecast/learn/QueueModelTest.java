package org.greenwave.forecast.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.greenwave.core.forecast.PredictionBands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueModelTest {
    private static final List<String> LEARNABLE = List.of("A#0", "A#1", "A#2");
    private static final List<String> EXACT = List.of("B#0");
    private static List<Sample> samples;
    private static QueueModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        samples = SyntheticSamples.samples(1, 1500, LEARNABLE, EXACT);
        model = QueueModel.train(samples, SyntheticSamples.quick(42));
    }

    private static double[][] probes(int n) {
        Random r = new Random(99);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = SyntheticSamples.features(r);
        }
        return p;
    }

    @Test
    void learnsTheSyntheticRelationAndChoosesPerLane() {
        double errLearned = 0;
        double errModel = 0;
        double[][] probes = probes(500);
        for (double[] f : probes) {
            double[] truth = SyntheticSamples.learnableTruth(f);
            double[] pred = model.predict(f);
            for (int h = 0; h < truth.length; h++) {
                errLearned += Math.abs(pred[h] - truth[h]);
                errModel += Math.abs(f[Features.modelQueueFeature(h)] - truth[h]);
            }
        }
        assertThat(errLearned).isLessThan(0.3 * errModel);
        Predictor[] allLearned = {Predictor.LEARNED, Predictor.LEARNED, Predictor.LEARNED, Predictor.LEARNED};
        for (String lane : LEARNABLE) {
            QueueModel.LaneChoice c = model.laneChoices().get(lane);
            assertThat(c.predictors()).as(lane).containsExactly(allLearned);
            assertThat(c.validationSamples()).isEqualTo(300);
            assertThat(c.learnedMaeVeh()[3]).isLessThan(c.modelMaeVeh()[3]).isLessThan(c.persistenceMaeVeh()[3]);
        }
        assertThat(model.choice("B#0").predictors()).containsOnly(Predictor.MODEL);
        assertThat(model.laneChoices().get("B#0").modelMaeVeh()[0]).isEqualTo(0);
        assertThat(model.defaultChoice().laneKey()).isEqualTo(QueueModel.DEFAULT_LANE);
        assertThat(model.choice("unseen#3")).isSameAs(model.defaultChoice());
        assertThat(model.choice("unseen#3").predictors()).containsOnly(Predictor.LEARNED);
        assertThat(model.trainingSamples()).isEqualTo(4 * 1200);
        assertThat(model.validationSamples()).isEqualTo(4 * 300);
    }

    @Test
    void validationSamplesOfTheirOwnChooseAndAreNotTrainedOn() {
        // Lane A#0 behaves as modelled in training but stays as it is in validation: persistence wins there.
        List<Sample> validation = SyntheticSamples.samples(7, 200, List.of("A#1"), List.of("B#0"), List.of("A#0"));
        QueueModel m = QueueModel.train(samples, validation, SyntheticSamples.quick(42));
        assertThat(m.trainingSamples()).isEqualTo(samples.size());
        assertThat(m.validationSamples()).isEqualTo(validation.size());
        assertThat(m.choice("A#0").predictors()).containsOnly(Predictor.PERSISTENCE);
        assertThat(m.choice("A#1").predictors()).containsOnly(Predictor.LEARNED);
        assertThat(m.choice("B#0").predictors()).containsOnly(Predictor.MODEL);
        assertThat(m.laneChoices()).containsOnlyKeys("A#0", "A#1", "B#0");
        assertThat(m.choice("A#0").validationSamples()).isEqualTo(200);
        assertThat(m.choice("A#0").persistenceMaeVeh()[3]).isZero();
        assertThat(m.choiceCounts()).startsWith("5 s: 1 persistence, 1 model, 1 learned;");
    }

    @Test
    void evaluatorWalksTheTreesExactlyAsSmilePredicts() {
        for (double[] f : probes(200)) {
            double[] pred = model.predict(f);
            for (int h = 0; h < Features.HORIZON_COUNT; h++) {
                assertThat(pred[h]).isCloseTo(model.smilePrediction(h, f), within(1e-9));
            }
        }
    }

    @Test
    void sameSeedAndSamplesGiveTheSamePredictions() {
        QueueModel again = QueueModel.train(samples, SyntheticSamples.quick(42));
        QueueModel other = QueueModel.train(samples, SyntheticSamples.quick(43));
        boolean anyDifferent = false;
        for (double[] f : probes(200)) {
            assertThat(again.predict(f)).containsExactly(model.predict(f));
            anyDifferent |= !Arrays.equals(other.predict(f), model.predict(f));
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void saveAndLoadGiveIdenticalPredictionsChoicesAndProfiles() throws IOException {
        double[] rates = new double[96];
        Arrays.fill(rates, Double.NaN);
        rates[30] = 0.25;
        QueueModel withProfiles = model.withProfiles(new FlowProfiles(900, Map.of("A#0", rates)));
        Path file = dir.resolve("queue-model.zip");
        withProfiles.save(file);
        QueueModel loaded = QueueModel.load(file);
        for (double[] f : probes(300)) {
            assertThat(loaded.predict(f)).containsExactly(model.predict(f));
        }
        assertThat(loaded.laneChoices().keySet()).containsExactlyElementsOf(model.laneChoices().keySet());
        for (String lane : model.laneChoices().keySet()) {
            assertThat(loaded.choice(lane).predictors()).isEqualTo(model.choice(lane).predictors());
            assertThat(loaded.laneChoices().get(lane).learnedMaeVeh())
                    .containsExactly(model.laneChoices().get(lane).learnedMaeVeh());
            assertThat(loaded.laneChoices().get(lane).persistenceMaeVeh())
                    .containsExactly(model.laneChoices().get(lane).persistenceMaeVeh());
        }
        assertThat(loaded.defaultChoice().predictors()).isEqualTo(model.defaultChoice().predictors());
        assertThat(loaded.training().seed).isEqualTo(42);
        assertThat(loaded.trainingSamples()).isEqualTo(model.trainingSamples());
        assertThat(loaded.profiles().binS()).isEqualTo(900);
        double[] back = loaded.profiles().rates("A#0");
        assertThat(back[30]).isEqualTo(0.25);
        assertThat(back[0]).isNaN();

        Map<String, byte[]> entries = entries(file);
        assertThat(entries).containsOnlyKeys("manifest.json", "trees-5s.bin", "trees-15s.bin", "trees-30s.bin",
                "trees-60s.bin", "profiles.json");
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        assertThat(manifest).contains("\"format\" : \"greenwave-queue-model\"", "\"formatVersion\" : 3",
                "\"arrivals10sVeh\"", "\"choice\" : [ \"model\", \"model\", \"model\", \"model\" ]",
                "\"choice\" : [ \"learned\", \"learned\"", "\"persistenceMaeVeh\"", "\"seed\" : 42");
    }

    @Test
    void badFilesGiveClearErrorsNamingTheFile() throws IOException {
        Path garbage = dir.resolve("garbage.bin");
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Files.write(garbage, noise);
        assertThatThrownBy(() -> QueueModel.load(garbage)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(garbage.toString()).hasMessageContaining("zip");

        Path empty = dir.resolve("empty.zip");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> QueueModel.load(empty)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(empty.toString());

        Path good = dir.resolve("good.zip");
        model.save(good);
        Map<String, byte[]> entries = entries(good);

        Path noManifest = write("no-manifest.zip", entries, "manifest.json", null);
        assertThatThrownBy(() -> QueueModel.load(noManifest)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(noManifest.toString()).hasMessageContaining("no manifest.json");

        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        Path foreign = write("foreign.zip", entries, "manifest.json",
                manifest.replace("greenwave-queue-model", "something-else").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(foreign)).hasMessageContaining(foreign.toString())
                .hasMessageContaining("format is 'something-else'");

        Path newer = write("newer.zip", entries, "manifest.json",
                manifest.replace("\"formatVersion\" : 3", "\"formatVersion\" : 9").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(newer)).hasMessageContaining("format version 9");

        Path otherFeatures = write("features.zip", entries, "manifest.json",
                manifest.replace("\"arrivals10sVeh\"", "\"arrivals5sVeh\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(otherFeatures)).hasMessageContaining("feature names");

        Path notJson = write("not-json.zip", entries, "manifest.json", "{ nope".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(notJson)).hasMessageContaining("manifest.json is not valid JSON");

        byte[] trees = entries.get("trees-30s.bin");
        Path truncated = write("truncated.zip", entries, "trees-30s.bin", Arrays.copyOf(trees, trees.length / 2));
        assertThatThrownBy(() -> QueueModel.load(truncated)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(truncated.toString()).hasMessageContaining("trees-30s.bin")
                .hasMessageContaining("bytes");

        Path missing = write("missing.zip", entries, "trees-60s.bin", null);
        assertThatThrownBy(() -> QueueModel.load(missing)).hasMessageContaining("trees-60s.bin is missing");

        Path swapped = write("swapped.zip", entries, "manifest.json",
                manifest.replace("\"shrinkage\" : 0.1", "\"shrinkage\" : 0.2").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(swapped)).hasMessageContaining("shrinkage");
    }

    @Test
    void bandsAreSavedLoadedAndCheckedLikeEveryOtherPartOfTheFile() throws IOException {
        PredictionBands.Calibrator c = new PredictionBands.Calibrator();
        Random r = new Random(5);
        for (int i = 0; i < 400; i++) {
            double p = 10 * r.nextDouble();
            c.add(PredictionBands.INTERSECTION, 2, p, p + r.nextGaussian());
            c.add(PredictionBands.APPROACH, PredictionBands.SLOT_DELAY, 60 * p, 60 * p + 30 * r.nextGaussian());
        }
        PredictionBands bands = c.build(0.1, 0.9);
        Path file = dir.resolve("banded.zip");
        model.withBands(bands).save(file);
        QueueModel back = QueueModel.load(file);
        assertThat(back.bands().lowResiduals()).containsExactly(bands.lowResiduals());
        assertThat(back.bands().highResiduals()).containsExactly(bands.highResiduals());
        assertThat(back.bands().bucketEdgesVeh()).containsExactly(PredictionBands.DEFAULT_BUCKET_EDGES_VEH);
        assertThat(back.bands().lowerVeh(PredictionBands.INTERSECTION, 2, 4))
                .isEqualTo(bands.lowerVeh(PredictionBands.INTERSECTION, 2, 4));
        assertThat(back.bands().upperVeh(PredictionBands.INTERSECTION, 0, 4)).isNaN();
        // A model without bands loads as before.
        Path plain = dir.resolve("plain.zip");
        model.save(plain);
        assertThat(QueueModel.load(plain).bands()).isNull();

        Map<String, byte[]> entries = entries(file);
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        Path crossed = write("crossed.zip", entries, "manifest.json",
                manifest.replace("\"lowQuantile\" : 0.1", "\"lowQuantile\" : 0.95").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(crossed)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(crossed.toString()).hasMessageContaining("bands")
                .hasMessageContaining("0 < low < high < 1");
        int at = manifest.indexOf("\"30s\"", manifest.indexOf("\"intersection\""));
        int lowAt = manifest.indexOf("\"lowResidual\" : [", at) + "\"lowResidual\" : [".length();
        String text = manifest.substring(0, lowAt) + " \"x\"," + manifest.substring(manifest.indexOf(',', lowAt) + 1);
        Path word = write("word.zip", entries, "manifest.json", text.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(word)).hasMessageContaining("bands.intersection.30s.lowResidual[0]")
                .hasMessageContaining("not a number");
        String shorter = manifest.substring(0, lowAt) + manifest.substring(manifest.indexOf(',', lowAt) + 1);
        Path missing = write("short.zip", entries, "manifest.json", shorter.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(missing)).hasMessageContaining("bands.intersection.30s")
                .hasMessageContaining("7 numbers");
    }

    @Test
    void outsideFilesAreBoundedAndEveryNumberOfTheTreesIsChecked() throws IOException {
        Path absent = dir.resolve("absent.zip");
        assertThatThrownBy(() -> QueueModel.load(absent)).isInstanceOf(ModelFileException.class)
                .hasMessage("model file " + absent + ": no such file");
        assertThatThrownBy(() -> QueueModel.load(dir)).hasMessageContaining("not a regular file");

        Path good = dir.resolve("good.zip");
        model.save(good);
        Map<String, byte[]> entries = entries(good);

        Path huge = dir.resolve("huge.zip");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(QueueModel.MAX_FILE_BYTES + 1); // sparse: no disk is used
        }
        assertThatThrownBy(() -> QueueModel.load(huge)).hasMessageContaining(huge.toString())
                .hasMessageContaining("more than the " + QueueModel.MAX_FILE_BYTES);

        // A small archive that unpacks to more than the limit (zeros compress about 1000:1).
        Path bomb = write("bomb.zip", entries, "trees-5s.bin", new byte[(int) QueueModel.MAX_UNPACKED_BYTES + 1]);
        assertThat(Files.size(bomb)).isLessThan(QueueModel.MAX_FILE_BYTES);
        assertThatThrownBy(() -> QueueModel.load(bomb)).hasMessageContaining("unpacks to more than");

        Map<String, byte[]> extra = new HashMap<>(entries);
        extra.put("payload.ser", new byte[] {(byte) 0xac, (byte) 0xed, 0, 5});
        Path withExtra = write("extra.zip", extra, null, null);
        assertThatThrownBy(() -> QueueModel.load(withExtra)).hasMessageContaining("unexpected entry 'payload.ser'");

        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        Path v1 = write("v1.zip", entries, "manifest.json",
                manifest.replace("\"formatVersion\" : 3", "\"formatVersion\" : 1").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(v1)).hasMessageContaining("format version 1")
                .hasMessageContaining("train the model again");
        Path v2 = write("v2.zip", entries, "manifest.json",
                manifest.replace("\"formatVersion\" : 3", "\"formatVersion\" : 2").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(v2)).hasMessageContaining("format version 2")
                .hasMessageContaining("train the model again");

        Path badChoice = write("bad-choice.zip", entries, "manifest.json", manifest.replaceFirst(
                "\"choice\" : \\[ \"learned\"", "\"choice\" : [ \"oracle\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(badChoice)).hasMessageContaining(badChoice.toString())
                .hasMessageContaining("\"oracle\" at 5 s is none of 'persistence', 'model', 'learned'");
        Path shortChoice = write("short-choice.zip", entries, "manifest.json", manifest.replaceFirst(
                "\"choice\" : \\[ \"learned\", ", "\"choice\" : [ ").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(shortChoice)).hasMessageContaining("needs a choice per horizon");
        Path oneChoice = write("one-choice.zip", entries, "manifest.json", manifest.replaceFirst(
                "\"choice\" : \\[[^]]*\\]", "\"choice\" : \"learned\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(oneChoice)).hasMessageContaining("needs a choice per horizon");
        Path shortErrors = write("short-errors.zip", entries, "manifest.json", manifest.replaceFirst(
                "\"persistenceMaeVeh\" : \\[", "\"persistenceMaeVeh\" : [ 1, ").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(shortErrors)).hasMessageContaining("persistenceMaeVeh needs 4");
        Path twice = write("twice.zip", entries, "manifest.json",
                manifest.replace("\"A#1\"", "\"A#0\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> QueueModel.load(twice)).hasMessageContaining("lane A#0 appears twice");

        // Node 0 of tree 0 is a split; pointing its left child at itself would loop for ever.
        byte[] trees = entries.get("trees-15s.bin").clone();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(trees);
        int treeCount = b.getInt(0);
        int root = b.getInt(24);
        int node = 24 + 4 * treeCount + 20 * root;
        assertThat(b.getInt(node)).isNotNegative();
        b.putInt(node + 12, root);
        Path loop = write("loop.zip", entries, "trees-15s.bin", trees);
        assertThatThrownBy(() -> QueueModel.load(loop)).hasMessageContaining("trees-15s.bin split " + root)
                .hasMessageContaining("children must come after it");

        trees = entries.get("trees-15s.bin").clone();
        java.nio.ByteBuffer.wrap(trees).putInt(node, Features.COUNT);
        Path feature = write("feature.zip", entries, "trees-15s.bin", trees);
        assertThatThrownBy(() -> QueueModel.load(feature)).hasMessageContaining("splits on feature " + Features.COUNT);
    }

    @Test
    void trainingRefusesTooFewSamplesAndBadConfiguration() {
        assertThatThrownBy(() -> QueueModel.train(samples.subList(0, 5), List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training samples");
        QueueModel.TrainingConfig c = SyntheticSamples.quick(1);
        c.shrinkage = 0;
        assertThatThrownBy(() -> QueueModel.train(samples, c)).hasMessageContaining("shrinkage");
        assertThatThrownBy(() -> new Sample("X", 0, 0, new double[3], new double[4]))
                .hasMessageContaining("needs " + Features.COUNT + " features");
    }

    private Path write(String name, Map<String, byte[]> entries, String replace, byte[] with) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getKey().equals(replace) ? with : e.getValue();
                if (bytes != null) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
        }
        return p;
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> m = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                m.put(e.getName(), zip.readAllBytes());
            }
        }
        return m;
    }
}
