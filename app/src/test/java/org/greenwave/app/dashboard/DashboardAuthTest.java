package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.core.audit.AuditEntry;
import org.greenwave.core.audit.AuditLog;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log-in, sessions, roles and CSRF on the dashboard's server, over HTTP on loopback with a users file: what each
 * kind of caller may do, and what the audit log records.
 */
class DashboardAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;
    private Path usersFile;
    private DashboardServer server;
    private AuditLog audit;
    private final AtomicReference<ApiRequest> seen = new AtomicReference<>();

    static Dashboard corridorDashboard() throws IOException {
        Path corridor = Path.of("").toAbsolutePath().getParent().resolve("scenarios/corridor/corridor.net.xml");
        SumoNet net = SumoNet.read(corridor);
        return new Dashboard("corridor", net, ScenarioImport.importSignals(net, List.of()),
                Dashboard.ClockKind.SIMULATED);
    }

    @BeforeEach
    void start() throws Exception {
        usersFile = dir.resolve("users");
        Users.add(usersFile, "olga", Role.OPERATOR, PasswordHash.hash("olga's password".toCharArray()), false);
        Users.add(usersFile, "vic", Role.VIEWER, PasswordHash.hash("vic's password".toCharArray()), false);
        audit = AuditLog.open(dir.resolve("audit.jsonl"), System::currentTimeMillis);
        server = DashboardServer.start(corridorDashboard(), new DashboardServer.Options().bind("127.0.0.1", 0)
                .users(Users.read(usersFile)).audit(audit).metricsToken("scrape-token-123"));
        server.action("/api/test/{id}/ack", Role.OPERATOR, r -> {
            seen.set(r);
            server.audit().record(r.user(), "alert.ack", "alert:" + r.path("id"), r.required("note"));
            return ApiResponse.ok();
        });
        server.query("/api/test/{id}", Role.VIEWER, r -> ApiResponse.json(200, "{\"id\":\"" + r.path("id") + "\"}"));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        audit.close();
    }

    /** A browser: its own cookies, no redirects followed. */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(HttpClient c, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient c, String path, Map<String, String> form, String... headers)
            throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in through the form as a browser does; returns the session's CSRF token. */
    private String logIn(HttpClient c, String user, String password) throws Exception {
        HttpResponse<String> page = get(c, "/login");
        Matcher m = CSRF_FIELD.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        HttpResponse<String> r = post(c, "/login", Map.of("csrf", m.group(1), "user", user, "password", password));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/");
        return JSON.readTree(get(c, "/api/session").body()).get("csrf").asText();
    }

    private List<AuditEntry> entries() {
        return audit.recent(100);
    }

    @Test
    void withoutASessionOnlyTheLogInPageAndStaticFilesAreServed() throws Exception {
        HttpClient c = browser();
        HttpResponse<String> page = get(c, "/");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(get(c, "/api/frame").statusCode()).isEqualTo(401);
        assertThat(get(c, "/api/network").statusCode()).isEqualTo(401);
        assertThat(get(c, "/api/audit").statusCode()).isEqualTo(401);
        assertThat(get(c, "/api/test/1").statusCode()).isEqualTo(401);
        assertThat(post(c, "/api/test/1/ack", Map.of("note", "x")).statusCode()).isEqualTo(401);
        assertThat(get(c, "/dashboard.css").statusCode()).isEqualTo(200);
        HttpResponse<String> login = get(c, "/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("type=\"password\"").doesNotContain("{{");
        assertThat(login.headers().allValues("Set-Cookie")).singleElement().asString()
                .startsWith("gw_login=").contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
        assertThat(login.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(get(c, "/login.html").statusCode()).as("the template is not served raw").isEqualTo(404);
    }

    @Test
    void anOperatorLogsInActsWithTheCsrfTokenAndIsRecorded() throws Exception {
        HttpClient c = browser();
        HttpResponse<String> page = get(c, "/login");
        Matcher m = CSRF_FIELD.matcher(page.body());
        assertThat(m.find()).isTrue();
        HttpResponse<String> in = post(c, "/login", Map.of("csrf", m.group(1), "user", "olga",
                "password", "olga's password"));
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().allValues("Set-Cookie")).anySatisfy(h -> assertThat(h).startsWith("gw_session=")
                .contains("HttpOnly").contains("SameSite=Strict").contains("Path=/"));
        JsonNode session = JSON.readTree(get(c, "/api/session").body());
        assertThat(session.get("user").asText()).isEqualTo("olga");
        assertThat(session.get("role").asText()).isEqualTo("operator");
        String csrf = session.get("csrf").asText();
        assertThat(get(c, "/").statusCode()).isEqualTo(200);
        assertThat(get(c, "/api/frame").statusCode()).isEqualTo(200);
        assertThat(get(c, "/api/test/7").body()).isEqualTo("{\"id\":\"7\"}");

        HttpResponse<String> ack = post(c, "/api/test/7/ack", Map.of("note", "seen on camera"), "X-CSRF-Token", csrf);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(seen.get().user()).isEqualTo("olga");
        assertThat(seen.get().role()).isEqualTo(Role.OPERATOR);
        assertThat(seen.get().path("id")).isEqualTo("7");
        assertThat(entries()).extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target)
                .contains(org.assertj.core.groups.Tuple.tuple("olga", "login", ""),
                        org.assertj.core.groups.Tuple.tuple("olga", "alert.ack", "alert:7"));
        JsonNode shown = JSON.readTree(get(c, "/api/audit?n=5").body());
        assertThat(shown.get("entries").get(0).get("action").asText()).isEqualTo("alert.ack");
        assertThat(shown.get("lines").asLong()).isEqualTo(audit.size());

        // The token as a form field works too; a handler's bad-input exception is a 400 with its message.
        assertThat(post(c, "/api/test/8/ack", Map.of("note", "x", "csrf", csrf)).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = post(c, "/api/test/8/ack", Map.of("csrf", csrf));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("parameter 'note' is required");
    }

    @Test
    void aStateChangingRequestWithoutTheRightTokenOrFromAnotherSiteIsRefused() throws Exception {
        HttpClient c = browser();
        String csrf = logIn(c, "olga", "olga's password");
        long before = audit.size();
        HttpResponse<String> none = post(c, "/api/test/1/ack", Map.of("note", "x"));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("missing CSRF token");
        HttpResponse<String> wrong = post(c, "/api/test/1/ack", Map.of("note", "x"), "X-CSRF-Token", csrf + "x");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("wrong CSRF token");
        HttpResponse<String> foreign = post(c, "/api/test/1/ack", Map.of("note", "x"), "X-CSRF-Token", csrf,
                "Origin", "http://attacker.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");
        assertThat(seen.get()).isNull();
        assertThat(entries().subList((int) before, entries().size())).extracting(AuditEntry::action)
                .containsExactly("csrf.refused", "csrf.refused", "csrf.refused");
        // Logging out is a state change too.
        assertThat(post(c, "/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(get(c, "/api/frame").statusCode()).isEqualTo(200);
    }

    @Test
    void aViewerSeesButCannotAct() throws Exception {
        HttpClient c = browser();
        String csrf = logIn(c, "vic", "vic's password");
        assertThat(get(c, "/api/frame").statusCode()).isEqualTo(200);
        assertThat(get(c, "/api/test/3").statusCode()).isEqualTo(200);
        HttpResponse<String> act = post(c, "/api/test/3/ack", Map.of("note", "x"), "X-CSRF-Token", csrf);
        assertThat(act.statusCode()).isEqualTo(403);
        assertThat(act.body()).contains("your role (viewer) may not do this; it needs operator");
        assertThat(seen.get()).isNull();
        AuditEntry last = entries().get(entries().size() - 1);
        assertThat(last.actor()).isEqualTo("vic");
        assertThat(last.action()).isEqualTo("access.denied");
    }

    @Test
    void wrongPasswordsAreRecordedAndThrottledAndLogOutEndsTheSession() throws Exception {
        HttpClient c = browser();
        for (int i = 0; i < DashboardServer.LOGIN_FAILURES; i++) {
            Matcher m = CSRF_FIELD.matcher(get(c, "/login").body());
            assertThat(m.find()).isTrue();
            HttpResponse<String> r = post(c, "/login", Map.of("csrf", m.group(1), "user", "olga", "password", "guess"));
            assertThat(r.headers().firstValue("Location")).hasValue("/login?m=failed");
        }
        assertThat(entries()).filteredOn(e -> e.action().equals("login.failed")).hasSize(DashboardServer.LOGIN_FAILURES)
                .allSatisfy(e -> assertThat(e.detail()).isEqualTo("from 127.0.0.1"));
        Matcher m = CSRF_FIELD.matcher(get(c, "/login").body());
        assertThat(m.find()).isTrue();
        HttpResponse<String> locked = post(c, "/login", Map.of("csrf", m.group(1), "user", "olga",
                "password", "olga's password"));
        assertThat(locked.headers().firstValue("Location")).as("even the right password waits").hasValue(
                "/login?m=locked");
        assertThat(get(c, "/login?m=locked").body()).contains("Too many failed log-ins");
        // A log-in form without its cookie's token (a cross-site log-in) is refused.
        HttpResponse<String> forged = post(browser(), "/login", Map.of("csrf", "x", "user", "olga",
                "password", "olga's password"));
        assertThat(forged.headers().firstValue("Location")).hasValue("/login?m=expired");
    }

    @Test
    void logOutEndsTheSessionAndARemovedUserLosesTheirs() throws Exception {
        HttpClient c = browser();
        String csrf = logIn(c, "olga", "olga's password");
        HttpResponse<String> out = post(c, "/logout", Map.of("csrf", csrf));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/login?m=out");
        assertThat(get(c, "/api/frame").statusCode()).isEqualTo(401);
        assertThat(entries().get(entries().size() - 1).action()).isEqualTo("logout");

        HttpClient v = browser();
        logIn(v, "vic", "vic's password");
        assertThat(get(v, "/api/frame").statusCode()).isEqualTo(200);
        Users.remove(usersFile, "vic");
        Files.setLastModifiedTime(usersFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5000));
        Thread.sleep(1100);
        assertThat(get(v, "/api/frame").statusCode()).isEqualTo(401);
    }

    @Test
    void metricsNeedASessionOrTheScrapeToken() throws Exception {
        HttpClient c = browser();
        HttpResponse<String> anon = get(c, "/metrics");
        assertThat(anon.statusCode()).isEqualTo(401);
        assertThat(anon.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer"));
        assertThat(get(c, "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = get(c, "/metrics", "Authorization", "Bearer scrape-token-123");
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("greenwave_http_refused_total{reason=\"login_failed\"} 0")
                .contains("greenwave_audit_lines");
        logIn(c, "vic", "vic's password");
        assertThat(get(c, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyPostChangesStateAndBodiesAreBounded() throws Exception {
        HttpClient c = browser();
        String csrf = logIn(c, "olga", "olga's password");
        assertThat(get(c, "/api/test/1/ack").statusCode()).as("an action is not a GET").isEqualTo(404);
        assertThat(get(c, "/logout").statusCode()).isEqualTo(405);
        HttpResponse<String> del = c.send(HttpRequest.newBuilder(uri("/api/test/1/ack")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(del.statusCode()).isEqualTo(405);
        HttpResponse<String> big = post(c, "/api/test/1/ack", Map.of("note", "x".repeat(70_000)), "X-CSRF-Token",
                csrf);
        assertThat(big.statusCode()).isEqualTo(413);
    }
}
