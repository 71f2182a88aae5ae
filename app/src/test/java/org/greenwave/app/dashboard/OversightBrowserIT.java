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
import org.greenwave.core.audit.AuditLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Operators in a real browser, on {@code greenwave demo} (the adaptive controller, 30× real time) with a users file
 * and an audit log: an operator logs in, opens signal J3, puts it into its own program and then holds its phase from
 * the page, sees each in force with their name, the audit entries (theirs and the engine's) and why the controller
 * decided, and the alert list; a viewer sees the same page without the controls and is refused when posting, and a
 * post without the CSRF token is refused. Screenshots: {@code target/oversight-operator.png},
 * {@code target/oversight-viewer.png}. Needs SUMO and Chromium.
 */
@Tag("browser")
class OversightBrowserIT {
    private static final Path TARGET = Path.of("target");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void anOperatorOverrulesTheEngineFromThePageAndAViewerCannot() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        System.setProperty("greenwave.home", home.toString());
        Path users = dir.resolve("users");
        Users.add(users, "olga", Role.OPERATOR, PasswordHash.hash("olga's password".toCharArray()), false);
        Users.add(users, "vic", Role.VIEWER, PasswordHash.hash("vic's password".toCharArray()), false);
        Path auditFile = dir.resolve("audit.jsonl");
        int port = DashboardBrowserIT.freePort();
        String base = "http://localhost:" + port + "/";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> demo = pool.submit(() -> Main.execute("demo", "--controller", "greenwave", "--seeds", "1",
                "--pace", "30", "--port", Integer.toString(port), "--users", users.toString(),
                "--audit-log", auditFile.toString(), "--out", TARGET.resolve("oversight-demo").toString()));
        WebDriver driver = null;
        try {
            DashboardBrowserIT.awaitServing(base + "login", demo);
            driver = DashboardBrowserIT.chromium(false);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(40), Duration.ofMillis(100));
            driver.get(base);
            logIn(driver, wait, "olga", "olga's password");
            wait.until(d -> d.findElements(By.cssSelector("#map .signal")).size() == 5);
            wait.until(d -> engineTimeS(d) > 5);

            // Signal J3 into its own program.
            openJ3(driver, wait);
            wait.until(d -> d.findElement(By.id("o-controls")).isDisplayed());
            assertThat(driver.findElement(By.id("d-override")).getText()).contains("Adaptive control");
            new Select(driver.findElement(By.id("o-mode"))).selectByValue("own-program");
            WebElement duration = driver.findElement(By.id("o-duration"));
            duration.clear();
            duration.sendKeys("3600");
            driver.findElement(By.id("o-note")).sendKeys("camera check");
            driver.findElement(By.id("o-mode-apply")).click();
            wait.until(d -> d.findElement(By.id("d-override")).getText().contains("own-program for 3600 s")
                    && d.findElement(By.id("d-override")).getText().contains("set by olga"));
            wait.until(d -> auditRow(d, "signal.mode") != null && auditRow(d, "override.applied") != null);
            assertThat(auditRow(driver, "signal.mode").getAttribute("textContent")).contains("olga").contains("signal:J3")
                    .contains("own-program");

            // Hold the phase: it replaces the own program.
            driver.findElement(By.id("o-hold")).click();
            wait.until(d -> d.findElement(By.id("d-override")).getText().startsWith("hold for 3600 s")
                    && d.findElement(By.id("d-override")).getText().contains("set by olga"));
            wait.until(d -> auditRow(d, "signal.hold") != null && auditRow(d, "override.replaced") != null);
            assertThat(auditRow(driver, "signal.hold").getAttribute("textContent")).contains("olga").contains("signal:J3");

            // Why the controller decides as it does, per phase.
            wait.until(d -> !d.findElement(By.id("d-why-text")).getText().isEmpty()
                    && !d.findElements(By.cssSelector("#d-why-phases tbody tr")).isEmpty());
            DashboardBrowserIT.shoot(driver, "oversight-operator.png");

            // The alert list, from the signal list.
            driver.findElement(By.id("d-close")).click();
            wait.until(d -> d.findElement(By.id("alerts-table")).isDisplayed()
                    && !d.findElement(By.id("alerts-count")).getText().isEmpty());

            // A post without the CSRF token is refused and reaches no signal.
            Object forged = ((JavascriptExecutor) driver).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/api/signals/0/command', {method: 'POST', credentials: 'same-origin',"
                            + " headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                            + " body: 'mode=flash'}).then(r => done(r.status)).catch(e => done(String(e)));");
            assertThat(forged).isEqualTo(403L);

            // A viewer sees the override and who set it, has no controls, and is refused.
            driver.findElement(By.id("logout-button")).click();
            wait.until(d -> d.getCurrentUrl().contains("/login"));
            logIn(driver, wait, "vic", "vic's password");
            wait.until(d -> d.findElements(By.cssSelector("#map .signal")).size() == 5);
            openJ3(driver, wait);
            wait.until(d -> d.findElement(By.id("o-readonly")).isDisplayed()
                    && d.findElement(By.id("d-override")).getText().contains("set by olga"));
            assertThat(driver.findElement(By.id("o-controls")).isDisplayed()).isFalse();
            Object refused = ((JavascriptExecutor) driver).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "greenwave.post(arguments[0], {mode: 'flash'}).then(() => done('ok'))"
                            + ".catch(e => done(e.status + ' ' + e.message));", "/api/signals/0/command");
            assertThat(refused).isEqualTo("403 your role (viewer) may not do this; it needs operator");
            DashboardBrowserIT.shoot(driver, "oversight-viewer.png");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            demo.cancel(true);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(auditFile);
        assertThat(String.join("\n", lines)).contains("\"actor\":\"olga\",\"action\":\"signal.mode\"")
                .contains("\"actor\":\"olga\",\"action\":\"signal.hold\"")
                .contains("\"actor\":\"vic\",\"action\":\"access.denied\"");
        assertThat(AuditLog.verify(auditFile).ok()).isTrue();
    }

    private static void openJ3(WebDriver driver, WebDriverWait wait) {
        driver.findElement(By.cssSelector("#map .signal[data-id='J3'] .signal-hit")).click();
        wait.until(d -> d.findElement(By.id("detail")).isDisplayed()
                && "J3".equals(d.findElement(By.id("detail")).getAttribute("data-signal")));
    }

    private static void logIn(WebDriver driver, WebDriverWait wait, String user, String password) {
        wait.until(d -> d.getCurrentUrl().contains("/login"));
        driver.findElement(By.id("user")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-button")).click();
        try {
            wait.until(d -> d.getCurrentUrl().endsWith("/") && !d.findElements(By.id("audit-table")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not logged in as " + user + ": at " + driver.getCurrentUrl() + ", page: "
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** The newest audit-table row of {@code action}, or null. */
    private static WebElement auditRow(WebDriver d, String action) {
        List<WebElement> rows = d.findElements(By.cssSelector("#audit-table tbody tr[data-action='" + action + "']"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static double engineTimeS(WebDriver d) {
        String t = d.findElement(By.id("engine-clock")).getAttribute("data-t");
        return t == null ? 0 : Double.parseDouble(t);
    }
}
