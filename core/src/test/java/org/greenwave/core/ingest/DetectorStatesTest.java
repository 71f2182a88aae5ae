package org.greenwave.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.junit.jupiter.api.Test;

/** Detector state of the four-link crossing: loops count and time, area detectors keep and sum their readings. */
class DetectorStatesTest {
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 30);
    /** Detectors 0..5; a second intersection's loop is detector 6. */
    private final DetectorDirectory directory = new DetectorDirectory(List.of("other", "crossing"), List.of(
            List.of(new DetectorSpec("o-sl", DetectorKind.STOP_LINE, 0)),
            List.of(new DetectorSpec("sl0", DetectorKind.STOP_LINE, 0),
                    new DetectorSpec("adv0", DetectorKind.ADVANCE, 0),
                    new DetectorSpec("in1a", DetectorKind.AREA_IN, 1),
                    new DetectorSpec("in1b", DetectorKind.AREA_IN, 1),
                    new DetectorSpec("out2", DetectorKind.AREA_OUT, 2),
                    new DetectorSpec("sl3", DetectorKind.STOP_LINE, 3))));
    private final DetectorStates states = new DetectorStates(directory, 1, 6);
    private final IntersectionState state = new IntersectionState(model, new SafetyInterlock(model));

    private int d(String id) {
        return directory.detectorIndex(id);
    }

    @Test
    void countsEveryOnEdgeAsAVehicleAndSumsOccupiedTime() {
        assertThat(states.edge(d("sl0"), true, 1_000)).isTrue();
        assertThat(states.edge(d("sl0"), false, 1_400)).isTrue();
        assertThat(states.edge(d("sl0"), true, 2_000)).isTrue();

        assertThat(states.vehicles(d("sl0"))).isEqualTo(2);
        assertThat(states.occupied(d("sl0"))).isTrue();
        assertThat(states.occupiedMs(d("sl0"))).isEqualTo(400);

        states.edge(d("sl0"), false, 2_100);
        states.edge(d("sl0"), false, 2_500);
        assertThat(states.occupiedMs(d("sl0"))).as("a second off changes nothing").isEqualTo(500);
    }

    @Test
    void aggregatesAddTheirCountAndOccupiedTime() {
        assertThat(states.aggregate(d("adv0"), 60_000, 7, 0.25)).isTrue();

        assertThat(states.vehicles(d("adv0"))).isEqualTo(7);
        assertThat(states.occupiedMs(d("adv0"))).isEqualTo(15_000);
    }

    @Test
    void anAggregateWithPresenceLeavesTheLoopOccupiedUntilTheNextOneWithoutAddingTime() {
        state.now(1_000);
        assertThat(states.aggregate(d("sl0"), 1_000, 1, 0.3, true)).isTrue();
        assertThat(states.occupied(d("sl0"))).isTrue();
        states.foldInto(1, 7, state);
        assertThat(state.stopLineOccupied(0)).as("a vehicle stands on the loop").isTrue();

        state.now(2_000);
        states.aggregate(d("sl0"), 1_000, 0, 1.0, true);
        states.foldInto(1, 7, state);
        assertThat(state.stopLineOccupied(0)).isTrue();
        assertThat(state.stopLineOccupancy(0)).as("the aggregate's occupied time, nothing added").isEqualTo(1.0);
        assertThat(states.occupiedMs(d("sl0"))).isEqualTo(1_300);

        state.now(3_000);
        states.aggregate(d("sl0"), 1_000, 0, 0.5, false);
        states.foldInto(1, 7, state);
        assertThat(state.stopLineOccupied(0)).isFalse();
        assertThat(states.aggregate(d("adv0"), 1_000, 2, 0.2)).isTrue();
        assertThat(states.occupied(d("adv0"))).as("an aggregate without presence says nothing of now").isFalse();
    }

    @Test
    void foldAddsLoopCountsOnceAndSumsTheAreaDetectorsOfALane() {
        states.edge(d("sl0"), true, 0);
        states.edge(d("sl0"), true, 10);
        states.edge(d("sl3"), true, 10);
        states.aggregate(d("adv0"), 1_000, 3, 0.1);
        states.area(d("in1a"), 4, 2, 15.0);
        states.area(d("in1b"), 5, 1, 7.5);
        states.area(d("out2"), 6, 0, 0);

        states.foldInto(1, 7, state);

        assertThat(state.stopLineCount(0)).isEqualTo(2);
        assertThat(state.stopLineCount(3)).isEqualTo(1);
        assertThat(state.advanceCount(0)).isEqualTo(3);
        assertThat(state.incomingVehicles(1)).isEqualTo(9);
        assertThat(state.incomingHalting(1)).isEqualTo(3);
        assertThat(state.incomingJamM(1)).isEqualTo(22.5);
        assertThat(state.outgoingVehicles(2)).isEqualTo(6);
        assertThat(state.incomingVehicles(0)).as("no area detector on lane 0").isZero();

        states.area(d("in1a"), 1, 0, 0);
        states.foldInto(1, 7, state);

        assertThat(state.stopLineCount(0)).as("counted once").isEqualTo(2);
        assertThat(state.advanceCount(0)).isEqualTo(3);
        assertThat(state.incomingVehicles(1)).as("latest readings, summed").isEqualTo(6);
    }

    @Test
    void readingsOfTheWrongSortOrOutOfRangeAreNotApplied() {
        assertThat(states.edge(d("in1a"), true, 0)).isFalse();
        assertThat(states.aggregate(d("out2"), 1_000, 1, 0.5)).isFalse();
        assertThat(states.area(d("sl0"), 1, 1, 1)).isFalse();
        assertThat(states.aggregate(d("sl0"), 1_000, -1, 0.5)).isFalse();
        assertThat(states.aggregate(d("sl0"), 1_000, 1, 1.5)).isFalse();
        assertThat(states.aggregate(d("sl0"), 1_000, 1, Double.NaN)).isFalse();
        assertThat(states.area(d("in1a"), -1, 0, 0)).isFalse();
        assertThat(states.area(d("in1a"), 1, 0, Double.NaN)).isFalse();

        states.foldInto(1, 7, state);
        assertThat(state.stopLineCount(0)).isZero();
        assertThat(state.incomingVehicles(1)).isZero();
        assertThat(state.outgoingVehicles(2)).isZero();
    }

    @Test
    void rejectsARangeOutsideTheDirectory() {
        assertThatThrownBy(() -> new DetectorStates(directory, 2, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
    }
}
