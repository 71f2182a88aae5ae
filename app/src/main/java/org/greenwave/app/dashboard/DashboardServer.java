package org.greenwave.app.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves a {@link Dashboard} over HTTP with the JDK's built-in server; everything, the chart library included, comes
 * from the jar, so the dashboard works offline.
 *
 * <ul>
 *   <li>{@code GET /}: the page ({@code index.html}, {@code dashboard.js}, {@code dashboard.css});</li>
 *   <li>{@code GET /lib/uplot/...}: the uPlot chart library, from its WebJar;</li>
 *   <li>{@code GET /api/network}: the network drawing and the signals' lanes, links and phases;</li>
 *   <li>{@code GET /api/frame}: the newest frame (signal states, queues, KPIs, health);</li>
 *   <li>{@code GET /api/events}: the frames as they come, as server-sent events ({@code event: frame}), up to
 *       {@value Dashboard#FRAMES_PER_S} a second;</li>
 *   <li>{@code GET /api/signals/N?lane=L}: signal N's detail (present state, schedule ahead, queue history,
 *       arrivals on green, split failures, coordination diagram of lane L; all lanes when L is -1 or absent);</li>
 *   <li>{@code GET /metrics}: the health figures in Prometheus' text format.</li>
 * </ul>
 *
 * <p>Threading: a small pool of daemon threads answers requests; each event stream holds one thread while open, and at
 * most {@link #MAX_STREAMS} streams are open at once (more are refused with 503, and the page falls back to polling).
 *
 * <p>Hostile clients: a request whose line and headers have not arrived within {@link #MAX_REQUEST_S} is dropped (the
 * JDK server's {@code sun.net.httpserver.maxReqTime}, set unless the JVM was given one), so slow clients cannot hold
 * the pool; on a loopback address only requests whose {@code Host} names this machine are answered (421 otherwise),
 * so a web page that rebinds its own name to 127.0.0.1 cannot read the dashboard.
 */
public final class DashboardServer implements AutoCloseable {
    /** Event streams served at once. */
    static final int MAX_STREAMS = 8;
    /** Longest time a client may take to send its request line and headers, seconds. */
    static final int MAX_REQUEST_S = 5;

    static {
        // Read by the JDK's HTTP server when its first instance is created; a value given to the JVM wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_S));
        }
    }
    private static final String WWW = "org/greenwave/app/dashboard/www/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml");

    private final Dashboard dashboard;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final String uplotRoot;
    private volatile boolean closed;

    private DashboardServer(Dashboard dashboard, HttpServer server, ExecutorService pool) {
        this.dashboard = dashboard;
        this.server = server;
        this.pool = pool;
        this.uplotRoot = "META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";
        server.createContext("/", this::handle);
        server.setExecutor(pool);
    }

    /**
     * Starts serving on {@code host:port} (port 0: any free port).
     *
     * @throws IOException naming the address when it cannot be bound (e.g. the port is taken)
     */
    public static DashboardServer start(Dashboard dashboard, String host, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dashboard port must be 0..65535, was " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (BindException e) {
            throw new IOException("cannot serve the dashboard on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another port with --port", e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(MAX_STREAMS + 4, r -> {
            Thread t = new Thread(r, "greenwave-dashboard-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        DashboardServer s = new DashboardServer(dashboard, server, pool);
        server.start();
        return s;
    }

    /**
     * A warning for the operator when the dashboard is reachable from other machines (bound to a non-loopback or
     * wildcard address): it is plain HTTP without log-in. Null on a loopback address.
     */
    public String exposureWarning() {
        InetSocketAddress a = server.getAddress();
        if (a.getAddress().isLoopbackAddress()) {
            return null;
        }
        return "WARNING: the dashboard and /metrics are served on " + a.getHostString() + ":" + a.getPort()
                + ", reachable from other machines, over plain HTTP without log-in: anyone who can reach this address"
                + " sees the engine's state. Bind to 127.0.0.1 (the default) unless the network in between is trusted.";
    }

    /** The port served on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, for people: {@code http://localhost:PORT/} when bound to a loopback address. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isLoopbackAddress() || a.getAddress().isAnyLocalAddress() ? "localhost"
                : a.getHostString();
        return "http://" + host + ":" + a.getPort() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!hostAllowed(ex)) {
                send(ex, 421, "text/plain; charset=utf-8",
                        "this server answers only requests addressed to this machine\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/", "/index.html" -> resource(ex, WWW + "index.html");
                case "/api/network" -> send(ex, 200, TYPES.get("json"), dashboard.network());
                case "/api/frame" -> send(ex, 200, TYPES.get("json"), dashboard.frame().json());
                case "/api/events" -> events(ex);
                case "/metrics" -> metrics(ex);
                default -> {
                    if (path.startsWith("/api/signals/")) {
                        detail(ex, path.substring("/api/signals/".length()), ex.getRequestURI());
                    } else if (path.startsWith("/lib/uplot/")) {
                        resource(ex, safe(uplotRoot, path.substring("/lib/uplot/".length())));
                    } else {
                        resource(ex, safe(WWW, path.substring(1)));
                    }
                }
            }
        } catch (IOException e) {
            // The browser went away; nothing to answer.
        }
    }

    /**
     * On a loopback address: whether the request's {@code Host} names this machine (localhost, a loopback address,
     * with or without the port). Bound wider, any host is answered.
     */
    private boolean hostAllowed(HttpExchange ex) {
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        host = host.trim().toLowerCase(java.util.Locale.ROOT);
        String name = host;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            name = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            name = host.substring(0, host.indexOf(':'));
        }
        return name.equals("localhost") || name.equals("[::1]") || name.startsWith("127.");
    }

    /** {@code root + rest} when {@code rest} is a plain relative path, else null. */
    private static String safe(String root, String rest) {
        if (rest.isEmpty() || rest.contains("..") || rest.contains("//") || rest.startsWith("/")
                || rest.contains("\\")) {
            return null;
        }
        return root + rest;
    }

    private void resource(HttpExchange ex, String name) throws IOException {
        if (name != null) {
            try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
                if (in != null) {
                    String ext = name.substring(name.lastIndexOf('.') + 1);
                    ex.getResponseHeaders().set("Cache-Control", "no-cache");
                    send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
                    return;
                }
            }
        }
        send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
    }

    private void detail(HttpExchange ex, String index, URI uri) throws IOException {
        int i;
        int lane = -1;
        try {
            i = Integer.parseInt(index);
            String q = uri.getQuery();
            if (q != null) {
                for (String kv : q.split("&")) {
                    if (kv.startsWith("lane=")) {
                        lane = Integer.parseInt(kv.substring(5));
                    }
                }
            }
        } catch (NumberFormatException e) {
            send(ex, 400, "text/plain; charset=utf-8",
                    ("signal index and lane must be integers: " + uri + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        if (!dashboard.writeDetail(body, i, lane)) {
            send(ex, 404, "text/plain; charset=utf-8",
                    ("no signal " + i + " (yet)\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, TYPES.get("json"), body.toByteArray());
    }

    private void metrics(HttpExchange ex) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        try (Writer w = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
            dashboard.writeMetrics(w);
        }
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", body.toByteArray());
    }

    private void events(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            send(ex, 503, "text/plain; charset=utf-8", "too many event streams\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
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
        server.stop(1);
        pool.shutdownNow();
    }
}
