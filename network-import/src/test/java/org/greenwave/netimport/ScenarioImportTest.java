package org.greenwave.netimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioImportTest {

    @ParameterizedTest
    @CsvSource({"cologne1,1", "ingolstadt7,7", "grid4x4,16"})
    void importsEverySignalOfTheSharedScenarios(String name, int signals) {
        Scenario s = Scenario.load(TestPaths.resco(name));
        List<ControlledIntersection> cis = ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of());
        assertThat(cis).hasSize(signals);
        for (ControlledIntersection ci : cis) {
            IntersectionModel m = ci.model();
            assertThat(m.greenPhaseCount()).isGreaterThanOrEqualTo(2);
            assertThat(m.yellowS()).isGreaterThanOrEqualTo(3);
            // Every link is served by some green phase.
            for (int l = 0; l < m.linkCount(); l++) {
                boolean served = false;
                for (int p = 0; p < m.greenPhaseCount(); p++) {
                    served |= m.greenState(p, l) == 'G' || m.greenState(p, l) == 'g';
                }
                assertThat(served).as("%s link %d served", m.id(), l).isTrue();
            }
        }
    }

    @Test
    void aZoneReachesOverTheLaneUpstreamThatSplitsCountingItsShare() {
        // ingolstadt7: 124812856#0 has two lanes; its lane 2 splits into lanes 2 and 3 of the 0.8 m long 124812856#1
        // before the signal. Each of those zones reaches over it and counts half of its vehicles; lane 1, fed only by
        // lane 1 upstream, counts all of its own.
        Scenario s = Scenario.load(TestPaths.resco("ingolstadt7"));
        SumoNet net = SumoNet.read(s.netFile());
        ControlledIntersection ci = ScenarioImport.importSignals(net, List.of("cluster_1757124350_1757124352")).get(0);
        IntersectionModel m = ci.model();
        int lane2 = laneIndex(m, "124812856#1_2");
        int lane3 = laneIndex(m, "124812856#1_3");
        int lane1 = laneIndex(m, "124812856#1_1");
        assertThat(ci.incomingStretches().get(lane2)).containsExactly("124812856#0_2", "124812856#1_2");
        assertThat(ci.incomingStretches().get(lane3)).containsExactly("124812856#0_2", "124812856#1_3");
        assertThat(ci.incomingAreaShares()[lane2]).containsExactly(1.0, 0.5);
        assertThat(ci.incomingAreaShares()[lane1]).containsExactly(1.0, 1.0);
        assertThat(ci.incomingAreas()[lane2]).hasSize(2).doesNotContain(ci.incomingAreas()[lane3]);
        assertThat(ci.incomingOwnStretch(lane2)).containsExactly("124812856#1_2");
        assertThat(ci.incomingOwnStretch(lane1)).containsExactly("124812856#0_1", "124812856#1_1");
        // The zone is as long as the road it covers; the advance loop stays on the lane's own part.
        double upstreamM = net.lane("124812856#0_2").lengthM();
        double ownM = net.lane("124812856#1_2").lengthM();
        assertThat(m.incomingZoneLengthM(lane2)).isCloseTo(Math.min(200, upstreamM + ownM), within(0.01));
        assertThat(m.incomingAdvanceM(lane2)).isLessThanOrEqualTo(Math.max(0.1, ownM));
    }

    private static int laneIndex(IntersectionModel m, String id) {
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            if (m.incomingLaneId(lane).equals(id)) {
                return lane;
            }
        }
        throw new AssertionError("no incoming lane " + id);
    }

    @Test
    void aStateIndexThatNoConnectionUsesKeepsItsPlaceOnly() {
        // sumo-rl's "double": signal B's program has an index (5) that no connection uses; SUMO runs it.
        Scenario s = Scenario.load(TestPaths.external("sumo-rl/double"));
        List<ControlledIntersection> cis = ScenarioImport.importSignals(SumoNet.read(s.netFile(), s.additionalFiles()),
                List.of());
        IntersectionModel b = cis.stream().filter(ci -> ci.id().equals("B")).findFirst().orElseThrow().model();
        assertThat(b.linkUsed(5)).isFalse();
        assertThat(b.linkIncomingLane(5)).isEqualTo(-1);
        for (int l = 0; l < b.linkCount(); l++) {
            assertThat(b.conflicts().conflicts(5, l)).isFalse();
        }
        assertThat(b.linkUsed(4)).isTrue();
    }

    @Test
    void yellowMajorIsTheProgramsAmber() {
        // sumo-rl's 3x3 grid writes its ambers as 'Y' and holds them 2 s.
        Scenario s = Scenario.load(TestPaths.external("sumo-rl/3x3grid"));
        for (ControlledIntersection ci : ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of())) {
            assertThat(ci.model().yellowS()).as(ci.id()).isEqualTo(2);
        }
    }

    @Test
    void theProgramLoadedLastIsTheOneSumoRunsAndItsBoundsAreTheGreens() {
        // Bologna: the city's programs ("utopia") come in an additional file after the net's own.
        Scenario s = Scenario.load(TestPaths.external("bologna-pasubio"));
        List<ControlledIntersection> cis = ScenarioImport.importSignals(SumoNet.read(s.netFile(), s.additionalFiles()),
                List.of("218"));
        IntersectionModel m = cis.get(0).model();
        assertThat(m.sourceProgramId()).isEqualTo("utopia");
        assertThat(m.greenPhaseString(0)).isEqualTo("rrrGGGgrrrrGGGGgrGGG");
        assertThat(m.minGreenS(0)).isEqualTo(22);
        assertThat(m.maxGreenS(0)).isEqualTo(85);
        assertThat(m.yellowS()).isEqualTo(3);
        // Without the additional files only the net's program is known.
        assertThat(ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of("218")).get(0).model()
                .sourceProgramId()).isEqualTo("0");
    }

    @Test
    void consecutiveStepsOfOneStateAreOneGreenWhoseBoundsAddUp() {
        // Bologna's signal 221 shows its second green over three steps (2 s; 14-41 s; 18 s) and its first over the
        // last and the first two steps of the cycle (12 s; 3-84 s; 12 s): SUMO shows each state that long.
        Scenario s = Scenario.load(TestPaths.external("bologna-acosta"));
        IntersectionModel m = ScenarioImport.importSignals(SumoNet.read(s.netFile(), s.additionalFiles()),
                List.of("221")).get(0).model();
        assertThat(m.greenPhaseCount()).isEqualTo(3);
        assertThat(m.greenPhaseString(1)).isEqualTo("rrrGGGGrrrrrrrGGGGGggg");
        assertThat(m.minGreenS(1)).isEqualTo(2 + 14 + 18);
        assertThat(m.maxGreenS(1)).isEqualTo(2 + 41 + 18);
        assertThat(m.programGreenS(1)).isEqualTo(2 + 41 + 18);
        assertThat(m.minGreenS(0)).isEqualTo(12 + 3 + 12);
        assertThat(m.maxGreenS(0)).isEqualTo(12 + 84 + 12);
    }

    @Test
    void greenBoundsOfRepeatedStates() {
        List<SumoNet.Phase> phases = List.of(
                new SumoNet.Phase(20, "Gr", 10, 40, 1),
                new SumoNet.Phase(5, "Gr", Double.NaN, Double.NaN, 2),
                new SumoNet.Phase(3, "yr", 3, 3, 3),
                new SumoNet.Phase(30, "rG", Double.NaN, Double.NaN, 4),
                new SumoNet.Phase(3, "ry", 3, 3, 5),
                new SumoNet.Phase(8, "Gr", 6, 12, 6),
                new SumoNet.Phase(3, "yr", 3, 3, 7));
        // "Gr": one run of steps 0-1 (min 10 + 5; a step without maxDur leaves it open: 120 s) and one of step 5
        // (6-12 s): the shortest minimum and the longest maximum; the duration is the first run's.
        ScenarioImport.GreenBounds gr = ScenarioImport.greenBounds(phases, "Gr");
        assertThat(gr.steps()).containsExactly(0, 1, 5);
        assertThat(gr.runs()).isEqualTo(2);
        assertThat(gr.minS()).isEqualTo(6);
        assertThat(gr.maxS()).isEqualTo(120);
        assertThat(gr.programS()).isEqualTo(25);
        assertThat(gr.givesMinDur()).isTrue();
        assertThat(gr.givesMaxDur()).isFalse();
        // A single step without bounds: 5 s minimum, 120 s maximum, as before.
        ScenarioImport.GreenBounds rg = ScenarioImport.greenBounds(phases, "rG");
        assertThat(rg.minS()).isEqualTo(5);
        assertThat(rg.maxS()).isEqualTo(120);
        // A run that wraps around the end of the cycle is one green.
        List<SumoNet.Phase> wrap = List.of(
                new SumoNet.Phase(10, "Gr", 4, 20, 1),
                new SumoNet.Phase(3, "yr", 3, 3, 2),
                new SumoNet.Phase(30, "rG", 10, 50, 3),
                new SumoNet.Phase(3, "ry", 3, 3, 4),
                new SumoNet.Phase(6, "Gr", 6, 6, 5));
        ScenarioImport.GreenBounds w = ScenarioImport.greenBounds(wrap, "Gr");
        assertThat(w.runs()).isEqualTo(1);
        assertThat(w.minS()).isEqualTo(10);
        assertThat(w.maxS()).isEqualTo(26);
        assertThat(w.programS()).isEqualTo(16);
    }

    @Test
    void clearanceEndsWhereALinkGainsAGreenOrAProtectedGreen() {
        List<SumoNet.Phase> phases = List.of(
                new SumoNet.Phase(30, "GGgrrG", Double.NaN, Double.NaN, 1),
                new SumoNet.Phase(3, "yyyrrG", Double.NaN, Double.NaN, 2),
                new SumoNet.Phase(2, "rrrrrG", Double.NaN, Double.NaN, 3),
                new SumoNet.Phase(1, "rrrrrG", Double.NaN, Double.NaN, 4),
                new SumoNet.Phase(20, "rrrGGG", Double.NaN, Double.NaN, 5),
                new SumoNet.Phase(3, "rrryyG", Double.NaN, Double.NaN, 6),
                new SumoNet.Phase(5, "rrrrrG", Double.NaN, Double.NaN, 7),
                new SumoNet.Phase(3, "GGgrrG", Double.NaN, Double.NaN, 8),
                new SumoNet.Phase(4, "yyGrrG", Double.NaN, Double.NaN, 9));
        // The permanently green link 5 does not end the clearance; the next green does.
        assertThat(ScenarioImport.clearanceAfterS(phases, 1)).isEqualTo(3);
        assertThat(ScenarioImport.clearanceAfterS(phases, 5)).isEqualTo(5);
        // After this amber link 2 has a permissive green that the next phase (the first) keeps: no clearance.
        assertThat(ScenarioImport.clearanceAfterS(phases, 8)).isEqualTo(0);
    }

    @Test
    void cologneModelMatchesTheNet() {
        Scenario s = Scenario.load(TestPaths.resco("cologne1"));
        assertThat(s.beginS()).isEqualTo(25200);
        assertThat(s.endS()).isEqualTo(28800);
        ControlledIntersection ci = ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of()).get(0);
        IntersectionModel m = ci.model();
        assertThat(m.id()).isEqualTo("GS_cluster_357187_359543");
        assertThat(m.linkCount()).isEqualTo(20);
        assertThat(m.greenPhaseCount()).isEqualTo(4);
        assertThat(m.greenPhaseString(0)).isEqualTo("rrrrrGGGggrrrrrGGGgg");
        assertThat(m.yellowS()).isEqualTo(5);
        assertThat(m.allRedS()).isEqualTo(0);
        assertThat(m.minGreenS(0)).isEqualTo(5);
        assertThat(m.incomingLaneCount()).isEqualTo(8);
        // Opposing through movements (links 1 and 11 come from opposite approaches in phase 4) do not cross,
        // crossing through movements do.
        assertThat(m.conflicts().conflicts(1, 6)).isTrue();
        assertThat(m.conflicts().conflicts(1, 11)).isFalse();
    }

    @Test
    void readsTheWalkersIntergreenFromTheProgram() {
        // netconvert's program for a crossing beside through link 0: the crossing (2) turns red 5 s before the
        // through link's amber; link 1 crosses both and turns green after the amber.
        List<SumoNet.Phase> phases = List.of(
                new SumoNet.Phase(37, "GrG", -1, -1, 1), new SumoNet.Phase(5, "Grr", -1, -1, 2),
                new SumoNet.Phase(3, "yrr", -1, -1, 3), new SumoNet.Phase(37, "rGr", -1, -1, 4),
                new SumoNet.Phase(3, "ryr", -1, -1, 5));
        ConflictMatrix conflicts = ConflictMatrix.builder(3).conflict(0, 1).conflict(1, 2).build();
        boolean[] used = {true, true, true};
        assertThat(ScenarioImport.crossingIntergreenS(phases, 2, conflicts, used)).isEqualTo(8);
        // A permissive turn that runs beside the crossing and yields to its walkers sets no intergreen.
        ConflictMatrix withTurn = ConflictMatrix.builder(3).conflict(0, 1).conflict(1, 2).conflict(0, 2).build();
        assertThat(ScenarioImport.crossingIntergreenS(phases, 2, withTurn, used)).isEqualTo(8);
        // A crossing that is never followed by a conflicting green needs nothing.
        assertThat(ScenarioImport.crossingIntergreenS(phases, 2, ConflictMatrix.builder(3).build(), used)).isZero();
    }

    @Test
    void selectsASubsetAndNamesAMissingSignal() {
        Scenario s = Scenario.load(TestPaths.resco("ingolstadt7"));
        SumoNet net = SumoNet.read(s.netFile());
        assertThat(ScenarioImport.importSignals(net, List.of("gneJ207", "gneJ210"))).extracting(ControlledIntersection::id)
                .containsExactly("gneJ207", "gneJ210");
        assertThatThrownBy(() -> ScenarioImport.importSignals(net, List.of("nope")))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("no traffic light 'nope'")
                .hasMessageContaining("gneJ207");
    }

    @Test
    void badConfigurationNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("bad.sumocfg");
        Files.writeString(cfg, "<configuration>\n  <input>\n    <net-file value=\"missing.net.xml\"/>\n  </input>\n</configuration>\n");
        assertThatThrownBy(() -> Scenario.load(cfg)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(cfg + ":3").hasMessageContaining("missing.net.xml");
        Path broken = dir.resolve("broken.sumocfg");
        Files.writeString(broken, "<configuration>\n  <input>\n    <net-file value=\"x\"\n</configuration>\n");
        assertThatThrownBy(() -> Scenario.load(broken)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(broken + ":").hasMessageContaining("malformed XML");
    }

    @Test
    void badPhaseNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path net = dir.resolve("n.net.xml");
        Files.writeString(net, "<net>\n  <tlLogic id=\"t\" programID=\"0\" type=\"static\">\n"
                + "    <phase duration=\"abc\" state=\"GG\"/>\n  </tlLogic>\n</net>\n");
        assertThatThrownBy(() -> SumoNet.read(net)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(net + ":3").hasMessageContaining("'duration' is not a number");
    }

    @Test
    void eachLaneDischargesAtTheSpeedItsVehiclesCrossTheJunctionAt() {
        Scenario s = Scenario.load(TestPaths.own("intersection"));
        IntersectionModel m = ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of()).get(0).model();
        // The east bay's lanes (50 km/h): a through lane (junction link 13.89 m/s), a lane shared by a right turn
        // (6.51 m/s) and the through movement, a left-turn lane (9.32 m/s).
        assertThat(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_1"))).isCloseTo(1 / (1.97 + 2.73 / 13.89),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_0"))).isCloseTo(
                2 / (1.97 + 2.73 / 6.51 + 1.97 + 2.73 / 13.89), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_2"))).isCloseTo(1 / (1.97 + 2.73 / 9.32),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_1")))
                .isGreaterThan(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_2")))
                .isGreaterThan(m.incomingLaneSaturationVehPerS(lane(m, "E_in_bay_0")));
    }

    private static int lane(IntersectionModel m, String id) {
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            if (m.incomingLaneId(lane).equals(id)) {
                return lane;
            }
        }
        throw new AssertionError("no incoming lane " + id);
    }

    @Test
    void iteYellowGrowsWithSpeed() {
        assertThat(ScenarioImport.iteYellowS(13.89)).isEqualTo(3.5);
        assertThat(ScenarioImport.iteYellowS(5)).isEqualTo(3);
        assertThat(ScenarioImport.iteYellowS(30)).isEqualTo(6);
    }
}
