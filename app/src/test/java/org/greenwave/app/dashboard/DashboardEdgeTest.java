package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's server against hostile clients on loopback: slow clients that trickle their headers, too many
 * connections from one address, and foreign Host names. Each loop is bounded in count and time.
 */
class DashboardEdgeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private DashboardServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A connection from {@code from} (another loopback address: another client) that sends half a request. */
    private Socket slowClient(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        s.getOutputStream().write("GET /api/frame HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Whether the server has closed {@code s} (read returns end of stream, or the connection was reset). */
    private static boolean closedByServer(Socket s, int waitMs) throws IOException {
        s.setSoTimeout(waitMs);
        try (InputStream in = s.getInputStream()) {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int metric(String reason) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith("greenwave_http_refused_total{reason=\"" + reason + "\"} ")) {
                return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric for " + reason + " in\n" + body);
    }

    @Test
    void fiftySlowClientsTricklingTheirHeadersDoNotTakeTheDashboardDown() throws Exception {
        long deadlineMs = 8000;
        server = DashboardServer.start(DashboardAuthTest.corridorDashboard(), new DashboardServer.Options()
                .bind("127.0.0.1", 0).headerTimeoutMs(deadlineMs).maxConnectionsPerClient(64));
        // 50 slow clients, five from each of ten addresses, each sending one more header byte every 100 ms or so:
        // never idle, never done.
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            slow.add(slowClient("127.0.0." + (10 + i % 10)));
        }
        long start = System.nanoTime();
        // Genuine requests are answered while every slow client still holds its connection (before the deadline
        // frees anything): the slow clients hold no worker thread.
        for (int n = 0; n < 5; n++) {
            for (Socket s : slow) {
                s.getOutputStream().write('X');
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/frame")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Thread.sleep(100);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).as("five genuine requests while 50 slow clients trickle, ms").isLessThan(deadlineMs);
        assertThat(metric("header_timeout")).as("no slow client dropped yet").isZero();
        // At the header deadline every slow client is dropped, though none was ever idle.
        int closed = 0;
        for (Socket s : slow) {
            if (closedByServer(s, (int) deadlineMs + 5000)) {
                closed++;
            }
        }
        assertThat(closed).isEqualTo(50);
        assertThat(metric("header_timeout")).isEqualTo(50);
    }

    @Test
    void oneClientAddressHoldsAtMostItsShareOfConnections() throws Exception {
        server = DashboardServer.start(DashboardAuthTest.corridorDashboard(), new DashboardServer.Options()
                .bind("127.0.0.1", 0).maxConnectionsPerClient(8));
        List<Socket> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            mine.add(slowClient("127.0.0.2"));
        }
        long until = System.nanoTime() + 10_000_000_000L;
        while (metric("per_client_limit") < 4 && System.nanoTime() - until < 0) {
            Thread.sleep(100);
        }
        int closed = 0;
        for (Socket s : mine) {
            if (closedByServer(s, 500)) {
                closed++;
            }
        }
        assertThat(closed).isEqualTo(4);
        assertThat(metric("per_client_limit")).isEqualTo(4);
        // Another client is served meanwhile.
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/frame")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void requestsForOtherNamesAreRefusedAndConfiguredNamesServed() throws Exception {
        server = DashboardServer.start(DashboardAuthTest.corridorDashboard(), new DashboardServer.Options()
                .bind("127.0.0.1", 0).hostNames(List.of("dashboard.city.example")));
        assertThat(rawStatus("dashboard.city.example:" + server.port())).isEqualTo(200);
        assertThat(rawStatus("DASHBOARD.city.example.")).isEqualTo(200);
        assertThat(rawStatus("127.0.0.1:" + server.port())).isEqualTo(200);
        assertThat(rawStatus("[::1]:" + server.port())).isEqualTo(200);
        assertThat(rawStatus("attacker.example:" + server.port())).isEqualTo(421);
        assertThat(rawStatus("127.0.0.1.attacker.example")).isEqualTo(421);
        assertThat(metric("wrong_host")).isEqualTo(2);
    }

    private int rawStatus(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /api/frame HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(line.split(" ")[1]);
        }
    }
}
