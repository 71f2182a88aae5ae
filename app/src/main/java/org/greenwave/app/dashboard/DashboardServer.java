package org.greenwave.app.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.greenwave.core.audit.AuditEntry;
import org.greenwave.core.audit.AuditLog;
import org.greenwave.core.json.JsonString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Dashboard} over HTTP or HTTPS (Jetty); everything, the chart library included, comes from the jar,
 * so the dashboard works offline.
 *
 * <ul>
 *   <li>{@code GET /}: the page; {@code GET /login}, {@code POST /login}, {@code POST /logout}: log-in and out;</li>
 *   <li>{@code GET /api/session}: who is logged in, their role and the CSRF token for the page's requests;</li>
 *   <li>{@code GET /api/network}, {@code /api/frame}, {@code /api/events} (server-sent events, at most
 *       {@value #MAX_STREAMS} streams), {@code /api/signals/N?lane=L}: the engine's view (see {@link Dashboard});</li>
 *   <li>{@code GET /api/audit?n=N}: the newest audit log entries;</li>
 *   <li>{@code GET /metrics}: Prometheus' text format, for a logged-in user or with {@code Authorization: Bearer
 *       TOKEN} when a metrics token is configured;</li>
 *   <li>whatever is registered with {@link #action} (POST, with a role and the CSRF token) and {@link #query} (GET).</li>
 * </ul>
 *
 * <p>Who may do what: with a users file ({@link Options#users}), every page and API but the log-in page and the
 * static files needs a session from a log-in. Without one, nobody logs in: on a loopback address everyone is the
 * user {@code local} with the admin role (a demo on one's own machine), bound wider everyone is a viewer (nothing
 * can be changed). Every POST needs the session's CSRF token (header {@code X-CSRF-Token} or form field
 * {@code csrf}) and, when the browser sends one, an {@code Origin} of this server.
 *
 * <p>Hostile clients: request headers are parsed by Jetty's selector without holding a worker thread; a connection
 * that has not sent a whole request within {@link Options#headerTimeoutMs} is closed, as is one idle for {@link
 * Options#idleTimeoutMs}; one client address holds at most {@link Options#maxConnectionsPerClient} connections (more
 * are closed at once) and all clients together {@link Options#maxConnections}; at most {@link Options#maxThreads}
 * threads answer requests; a request is answered only when its {@code Host} names this server (421 otherwise), so a
 * web page that rebinds its own DNS name to this address cannot read it. Bodies are limited to {@value
 * #MAX_BODY_BYTES} bytes, headers to 16 KiB. Log-in is throttled per client address.
 */
public final class DashboardServer implements AutoCloseable {
    /** Event streams served at once. */
    static final int MAX_STREAMS = 8;
    /** Largest request body, bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** A refused body up to this size is read and dropped so that its sender receives the refusal. */
    static final int DRAIN_BYTES = 1024 * 1024;
    /** Failed log-ins from one address within {@link #LOGIN_WINDOW_MS} before it must wait. */
    static final int LOGIN_FAILURES = 5;
    static final long LOGIN_WINDOW_MS = 15 * 60_000L;
    static final long LOGIN_LOCK_MS = 60_000L;

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String WWW = "org/greenwave/app/dashboard/www/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml");
    private static final String TEXT = "text/plain; charset=utf-8";
    /** The name of the user everyone is when there is no users file. */
    public static final String LOCAL_USER = "local";

    /** How the server is set up; every field has a safe default. */
    public static final class Options {
        String bind = "127.0.0.1";
        int port = 8080;
        Users users;
        DashboardTls tls;
        List<String> hostNames = List.of();
        String metricsToken;
        AuditLog audit;
        int maxThreads = 32;
        int maxConnections = 512;
        int maxConnectionsPerClient = 32;
        long headerTimeoutMs = 10_000;
        long idleTimeoutMs = 30_000;
        long sessionIdleMs = 30 * 60_000L;
        long sessionMaxAgeMs = 12 * 3_600_000L;
        LongSupplier wallMs = System::currentTimeMillis;

        /** Address to bind (default 127.0.0.1) and port (0: any free one; default 8080). */
        public Options bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("dashboard port must be 0..65535, was " + port);
            }
            this.bind = host;
            this.port = port;
            return this;
        }

        /** The users who may log in; null (the default): no log-in (see the class comment). */
        public Options users(Users users) {
            this.users = users;
            return this;
        }

        /** Serve HTTPS with this identity; null (the default): plain HTTP. */
        public Options tls(DashboardTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Further names this server is reached by (DNS names, a proxy's name), answered besides localhost, the
         * loopback addresses, and, when bound wider, this machine's addresses and host name.
         */
        public Options hostNames(List<String> names) {
            this.hostNames = List.copyOf(names);
            return this;
        }

        /** A token that lets a scraper read /metrics without logging in ({@code Authorization: Bearer TOKEN}). */
        public Options metricsToken(String token) {
            this.metricsToken = token;
            return this;
        }

        /** Where log-ins, refusals and the registered actions are recorded; default: a log in memory. */
        public Options audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        /** Connections one client address may hold at once (default 32); more are closed as they open. */
        public Options maxConnectionsPerClient(int n) {
            this.maxConnectionsPerClient = positive(n, "connections per client");
            return this;
        }

        /** Time a connection has to send its first request's line and headers, ms (default 10 000). */
        public Options headerTimeoutMs(long ms) {
            this.headerTimeoutMs = positive(ms, "header time-out");
            return this;
        }

        /** Time a connection may stay silent, ms (default 30 000). */
        public Options idleTimeoutMs(long ms) {
            this.idleTimeoutMs = positive(ms, "idle time-out");
            return this;
        }

        /** A session ends after this long without a request, ms (default 30 min). */
        public Options sessionIdleMs(long ms) {
            this.sessionIdleMs = positive(ms, "session idle time");
            return this;
        }

        /** The wall clock (tests). */
        Options wallMs(LongSupplier wallMs) {
            this.wallMs = wallMs;
            return this;
        }

        private static <T extends Number> T positive(T v, String what) {
            if (v.longValue() <= 0) {
                throw new IllegalArgumentException("dashboard " + what + " must be positive, was " + v);
            }
            return v;
        }
    }

    /** A registered API endpoint. */
    private record Route(String method, String[] segments, Role role, ApiHandler handler) {
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> vars = null;
            for (int i = 0; i < path.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    if (vars == null) {
                        vars = new HashMap<>();
                    }
                    vars.put(s.substring(1, s.length() - 1), path[i]);
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return vars == null ? Map.of() : vars;
        }
    }

    /** Who is asking: a session's user, or, without a users file, everyone. */
    private record Caller(String name, Role role, Sessions.Session session) {
    }

    /** Failed log-ins of one client address. */
    private static final class Failures {
        long windowStartMs;
        int count;
        long lockedUntilMs;
    }

    private final Dashboard dashboard;
    private final Options o;
    private final Server server;
    private final ServerConnector connector;
    private final AuditLog audit;
    private final Sessions sessions;
    private final boolean loopback;
    private final Set<String> hostNames;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final Semaphore hashing = new Semaphore(2);
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Set<Connection> awaitingRequest = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final String uplotRoot;
    private final String sessionCookie;
    private final String loginCookie;
    private final AtomicLong refusedPerClient = new AtomicLong();
    private final AtomicLong headerTimeouts = new AtomicLong();
    private final AtomicLong wrongHost = new AtomicLong();
    private final AtomicLong loginFailures = new AtomicLong();
    private final AtomicLong csrfRefused = new AtomicLong();
    private final AtomicLong forbidden = new AtomicLong();
    private volatile boolean closed;

    private DashboardServer(Dashboard dashboard, Options o) {
        this.dashboard = dashboard;
        this.o = o;
        this.audit = o.audit != null ? o.audit : AuditLog.inMemory(o.wallMs);
        this.sessions = new Sessions(o.wallMs, o.sessionIdleMs, o.sessionMaxAgeMs, 10_000);
        this.uplotRoot = "META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";
        // The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain; it needs HTTPS.
        this.sessionCookie = o.tls != null ? "__Host-gw_session" : "gw_session";
        this.loginCookie = o.tls != null ? "__Host-gw_login" : "gw_login";

        // Jetty's own job queue stays unbounded (Jetty warns against bounding it): the connection limits bound it.
        QueuedThreadPool pool = new QueuedThreadPool(o.maxThreads, 4, 60_000);
        pool.setName("greenwave-dashboard-http");
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        ConnectionFactory[] factories;
        if (o.tls != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The Host check below decides which names are served; a certificate for another name is the browser's
            // concern.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(o.tls.keyStore());
            ssl.setKeyStorePassword(new String(o.tls.password()));
            ssl.setKeyManagerPassword(new String(o.tls.password()));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            factories = new ConnectionFactory[] {new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http)};
        } else {
            factories = new ConnectionFactory[] {new HttpConnectionFactory(http)};
        }
        connector = new ServerConnector(server, 1, 1, factories);
        connector.setHost(o.bind);
        connector.setPort(o.port);
        connector.setIdleTimeout(o.idleTimeoutMs);
        connector.setReuseAddress(true);
        connector.addBean(new Guard());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(o.maxConnections, connector));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                DashboardServer.this.handle(request, response, callback);
                return true;
            }
        });
        server.setStopTimeout(1000);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "greenwave-dashboard-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        InetAddress bound;
        try {
            bound = InetAddress.getByName(o.bind);
        } catch (IOException e) {
            throw new IllegalArgumentException("dashboard bind address '" + o.bind + "' is not an address of this "
                    + "machine (" + e.getMessage() + ")", e);
        }
        loopback = bound.isLoopbackAddress();
        hostNames = allowedHosts(bound, o.hostNames);
    }

    /** Starts serving plain HTTP on {@code host:port} without log-in (see {@link #start(Dashboard, Options)}). */
    public static DashboardServer start(Dashboard dashboard, String host, int port) throws IOException {
        return start(dashboard, new Options().bind(host, port));
    }

    /**
     * Starts serving.
     *
     * @throws IOException naming the address when it cannot be bound (e.g. the port is taken)
     */
    public static DashboardServer start(Dashboard dashboard, Options options) throws IOException {
        DashboardServer s = new DashboardServer(dashboard, options);
        try {
            s.server.start();
        } catch (BindException e) {
            s.close();
            throw new IOException("cannot serve the dashboard on " + options.bind + ":" + options.port + " ("
                    + e.getMessage() + "); choose another port with --port", e);
        } catch (IOException e) {
            s.close();
            throw e;
        } catch (Exception e) {
            s.close();
            throw new IOException("cannot start the dashboard on " + options.bind + ":" + options.port + ": " + e, e);
        }
        return s;
    }

    /**
     * Registers a state-changing endpoint: {@code POST} to {@code pattern} (segments like {@code {id}} match any
     * one segment and are passed by name), answered for a logged-in user whose role covers {@code role} and whose
     * request carries their session's CSRF token; 401, 403 otherwise (a refusal of a logged-in user is recorded in
     * the audit log). The handler records what it does in {@link #audit()} itself. May be called at any time.
     */
    public DashboardServer action(String pattern, Role role, ApiHandler handler) {
        return route("POST", pattern, role, handler);
    }

    /** Registers a read-only endpoint: {@code GET} (and {@code HEAD}) of {@code pattern}, for users whose role covers
     * {@code role}. */
    public DashboardServer query(String pattern, Role role, ApiHandler handler) {
        return route("GET", pattern, role, handler);
    }

    private DashboardServer route(String method, String pattern, Role role, ApiHandler handler) {
        if (!pattern.startsWith("/api/")) {
            throw new IllegalArgumentException("API patterns start with /api/: " + pattern);
        }
        routes.add(new Route(method, pattern.substring(1).split("/", -1), role, handler));
        return this;
    }

    /** The audit log this server records to. */
    public AuditLog audit() {
        return audit;
    }

    /**
     * Warnings for the operator about how the dashboard is exposed: bound beyond loopback without TLS or without
     * users, each a loud line of its own; a note when it runs without log-in on loopback. Empty when log-in and
     * either TLS or loopback are in place.
     */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        String where = connector.getHost() + ":" + port();
        if (!loopback && o.tls == null) {
            w.add("WARNING: the dashboard is served on " + where + ", reachable from other machines, over plain HTTP: "
                    + "passwords, session cookies and the engine's state cross the network unencrypted. Give it a "
                    + "certificate (--tls-cert/--tls-key or --tls-keystore) or bind to 127.0.0.1.");
        }
        if (!loopback && o.users == null) {
            w.add("WARNING: the dashboard is served on " + where + " without users: anyone who can reach it sees "
                    + "the engine's state and /metrics (read-only; actions need a users file: --users FILE).");
        }
        if (loopback && o.users == null) {
            w.add("NOTE: dashboard without log-in (no users file): anyone on this machine acts as '" + LOCAL_USER
                    + "' with the admin role. Give --users FILE to require log-in.");
        }
        return w;
    }

    /** The first of {@link #warnings()} that warns, or null; kept for callers that print one line. */
    public String exposureWarning() {
        for (String s : warnings()) {
            if (s.startsWith("WARNING")) {
                return String.join("\n", warnings());
            }
        }
        return null;
    }

    /** The port served on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The page's address, for people: {@code http(s)://localhost:PORT/} when bound to a loopback address. */
    public String url() {
        String host = loopback || "0.0.0.0".equals(connector.getHost()) || "::".equals(connector.getHost())
                ? "localhost" : connector.getHost();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (o.tls != null ? "https" : "http") + "://" + host + ":" + port() + "/";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests

    private void handle(Request req, Response resp, Callback cb) {
        awaitingRequest.remove(req.getConnectionMetaData().getConnection());
        try {
            securityHeaders(resp);
            if (o.tls != null) {
                resp.getHeaders().put("Strict-Transport-Security", "max-age=31536000");
            }
            if (!hostAllowed(req)) {
                wrongHost.incrementAndGet();
                send(resp, cb, 421, TEXT, "this server answers only requests addressed to its own names\n");
                return;
            }
            String method = req.getMethod();
            String path = Request.getPathInContext(req);
            boolean read = "GET".equals(method) || "HEAD".equals(method);
            if (!read && !"POST".equals(method)) {
                resp.getHeaders().put("Allow", "GET, HEAD, POST");
                send(resp, cb, 405, TEXT, "method not allowed\n");
                return;
            }
            if (path.equals("/login")) {
                if (read) {
                    loginPage(req, resp, cb);
                } else {
                    login(req, resp, cb);
                }
                return;
            }
            if (!read && !path.equals("/logout") && !path.startsWith("/api/")) {
                resp.getHeaders().put("Allow", "GET, HEAD");
                send(resp, cb, 405, TEXT, "method not allowed\n");
                return;
            }
            Caller caller = caller(req);
            Map<String, String> form = Map.of();
            String body = "";
            if (!read) {
                byte[] bytes = body(req);
                if (bytes == null) {
                    send(resp, cb, 413, TEXT, "request body larger than " + MAX_BODY_BYTES + " bytes\n");
                    return;
                }
                body = new String(bytes, StandardCharsets.UTF_8);
                String type = req.getHeaders().get("Content-Type");
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                    form = parseQuery(body);
                }
                String refusal = csrfRefusal(req, caller, form);
                if (refusal != null) {
                    csrfRefused.incrementAndGet();
                    if (caller != null && caller.session != null) {
                        audit.record(caller.name, "csrf.refused", path, refusal + " from " + remote(req));
                    }
                    sendJson(resp, cb, caller == null ? 401 : 403, "{\"error\":" + quote(refusal) + "}");
                    return;
                }
            }
            if (path.equals("/logout")) {
                if (read) {
                    send(resp, cb, 405, TEXT, "log out with POST /logout\n");
                } else {
                    logout(req, resp, cb, caller);
                }
                return;
            }
            if (path.equals("/metrics")) {
                if (read && (caller != null || metricsTokenOk(req))) {
                    metrics(resp, cb);
                } else {
                    resp.getHeaders().put("WWW-Authenticate", "Bearer realm=\"greenwave\"");
                    send(resp, cb, read ? 401 : 405, TEXT, "log in, or send Authorization: Bearer TOKEN\n");
                }
                return;
            }
            if (path.startsWith("/api/")) {
                api(req, resp, cb, caller, method, path, form, body);
                return;
            }
            if (!read) {
                send(resp, cb, 404, TEXT, "not found\n");
                return;
            }
            if (path.equals("/") || path.equals("/index.html")) {
                if (caller == null) {
                    redirect(resp, cb, "/login");
                    return;
                }
                if (caller.session == null && o.users == null) {
                    startSession(req, resp, LOCAL_USER, caller.role);
                }
                resource(resp, cb, WWW + "index.html");
            } else if (path.startsWith("/lib/uplot/")) {
                resource(resp, cb, safe(uplotRoot, path.substring("/lib/uplot/".length())));
            } else {
                resource(resp, cb, safe(WWW, path.substring(1)));
            }
        } catch (UncheckedIOException e) {
            LOG.error("dashboard request {} failed: {}", req.getHttpURI().getPath(), e.getMessage());
            fail(resp, cb, 500, "internal error: " + e.getMessage() + "\n");
        } catch (RuntimeException e) {
            LOG.error("dashboard request {} failed", req.getHttpURI().getPath(), e);
            fail(resp, cb, 500, "internal error\n");
        }
    }

    private void api(Request req, Response resp, Callback cb, Caller caller, String method, String path,
                     Map<String, String> form, String body) {
        if (caller == null) {
            sendJson(resp, cb, 401, "{\"error\":\"log in first\",\"login\":\"/login\"}");
            return;
        }
        boolean read = !"POST".equals(method);
        String[] segments = path.substring(1).split("/", -1);
        for (Route r : routes) {
            if (!r.method.equals(read ? "GET" : "POST")) {
                continue;
            }
            Map<String, String> vars = r.match(segments);
            if (vars == null) {
                continue;
            }
            if (!caller.role.covers(r.role)) {
                forbidden.incrementAndGet();
                if (!read) {
                    audit.record(caller.name, "access.denied", path, "role " + caller.role.label() + ", needs "
                            + r.role.label());
                }
                sendJson(resp, cb, 403, "{\"error\":" + quote("your role (" + caller.role.label() + ") may not do "
                        + "this; it needs " + r.role.label()) + "}");
                return;
            }
            Map<String, String> params = new HashMap<>(parseQuery(req.getHttpURI().getQuery()));
            params.putAll(form);
            Map<String, String> decoded = new HashMap<>();
            vars.forEach((k, v) -> decoded.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
            ApiRequest ar = new ApiRequest(caller.name, caller.role, read ? "GET" : "POST",
                    Collections.unmodifiableMap(decoded), Collections.unmodifiableMap(params), body, remote(req));
            ApiResponse answer;
            try {
                answer = r.handler.handle(ar);
            } catch (IllegalArgumentException e) {
                answer = ApiResponse.json(400, "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
            } catch (IllegalStateException e) {
                answer = ApiResponse.json(409, "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
            } catch (Exception e) {
                LOG.error("dashboard API {} {} failed", method, path, e);
                answer = ApiResponse.json(500, "{\"error\":\"internal error\"}");
            }
            resp.getHeaders().put("Cache-Control", "no-store");
            send(resp, cb, answer.status(), answer.contentType(), answer.body());
            return;
        }
        if (!read) {
            send(resp, cb, 404, TEXT, "no such action\n");
            return;
        }
        switch (path) {
            case "/api/session" -> session(req, resp, cb, caller);
            case "/api/network" -> send(resp, cb, 200, TYPES.get("json"), dashboard.network());
            case "/api/frame" -> send(resp, cb, 200, TYPES.get("json"), dashboard.frame().json());
            case "/api/events" -> events(resp, cb);
            case "/api/audit" -> auditEntries(req, resp, cb);
            default -> {
                if (path.startsWith("/api/signals/")) {
                    detail(req, resp, cb, path.substring("/api/signals/".length()));
                } else {
                    send(resp, cb, 404, TEXT, "not found\n");
                }
            }
        }
    }

    /** The session's caller; without a users file, everyone (see the class comment); else null. */
    private Caller caller(Request req) {
        Sessions.Session s = sessions.get(cookie(req, sessionCookie));
        if (s != null) {
            if (o.users == null) {
                return new Caller(s.name(), s.role(), s);
            }
            Users.User u = o.users.find(s.name());
            if (u == null) {
                sessions.endAll(s.name());
                return null;
            }
            return new Caller(u.name(), u.role(), s);
        }
        if (o.users == null) {
            return new Caller(LOCAL_USER, loopback ? Role.ADMIN : Role.VIEWER, null);
        }
        return null;
    }

    /** Why a POST is refused (no session, wrong CSRF token, foreign Origin), or null. */
    private String csrfRefusal(Request req, Caller caller, Map<String, String> form) {
        if (caller == null) {
            return "log in first";
        }
        if (caller.session == null) {
            return "no session: load the page (or GET /api/session) first for a session and its CSRF token";
        }
        String origin = req.getHeaders().get("Origin");
        if (origin != null && !originIsThisServer(req, origin)) {
            return "request from another site (Origin " + origin + ")";
        }
        String token = req.getHeaders().get("X-CSRF-Token");
        if (token == null) {
            token = form.get("csrf");
        }
        if (token == null || token.isEmpty()) {
            return "missing CSRF token";
        }
        if (!caller.session.csrfMatches(token)) {
            return "wrong CSRF token";
        }
        return null;
    }

    private boolean originIsThisServer(Request req, String origin) {
        String host = req.getHeaders().get("Host");
        String expected = (o.tls != null ? "https://" : "http://") + host;
        return host != null && origin.equalsIgnoreCase(expected);
    }

    private void session(Request req, Response resp, Callback cb, Caller caller) {
        Sessions.Session s = caller.session;
        if (s == null) {
            s = startSession(req, resp, caller.name, caller.role);
        }
        resp.getHeaders().put("Cache-Control", "no-store");
        sendJson(resp, cb, 200, "{\"user\":" + quote(caller.name) + ",\"role\":" + quote(caller.role.label())
                + ",\"csrf\":" + quote(s.csrf()) + ",\"login\":" + (o.users != null) + ",\"https\":" + (o.tls != null)
                + "}");
    }

    private Sessions.Session startSession(Request req, Response resp, String name, Role role) {
        Sessions.Session s = sessions.create(name, role);
        resp.getHeaders().add("Set-Cookie", cookieHeader(sessionCookie, s.id, -1));
        return s;
    }

    private String cookieHeader(String name, String value, int maxAgeS) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (o.tls != null ? "; Secure" : "")
                + (maxAgeS >= 0 ? "; Max-Age=" + maxAgeS : "");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Log-in and out

    private void loginPage(Request req, Response resp, Callback cb) {
        if (o.users == null) {
            redirect(resp, cb, "/");
            return;
        }
        String token = Sessions.token();
        resp.getHeaders().add("Set-Cookie", cookieHeader(loginCookie, token, 600));
        String q = req.getHttpURI().getQuery();
        Map<String, String> params = parseQuery(q);
        String message = switch (params.getOrDefault("m", "")) {
            case "failed" -> "Wrong name or password.";
            case "locked" -> "Too many failed log-ins from this address: wait a minute.";
            case "expired" -> "The log-in form expired: try again.";
            case "out" -> "Logged out.";
            default -> "";
        };
        String page = text(WWW + "login.html").replace("{{csrf}}", token)
                .replace("{{message}}", message)
                .replace("{{http}}", o.tls == null && !loopback ? "This page is served over plain HTTP: your password "
                        + "crosses the network unencrypted." : "");
        resp.getHeaders().put("Cache-Control", "no-store");
        send(resp, cb, 200, TYPES.get("html"), page);
    }

    private void login(Request req, Response resp, Callback cb) {
        if (o.users == null) {
            send(resp, cb, 404, TEXT, "this dashboard has no users; nobody logs in\n");
            return;
        }
        byte[] bytes = body(req);
        if (bytes == null) {
            send(resp, cb, 413, TEXT, "request body too large\n");
            return;
        }
        Map<String, String> form = parseQuery(new String(bytes, StandardCharsets.UTF_8));
        String expected = cookie(req, loginCookie);
        String given = form.get("csrf");
        String origin = req.getHeaders().get("Origin");
        if (expected == null || given == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII)) || (origin != null && !originIsThisServer(req, origin))) {
            csrfRefused.incrementAndGet();
            redirect(resp, cb, "/login?m=expired");
            return;
        }
        String remote = remote(req);
        long now = o.wallMs.getAsLong();
        synchronized (failures) {
            Failures f = failures.get(remote);
            if (f != null && now - f.lockedUntilMs < 0) {
                redirect(resp, cb, "/login?m=locked");
                return;
            }
        }
        String name = form.getOrDefault("user", "").strip();
        char[] password = form.getOrDefault("password", "").toCharArray();
        Users.User u = Users.NAME.matcher(name).matches() ? o.users.find(name) : null;
        boolean ok;
        try {
            if (!hashing.tryAcquire(5, TimeUnit.SECONDS)) {
                send(resp, cb, 503, TEXT, "too many log-ins at once; try again\n");
                return;
            }
            try {
                // An unknown user costs the same hash as a known one, so timing does not tell which names exist.
                ok = u != null ? u.hash().matches(password) : Dummy.HASH.matches(password) && false;
            } finally {
                hashing.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(resp, cb, 503, TEXT, "shutting down\n");
            return;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        if (!ok) {
            loginFailures.incrementAndGet();
            synchronized (failures) {
                Failures f = failures.computeIfAbsent(remote, k -> new Failures());
                if (now - f.windowStartMs >= LOGIN_WINDOW_MS) {
                    f.windowStartMs = now;
                    f.count = 0;
                }
                if (++f.count >= LOGIN_FAILURES) {
                    f.lockedUntilMs = now + LOGIN_LOCK_MS;
                    f.count = 0;
                }
                while (failures.size() > 10_000) {
                    failures.remove(failures.keySet().iterator().next());
                }
            }
            audit.record(Users.NAME.matcher(name).matches() ? name : "(invalid name)", "login.failed", "",
                    "from " + remote);
            redirect(resp, cb, "/login?m=failed");
            return;
        }
        synchronized (failures) {
            failures.remove(remote);
        }
        // A new session id at every log-in (no fixation); an old session in this browser ends.
        sessions.end(cookie(req, sessionCookie));
        startSession(req, resp, u.name(), u.role());
        resp.getHeaders().add("Set-Cookie", cookieHeader(loginCookie, "", 0));
        audit.record(u.name(), "login", "", "role " + u.role().label() + ", from " + remote);
        redirect(resp, cb, "/");
    }

    /** A hash no password matches, made when first needed. */
    private static final class Dummy {
        static final PasswordHash HASH = PasswordHash.parse(PasswordHash.hash(Sessions.token().toCharArray()));
    }

    private void logout(Request req, Response resp, Callback cb, Caller caller) {
        sessions.end(caller.session.id);
        resp.getHeaders().add("Set-Cookie", cookieHeader(sessionCookie, "", 0));
        if (o.users != null) {
            audit.record(caller.name, "logout", "", "from " + remote(req));
        }
        redirect(resp, cb, o.users != null ? "/login?m=out" : "/");
    }

    private boolean metricsTokenOk(Request req) {
        if (o.metricsToken == null) {
            return false;
        }
        String auth = req.getHeaders().get("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                o.metricsToken.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The engine's view

    private void auditEntries(Request req, Response resp, Callback cb) {
        int n = 50;
        String q = parseQuery(req.getHttpURI().getQuery()).get("n");
        if (q != null) {
            try {
                n = Math.max(1, Math.min(AuditLog.RECENT, Integer.parseInt(q)));
            } catch (NumberFormatException e) {
                send(resp, cb, 400, TEXT, "n must be an integer\n");
                return;
            }
        }
        StringBuilder b = new StringBuilder(4096).append("{\"lines\":").append(audit.size()).append(",\"head\":")
                .append(quote(audit.head())).append(",\"file\":")
                .append(audit.file() == null ? "null" : quote(audit.file().toString())).append(",\"entries\":[");
        List<AuditEntry> recent = audit.recent(n);
        for (int i = recent.size() - 1; i >= 0; i--) {
            AuditEntry e = recent.get(i);
            b.append(i == recent.size() - 1 ? "" : ",").append("{\"seq\":").append(e.seq()).append(",\"time\":")
                    .append(quote(Instant.ofEpochMilli(e.timeMs()).toString())).append(",\"actor\":")
                    .append(quote(e.actor())).append(",\"action\":").append(quote(e.action())).append(",\"target\":")
                    .append(quote(e.target())).append(",\"detail\":").append(quote(e.detail())).append('}');
        }
        b.append("]}");
        resp.getHeaders().put("Cache-Control", "no-store");
        sendJson(resp, cb, 200, b.toString());
    }

    private void detail(Request req, Response resp, Callback cb, String index) {
        int i;
        int lane = -1;
        try {
            i = Integer.parseInt(index);
            String l = parseQuery(req.getHttpURI().getQuery()).get("lane");
            if (l != null) {
                lane = Integer.parseInt(l);
            }
        } catch (NumberFormatException e) {
            send(resp, cb, 400, TEXT, "signal index and lane must be integers: " + req.getHttpURI().getPathQuery()
                    + "\n");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!dashboard.writeDetail(body, i, lane)) {
                send(resp, cb, 404, TEXT, "no signal " + i + " (yet)\n");
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(resp, cb, 200, TYPES.get("json"), body.toByteArray());
    }

    private void metrics(Response resp, Callback cb) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        try (Writer w = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
            dashboard.writeMetrics(w);
            w.write("# HELP greenwave_http_refused_total Dashboard requests and connections refused, by reason.\n"
                    + "# TYPE greenwave_http_refused_total counter\n");
            counter(w, "per_client_limit", refusedPerClient);
            counter(w, "header_timeout", headerTimeouts);
            counter(w, "wrong_host", wrongHost);
            counter(w, "login_failed", loginFailures);
            counter(w, "csrf", csrfRefused);
            counter(w, "forbidden", forbidden);
            w.write("# HELP greenwave_http_sessions Live dashboard sessions.\n# TYPE greenwave_http_sessions gauge\n"
                    + "greenwave_http_sessions " + sessions.size() + "\n");
            w.write("# HELP greenwave_audit_lines Lines in the audit log.\n# TYPE greenwave_audit_lines gauge\n"
                    + "greenwave_audit_lines " + audit.size() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        resp.getHeaders().put("Cache-Control", "no-store");
        send(resp, cb, 200, "text/plain; version=0.0.4; charset=utf-8", body.toByteArray());
    }

    private static void counter(Writer w, String reason, AtomicLong n) throws IOException {
        w.write("greenwave_http_refused_total{reason=\"" + reason + "\"} " + n.get() + "\n");
    }

    private void events(Response resp, Callback cb) {
        if (!streams.tryAcquire()) {
            send(resp, cb, 503, TEXT, "too many event streams\n");
            return;
        }
        try {
            resp.setStatus(200);
            resp.getHeaders().put("Content-Type", "text/event-stream; charset=utf-8");
            resp.getHeaders().put("Cache-Control", "no-cache");
            OutputStream out = Content.Sink.asOutputStream(resp);
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long seq = -1;
            long lastSendNs = 0;
            long minGapNs = 1_000_000_000L / Dashboard.FRAMES_PER_S;
            while (!closed) {
                Dashboard.Frame f = dashboard.awaitFrame(seq, 1000);
                long wait = lastSendNs + minGapNs - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                    f = dashboard.frame();
                }
                if (f.seq() == seq) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write("event: frame\ndata: ".getBytes(StandardCharsets.UTF_8));
                    out.write(f.json());
                    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                    seq = f.seq();
                    lastSendNs = System.nanoTime();
                }
                out.flush();
            }
            out.close();
            cb.succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cb.failed(e);
        } catch (IOException e) {
            // The browser went away.
            cb.failed(e);
        } finally {
            streams.release();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plumbing

    /** Connection limits and the header deadline, on every connection the connector opens. */
    private final class Guard implements Connection.Listener {
        private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

        @Override
        public void onOpened(Connection c) {
            EndPoint ep = c.getEndPoint();
            if (ep instanceof SocketChannelEndPoint) {
                SocketAddress a = ep.getRemoteSocketAddress();
                if (a instanceof InetSocketAddress isa && isa.getAddress() != null) {
                    InetAddress addr = isa.getAddress();
                    counted.put(c, addr);
                    int n = perClient.computeIfAbsent(addr, k -> new AtomicInteger()).incrementAndGet();
                    if (n > o.maxConnectionsPerClient) {
                        refusedPerClient.incrementAndGet();
                        ep.close();
                        return;
                    }
                }
            }
            if (!(c instanceof SslConnection)) {
                awaitingRequest.add(c);
                timer.schedule(() -> {
                    if (awaitingRequest.remove(c)) {
                        headerTimeouts.incrementAndGet();
                        c.getEndPoint().close();
                    }
                }, o.headerTimeoutMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onClosed(Connection c) {
            awaitingRequest.remove(c);
            InetAddress addr = counted.remove(c);
            if (addr != null) {
                perClient.computeIfPresent(addr, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    /** The names a request's {@code Host} may carry. */
    private static Set<String> allowedHosts(InetAddress bound, List<String> configured) {
        Set<String> names = new HashSet<>();
        names.add("localhost");
        names.add("[::1]");
        for (String n : configured) {
            names.add(n.toLowerCase(Locale.ROOT));
        }
        if (!bound.isLoopbackAddress()) {
            addAddress(names, bound);
            if (bound.isAnyLocalAddress()) {
                try {
                    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                            addAddress(names, a);
                        }
                    }
                } catch (SocketException e) {
                    LOG.warn("cannot list this machine's addresses for the dashboard's Host check: {}", e.getMessage());
                }
            }
            try {
                names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
                names.add(InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT));
            } catch (IOException e) {
                // No host name to add.
            }
        }
        return Set.copyOf(names);
    }

    private static void addAddress(Set<String> names, InetAddress a) {
        String s = a.getHostAddress();
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        names.add(s.indexOf(':') >= 0 ? "[" + s.toLowerCase(Locale.ROOT) + "]" : s);
    }

    /** Whether the request's {@code Host} (port aside) is one of this server's names. */
    private boolean hostAllowed(Request req) {
        String host = req.getHeaders().get("Host");
        if (host == null) {
            return false;
        }
        host = host.strip().toLowerCase(Locale.ROOT);
        String name = host;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            name = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            name = host.substring(0, host.indexOf(':'));
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return hostNames.contains(name) || (name.startsWith("127.") && name.matches("127(\\.\\d{1,3}){3}"));
    }

    private static void securityHeaders(Response resp) {
        var h = resp.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        // "same-origin", not "no-referrer": under no-referrer browsers send "Origin: null" on their own form posts.
        h.put("Referrer-Policy", "same-origin");
        h.put("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    }

    /**
     * The body, or null when it is larger than {@link #MAX_BODY_BYTES}. A larger body is read and dropped up to
     * {@link #DRAIN_BYTES} before the refusal is sent: a server that answers and closes while the client is still
     * sending makes the client's side reset, and the client loses the answer (it sees no response at all).
     */
    private static byte[] body(Request req) {
        long declared = req.getLength();
        try (InputStream in = Content.Source.asInputStream(req)) {
            if (declared > MAX_BODY_BYTES) {
                if (declared <= DRAIN_BYTES) {
                    drain(in);
                }
                return null;
            }
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                drain(in);
                return null;
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and drops what is left of a body, at most {@link #DRAIN_BYTES}. */
    private static void drain(InputStream in) throws IOException {
        long left = DRAIN_BYTES;
        byte[] scratch = new byte[8192];
        int n;
        while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0) {
            left -= n;
        }
    }

    /** {@code a=1&b=2} as a map of the first value of each name, URL-decoded; empty for null. */
    static Map<String, String> parseQuery(String q) {
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new HashMap<>();
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                m.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                // A malformed escape: the parameter is left out.
            }
        }
        return m;
    }

    private static String cookie(Request req, String name) {
        for (HttpCookie c : Request.getCookies(req)) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    private static String remote(Request req) {
        return Request.getRemoteAddr(req);
    }

    /** {@code root + rest} when {@code rest} is a plain relative path, else null. */
    private static String safe(String root, String rest) {
        if (rest.isEmpty() || rest.contains("..") || rest.contains("//") || rest.startsWith("/")
                || rest.contains("\\")) {
            return null;
        }
        return root + rest;
    }

    private static String text(String name) {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void resource(Response resp, Callback cb, String name) {
        if (name != null && !name.endsWith("login.html")) {
            try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
                if (in != null) {
                    String ext = name.substring(name.lastIndexOf('.') + 1);
                    resp.getHeaders().put("Cache-Control", "no-cache");
                    send(resp, cb, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        send(resp, cb, 404, TEXT, "not found\n");
    }

    private static void redirect(Response resp, Callback cb, String location) {
        resp.getHeaders().put("Location", location);
        resp.getHeaders().put("Cache-Control", "no-store");
        send(resp, cb, 303, TEXT, "see " + location + "\n");
    }

    private static void sendJson(Response resp, Callback cb, int status, String json) {
        send(resp, cb, status, TYPES.get("json"), json);
    }

    private static void send(Response resp, Callback cb, int status, String type, String body) {
        send(resp, cb, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Response resp, Callback cb, int status, String type, byte[] body) {
        resp.setStatus(status);
        resp.getHeaders().put("Content-Type", type);
        resp.getHeaders().put("Content-Length", body.length);
        resp.write(true, ByteBuffer.wrap(body), cb);
    }

    private static void fail(Response resp, Callback cb, int status, String message) {
        if (resp.isCommitted()) {
            cb.failed(new IOException(message));
        } else {
            send(resp, cb, status, TEXT, message);
        }
    }

    /** {@code s} as a JSON string for the page ({@link JsonString#quoteForHtml}: {@code <} escaped too). */
    static String quote(String s) {
        return JsonString.quoteForHtml(s);
    }

    private static String webJarVersion(String group, String artifact) {
        String name = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("WebJar " + group + ":" + artifact + " is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving: open event streams end, the server stops within a second. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("dashboard server did not stop cleanly: {}", e.toString());
        }
        timer.shutdownNow();
    }
}
