package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.junit.jupiter.api.Test;

/**
 * What the rolling-horizon policy records about its decisions, on the two-phase crossing ({@code GGrr} / {@code rrGG},
 * lanes 0, 1 north-south and 2, 3 east-west): the queues per phase it saw, the clusters, the chosen schedule and its
 * delay, and the costed alternative, consistent with what it proposed.
 */
class DecisionExplanationTest {
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 200);

    private static void queue(Ticker t, int lane, int veh) {
        t.state.incomingArea(lane, veh, veh, 7.5 * veh);
        t.state.queueEstimate(lane, veh, 0, false);
    }

    @Test
    void explainsTheSearchsChoiceWithTheQueuesPerPhaseAndTheAlternativesCost() {
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        queue(t, 0, 2);
        queue(t, 2, 11);
        queue(t, 3, 10);
        DecisionExplanation e = policy.explanation().newBuffer();
        assertThat(e.nowS()).isNaN();
        assertThat(e.alternativeDelayVehS(0)).isNaN();

        t.tick(1);
        policy.explanation().copyTo(e);
        assertThat(e.nowS()).isEqualTo(1.0);
        assertThat(e.reasonName()).isEqualTo("min-green");
        assertThat(e.proposal()).isZero();

        int proposed = t.tick(5);
        policy.explanation().copyTo(e);
        assertThat(e.reason()).isEqualTo(DecisionExplanation.SEARCH);
        assertThat(e.proposal()).isEqualTo(proposed).isEqualTo(1);
        assertThat(e.currentPhase()).isZero();
        assertThat(e.green()).isTrue();
        assertThat(e.queueVeh(0)).isEqualTo(2.0, within(1e-9));
        assertThat(e.queueVeh(1)).isEqualTo(21.0, within(1e-9));
        assertThat(e.clusterCount(1)).isGreaterThanOrEqualTo(1);
        assertThat(e.clusterStartS(1, 0)).isZero();
        assertThat(e.clusterVeh(1, 0)).isEqualTo(21.0, within(1e-9));
        assertThat(e.scheduleLength()).isGreaterThanOrEqualTo(2);
        assertThat(e.schedulePhase(0)).isEqualTo(1);
        assertThat(e.scheduleEndS(0)).isGreaterThan(e.scheduleStartS(0));
        // The chosen schedule's cost is the search's least; serving north-south first costs more.
        assertThat(e.alternativeDelayVehS(1)).isEqualTo(e.delayVehS(), within(1e-6));
        assertThat(e.alternativeDelayVehS(0)).isGreaterThan(e.delayVehS());
        assertThat(t.monitor.total()).isZero();
    }

    @Test
    void vehiclesQueueUnseenBehindAFullZoneUntilItHasRoomAgain() {
        // Lane 2's zone (100 m) is full with 13 standing vehicles: more join behind it, unseen, at the lane's
        // arrival rate (its floor, 0.05 veh/s, before a minute of counts), while the signal holds its minimum green.
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        queue(t, 0, 2);
        queue(t, 2, 13);
        DecisionExplanation e = policy.explanation().newBuffer();
        for (int s = 1; s <= 4; s++) {
            t.tick(s);
        }
        policy.explanation().copyTo(e);
        assertThat(e.reasonName()).isEqualTo("min-green");
        assertThat(e.queueVeh(1)).isEqualTo(13 + 0.05 * 3, within(1e-9));
        // Room in the zone again: what it sees is the whole queue.
        queue(t, 2, 11);
        t.tick(5);
        policy.explanation().copyTo(e);
        assertThat(e.queueVeh(1)).isEqualTo(11.0, within(1e-9));
    }

    @Test
    void recordsAChangeUnderWayAndAnIdleSignal() {
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        DecisionExplanation e = policy.explanation().newBuffer();
        t.tick(10);
        policy.explanation().copyTo(e);
        assertThat(e.reasonName()).isEqualTo("no-demand");
        assertThat(e.scheduleLength()).isZero();
        queue(t, 2, 5);
        t.tick(11);
        t.tick(12);
        policy.explanation().copyTo(e);
        assertThat(e.reasonName()).isEqualTo("transition");
        assertThat(e.proposal()).isEqualTo(1);
    }
}
