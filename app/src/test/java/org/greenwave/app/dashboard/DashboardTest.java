package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.core.time.ManualClock;
import org.greenwave.app.TinyQueueModels;
import org.greenwave.forecast.learn.QueueModel;
import org.greenwave.forecast.online.QueueForecasterFactory;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's server and figures without a simulator: the corridor's engine driven by hand (invoked, on a manual
 * clock), advance-loop pulses fed to one lane, and the HTTP answers checked.
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SumoNet net;
    private List<ControlledIntersection> signals;
    private Dashboard dashboard;
    private DashboardServer server;
    private Engine engine;

    @BeforeEach
    void start() throws IOException {
        Path corridor = Path.of("").toAbsolutePath().getParent().resolve("scenarios/corridor/corridor.net.xml");
        net = SumoNet.read(corridor);
        signals = ScenarioImport.importSignals(net, List.of());
        dashboard = new Dashboard("corridor", net, signals, Dashboard.ClockKind.SIMULATED);
        server = DashboardServer.start(dashboard, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        if (engine != null) {
            engine.close();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageTheChartLibraryAndTheNetworkBeforeAnyEngine() throws Exception {
        assertThat(server.url()).isEqualTo("http://localhost:" + server.port() + "/");
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("/lib/uplot/uPlot.iife.min.js").contains("/dashboard.js");
        assertThat(get("/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(get("/lib/uplot/uPlot.iife.min.js").body()).contains("uPlot");

        JsonNode network = JSON.readTree(get("/api/network").body());
        assertThat(network.get("signals")).hasSize(5);
        assertThat(network.get("signals").get(0).get("id").asText()).isEqualTo(signals.get(0).id());
        assertThat(network.get("lanes").size()).isGreaterThan(50);
        assertThat(network.get("bounds")).hasSize(4);

        assertThat(JSON.readTree(get("/api/frame").body()).get("status").asText()).isEqualTo("waiting");
        assertThat(get("/metrics").body()).contains("greenwave_signals 5");
        assertThat(get("/api/signals/0").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesWhatItDoesNotServe() throws Exception {
        assertThat(get("/lib/uplot/../../../../org/greenwave/app/Main.class").statusCode()).isIn(400, 404);
        assertThat(get("/nothing-here.js").statusCode()).isEqualTo(404);
        assertThat(get("/api/signals/x").statusCode()).isEqualTo(400);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void followsTheEngineCountsArrivalsAndKeepsThePlans() throws Exception {
        ManualClock clock = new ManualClock(0);
        List<EngineIntersection> xs = new ArrayList<>();
        List<IntersectionModel> models = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            EngineIntersection x = ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE);
            xs.add(x);
            models.add(x.model());
        }
        PlanTap plans = new PlanTap(models, p -> { });
        engine = Engine.invoked(new EngineContext().intersections(xs).shards(1).clock(clock).planSink(plans));
        dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), plans, null, "max-pressure, by hand");

        ControlledIntersection j3 = signals.get(2);
        int advance = engine.directory().detectorIndex(j3.advanceLoops()[0]);
        assertThat(advance).isNotNegative();
        int pulses = 0;
        for (int t = 0; t <= 600; t++) {
            clock.set(t * 1000L);
            // One vehicle every 5 s over the advance loop of J3's first lane, from the second record on.
            if (t >= 2 && t % 5 == 0) {
                engine.ingest().detectorEdge(advance, true, t * 1000L);
                engine.ingest().detectorEdge(advance, false, t * 1000L + 300);
                pulses++;
            }
            engine.doWork();
            dashboard.sample(t * 1_000_000_000L);
        }

        JsonNode frame = JSON.readTree(get("/api/frame").body());
        assertThat(frame.get("status").asText()).isEqualTo("live");
        assertThat(frame.get("engineTimeS").asDouble()).isEqualTo(600.0);
        assertThat(frame.get("signals")).hasSize(5);
        assertThat(frame.get("kpi").get("windowS").asLong()).isBetween(595L, 601L);

        JsonNode detail = JSON.readTree(get("/api/signals/2?lane=0").body());
        assertThat(detail.get("id").asText()).isEqualTo(j3.id());
        JsonNode lane0 = detail.get("lanes").get(0);
        assertThat(lane0.get("id").asText()).isEqualTo(j3.model().incomingLaneId(0));
        assertThat(lane0.get("arrivals").asLong()).isEqualTo(pulses);
        assertThat(lane0.get("arrivalsOnGreen").asLong()).isBetween(0L, (long) pulses);
        assertThat(detail.get("queue").get("t")).hasSize(601);
        JsonNode predicted = detail.get("queue").get("predicted");
        assertThat(predicted.get(IntersectionHistory.PREDICTION_LEAD_S - 1).isNull()).isTrue();
        assertThat(predicted.get(IntersectionHistory.PREDICTION_LEAD_S).isNumber()).isTrue();
        assertThat(detail.get("queue").get("forecast")).hasSize(61);
        // The engine's default forecaster predicts the totals, without bands (nothing calibrated them).
        JsonNode prediction = detail.get("prediction");
        assertThat(prediction.get("bands").asBoolean()).isFalse();
        assertThat(prediction.get("groups")).hasSize(1 + j3.model().approachCount());
        assertThat(prediction.get("groups").get(0).get("queueVeh").get(0).isNumber()).isTrue();
        assertThat(prediction.get("groups").get(0).get("lowVeh").get(0).isNull()).isTrue();
        assertThat(detail.get("pcd").get("lane").asText()).isEqualTo(j3.model().incomingLaneId(0));
        long inPcd = detail.get("pcd").get("arrivals").size();
        assertThat(inPcd).isBetween(0L, (long) pulses);
        JsonNode plan = detail.get("plan");
        assertThat(plan.isObject()).isTrue();
        assertThat(plan.get("entries").size()).isPositive();
        assertThat(plan.get("entries").get(0).get(0).asText()).hasSize(j3.model().linkCount());

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("greenwave_engine_ticks_total ")
                .contains("greenwave_decision_latency_seconds{quantile=\"0.99\"} ")
                .doesNotContain("greenwave_mqtt_").doesNotContain("greenwave_field_");

        // With field controllers in the process (simulate --via mqtt, demo): the plans they refused, by reason.
        org.greenwave.adapters.field.PlanRefusals refused = new org.greenwave.adapters.field.PlanRefusals();
        refused.count(org.greenwave.adapters.field.PlanRefusal.FORGED);
        refused.count(org.greenwave.adapters.field.PlanRefusal.FORGED);
        refused.count(org.greenwave.adapters.field.PlanRefusal.DARK_WITHOUT_OPERATOR);
        dashboard.fieldRefusals(refused);
        assertThat(get("/metrics").body()).contains("# TYPE greenwave_field_plans_refused_total counter")
                .contains("greenwave_field_plans_refused_total{reason=\"forged\"} 2\n")
                .contains("greenwave_field_plans_refused_total{reason=\"dark-without-operator\"} 1\n")
                .contains("greenwave_field_plans_refused_total{reason=\"unsigned\"} 0\n");
        dashboard.sample(601 * 1_000_000_000L);
        assertThat(get("/api/frame").body()).contains("\"fieldPlansRefused\":{\"unsigned\":0,\"unknown-key\":0,"
                + "\"forged\":2,");
    }

    @Test
    void theDetailCarriesTheIntersectionsAndApproachesPredictionWithTheModelsBands(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(0);
        List<EngineIntersection> xs = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            xs.add(ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE));
        }
        QueueModel model = QueueModel.load(TinyQueueModels.banded(dir.resolve("m.zip"), signals.get(2).id()));
        engine = Engine.invoked(new EngineContext().intersections(xs).shards(1).clock(clock).planSink(p -> { })
                .forecasterFactory(QueueForecasterFactory.withModel(model)));
        dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), null, null, "by hand");
        ControlledIntersection j3 = signals.get(2);
        int advance = engine.directory().detectorIndex(j3.advanceLoops()[0]);
        for (int t = 0; t <= 300; t++) {
            clock.set(t * 1000L);
            if (t % 3 == 0) {
                engine.ingest().detectorEdge(advance, true, t * 1000L);
                engine.ingest().detectorEdge(advance, false, t * 1000L + 300);
            }
            engine.doWork();
            dashboard.sample(t * 1_000_000_000L);
        }

        JsonNode p = JSON.readTree(get("/api/signals/2").body()).get("prediction");
        assertThat(p.get("bands").asBoolean()).isTrue();
        assertThat(p.get("horizonsS").toString()).isEqualTo("[5,15,30,60]");
        IntersectionModel m = j3.model();
        JsonNode groups = p.get("groups");
        assertThat(groups).hasSize(1 + m.approachCount());
        assertThat(groups.get(0).get("id").asText()).isEqualTo("all");
        double approachesAt30 = 0;
        for (int a = 0; a < m.approachCount(); a++) {
            assertThat(groups.get(1 + a).get("id").asText()).isEqualTo(m.approachId(a));
            approachesAt30 += groups.get(1 + a).get("queueVeh").get(2).asDouble();
        }
        JsonNode all = groups.get(0);
        assertThat(all.get("queueVeh").get(2).asDouble()).isCloseTo(approachesAt30, org.assertj.core.data.Offset.offset(0.3));
        // The queue is building on J3's first lane: something is predicted, and the band is the model's residuals.
        assertThat(all.get("queueVeh").get(3).asDouble()).isPositive();
        for (int k = 0; k < 4; k++) {
            double q = all.get("queueVeh").get(k).asDouble();
            assertThat(all.get("lowVeh").get(k).asDouble())
                    .isCloseTo(Math.max(0, q + TinyQueueModels.LOW_RESIDUAL_VEH), org.assertj.core.data.Offset.offset(0.11));
            assertThat(all.get("highVeh").get(k).asDouble())
                    .isCloseTo(q + TinyQueueModels.HIGH_RESIDUAL_VEH, org.assertj.core.data.Offset.offset(0.11));
        }
        double delay = all.get("delayVehS").asDouble();
        assertThat(delay).isPositive();
        assertThat(all.get("delayHighVehS").asDouble())
                .isCloseTo(delay + TinyQueueModels.HIGH_DELAY_RESIDUAL_VEH_S, org.assertj.core.data.Offset.offset(0.6));
    }

    @Test
    void showsAnyFieldPortByItsProtocolAndWhatItRunsOn() throws Exception {
        ManualClock clock = new ManualClock(0);
        List<EngineIntersection> xs = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            xs.add(ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE));
        }
        engine = Engine.invoked(new EngineContext().intersections(xs).shards(1).clock(clock).planSink(p -> { }));
        FakePort port = new FakePort("ntcip");
        port.state = LinkState.DISCONNECTED;
        dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), null, port, "live");
        dashboard.showMetrics(sink -> sink.metric("greenwave_ntcip_agent_polls_total", "counter",
                "Polls the agent answered.", 42));
        for (int t = 0; t <= 2; t++) {
            clock.set(t * 1000L);
            engine.doWork();
            dashboard.sample(t * 1_000_000_000L);
        }

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("# TYPE greenwave_ntcip_connected gauge\ngreenwave_ntcip_connected 0\n")
                .contains("greenwave_ntcip_messages_received_total 7\n")
                .contains("greenwave_ntcip_rejected_total{reason=\"bad-oid\"} 2\n")
                .contains("greenwave_ntcip_rejected_total{reason=\"timeout\"} 0\n")
                .contains("greenwave_ntcip_plans_published_total 5\n")
                .contains("greenwave_ntcip_connection_losses_total 1\n")
                .contains("# HELP greenwave_ntcip_community_refused_total Requests refused.\n"
                        + "# TYPE greenwave_ntcip_community_refused_total counter\n"
                        + "greenwave_ntcip_community_refused_total 3\n")
                .contains("greenwave_ntcip_agent_polls_total 42\n")
                .doesNotContain("greenwave_mqtt_");
        JsonNode health = JSON.readTree(get("/api/frame").body()).get("health");
        assertThat(health.get("field").asText()).isEqualTo("ntcip");
        assertThat(health.get("broker").asText()).isEqualTo("disconnected");
        assertThat(health.get("messagesIn").asLong()).isEqualTo(7);
        assertThat(health.get("rejectsTotal").asLong()).isEqualTo(2);
        assertThat(health.get("rejects").toString()).isEqualTo("{\"bad-oid\":2,\"timeout\":0}");
    }

    /** A field port of another protocol, with fixed counts. */
    private static final class FakePort implements FieldPort {
        final String protocol;
        volatile LinkState state = LinkState.CONNECTED;

        FakePort(String protocol) {
            this.protocol = protocol;
        }

        @Override
        public void onPlan(org.greenwave.core.engine.TimingPlan plan) {
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public LinkState linkState() {
            return state;
        }

        @Override
        public FieldCounters counters() {
            return new FieldCounters() {
                @Override
                public long messagesIn() {
                    return 7;
                }

                @Override
                public long entriesApplied() {
                    return 6;
                }

                @Override
                public long ingestRefused() {
                    return 0;
                }

                @Override
                public ReasonCounts rejects() {
                    return sink -> {
                        sink.count("bad-oid", 2);
                        sink.count("timeout", 0);
                    };
                }

                @Override
                public long plansSent() {
                    return 5;
                }

                @Override
                public long plansDropped() {
                    return 0;
                }

                @Override
                public long connectionLosses() {
                    return 1;
                }

                @Override
                public void report(MetricSink sink) {
                    sink.metric("greenwave_ntcip_community_refused_total", "counter", "Requests refused.", 3);
                }
            };
        }

        @Override
        public boolean awaitConnected(long timeoutMs) {
            return state == LinkState.CONNECTED;
        }

        @Override
        public boolean runsDevicePrograms() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSignalHasNoDataUntilItsFirstDetectorReadingOrControllerStatus() throws Exception {
        ManualClock clock = new ManualClock(0);
        List<EngineIntersection> xs = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            xs.add(ScenarioImport.engineIntersection(ci, Policies.MAX_PRESSURE));
        }
        engine = Engine.invoked(new EngineContext().intersections(xs).shards(1).clock(clock).planSink(p -> { }));
        dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), null, null, "live");
        for (int t = 0; t <= 5; t++) {
            clock.set(t * 1000L);
            engine.doWork();
            dashboard.sample(t * 1_000_000_000L);
        }
        // The engine has ticked (and commands a green) but nothing came from the field.
        JsonNode frame = JSON.readTree(get("/api/frame").body());
        assertThat(frame.get("signals")).hasSize(5).allSatisfy(s -> {
            assertThat(s.get("data").asBoolean()).isFalse();
            assertThat(s.get("ticks").asLong()).isPositive();
        });
        assertThat(JSON.readTree(get("/api/signals/1").body()).get("signal").get("data").asBoolean()).isFalse();

        // A reading of the third signal's advance loop, a status of the fifth (and one of a signal not shown).
        engine.ingest().detectorEdge(engine.directory().detectorIndex(signals.get(2).advanceLoops()[0]), true, 6000);
        dashboard.statusReceived(new org.greenwave.core.port.ControllerStatus(signals.get(4).id(), 6000, 0,
                "G".repeat(signals.get(4).model().linkCount()), 1000, null, 0));
        dashboard.statusReceived(new org.greenwave.core.port.ControllerStatus("not-a-signal", 6000, 0, "G", 1000,
                null, 0));
        clock.set(7_000);
        engine.doWork();
        dashboard.sample(7_000_000_000L);
        frame = JSON.readTree(get("/api/frame").body());
        List<Boolean> data = new ArrayList<>();
        frame.get("signals").forEach(s -> data.add(s.get("data").asBoolean()));
        assertThat(data).containsExactly(false, false, true, false, true);
        assertThat(frame.get("signals").get(2).get("readings").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(get("/api/signals/2").body()).get("signal").get("data").asBoolean()).isTrue();
    }

    @Test
    void answersOnlyRequestsAddressedToThisMachineOnALoopbackAddress() throws Exception {
        assertThat(server.exposureWarning()).isNull();
        assertThat(server.warnings()).singleElement().asString().startsWith("NOTE: dashboard without log-in");
        assertThat(rawStatus("GET /api/frame HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n\r\n"))
                .isEqualTo(200);
        assertThat(rawStatus("GET /api/frame HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).isEqualTo(200);
        // A page that rebinds its own name to 127.0.0.1 sends its own name.
        assertThat(rawStatus("GET /api/frame HTTP/1.1\r\nHost: attacker.example:" + server.port() + "\r\n\r\n"))
                .isEqualTo(421);
    }

    /** Sends {@code request} as is and returns the response's status code. */
    private int rawStatus(String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(line.split(" ")[1]);
        }
    }
}
