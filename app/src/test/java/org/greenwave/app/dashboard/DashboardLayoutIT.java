package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as {@code greenwave serve} shows it, on grid networks, in headless Chromium at 1366×768 with real
 * scroll bars: before the field has sent anything every signal shows "no data", and a signal shows its state once
 * its first detector reading arrives; no two signal labels on the map overlap; the side panel never scrolls
 * sideways, neither with the list of signals nor with a signal's detail open. The engine runs by hand on a manual
 * clock (no SUMO); the networks are the shared RESCO grid4x4 and sumo-rl 3x3grid beside the checkout.
 * Screenshots go to {@code target/dashboard-layout-*.png}.
 */
@Tag("browser")
class DashboardLayoutIT {
    private static final Map<String, String> SCENARIOS = Map.of(
            "grid4x4", "resco/grid4x4",
            "3x3grid", "external/sumo-rl/3x3grid");

    @ParameterizedTest
    @ValueSource(strings = {"grid4x4", "3x3grid"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gridLabelsDoNotOverlapSignalsShowNoDataUntilTheirFirstReadingAndTheSidePanelFits(String name)
            throws Exception {
        Path dir = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("scenarios")
                .resolve(SCENARIOS.get(name));
        assertThat(dir).as("shared scenario beside the checkout").isDirectory();
        Scenario scenario = Scenario.load(dir);
        SumoNet net = SumoNet.read(scenario.netFile(), scenario.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        Dashboard dashboard = new Dashboard(name, net, signals, Dashboard.ClockKind.WALL);
        ManualClock clock = new ManualClock(0);
        List<EngineIntersection> xs = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            xs.add(ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE));
        }
        WebDriver driver = null;
        try (DashboardServer server = DashboardServer.start(dashboard, "127.0.0.1", 0);
             Engine engine = Engine.invoked(new EngineContext().intersections(xs).shards(1).clock(clock)
                     .planSink(p -> { }))) {
            dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), null, null, "live");
            // The engine ticks (and would command its first greens) while nothing comes from the field.
            for (int t = 0; t <= 3; t++) {
                clock.set(t * 1000L);
                engine.doWork();
                dashboard.sample(t * 1_000_000_000L);
            }
            driver = DashboardBrowserIT.chromium(false);
            driver.get(server.url());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
            int n = signals.size();
            wait.until(d -> d.findElements(By.cssSelector("#map .signal")).size() == n
                    && frames(d) > 0);

            // Before any data: every signal says so, in the list and on the map, and no head is lit.
            wait.until(d -> states(d).stream().allMatch("no data"::equals));
            assertThat(driver.findElements(By.cssSelector("#map .signal.no-data"))).hasSize(n);
            for (WebElement sub : driver.findElements(By.cssSelector("#map .signal-sub"))) {
                assertThat(sub.getAttribute("textContent")).isEqualTo("no data");
            }
            assertThat(driver.findElements(By.cssSelector("#map .head")))
                    .allSatisfy(h -> assertThat(h.getAttribute("fill")).isEqualTo("#999"));

            // Labels: every id is shown, and no two labels overlap.
            List<double[]> boxes = labelBoxes(driver);
            assertThat(boxes).as("visible signal labels").hasSize(n);
            for (int a = 0; a < boxes.size(); a++) {
                for (int b = a + 1; b < boxes.size(); b++) {
                    assertThat(intersect(boxes.get(a), boxes.get(b)))
                            .as("labels %d %s and %d %s intersect", a, List.of(boxes.get(a)), b,
                                    List.of(boxes.get(b)))
                            .isFalse();
                }
            }
            assertThat(overflowX(driver, "side")).as("side panel, list of signals: scrollWidth - clientWidth; too wide: %s", tooWide(driver))
                    .isLessThanOrEqualTo(0);
            DashboardBrowserIT.shoot(driver, "dashboard-layout-" + name + "-no-data.png");

            // The first reading of one signal's detector: that signal shows its state, the others still none.
            ControlledIntersection first = signals.get(0);
            String[] detectors = first.stopLineLoops().length > 0 ? first.stopLineLoops() : first.advanceLoops();
            engine.ingest().detectorEdge(engine.directory().detectorIndex(detectors[0]), true, 4000);
            clock.set(4_000);
            engine.doWork();
            dashboard.sample(4_000_000_000L);
            wait.until(d -> states(d).get(0).matches("(?i)green|yellow|all-red"));
            assertThat(states(driver).subList(1, n)).allMatch("no data"::equals);
            assertThat(driver.findElement(By.cssSelector("#map .signal[data-index='0']")).getAttribute("class"))
                    .doesNotContain("no-data");

            // A signal's detail, the widest content of the side panel, still fits.
            driver.findElement(By.cssSelector("#signals-table tbody tr[data-index='0']")).click();
            wait.until(d -> !d.findElements(By.cssSelector("#d-measures tbody tr")).isEmpty()
                    && !d.findElements(By.cssSelector("#d-queue-chart canvas")).isEmpty());
            assertThat(driver.findElement(By.id("d-interval")).getText()).matches("(?i)green|yellow|all-red");
            assertThat(overflowX(driver, "side")).as("side panel, detail: scrollWidth - clientWidth; too wide: %s", tooWide(driver))
                    .isLessThanOrEqualTo(0);
            assertThat(((Number) ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                    .intValue()).as("page: scrollWidth - clientWidth").isLessThanOrEqualTo(0);
            DashboardBrowserIT.shoot(driver, "dashboard-layout-" + name + "-detail.png");
        } finally {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    private static long frames(WebDriver d) {
        String f = d.findElement(By.tagName("body")).getAttribute("data-frames");
        return f == null ? 0 : Long.parseLong(f);
    }

    /** The State column of the list of signals, in order. */
    private static List<String> states(WebDriver d) {
        List<String> out = new ArrayList<>();
        for (WebElement row : d.findElements(By.cssSelector("#signals-table tbody tr"))) {
            out.add(row.findElements(By.tagName("td")).get(1).getText().trim());
        }
        return out;
    }

    private static int overflowX(WebDriver d, String id) {
        return ((Number) ((JavascriptExecutor) d).executeScript(
                "const e = document.getElementById(arguments[0]); return e.scrollWidth - e.clientWidth;", id))
                .intValue();
    }

    /** The elements of the side panel that reach past its content box, for the failure message. */
    private static Object tooWide(WebDriver d) {
        return ((JavascriptExecutor) d).executeScript(
                "const side = document.getElementById('side'); const r = side.getBoundingClientRect();"
                        + "const right = r.left + side.clientLeft + side.clientWidth;"
                        + "return Array.from(side.querySelectorAll('*')).filter(e => e.getClientRects().length > 0"
                        + " && e.getBoundingClientRect().right > right + 0.5)"
                        + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' '"
                        + " + Math.round(e.getBoundingClientRect().right - right) + 'px').slice(0, 12);");
    }

    /** Screen rectangles [left, top, right, bottom] of the signal labels that are displayed. */
    @SuppressWarnings("unchecked")
    private static List<double[]> labelBoxes(WebDriver d) {
        List<List<Number>> raw = (List<List<Number>>) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('#map .signal-tag'))"
                        + ".map(e => e.getBoundingClientRect())"
                        + ".filter(r => r.width > 0 && r.height > 0)"
                        + ".map(r => [r.left, r.top, r.right, r.bottom]);");
        List<double[]> out = new ArrayList<>();
        for (List<Number> r : raw) {
            out.add(new double[] {r.get(0).doubleValue(), r.get(1).doubleValue(), r.get(2).doubleValue(),
                r.get(3).doubleValue()});
        }
        return out;
    }

    private static boolean intersect(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }
}
