package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.greenwave.core.audit.AuditLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Log-in, an action, the audit panel and log-out in headless Chromium against a dashboard with a users file: an
 * operator acknowledges through the page's {@code greenwave.post} and sees the entry; the same request without the
 * CSRF token is refused; a viewer is refused and the refusal is shown. The acknowledgement endpoint is registered
 * here through {@link DashboardServer#action} as the operator endpoints are. Screenshots go to
 * {@code target/dashboard-login.png} and {@code target/dashboard-audit.png}. Needs no SUMO.
 */
@Tag("browser")
class DashboardAuthBrowserIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anOperatorActsAndSeesTheAuditEntryAViewerAndAForgedRequestAreRefused() throws Exception {
        Path users = dir.resolve("users");
        Users.add(users, "olga", Role.OPERATOR, PasswordHash.hash("olga's password".toCharArray()), false);
        Users.add(users, "vic", Role.VIEWER, PasswordHash.hash("vic's password".toCharArray()), false);
        try (AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), System::currentTimeMillis);
             DashboardServer server = DashboardServer.start(DashboardAuthTest.corridorDashboard(),
                     new DashboardServer.Options().bind("127.0.0.1", 0).users(Users.read(users)).audit(audit))) {
            server.action("/api/alerts/{id}/ack", Role.OPERATOR, r -> {
                server.audit().record(r.user(), "alert.ack", "alert:" + r.path("id"), r.params().getOrDefault("note",
                        ""));
                return ApiResponse.ok();
            });
            String base = "http://localhost:" + server.port() + "/";
            WebDriver driver = DashboardBrowserIT.chromium(false);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
                driver.get(base);
                wait.until(d -> d.getCurrentUrl().endsWith("/login"));
                DashboardBrowserIT.shoot(driver, "dashboard-login.png");
                logIn(driver, wait, "olga", "olga's password");
                wait.until(d -> d.findElement(By.id("user")).getText().equals("olga (operator)"));
                wait.until(d -> auditActions(d).contains("login"));

                Object ok = post(driver, "/api/alerts/7/ack", Map.of("note", "checked on camera"));
                assertThat(ok).isEqualTo("ok");
                wait.until(d -> auditActions(d).contains("alert.ack"));
                WebElement row = driver.findElement(By.cssSelector("#audit-table tbody tr[data-action='alert.ack']"));
                assertThat(row.getText()).contains("olga").contains("alert:7").contains("checked on camera");
                DashboardBrowserIT.shoot(driver, "dashboard-audit.png");

                // The same request from the page without the token (as a forged one would come) is refused.
                Object forged = ((JavascriptExecutor) driver).executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/api/alerts/8/ack', {method: 'POST', credentials: 'same-origin',"
                                + " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'note=x'})"
                                + ".then(r => done(r.status)).catch(e => done(String(e)));");
                assertThat(forged).isEqualTo(403L);
                wait.until(d -> auditActions(d).contains("csrf.refused"));
                assertThat(audit.recent(10)).noneMatch(e -> e.target().equals("alert:8"));

                driver.findElement(By.id("logout-button")).click();
                wait.until(d -> d.getCurrentUrl().endsWith("/login?m=out"));
                assertThat(driver.findElement(By.id("login-message")).getText()).isEqualTo("Logged out.");

                logIn(driver, wait, "vic", "vic's password");
                wait.until(d -> d.findElement(By.id("user")).getText().equals("vic (viewer)"));
                Object refused = post(driver, "/api/alerts/9/ack", Map.of("note", "x"));
                assertThat(refused).isEqualTo("403 your role (viewer) may not do this; it needs operator");
                wait.until(d -> auditActions(d).contains("access.denied"));
                assertThat(audit.recent(20)).extracting(e -> e.actor() + " " + e.action()).contains("olga login",
                        "olga alert.ack", "olga csrf.refused", "olga logout", "vic login", "vic access.denied");
            } finally {
                driver.quit();
            }
        }
    }

    private static void logIn(WebDriver driver, WebDriverWait wait, String user, String password) {
        driver.findElement(By.id("user")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-button")).click();
        // The first log-in of a fresh JVM computes Argon2 before the JIT has compiled it: give it time.
        new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
                .withMessage(() -> "log-in as " + user + " ended at " + driver.getCurrentUrl())
                .until(d -> d.getCurrentUrl().endsWith("/") && !d.findElements(By.id("audit-table")).isEmpty());
    }

    /** Posts through the page's greenwave.post: "ok", or "STATUS message" when refused. */
    private static Object post(WebDriver driver, String url, Map<String, String> fields) {
        return ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "greenwave.post(arguments[0], arguments[1]).then(() => done('ok'))"
                        + ".catch(e => done(e.status + ' ' + e.message));", url, fields);
    }

    /** The actions in the audit panel; none while the panel is being redrawn (its rows are replaced on refresh). */
    private static List<String> auditActions(WebDriver d) {
        try {
            return d.findElements(By.cssSelector("#audit-table tbody tr")).stream()
                    .map(r -> r.getAttribute("data-action")).toList();
        } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
            return List.of();
        }
    }
}
