package org.greenwave.app.dashboard;

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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.greenwave.app.HeadlessChromium;
import org.greenwave.app.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: starts {@code greenwave demo} (one controller, one seed, at 120× real time),
 * opens the page in headless Chromium at 1366×768, and checks that the network renders, that the values move with
 * the engine, and that a signal's detail opens. Screenshots go to {@code target/dashboard-*.png}
 * (network early in the run, mid-peak, a signal's detail and its coordination diagram).
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (the launcher installs them) and SUMO.
 */
@Tag("browser")
class DashboardBrowserIT {
    private static final Path TARGET = Path.of("target");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theDemoDashboardRendersFollowsTheEngineAndOpensASignal() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        System.setProperty("greenwave.home", home.toString());
        int port = freePort();
        String base = "http://localhost:" + port + "/";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> demo = pool.submit(() -> Main.execute("demo", "--controller", "greenwave", "--seeds", "1",
                "--pace", "120", "--port", Integer.toString(port),
                "--out", TARGET.resolve("dashboard-demo").toString()));
        WebDriver driver = null;
        try {
            awaitServing(base + "api/network", demo);
            driver = chromium();
            driver.get(base);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(40), Duration.ofMillis(100));

            // The network renders: every signal and the roads.
            wait.until(d -> d.findElements(By.cssSelector("#map .signal")).size() == 5);
            assertThat(driver.findElements(By.cssSelector("#map .lane")).size()).isGreaterThan(50);
            assertThat(driver.findElements(By.cssSelector("#signals-table tbody tr"))).hasSize(5);

            // The values move with the engine: the clock, the signals' states and queues, the KPIs.
            wait.until(d -> engineTimeS(d) > 0);
            double firstS = engineTimeS(driver);
            String first = liveValues(driver);
            wait.until(d -> engineTimeS(d) > firstS + 60 && !liveValues(d).equals(first));
            assertThat(driver.findElement(By.id("kpi-throughput")).getText()).matches("[0-9,]+");
            shoot(driver, "dashboard-network.png");

            // Mid-peak.
            wait.until(d -> engineTimeS(d) >= 1800);
            assertThat(driver.findElement(By.id("status")).getText()).isEqualToIgnoringCase("live");
            shoot(driver, "dashboard-mid-peak.png");

            // A signal's detail opens and follows the engine.
            driver.findElement(By.cssSelector("#map .signal[data-id='J3'] .signal-hit")).click();
            wait.until(d -> d.findElement(By.id("detail")).isDisplayed()
                    && "J3".equals(d.findElement(By.id("detail")).getAttribute("data-signal")));
            wait.until(d -> !d.findElement(By.id("d-phase")).getText().isEmpty()
                    && !d.findElements(By.cssSelector("#d-measures tbody tr")).isEmpty()
                    && !d.findElements(By.cssSelector("#d-queue-chart canvas")).isEmpty()
                    && d.findElement(By.id("d-pcd-lane")).getText().contains("arrivals"));
            assertThat(driver.findElement(By.id("d-interval")).getText()).matches("(?i)green|yellow|all-red");
            List<WebElement> lanes = driver.findElements(By.cssSelector("#d-measures tbody tr"));
            assertThat(lanes).hasSizeGreaterThan(1);
            String before = detailState(driver);
            wait.until(d -> !detailState(d).equals(before));
            shoot(driver, "dashboard-detail.png");
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "document.getElementById('side').scrollTop = 1e6");
            shoot(driver, "dashboard-detail-coordination.png");

            // /metrics has the same health figures, in Prometheus' text format.
            String metrics = get(base + "metrics");
            assertThat(metrics).contains("# TYPE greenwave_decision_latency_seconds gauge")
                    .contains("greenwave_decision_latency_seconds{quantile=\"0.99\"}")
                    .contains("greenwave_detector_faults{kind=\"advance\"}")
                    .contains("greenwave_signals 5");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            Integer code = demo.get(120, TimeUnit.SECONDS);
            pool.shutdownNow();
            assertThat(code).as("greenwave demo exit code").isZero();
        }
    }

    /** The signal's phase and time in phase as the detail shows them. */
    private static String detailState(WebDriver d) {
        return d.findElement(By.id("d-phase")).getText() + " " + d.findElement(By.id("d-elapsed")).getText();
    }

    private static double engineTimeS(WebDriver d) {
        String t = d.findElement(By.id("engine-clock")).getAttribute("data-t");
        return t == null ? 0 : Double.parseDouble(t);
    }

    /** The live values on the page: each signal's interval and queue, and the network KPIs. */
    private static String liveValues(WebDriver d) {
        StringBuilder b = new StringBuilder();
        for (WebElement s : d.findElements(By.cssSelector("#map .signal"))) {
            b.append(s.getAttribute("data-interval")).append('/').append(s.getAttribute("data-queue")).append(' ');
        }
        return b.append(d.findElement(By.id("kpi-throughput")).getText()).toString();
    }

    private static WebDriver chromium() {
        return chromium(true);
    }

    /**
     * Headless Chromium at 1366×768.
     *
     * @param hideScrollbars whether scroll bars take no room (screenshots); false lays the page out as a desktop
     *                       browser does, scroll bars taking their width
     */
    static WebDriver chromium(boolean hideScrollbars) {
        return HeadlessChromium.start(1366, 768, hideScrollbars);
    }

    static void shoot(WebDriver driver, String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(TARGET);
        Files.write(TARGET.resolve(name), png);
    }

    static void awaitServing(String url, Future<Integer> demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            if (demo.isDone()) {
                throw new AssertionError("greenwave demo ended (exit " + demo.get() + ") before serving the dashboard");
            }
            try {
                get(url);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the dashboard did not answer at " + url + " within 60 s");
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
