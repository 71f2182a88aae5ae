/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.greenwave.adapters.traci.SumoTestSupport.DETECTOR_LANE;
import static org.greenwave.adapters.traci.SumoTestSupport.LANE_AREA_ID;
import static org.greenwave.adapters.traci.SumoTestSupport.LOOP_ID;
import static org.greenwave.adapters.traci.TraciConstants.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a real SUMO 1.15 over TraCI on a 2 x 2 signalised grid. */
@Tag("sumo")
class SumoIntegrationTest {

    private static final String TLS = "A0";

    @TempDir
    Path dir;

    private SumoTestSupport.Scenario scenario;

    @BeforeAll
    static void requireSumo() {
        SumoTestSupport.requireOnPath("sumo");
    }

    @BeforeEach
    void buildScenario() throws Exception {
        scenario = SumoTestSupport.grid(dir, 2, 600);
    }

    @Test
    void stepsWithSubscriptionsThatAgreeWithDirectReads() throws Exception {
        try (SumoProcess sumo = SumoProcess.start(scenario.options().build())) {
            TraciClient c = sumo.client();
            assertThat(c.apiVersion()).isEqualTo(20);
            assertThat(c.sumoVersion()).startsWith("SUMO");
            assertThat(c.trafficLightIds()).containsExactlyInAnyOrderElementsOf(scenario.tlsIds());
            assertThat(c.inductionLoopIds()).containsExactly(LOOP_ID);
            assertThat(c.laneAreaIds()).containsExactly(LANE_AREA_ID);

            Subscription tls = c.subscribe(Domain.TRAFFIC_LIGHT, TLS, TL_RED_YELLOW_GREEN_STATE, TL_CURRENT_PHASE);
            Subscription loop = c.subscribe(Domain.INDUCTION_LOOP, LOOP_ID, LAST_STEP_VEHICLE_NUMBER,
                    LAST_STEP_VEHICLE_DATA);
            Subscription e2 = c.subscribe(Domain.LANE_AREA, LANE_AREA_ID, JAM_LENGTH_METERS, JAM_LENGTH_VEHICLE,
                    LAST_STEP_VEHICLE_NUMBER);
            Subscription sim = c.subscribe(Domain.SIMULATION, "", VAR_TIME);
            // Values of the moment of subscription are there right away.
            assertThat(tls.hasValue(0)).isTrue();
            assertThat(sim.number(0)).isZero();

            Set<String> statesSeen = new HashSet<>();
            int loopVehicles = 0;
            double maxJamM = 0;
            for (int step = 1; step <= 200; step++) {
                c.simulationStep(0);
                assertThat(sim.number(0)).isEqualTo(step);
                String state = (String) tls.value(0);
                statesSeen.add(state);
                int count = (int) loop.number(0);
                @SuppressWarnings("unchecked")
                List<LoopVehicleData> data = (List<LoopVehicleData>) loop.value(1);
                assertThat(data).hasSize(count);
                loopVehicles += count;
                maxJamM = Math.max(maxJamM, e2.number(0));
                if (step % 50 == 0) {
                    assertThat(c.getRedYellowGreenState(TLS)).isEqualTo(state);
                    assertThat((int) tls.number(1)).isEqualTo(c.getPhase(TLS));
                    assertThat(c.inductionLoopVehicleNumber(LOOP_ID)).isEqualTo(count);
                    assertThat(c.inductionLoopVehicleData(LOOP_ID)).isEqualTo(data);
                    assertThat(c.laneAreaJamLengthM(LANE_AREA_ID)).isEqualTo(e2.number(0));
                    assertThat(c.laneAreaJamLengthVehicles(LANE_AREA_ID)).isEqualTo((int) e2.number(1));
                    assertThat(c.laneAreaVehicleNumber(LANE_AREA_ID)).isEqualTo((int) e2.number(2));
                    assertThat(c.laneAreaHaltingNumber(LANE_AREA_ID)).isBetween(0, (int) e2.number(2));
                }
            }
            assertThat(c.simulationTimeS()).isEqualTo(200.0);
            assertThat(statesSeen).as("a 90 s cycle shows all four phases in 200 s").hasSize(4);
            assertThat(loopVehicles).isPositive();
            assertThat(maxJamM).as("red phases queue vehicles over the lane-area detector").isPositive();
            assertThat(c.minExpectedNumber()).isPositive();
            assertThat(c.pendingVehicles()).isNotNull();
            assertThat(c.laneLengthM(DETECTOR_LANE)).isBetween(80.0, 100.0);
            assertThat(c.laneVehicleNumber(DETECTOR_LANE)).isGreaterThanOrEqualTo(c.laneHaltingNumber(DETECTOR_LANE));
        }
    }

    @Test
    void readsAndWritesTrafficLightPrograms() throws Exception {
        try (SumoProcess sumo = SumoProcess.start(scenario.options().build())) {
            TraciClient c = sumo.client();
            c.simulationStep(5);

            List<TlsLogic> logics = c.getCompleteDefinition(TLS);
            assertThat(logics).hasSize(1);
            TlsLogic logic = logics.get(0);
            assertThat(logic.programId()).isEqualTo("0");
            assertThat(logic.type()).isEqualTo(TlsLogic.TYPE_STATIC);
            assertThat(logic.phases()).hasSize(4);
            assertThat(logic.phases().stream().mapToDouble(TlsPhase::durationS).sum()).isEqualTo(90.0);

            List<List<TlsLink>> links = c.getControlledLinks(TLS);
            String state = c.getRedYellowGreenState(TLS);
            assertThat(links).hasSize(state.length());
            assertThat(logic.phases()).allSatisfy(p -> assertThat(p.state()).hasSize(state.length()));
            for (List<TlsLink> signal : links) {
                assertThat(signal).isNotEmpty().allSatisfy(link -> {
                    assertThat(link.fromLane()).endsWith(TLS + "_0");
                    assertThat(link.toLane()).startsWith(TLS);
                    assertThat(link.viaLane()).startsWith(":" + TLS + "_");
                });
            }
            List<String> lanes = c.getControlledLanes(TLS);
            assertThat(lanes).hasSize(links.size());
            for (int i = 0; i < lanes.size(); i++) {
                assertThat(lanes.get(i)).isEqualTo(links.get(i).get(0).fromLane());
            }

            // Phase control within the loaded program.
            c.setPhase(TLS, 2);
            assertThat(c.getPhase(TLS)).isEqualTo(2);
            assertThat(c.getPhaseDurationS(TLS)).isEqualTo(logic.phases().get(2).durationS());
            c.setPhaseDurationS(TLS, 7.0);
            assertThat(c.getNextSwitchS(TLS)).isCloseTo(c.simulationTimeS() + 7.0, within(1e-9));

            // A program written over TraCI reads back identically.
            String allRed = "r".repeat(state.length());
            String allGreen = "G".repeat(state.length());
            TlsLogic mine = new TlsLogic("greenwave", TlsLogic.TYPE_STATIC, 0,
                    List.of(new TlsPhase(20, allGreen), new TlsPhase(4, allRed)), Map.of("origin", "test"));
            c.setCompleteDefinition(TLS, mine);
            assertThat(c.getProgram(TLS)).isEqualTo("greenwave");
            TlsLogic readBack = c.getCompleteDefinition(TLS).stream()
                    .filter(l -> l.programId().equals("greenwave")).findFirst().orElseThrow();
            assertThat(readBack.phases()).extracting(TlsPhase::state).containsExactly(allGreen, allRed);
            assertThat(readBack.phases()).extracting(TlsPhase::durationS).containsExactly(20.0, 4.0);
            assertThat(readBack.params()).containsEntry("origin", "test");
            c.setProgram(TLS, "0");
            assertThat(c.getProgram(TLS)).isEqualTo("0");

            // A state string set directly holds through the next step.
            String custom = "G" + "r".repeat(state.length() - 1);
            Subscription sub = c.subscribe(Domain.TRAFFIC_LIGHT, TLS, TL_RED_YELLOW_GREEN_STATE);
            c.setRedYellowGreenState(TLS, custom);
            assertThat(c.getRedYellowGreenState(TLS)).isEqualTo(custom);
            c.simulationStep(0);
            assertThat(sub.value(0)).isEqualTo(custom);
            assertThat(c.getRedYellowGreenState(TLS)).isEqualTo(custom);
        }
    }

    @Test
    void sumoErrorsCarrySumosTextAndLeaveTheConnectionUsable() throws Exception {
        try (SumoProcess sumo = SumoProcess.start(scenario.options().build())) {
            TraciClient c = sumo.client();
            assertThatThrownBy(() -> c.setProgram(TLS, "no-such-program"))
                    .isInstanceOfSatisfying(TraciException.class, e -> {
                        assertThat(e.sumoError()).hasValueSatisfying(text -> assertThat(text).contains("no-such-program"));
                        assertThat(e.getMessage()).contains(e.sumoError().get()).contains("traffic light 'A0'");
                        assertThat(e.commandId()).isEqualTo(CMD_SET_TL_VARIABLE);
                    });
            assertThatThrownBy(() -> c.getRedYellowGreenState("nowhere"))
                    .isInstanceOf(TraciException.class)
                    .hasMessageContaining("nowhere");
            assertThatThrownBy(() -> c.subscribe(Domain.INDUCTION_LOOP, "nowhere", LAST_STEP_VEHICLE_NUMBER))
                    .isInstanceOf(TraciException.class)
                    .hasMessageContaining("nowhere");
            c.simulationStep(0);
            assertThat(c.simulationTimeS()).isEqualTo(1.0);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void getDoublesGivesWhatOneGetPerObjectGives() throws Exception {
        try (SumoProcess sumo = SumoProcess.start(scenario.options().build())) {
            TraciClient c = sumo.client();
            c.simulationStep(120);
            List<String> vehicles = c.getStringList(CMD_GET_VEHICLE_VARIABLE, TRACI_ID_LIST, "");
            assertThat(vehicles).hasSizeGreaterThan(3);
            int waitingTime = 0x7a;
            double[] batched = c.getDoubles(CMD_GET_VEHICLE_VARIABLE, waitingTime, vehicles);
            for (int i = 0; i < vehicles.size(); i++) {
                assertThat(batched[i]).as(vehicles.get(i))
                        .isEqualTo(c.getDouble(CMD_GET_VEHICLE_VARIABLE, waitingTime, vehicles.get(i)));
            }
            assertThat(java.util.Arrays.stream(batched).max().orElse(0)).isGreaterThan(0);
            List<String> withUnknown = List.of(vehicles.get(0), "no-such-vehicle", vehicles.get(1));
            assertThatThrownBy(() -> c.getDoubles(CMD_GET_VEHICLE_VARIABLE, waitingTime, withUnknown))
                    .isInstanceOf(TraciException.class).hasMessageContaining("no-such-vehicle");
            assertThat(c.getDoubles(CMD_GET_VEHICLE_VARIABLE, waitingTime, vehicles)).containsExactly(batched);
        }
    }

    @Test
    void closeStopsSumoAndIsIdempotent() throws Exception {
        SumoProcess sumo = SumoProcess.start(scenario.options().build());
        long pid = sumo.pid();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        sumo.client().simulationStep(10);
        sumo.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("sumo process %d after close()", pid).isFalse();
        assertThat(sumo.client().isClosed()).isTrue();
        sumo.close();
        assertThatThrownBy(() -> sumo.client().simulationStep(0))
                .isInstanceOf(TraciException.class).hasMessageContaining("closed");
    }

    @Test
    void severalHandlesOnOneObjectEachSeeTheirVariables() throws Exception {
        try (SumoProcess sumo = SumoProcess.start(scenario.options().build())) {
            TraciClient c = sumo.client();
            Subscription state = c.subscribe(Domain.TRAFFIC_LIGHT, TLS, TL_RED_YELLOW_GREEN_STATE);
            Subscription phase = c.subscribe(Domain.TRAFFIC_LIGHT, TLS, TL_CURRENT_PHASE, TL_NEXT_SWITCH);
            List<Double> nextSwitches = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                c.simulationStep(0);
                assertThat(state.value(0)).isEqualTo(c.getRedYellowGreenState(TLS));
                assertThat((int) phase.number(0)).isEqualTo(c.getPhase(TLS));
                nextSwitches.add(phase.number(1));
            }
            assertThat(nextSwitches).contains(42.0);
            c.unsubscribe(phase);
            assertThat(phase.isActive()).isFalse();
            c.simulationStep(0);
            assertThat(phase.hasValue(0)).isFalse();
            assertThat(state.value(0)).isEqualTo(c.getRedYellowGreenState(TLS));
            c.unsubscribe(state);
            c.simulationStep(0);
            assertThat(state.hasValue(0)).isFalse();
        }
    }
}
