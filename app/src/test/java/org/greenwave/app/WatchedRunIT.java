package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code simulate --dashboard} and {@code whatif --dashboard} on the command line, in SUMO: while the study runs, the
 * dashboard serves the given scenario's network and signals, and its state API follows the watched run (greenwave's
 * first); once the study is over the report is written and the dashboard is gone.
 */
@Tag("sumo")
class WatchedRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path SHARED = Path.of("").toAbsolutePath().getParent().resolveSibling("shared")
            .resolve("scenarios");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void simulateWithDashboardServesTheScenariosSignalsAndFollowsGreenwavesFirstRun() throws Exception {
        Path grid = SHARED.resolve("external/sumo-rl/2x2grid");
        Path out = Path.of("target/watched-simulate");
        int port = freePort();
        Watch w = watch(port, "simulate", "--scenario", grid.toString(), "--controller", "fixed,greenwave",
                "--seeds", "1,2", "--begin", "0", "--end", "150", "--parallel", "1", "--dashboard",
                "--port", Integer.toString(port), "--pace", "10", "--out", out.toString());

        List<String> ids = signalIds(grid);
        assertThat(w.network.get("title").asText()).isEqualTo("2x2grid");
        List<String> shown = new ArrayList<>();
        w.network.get("signals").forEach(s -> shown.add(s.get("id").asText()));
        assertThat(shown).isEqualTo(ids);
        JsonNode live = w.lastLive;
        assertThat(live).as("a frame of the run while it went on").isNotNull();
        assertThat(live.get("run").asText()).startsWith("greenwave, seed 1, 10× real time");
        assertThat(live.get("clock").asText()).isEqualTo("simulated");
        assertThat(live.get("signals")).hasSize(ids.size());
        assertThat(w.maxEngineTimeS).isGreaterThan(30);
        assertThat(w.anyData).as("some signal had detector data").isTrue();
        assertThat(w.exit).isZero();
        assertThat(Files.readString(out.resolve("comparison.md"))).contains("greenwave").contains("fixed")
                .contains("Wall time of greenwave, seed 1 includes the dashboard's pace (10×).");
        assertThat(out.resolve("greenwave/seed-2/summary.json")).exists();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void whatifWithDashboardShowsTheFirstRunOfGreenwave() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        Path intersection = home.resolve("scenarios/intersection");
        Path out = Path.of("target/watched-whatif");
        int port = freePort();
        Watch w = watch(port, "whatif", "--scenario", intersection.toString(), "--controller", "fixed,greenwave",
                "--demand", "0.5", "--detector-failure", "0", "--seeds", "1", "--dashboard", "--port",
                Integer.toString(port), "--pace", "0", "--out", out.toString());

        List<String> shown = new ArrayList<>();
        w.network.get("signals").forEach(s -> shown.add(s.get("id").asText()));
        assertThat(shown).isEqualTo(signalIds(intersection));
        assertThat(w.lastLive).as("a frame of the run while it went on").isNotNull();
        assertThat(w.lastLive.get("run").asText())
                .startsWith("greenwave, demand 0.5, detector failure 0.0, seed 1, full speed");
        assertThat(w.exit).isZero();
        assertThat(out.resolve("report.html")).exists();
    }

    /** What the dashboard of one command served while it ran. */
    private static final class Watch {
        JsonNode network;
        JsonNode lastLive;
        double maxEngineTimeS;
        boolean anyData;
        int exit;
    }

    /** Runs the command and polls its dashboard's state API every 100 ms until the command ends. */
    private static Watch watch(int port, String... args) throws Exception {
        System.setProperty("greenwave.home", Path.of("").toAbsolutePath().getParent().toString());
        String base = "http://localhost:" + port + "/";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> run = pool.submit(() -> Main.execute(args));
        Watch w = new Watch();
        try {
            while (!run.isDone()) {
                try {
                    if (w.network == null) {
                        w.network = JSON.readTree(get(base + "api/network"));
                    }
                    JsonNode f = JSON.readTree(get(base + "api/frame"));
                    if (!f.get("signals").isEmpty()) {
                        w.lastLive = f;
                        w.maxEngineTimeS = Math.max(w.maxEngineTimeS, f.get("engineTimeS").asDouble());
                        f.get("signals").forEach(s -> w.anyData |= s.get("data").asBoolean());
                    }
                } catch (IOException e) {
                    // Not serving yet, or no longer.
                }
                Thread.sleep(100);
            }
            w.exit = run.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.network).as("the dashboard answered while the command ran").isNotNull();
        return w;
    }

    private static List<String> signalIds(Path scenario) throws IOException {
        Scenario s = Scenario.load(scenario);
        List<String> ids = new ArrayList<>();
        for (ControlledIntersection ci : ScenarioImport.importSignals(SumoNet.read(s.netFile(), s.additionalFiles()),
                List.of())) {
            ids.add(ci.id());
        }
        return ids;
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
