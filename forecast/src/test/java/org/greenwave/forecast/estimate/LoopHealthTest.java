package org.greenwave.forecast.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopHealthTest {

    @Test
    void silentLoopWhoseNeighbourCountsIsFlaggedDeadAfterTheSilentTime() {
        LoopHealth stopLine = new LoopHealth();
        for (int t = 0; t <= 300; t++) {
            stopLine.update(t, 0, false, t % 60 >= 30, t % 10 == 0 ? 1 : 0);
        }
        assertThat(stopLine.dead()).as("exactly 300 s silent is not yet longer than 300 s").isFalse();
        stopLine.update(301, 0, false, false, 0);
        assertThat(stopLine.dead()).isTrue();
        assertThat(stopLine.faulty()).isTrue();

        stopLine.update(302, 1, false, true, 0);
        assertThat(stopLine.dead()).as("an edge revives it").isFalse();
    }

    @Test
    void quietLaneAtNightIsNotFlagged() {
        LoopHealth advance = new LoopHealth();
        LoopHealth stopLine = new LoopHealth();
        for (int t = 0; t <= 3_600; t++) {
            boolean green = t % 90 < 45;
            advance.update(t, 0, false, green, 0);
            stopLine.update(t, 0, false, green, 0);
        }
        assertThat(advance.faulty()).isFalse();
        assertThat(stopLine.faulty()).isFalse();
    }

    @Test
    void loopOccupiedThroughGreenIsFlaggedStuckOn() {
        LoopHealth loop = new LoopHealth();
        loop.update(0, 1, false, false, 0);
        boolean flaggedAt120 = false;
        for (int t = 1; t <= 130; t++) {
            loop.update(t, 0, true, t % 60 >= 30, 0);
            if (t == 120) {
                flaggedAt120 = loop.stuckOn();
            }
        }
        assertThat(flaggedAt120).as("120 s is not longer than 120 s").isFalse();
        assertThat(loop.stuckOn()).isTrue();
        loop.update(131, 1, false, true, 0);
        assertThat(loop.stuckOn()).isFalse();
    }

    @Test
    void vehicleWaitingThroughALongRedIsNotStuckOn() {
        LoopHealth loop = new LoopHealth();
        loop.update(0, 1, false, false, 0);
        for (int t = 1; t <= 200; t++) {
            loop.update(t, 0, true, t > 170, 0);
        }
        assertThat(loop.stuckOn()).as("only 30 s of green while occupied").isFalse();
    }

    @Test
    void rejectsTimeGoingBackwardsAndBadConfiguration() {
        LoopHealth loop = new LoopHealth();
        assertThat(loop.update(10, 0, false, false, 0)).isTrue();
        assertThat(loop.update(9, 0, false, false, 0)).isFalse();
        assertThatThrownBy(() -> new LoopHealth(0, 1, 120, 60)).hasMessageContaining("silentS");
        assertThatThrownBy(() -> new LoopHealth(300, 1, 120, 130)).hasMessageContaining("stuckOnMinGreenS");
    }

    @Test
    void stopLineSilentOnlyThroughRedIsNotDeadButThroughGreenIs() {
        LoopHealth stopLine = new LoopHealth(45, 5, 90, 30, true);
        for (int t = 0; t <= 200; t++) {
            // A 200 s red: the advance loop counts arrivals, the stop-line loop rightly nothing.
            stopLine.update(t, 0, false, false, t % 3 == 0 ? 1 : 0);
        }
        assertThat(stopLine.dead()).isFalse();
        for (int t = 201; t <= 260; t++) {
            stopLine.update(t, 0, false, true, t % 3 == 0 ? 1 : 0);
        }
        assertThat(stopLine.dead()).isTrue();
    }
}
