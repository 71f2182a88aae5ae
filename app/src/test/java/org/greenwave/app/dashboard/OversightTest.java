package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The oversight API on an invoked engine with one crossing ({@code x}, two phases {@code GGrr} / {@code rrGG}) under
 * the adaptive controller: a command is recorded in the audit log with the user, then applied by the engine (recorded
 * as well), and shown; bad requests get a reason; "why" explains the decision; alerts are raised and acknowledged.
 */
class OversightTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(0);
    private final List<String> audit = new ArrayList<>();
    private final IntersectionModel model = IntersectionModel.builder("x", 4)
            .conflicts(ConflictMatrix.builder(4).conflict(0, 2).conflict(0, 3).conflict(1, 2).conflict(1, 3).build())
            .link(0, "n_in", 100, 13.9, "s_out").link(1, "s_in", 100, 13.9, "n_out")
            .link(2, "e_in", 100, 13.9, "w_out").link(3, "w_in", 100, 13.9, "e_out")
            .yellowS(3).allRedS(2).greenPhase("GGrr", 0, 20, 5, 60).greenPhase("rrGG", 2, 20, 5, 60).build();
    private Oversight oversight;
    private Engine engine;

    private void start(String controller) {
        oversight = new Oversight(List.of(model), () -> 1_000_000L);
        oversight.auditTo((actor, action, target, detail) -> audit.add(actor + " " + action + " " + target + " "
                + detail));
        List<DetectorSpec> detectors = List.of(new DetectorSpec("x/in2", DetectorKind.AREA_IN, 2),
                new DetectorSpec("x/in3", DetectorKind.AREA_IN, 3));
        engine = Engine.invoked(new EngineContext()
                .intersections(List.of(new EngineIntersection(model, controller, detectors))).clock(clock)
                .planSink(p -> { }).oversightListener(oversight));
        oversight.attach(engine);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void runTo(int toS) {
        for (int t = (int) (clock.nowMs() / 1000); t <= toS; t++) {
            clock.set(t * 1000L);
            engine.doWork();
        }
        oversight.drain();
    }

    @Test
    void aHoldIsAuditedWithItsUserAppliedByTheEngineAndShownWithWhoSetIt() throws Exception {
        start(Policies.GREENWAVE);
        runTo(2);
        Oversight.Answer a = oversight.command("olga", "0", Oversight.fields("{\"action\":\"hold\",\"durationS\":60,"
                + "\"note\":\"parade\"}", Map.of()));
        assertThat(a.status()).isEqualTo(202);
        assertThat(audit).containsExactly("olga signal.hold signal:x hold for 60 s; note: parade");
        runTo(3);
        assertThat(audit.get(1)).startsWith("engine override.applied signal:x hold for 60 s set by olga");
        JsonNode o = JSON.readTree(oversight.overview().json());
        assertThat(o.at("/overrides/0/signal").asText()).isEqualTo("x");
        assertThat(o.at("/overrides/0/override/kind").asText()).isEqualTo("hold");
        assertThat(o.at("/overrides/0/override/setBy").asText()).isEqualTo("olga");
        assertThat(o.at("/overrides/0/override/expiresAtS").asLong()).isEqualTo(62);
        assertThat(o.at("/events/0/type").asText()).isEqualTo("applied");
        runTo(64);
        assertThat(audit.get(audit.size() - 1)).startsWith("engine override.expired signal:x hold for 60 s set by olga")
                .contains("adaptive control resumed");
        assertThat(JSON.readTree(oversight.overview().json()).get("overrides")).isEmpty();

        // Modes go in as forms too.
        oversight.command("piet", "0", Oversight.fields("", Map.of("mode", "fixed", "greensS", "30, 10")));
        assertThat(audit.get(audit.size() - 1)).isEqualTo("piet signal.mode signal:x fixed plan greens [30.0, 10.0]"
                + " s for 900 s");
    }

    @Test
    void badRequestsAreRefusedWithTheReasonAndNotRecorded() {
        start(Policies.DEVICE);
        runTo(1);
        assertThatThrownBy(() -> oversight.command("olga", "0", Map.of("action", "hold")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device program");
        assertThatThrownBy(() -> oversight.command("olga", "7", Map.of("mode", "flash")))
                .hasMessageContaining("no signal 7");
        assertThatThrownBy(() -> oversight.command("olga", "0", Map.of("mode", "flash", "action", "hold")))
                .hasMessageContaining("either 'mode'");
        assertThatThrownBy(() -> oversight.command("olga", "0", Map.of("mode", "hold")))
                .hasMessageContaining("'hold' is an action, not a mode");
        assertThatThrownBy(() -> oversight.command("olga", "0", Map.of("mode", "flash", "durationS", "soon")))
                .hasMessageContaining("'durationS' must be a number, was 'soon'");
        assertThatThrownBy(() -> oversight.command("olga", "0", Map.of("mode", "dark")))
                .hasMessageContaining("unknown operator command 'dark'");
        assertThatThrownBy(() -> Oversight.fields("{\"mode\":", Map.of()))
                .hasMessageContaining("not valid JSON");
        assertThat(audit).isEmpty();
        // Without an audit log nothing reaches the engine.
        Oversight unaudited = new Oversight(List.of(model), () -> 0L);
        unaudited.attach(engine);
        assertThatThrownBy(() -> unaudited.command("olga", "0", Map.of("mode", "flash")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no audit log");
        runTo(3);
        IntersectionSnapshot s = engine.newSnapshot(0);
        engine.snapshot(0, s);
        assertThat(s.override()).isNull();
    }

    @Test
    void whySaysWhichVehiclesEnteringTheNetworkAreMeteredAtItsEdge() throws Exception {
        // A's west approach enters the network and feeds B through "ab" (80 m seen by A's exit zone); its south
        // approach leads away. 12 vehicles wait west, 4 south, and 6 stand on ab: over half of it.
        IntersectionModel a = IntersectionModel.builder("A", 2)
                .conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "west_in", 150, 13.9, "ab")
                .link(1, "south_in", 150, 13.9, "away")
                .outgoingLaneLengthM("ab", 80)
                .greenPhase("Gr", 0, 20, 5, 60)
                .greenPhase("rG", 1, 20, 5, 60)
                .build();
        IntersectionModel b = IntersectionModel.builder("B", 1)
                .conflicts(ConflictMatrix.builder(1).build())
                .link(0, "ab", 80, 13.9, "east_out")
                .greenPhase("G", 0, 20, 5, 60)
                .build();
        oversight = new Oversight(List.of(a, b), () -> 1_000_000L);
        List<DetectorSpec> detA = List.of(new DetectorSpec("a/west", DetectorKind.AREA_IN, 0),
                new DetectorSpec("a/south", DetectorKind.AREA_IN, 1), new DetectorSpec("a/ab", DetectorKind.AREA_OUT, 0));
        engine = Engine.invoked(new EngineContext()
                .intersections(List.of(new EngineIntersection(a, Policies.GREENWAVE, detA),
                        new EngineIntersection(b, Policies.GREENWAVE, List.of(new DetectorSpec("b/ab",
                                DetectorKind.AREA_IN, 0)))))
                .clock(clock).planSink(p -> { }).oversightListener(oversight));
        oversight.attach(engine);
        JsonNode why = null;
        for (int t = 0; t <= 20 && (why == null || !why.has("meteredLane")); t++) {
            engine.ingest().laneArea(engine.directory().detectorIndex("a/west"), t * 1000L, 12, 12, 90);
            engine.ingest().laneArea(engine.directory().detectorIndex("a/south"), t * 1000L, 4, 4, 30);
            engine.ingest().laneArea(engine.directory().detectorIndex("a/ab"), t * 1000L, 6, 6, 45);
            engine.ingest().laneArea(engine.directory().detectorIndex("b/ab"), t * 1000L, 0, 0, 0);
            clock.set(t * 1000L);
            engine.doWork();
            why = JSON.readTree(oversight.why("0").json());
        }

        assertThat(why.has("meteredLane")).as("%s", why).isTrue();
        assertThat(why.get("meteredLane").asText()).isEqualTo("west_in");
        assertThat(why.get("meteredVeh").asDouble()).isGreaterThanOrEqualTo(12.0);
        assertThat(why.get("text").asText()).contains("Metered at the network's edge").contains("west_in");
    }

    @Test
    void whyNamesThePhasesTheTurnRuleHeldBackAndTheLaneThatWaited() throws Exception {
        // Phase 0 greens three lanes, phase 1 two, phase 2 the one lane "f" that holds the longest queue.
        IntersectionModel three = TestModels.threePhaseOneSlow();
        oversight = new Oversight(List.of(three), () -> 1_000_000L);
        List<DetectorSpec> detectors = new ArrayList<>();
        for (int lane = 0; lane < 6; lane++) {
            detectors.add(new DetectorSpec("t/in" + lane, DetectorKind.AREA_IN, lane));
        }
        engine = Engine.invoked(new EngineContext()
                .intersections(List.of(new EngineIntersection(three, Policies.GREENWAVE, detectors))).clock(clock)
                .planSink(p -> { }).oversightListener(oversight));
        oversight.attach(engine);
        JsonNode why = null;
        for (int t = 0; t <= 300 && (why == null || !why.has("turnLane") || !"search".equals(why.get("reason").asText()));
                t++) {
            for (int lane = 0; lane < 6; lane++) {
                int veh = lane == 5 ? 15 : 4;
                engine.ingest().laneArea(engine.directory().detectorIndex("t/in" + lane), t * 1000L, veh, veh,
                        7.5 * veh);
            }
            clock.set(t * 1000L);
            engine.doWork();
            why = JSON.readTree(oversight.why("0").json());
        }

        assertThat(why.has("turnLane")).as("%s", why).isTrue();
        assertThat(why.get("turnLane").asText()).isEqualTo("f");
        assertThat(why.get("turnQueueVeh").asDouble()).isGreaterThanOrEqualTo(4.0);
        assertThat(why.at("/phases/2/heldBack").asBoolean()).isFalse();
        assertThat(why.at("/phases/0/heldBack").asBoolean() || why.at("/phases/1/heldBack").asBoolean()).isTrue();
        assertThat(why.get("text").asText()).contains("turn rule").contains("f");
    }

    @Test
    void whyExplainsTheAdaptiveDecisionAndSaysWhenAControllerDoesNot() throws Exception {
        start(Policies.GREENWAVE);
        int in2 = engine.directory().detectorIndex("x/in2");
        for (int t = 0; t <= 12; t++) {
            engine.ingest().laneArea(in2, t * 1000L, 8, 8, 60);
            clock.set(t * 1000L);
            engine.doWork();
        }
        JsonNode why = JSON.readTree(oversight.why("0").json());
        assertThat(why.get("explained").asBoolean()).isTrue();
        assertThat(why.get("phases")).hasSize(2);
        assertThat(why.at("/phases/1/queueVeh").asDouble()).isEqualTo(8.0);
        assertThat(why.at("/phases/1/state").asText()).isEqualTo("rrGG");
        assertThat(why.get("schedule").size()).isGreaterThanOrEqualTo(1);
        assertThat(why.get("text").asText()).isNotEmpty();
        assertThat(why.get("reason").asText()).isIn("search", "min-green", "transition", "no-demand");

        close();
        start(Policies.MAX_PRESSURE);
        runTo(2);
        JsonNode none = JSON.readTree(oversight.why("0").json());
        assertThat(none.get("explained").asBoolean()).isFalse();
        assertThat(none.get("text").asText()).contains("records no explanation");
    }

    @Test
    void alertsAreRaisedFromTheEngineStateAndAcknowledgedOnceWithTheUser() throws Exception {
        start(Policies.GREENWAVE);
        runTo(1);
        IntersectionSnapshot s = engine.newSnapshot(0);
        engine.snapshot(0, s);
        oversight.alerts().evaluate(new IntersectionSnapshot[] {s},
                new org.greenwave.core.port.ControllerStatus[] {
                    new org.greenwave.core.port.ControllerStatus("x", 0, 0, "GGrr", 0, null, -1)}, 5000);
        oversight.alerts().evaluateLink("mqtt", org.greenwave.core.port.LinkState.DISCONNECTED, 1000, 1);
        oversight.alerts().evaluateLink("mqtt", org.greenwave.core.port.LinkState.DISCONNECTED, 7000, 1);
        JsonNode list = JSON.readTree(oversight.alertList(false).json());
        assertThat(list.get("unacknowledged").asInt()).isEqualTo(2);
        List<String> kinds = new ArrayList<>();
        list.get("alerts").forEach(n -> kinds.add(n.get("kind").asText()));
        assertThat(kinds).containsExactly("broker-down", "field-fallback");
        long id = list.at("/alerts/1/id").asLong();
        oversight.acknowledge("olga", Long.toString(id));
        assertThat(audit).containsExactly("olga alert.ack alert:" + id + " field-fallback at x: the controller of x"
                + " follows no engine plan: it runs its own fallback");
        assertThatThrownBy(() -> oversight.acknowledge("piet", Long.toString(id)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("acknowledged by olga");
        assertThatThrownBy(() -> oversight.acknowledge("piet", "999")).hasMessageContaining("no alert 999");
        JsonNode after = JSON.readTree(oversight.alertList(false).json());
        assertThat(after.at("/alerts/1/acknowledgedBy").asText()).isEqualTo("olga");
        // The condition ends: acknowledged and cleared, the alert leaves the open list.
        oversight.alerts().evaluate(new IntersectionSnapshot[] {s},
                new org.greenwave.core.port.ControllerStatus[] {
                    new org.greenwave.core.port.ControllerStatus("x", 0, 0, "GGrr", 0, null, 17)}, 9000);
        JsonNode cleared = JSON.readTree(oversight.alertList(false).json());
        assertThat(cleared.get("alerts")).hasSize(1);
        assertThat(JSON.readTree(oversight.alertList(true).json()).get("alerts")).hasSize(2);
    }
}
