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
    void namesThePhasesTheTurnRuleHeldBackAndTheQueueThatHeldThem() {
        IntersectionModel m = TestModels.threePhaseOneSlow();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        Ticker t = new Ticker(m, policy, 0, 0);
        DecisionExplanation e = policy.explanation().newBuffer();
        boolean held = false;
        for (int s = 1; s <= 300 && !held; s++) {
            for (int lane = 0; lane < 5; lane++) {
                queue(t, lane, 4);
            }
            queue(t, 5, 15);
            t.tick(s);
            policy.explanation().copyTo(e);
            held = e.heldBack(0) || e.heldBack(1);
        }

        assertThat(held).as("%s", t.events).isTrue();
        assertThat(e.turnLink()).isEqualTo(5);
        assertThat(e.turnQueueVeh()).isEqualTo(15.0, within(1e-9));
        assertThat(e.heldBack(2)).as("the waiting lane's own phase").isFalse();
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

    @Test
    void placesVehiclesThatCrossedTheAdvanceLoopWhereTheyAre() {
        // East's 100 m zone holds two moving vehicles; its advance loop lies 60 m before the stop line. One crossed
        // the loop during the tick that ended at 4 s: at 5 s it is 60 - 12.5 x 1.5 = 41 m away, 3 s from the stop line
        // at 90 % of 13.89 m/s. The other has not reached the loop: it is placed between 60 and 100 m, at 80 m (6 s).
        IntersectionModel withLoops = TestModels.crossing(3, 2).incomingAdvanceM("n_in", 60)
                .incomingAdvanceM("e_in", 60).greenPhase("GGrr", 0, 20, 5, 200).greenPhase("rrGG", 2, 20, 5, 200)
                .build();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(withLoops);
        Ticker t = new Ticker(withLoops, policy, 0, 0);
        t.state.incomingArea(2, 2, 0, 0);
        DecisionExplanation e = policy.explanation().newBuffer();
        t.run(1, 3);
        t.state.addAdvanceCount(2, 1);
        t.tick(4);
        t.tick(5);
        policy.explanation().copyTo(e);
        assertThat(e.clusterCount(1)).isEqualTo(1);
        assertThat(e.clusterStartS(1, 0)).isEqualTo(3.0);
        assertThat(e.clusterEndS(1, 0)).isEqualTo(7.0);
        assertThat(e.clusterVeh(1, 0)).isEqualTo(2.0, within(1e-9));

        // With the advance loop flagged, where the vehicles are is unknown: both are spread over the zone, at 25 and
        // 75 m; the nearer one (just under 2 s away at 12.501 m/s) arrives within the second second.
        t.state.detectorFaults(2, org.greenwave.core.state.IntersectionView.FAULT_ADVANCE);
        t.tick(6);
        policy.explanation().copyTo(e);
        assertThat(e.clusterStartS(1, 0)).isEqualTo(1.0);
    }
}
