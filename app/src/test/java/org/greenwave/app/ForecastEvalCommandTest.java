package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.forecast.learn.QueueModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code forecast-eval}: several scenarios and controllers in one call, seed lists kept apart, bad options refused. */
class ForecastEvalCommandTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private String scenario(String name) {
        return ROOT.resolve("scenarios").resolve(name).toString();
    }

    @Test
    void refusesOverlappingSeedListsAndShortWindowsBeforeRunning() {
        Path out = dir.resolve("out");
        assertThat(Main.execute("forecast-eval", "--scenario", scenario("intersection"), "--seeds", "1",
                "--train-seeds", "2", "--validation-seeds", "1", "--out", out.toString())).isEqualTo(1);
        assertThat(console.err()).contains("seed 1 is among both the validation and the evaluation seeds");
        console.resetErr();
        assertThat(Main.execute("forecast-eval", "--scenario", scenario("intersection"), "--seeds", "1",
                "--train-seeds", "2,3", "--validation-seeds", "3", "--out", out.toString())).isEqualTo(1);
        assertThat(console.err()).contains("seed 3 is among both the validation and the training seeds");
        console.resetErr();
        assertThat(Main.execute("forecast-eval", "--scenario", scenario("intersection"), "--validation-seeds", "7",
                "--out", out.toString())).isEqualTo(2);
        assertThat(console.err()).contains("--validation-seeds needs --train-seeds");
        console.resetErr();
        assertThat(Main.execute("forecast-eval", "--scenario", scenario("intersection"), "--window", "150",
                "--out", out.toString())).isEqualTo(2);
        assertThat(console.err()).contains("--window must be more than 180 s");
        assertThat(out).as("nothing ran").doesNotExist();
    }

    @Test
    @Tag("sumo")
    void evaluatesSeveralScenariosUnderGreenwaveAndActuatedWithValidatedPredictors() throws Exception {
        Path out = dir.resolve("fc");
        int code = Main.execute("forecast-eval", "--scenario", scenario("intersection") + "," + scenario("corridor"),
                "--controller", "greenwave,actuated", "--window", "240", "--seeds", "1", "--train-seeds", "2",
                "--validation-seeds", "3", "--dead-detectors", "0", "--parallel", "2", "--out", out.toString());
        assertThat(code).as(console.err()).isZero();
        String summary = Files.readString(out.resolve("summary.md"));
        for (String s : List.of("intersection", "corridor")) {
            for (String c : List.of("greenwave", "actuated")) {
                assertThat(summary).contains("| " + s + " | " + c + " | all working | 30 | ");
                Path model = out.resolve(s).resolve(c).resolve("queue-model.zip");
                QueueModel m = QueueModel.load(model);
                assertThat(m.validationSamples()).as("chosen on the validation run").isPositive();
                assertThat(m.trainingSamples()).isPositive();
                assertThat(Files.readString(out.resolve(s).resolve(c).resolve("forecast.md")))
                        .contains("Predictor per lane and horizon");
            }
        }
        List<String> lanes = Files.readAllLines(out.resolve("lanes.csv"));
        assertThat(lanes.get(0)).isEqualTo("scenario,controller,lane,horizonS,predictor,maeVeh,persistenceMaeVeh");
        assertThat(lanes).anyMatch(l -> l.startsWith("corridor,greenwave,"))
                .allMatch(l -> l.startsWith("scenario,") || l.matches("[^,]+,[^,]+,[^,]+,(5|15|30|60),"
                        + "(persistence|model|learned),.*"));
        assertThat(console.out()).contains("# Queue forecast against persistence", "validation seeds 3");
    }
}
