package org.greenwave.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.model.TestModels.EAST;
import static org.greenwave.core.model.TestModels.NORTH;
import static org.greenwave.core.model.TestModels.SOUTH;
import static org.greenwave.core.model.TestModels.WEST;
import static org.greenwave.core.model.TestModels.crossing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntersectionModelTest {

    @Test
    void keepsWhatItWasBuiltFrom() {
        IntersectionModel m = crossing(4, 2)
                .sourceProgramId("prog-7")
                .greenPhase("GGrr", 0, 31, 5, 40)
                .greenPhase("rrGG", 3, 27, 6, 50)
                .build();

        assertThat(m.id()).isEqualTo("crossing");
        assertThat(m.linkCount()).isEqualTo(4);
        assertThat(m.conflicts()).isEqualTo(TestModels.crossingConflicts());
        assertThat(m.greenPhaseCount()).isEqualTo(2);
        assertThat(m.greenPhaseString(1)).isEqualTo("rrGG");
        assertThat(m.greenState(0, SOUTH)).isEqualTo('G');
        assertThat(m.greenState(0, EAST)).isEqualTo('r');
        assertThat(m.greenPhaseSourceIndex(1)).isEqualTo(3);
        assertThat(m.programGreenS(0)).isEqualTo(31);
        assertThat(m.minGreenS(1)).isEqualTo(6);
        assertThat(m.maxGreenS(1)).isEqualTo(50);
        assertThat(m.yellowS()).isEqualTo(4);
        assertThat(m.allRedS()).isEqualTo(2);
        assertThat(m.sourceProgramId()).isEqualTo("prog-7");
    }

    @Test
    void defaultsToProgramZeroThreeSecondsOfAmberAndNoAllRed() {
        IntersectionModel m = IntersectionModel.builder("x", 1)
                .conflicts(ConflictMatrix.builder(1).build())
                .link(0, "in", 50, 10, "out")
                .greenPhase("G", 0, 10, 5, 10)
                .build();

        assertThat(m.sourceProgramId()).isEqualTo("0");
        assertThat(m.yellowS()).isEqualTo(3);
        assertThat(m.allRedS()).isZero();
    }

    @Test
    void aLaneDischargesAtTheFlowItWasGivenOrThatOfItsSpeedLimit() {
        IntersectionModel m = IntersectionModel.builder("x", 2)
                .conflicts(ConflictMatrix.builder(2).build())
                .link(0, "fast_in", 100, 13.89, "out")
                .link(1, "turn_in", 100, 13.89, "out")
                .laneSaturationVehPerS("turn_in", 0.4)
                .greenPhase("GG", 0, 10, 5, 10)
                .build();

        assertThat(m.incomingLaneSaturationVehPerS(0)).isEqualTo(IntersectionModel.saturationFlowVehPerS(13.89));
        assertThat(m.incomingLaneSaturationVehPerS(1)).isEqualTo(0.4);
        // SUMO's default cars: about 0.46 veh/s through at 50 km/h, fewer on a slow turn.
        assertThat(IntersectionModel.saturationFlowVehPerS(13.89)).isBetween(0.45, 0.47);
        assertThat(IntersectionModel.saturationFlowVehPerS(6)).isBetween(0.40, 0.42);
        assertThatThrownBy(() -> IntersectionModel.builder("x", 1).conflicts(ConflictMatrix.builder(1).build())
                .link(0, "in", 50, 10, "out").laneSaturationVehPerS("in", 0).greenPhase("G", 0, 10, 5, 10).build())
                .hasMessageContaining("in needs a positive finite saturation flow");
        assertThatThrownBy(() -> IntersectionModel.builder("x", 1).conflicts(ConflictMatrix.builder(1).build())
                .link(0, "in", 50, 10, "out").laneSaturationVehPerS("elsewhere", 0.5).greenPhase("G", 0, 10, 5, 10)
                .build()).hasMessageContaining("saturation flow given for elsewhere");
    }

    @Test
    void numbersLanesOnFirstUseAndSharesThemBetweenLinks() {
        IntersectionModel m = IntersectionModel.builder("x", 3)
                .conflicts(ConflictMatrix.builder(3).build())
                .link(0, "a_in", 120, 13.9, "b_out")
                .link(1, "a_in", 999, 99, "c_out")
                .link(2, "d_in", 80, 8.3, "b_out")
                .greenPhase("GGG", 0, 10, 5, 10)
                .build();

        assertThat(m.incomingLaneCount()).isEqualTo(2);
        assertThat(m.outgoingLaneCount()).isEqualTo(2);
        assertThat(m.linkIncomingLane(0)).isZero();
        assertThat(m.linkIncomingLane(1)).isZero();
        assertThat(m.linkIncomingLane(2)).isEqualTo(1);
        assertThat(m.linkOutgoingLane(0)).isZero();
        assertThat(m.linkOutgoingLane(1)).isEqualTo(1);
        assertThat(m.linkOutgoingLane(2)).isZero();
        assertThat(m.incomingLaneId(1)).isEqualTo("d_in");
        assertThat(m.outgoingLaneId(1)).isEqualTo("c_out");
        // The first use of a lane fixes its length and speed.
        assertThat(m.incomingLaneLengthM(0)).isEqualTo(120);
        assertThat(m.incomingLaneSpeedMps(0)).isEqualTo(13.9);
        assertThat(m.incomingLaneLengthM(1)).isEqualTo(80);
    }

    @Test
    void isNotChangedByLaterBuilderCalls() {
        IntersectionModel.Builder b = crossing(3, 0).greenPhase("GGrr", 0, 20, 5, 30);
        IntersectionModel m = b.build();

        b.greenPhase("rrGG", 1, 20, 5, 30);

        assertThat(m.greenPhaseCount()).isEqualTo(1);
        assertThat(b.build().greenPhaseCount()).isEqualTo(2);
    }

    @Test
    void allowsAPermissiveGreenBesideAConflictingProtectedOne() {
        IntersectionModel m = crossing(3, 0).greenPhase("GgrG", 0, 20, 5, 30).build();

        assertThat(m.firstConflict("GgrG".toCharArray())).isEqualTo(-1);
        assertThat(m.firstConflict("GrgG".toCharArray())).isEqualTo(-1);
    }

    @Test
    void firstConflictPacksThePairAsATimesLinkCountPlusB() {
        IntersectionModel m = crossing(3, 0).greenPhase("GGrr", 0, 20, 5, 30).build();

        assertThat(m.firstConflict("GrGr".toCharArray())).isEqualTo(NORTH * 4 + EAST);
        assertThat(m.firstConflict("rGrG".toCharArray())).isEqualTo(SOUTH * 4 + WEST);
        assertThat(m.firstConflict("GGrr".toCharArray())).isEqualTo(-1);
        assertThat(m.firstConflict("yryr".toCharArray())).isEqualTo(-1);
    }

    @Test
    void rejectsAGreenPhaseWithTwoConflictingProtectedGreensNamingSignalPhaseAndLinks() {
        IntersectionModel.Builder b = crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 5, 30)
                .greenPhase("rGrG", 2, 20, 5, 30);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signal crossing")
                .hasMessageContaining("green phase 1")
                .hasMessageContaining("rGrG")
                .hasMessageContaining("conflicting links 1 and 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GGr", "GGrrr", ""})
    void rejectsAStateOfTheWrongLength(String state) {
        IntersectionModel.Builder b = crossing(3, 0).greenPhase(state, 0, 20, 5, 30);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signal crossing")
                .hasMessageContaining("green phase 0")
                .hasMessageContaining("has " + state.length() + " states for 4 links");
    }

    @ParameterizedTest
    @CsvSource({"GGyr, y", "GGrx, x", "GG r, ' '", "GGrY, Y"})
    void rejectsAmberAndUndefinedCharactersInAGreenPhase(String state, char bad) {
        IntersectionModel.Builder b = crossing(3, 0).greenPhase(state, 0, 20, 5, 30);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("green phase 0 (" + state + ")")
                .hasMessageContaining("invalid state '" + bad + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rrrr", "srOo", "uuuu"})
    void rejectsAGreenPhaseThatShowsNoGreen(String state) {
        IntersectionModel.Builder b = crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 5, 30)
                .greenPhase(state, 1, 20, 5, 30);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("green phase 1 (" + state + ")")
                .hasMessageContaining("shows no green");
    }

    @ParameterizedTest
    @CsvSource({"0, 30", "-1, 30", "6, 5", "NaN, 30", "5, NaN"})
    void rejectsMinimumGreenNotPositiveOrAboveMaximum(double minS, double maxS) {
        IntersectionModel.Builder b = crossing(3, 0).greenPhase("GGrr", 0, 20, minS, maxS);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("green phase 0")
                .hasMessageContaining("0 < min green <= max green");
    }

    @Test
    void acceptsMinimumGreenEqualToMaximum() {
        IntersectionModel m = crossing(3, 0).greenPhase("GGrr", 0, 20, 7, 7).build();

        assertThat(m.minGreenS(0)).isEqualTo(m.maxGreenS(0)).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-3, 0", "NaN, 0", "3, -1", "3, NaN"})
    void rejectsYellowNotPositiveAndNegativeAllRed(double yellowS, double allRedS) {
        IntersectionModel.Builder b = crossing(yellowS, allRedS).greenPhase("GGrr", 0, 20, 5, 30);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signal crossing")
                .hasMessageContaining("yellow must be > 0 s and all-red >= 0 s");
    }

    @Test
    void rejectsALinkWithoutLanes() {
        IntersectionModel.Builder b = IntersectionModel.builder("x", 3)
                .conflicts(ConflictMatrix.builder(3).build())
                .link(0, "a", 10, 10, "b")
                .link(2, "a", 10, 10, "c")
                .greenPhase("GGG", 0, 10, 5, 10);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal x: link 1 has no lanes");
    }

    @Test
    void rejectsAModelWithoutGreenPhases() {
        assertThatThrownBy(() -> crossing(3, 0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal crossing: no green phase");
    }

    @Test
    void rejectsAMissingOrMisSizedConflictMatrix() {
        IntersectionModel.Builder noMatrix = IntersectionModel.builder("x", 1)
                .link(0, "a", 10, 10, "b")
                .greenPhase("G", 0, 10, 5, 10);
        IntersectionModel.Builder wrongSize = IntersectionModel.builder("x", 1)
                .conflicts(ConflictMatrix.builder(2).build())
                .link(0, "a", 10, 10, "b")
                .greenPhase("G", 0, 10, 5, 10);

        assertThatThrownBy(noMatrix::build).hasMessageContaining("conflict matrix missing or of the wrong size");
        assertThatThrownBy(wrongSize::build).hasMessageContaining("conflict matrix missing or of the wrong size");
    }

    @Test
    void rejectsAnIntersectionWithoutLinks() {
        assertThatThrownBy(() -> IntersectionModel.builder("x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal x has no signalled links");
    }

    @Test
    void linkMinGreenIsTheSmallestMinimumOverThePhasesWhereTheLinkIsGreen() {
        IntersectionModel m = crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 9, 30)
                .greenPhase("rrGG", 1, 20, 6, 30)
                .greenPhase("GgrG", 2, 20, 4, 30)
                .greenPhase("rrgr", 3, 20, 3, 30)
                .build();

        assertThat(m.linkMinGreenS(NORTH)).isEqualTo(4);
        assertThat(m.linkMinGreenS(SOUTH)).as("permissive greens count too").isEqualTo(4);
        assertThat(m.linkMinGreenS(EAST)).isEqualTo(3);
        assertThat(m.linkMinGreenS(WEST)).isEqualTo(4);
    }

    @Test
    void linkMinGreenOfALinkThatIsNeverGreenIsZero() {
        IntersectionModel m = crossing(3, 0).greenPhase("GGrs", 0, 20, 5, 30).build();

        assertThat(m.linkMinGreenS(EAST)).isZero();
        assertThat(m.linkMinGreenS(WEST)).isZero();
        assertThat(m.linkMinGreenS(NORTH)).isEqualTo(5);
    }
}
