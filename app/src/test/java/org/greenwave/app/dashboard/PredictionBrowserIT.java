package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.greenwave.app.Main;
import org.greenwave.app.TinyQueueModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A signal's detail shows the intersection's and its approaches' predicted queue and delay with the bands of the
 * queue model the engine runs with: {@code greenwave demo --queue-model} (one controller, one seed, at 120× real time)
 * in headless Chromium. Screenshot: {@code target/dashboard-prediction.png}.
 */
@Tag("browser")
class PredictionBrowserIT {
    private static final Path TARGET = Path.of("target");

    /** The prediction table's cell texts, row by row, read at once. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> table(WebDriver d) {
        return (List<List<String>>) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('#d-pred tbody tr')).map("
                        + "(r) => Array.from(r.cells).map((c) => c.textContent));");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theDetailShowsTheIntersectionsPredictionWithItsBand() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        System.setProperty("greenwave.home", home.toString());
        Files.createDirectories(TARGET);
        Path model = TinyQueueModels.banded(TARGET.resolve("prediction-model.zip"), "J3");
        int port = DashboardBrowserIT.freePort();
        String base = "http://localhost:" + port + "/";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> demo = pool.submit(() -> Main.execute("demo", "--controller", "greenwave", "--seeds", "1",
                "--pace", "120", "--port", Integer.toString(port), "--queue-model", model.toString(),
                "--out", TARGET.resolve("prediction-demo").toString()));
        WebDriver driver = null;
        try {
            DashboardBrowserIT.awaitServing(base + "api/network", demo);
            driver = DashboardBrowserIT.chromium(true);
            driver.get(base);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100));
            wait.until(d -> d.findElements(By.cssSelector("#map .signal")).size() == 5);
            driver.findElement(By.cssSelector("#map .signal[data-id='J3'] .signal-hit")).click();
            wait.until(d -> d.findElement(By.id("detail")).isDisplayed());

            // Once vehicles queue at J3: the whole intersection first, then each approach, every figure with a band.
            // The table is redrawn with every refresh: it is read in one script, never element by element.
            wait.until(d -> {
                List<List<String>> rows = table(d);
                return rows.size() > 2 && rows.get(0).get(0).equals("intersection")
                        && !rows.get(0).get(3).startsWith("0.0 ");
            });
            List<List<String>> rows = table(driver);
            assertThat(driver.findElement(By.id("d-pred-note")).getText()).contains("10–90 % band");
            for (List<String> row : rows) {
                assertThat(row).hasSize(6);
                for (int c = 2; c < 6; c++) {
                    assertThat(row.get(c)).as(row.toString()).matches("[0-9,.]+ \\([0-9,.]+–[0-9,.]+\\)");
                }
            }
            // The band is the model's: from the prediction − 2 to + 3 vehicles (never below 0).
            String in30 = rows.get(0).get(3);
            double predicted = Double.parseDouble(in30.substring(0, in30.indexOf(' ')).replace(",", ""));
            double high = Double.parseDouble(in30.substring(in30.indexOf('–') + 1, in30.indexOf(')')).replace(",", ""));
            assertThat(high).isCloseTo(predicted + TinyQueueModels.HIGH_RESIDUAL_VEH,
                    org.assertj.core.data.Offset.offset(0.11));
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "document.getElementById('d-pred').scrollIntoView()");
            DashboardBrowserIT.shoot(driver, "dashboard-prediction.png");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            Integer code = demo.get(120, TimeUnit.SECONDS);
            pool.shutdownNow();
            assertThat(code).as("greenwave demo exit code").isZero();
        }
    }
}
