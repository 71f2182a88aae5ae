package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.greenwave.forecast.learn.QueueModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --queue-model}: a model written by the project's own trainer loads everywhere; every bad file is refused. */
class QueueModelOptionTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    /** A small model trained on synthetic lanes of intersection {@code tls}: see {@link TinyQueueModels#tiny}. */
    static Path tinyModel(Path file, String tls) throws IOException {
        return TinyQueueModels.tiny(file, tls);
    }

    private Path bad(String kind) throws IOException {
        Path good = tinyModel(dir.resolve("good.zip"), "X");
        Path p = dir.resolve(kind + ".zip");
        switch (kind) {
            case "missing" -> {
                return p;
            }
            case "garbage" -> Files.writeString(p, "<net version=\"1.9\"/>\n");
            case "oversized" -> {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.setLength(QueueModel.MAX_FILE_BYTES + 1);
                }
            }
            case "version", "features" -> {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(good))) {
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        entries.put(e.getName(), zip.readAllBytes());
                    }
                }
                String m = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
                m = kind.equals("version") ? m.replace("\"formatVersion\" : 3", "\"formatVersion\" : 1")
                        : m.replace("\"upstream30sVeh\"", "\"weatherRain\"");
                entries.put("manifest.json", m.getBytes(StandardCharsets.UTF_8));
                try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(os)) {
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        zip.putNextEntry(new ZipEntry(e.getKey()));
                        zip.write(e.getValue());
                        zip.closeEntry();
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return p;
    }

    @Test
    void simulateRefusesEveryKindOfBadModelFileBeforeRunning() throws IOException {
        Map<String, String> expected = Map.of(
                "missing", "no such file",
                "garbage", "zip",
                "oversized", "more than the " + QueueModel.MAX_FILE_BYTES,
                "version", "format version 1",
                "features", "feature names");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = bad(e.getKey());
            console.resetErr();
            int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/intersection").toString(),
                    "--seeds", "1", "--out", dir.resolve("out").toString(), "--queue-model", file.toString());
            assertThat(code).as(e.getKey()).isEqualTo(1);
            assertThat(console.err()).as(e.getKey()).contains("greenwave: model file " + file + ": ")
                    .contains(e.getValue());
            assertThat(dir.resolve("out")).as("nothing ran").doesNotExist();
        }
    }

    @Test
    void whatifDemoAndServeRefuseABadModelFileAtStart() throws IOException {
        Path file = bad("features");
        assertThat(Main.execute("whatif", "--scenario", ROOT.resolve("scenarios/intersection").toString(),
                "--seeds", "1", "--out", dir.resolve("w").toString(), "--queue-model", file.toString())).isEqualTo(1);
        assertThat(console.err()).contains("model file " + file + ": feature names");
        assertThat(dir.resolve("w")).doesNotExist();

        console.resetErr();
        Path missing = bad("missing");
        assertThat(Main.execute("demo", "--no-dashboard", "--out", dir.resolve("d").toString(), "--queue-model",
                missing.toString())).isEqualTo(1);
        assertThat(console.err()).contains("model file " + missing + ": no such file");

        console.resetErr();
        Path old = bad("version");
        assertThat(Main.execute("serve", "--scenario", ROOT.resolve("scenarios/corridor").toString(), "--listen",
                "127.0.0.1:1", "--queue-model", old.toString())).isEqualTo(1);
        assertThat(console.err()).contains("model file " + old + ": format version 1").contains("train the model again");
        assertThat(console.out()).doesNotContain("serving");
    }

    @Test
    void everyEngineCommandOffersTheOption() {
        for (String command : List.of("simulate", "whatif", "demo", "serve")) {
            console.resetOut();
            assertThat(Main.execute(command, "--help")).isZero();
            assertThat(console.out()).as(command).contains("--queue-model=FILE");
        }
    }

    @Test
    @Tag("sumo")
    void simulateRunsTheEngineWithTheTrainedModel() throws IOException {
        Path model = tinyModel(dir.resolve("queue-model.zip"), "C");
        int code = Main.execute("simulate", "--scenario", ROOT.resolve("scenarios/intersection").toString(),
                "--controller", "greenwave", "--seeds", "1", "--begin", "0", "--end", "120",
                "--out", dir.resolve("out").toString(), "--queue-model", model.toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out()).contains("Queue model " + model + ": 480 training samples (seed 3); predictors per "
                        + "horizon: 5 s: ")
                .contains("Queue model " + model + " used by 1 signal forecaster(s) over 1 run(s).")
                .contains("| greenwave").doesNotContain("not trained on");
    }

    @Test
    @Tag("broker")
    void serveStartsWithTheTrainedModel() throws Exception {
        Path model = tinyModel(dir.resolve("queue-model.zip"), "J2");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int code = Main.execute("serve", "--scenario", ROOT.resolve("scenarios/corridor").toString(), "--listen",
                "127.0.0.1:" + port, "--no-dashboard", "--run-for", "1", "--queue-model", model.toString(),
                "--unsigned-plans");
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out()).contains("Queue model " + model + ": ")
                .contains("Queue model " + model + " used by 5 signal forecaster(s).")
                .contains("The model was not trained on signal(s) J1, J3, J4, J5: their lanes use its default choice");
    }
}
