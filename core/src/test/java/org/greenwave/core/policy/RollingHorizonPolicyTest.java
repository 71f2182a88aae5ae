package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionView;
import org.junit.jupiter.api.Test;

/**
 * The rolling-horizon policy on small hand-made intersections. Lanes of the crossing of {@link TestModels}: incoming
 * 0 n_in, 1 s_in, 2 e_in, 3 w_in (link {@code i} from incoming lane {@code i}).
 */
class RollingHorizonPolicyTest {
    private static final int N_IN = 0;
    private static final int S_IN = 1;
    private static final int E_IN = 2;
    private static final int W_IN = 3;

    /** {@code GGrr} / {@code rrGG}, 3 s amber, 2 s all-red, 5..200 s green. */
    private final IntersectionModel model = TestModels.twoPhase(3, 2, 5, 200);

    /** A standing queue of {@code veh} vehicles on the lane, as the forecast step would report it. */
    /** A signal with one link, {@code in} ({@code lengthM} long, 13.9 m/s) into {@code out}, green 5 to 60 s. */
    private static IntersectionModel oneLane(String id, String in, double lengthM, String out) {
        return IntersectionModel.builder(id, 1)
                .conflicts(ConflictMatrix.builder(1).build())
                .link(0, in, lengthM, 13.9, out)
                .greenPhase("G", 0, 20, 5, 60)
                .build();
    }

    private static void queue(Ticker t, int lane, int veh) {
        t.state.incomingArea(lane, veh, veh, 7.5 * veh);
        t.state.queueEstimate(lane, veh, 0, false);
    }

    /**
     * Longest time, seconds, without a green of {@code phase} (from the start, between its greens, to the end), over
     * ticks 1..{@code untilS}.
     */
    private static double longestBetweenGreens(Ticker t, int phase, int untilS, Runnable eachTick) {
        double longest = 0;
        double since = 0;
        for (int s = 1; s <= untilS; s++) {
            eachTick.run();
            t.tick(s);
            if (t.interlock.interval() == SafetyInterlock.GREEN && t.interlock.phase() == phase) {
                longest = Math.max(longest, s - since);
                since = s;
            }
        }
        return Math.max(longest, untilS - since);
    }

    /** Longest time, seconds, the lane had a queue and no green, over ticks 1..{@code untilS}. */
    private static double longestWait(Ticker t, int lane, int untilS, Runnable eachTick) {
        double since = Double.NaN;
        double longest = 0;
        for (int s = 1; s <= untilS; s++) {
            eachTick.run();
            t.tick(s);
            boolean green = t.state.laneGreen(lane);
            if (green) {
                if (!Double.isNaN(since)) {
                    longest = Math.max(longest, s - since);
                }
                since = Double.NaN;
            } else if (Double.isNaN(since)) {
                since = s;
            }
        }
        if (!Double.isNaN(since)) {
            longest = Math.max(longest, untilS - since);
        }
        return longest;
    }

    @Test
    void servesTheHeavierQueue() {
        Ticker t = new Ticker(model, new RollingHorizonPolicy(model), 0, 0);
        queue(t, N_IN, 2);
        queue(t, E_IN, 12);
        queue(t, W_IN, 10);

        for (int s = 1; s <= 4; s++) {
            assertThat(t.tick(s)).as("minimum green, t=%d", s).isZero();
        }
        assertThat(t.tick(5)).as("east-west holds far more vehicles").isEqualTo(1);
        assertThat(t.monitor.total()).isZero();
    }

    @Test
    void keepsTheCurrentPhaseWhileItHasTheLargerQueue() {
        Ticker t = new Ticker(model, new RollingHorizonPolicy(model), 0, 0);
        queue(t, N_IN, 15);
        queue(t, S_IN, 12);
        queue(t, E_IN, 1);

        for (int s = 1; s <= 10; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isZero();
        }
    }

    @Test
    void keepsGreenForAPlatoonAboutToArrive() {
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        // Eight vehicles moving in the north zone (none standing), one standing east.
        t.state.incomingArea(N_IN, 8, 0, 0);
        queue(t, E_IN, 1);

        for (int s = 1; s <= 8; s++) {
            assertThat(t.tick(s)).as("t=%d", s).isZero();
        }
    }

    @Test
    void neverLetsAQueueWaitLongerThanTheBound() {
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        // A heavy, never-ending north-south stream against a single car waiting east.
        double waitS = longestWait(t, E_IN, 600, () -> {
            queue(t, N_IN, 25);
            queue(t, S_IN, 25);
            queue(t, E_IN, 1);
        });

        double boundS = RollingHorizonPolicy.MAX_WAIT_S + model.minGreenS(0) + model.yellowS() + model.allRedS() + 1;
        assertThat(waitS).isLessThanOrEqualTo(boundS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aMovementHeldBehindAGreenTurnOfItsSharedLaneIsServedWithinTheBound() {
        // Lane "in" carries a through link (0, green in phase 0) and a turn (1, protected in phase 1, with the busy
        // lane "y"). A through vehicle heads the queue: while phase 1 shows, lane "in" is green but discharges nobody.
        IntersectionModel m = IntersectionModel.builder("shared", 3)
                .link(0, "in", 200, 13.9, "ahead").link(1, "in", 200, 13.9, "left").link(2, "y", 200, 13.9, "side")
                .conflicts(ConflictMatrix.builder(3).conflict(0, 2).build())
                .greenPhase("Grr", 0, 20, 5, 60).greenPhase("rGG", 1, 20, 5, 120)
                .yellowS(3).allRedS(1).build();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        Ticker t = new Ticker(m, policy, 1, 0);
        double longest = longestBetweenGreens(t, 0, 600, () -> {
            queue(t, 0, 8);
            queue(t, 1, 25);
        });
        double boundS = RollingHorizonPolicy.MAX_WAIT_S + RollingHorizonPolicy.BLOCKED_HEAD_S + m.minGreenS(1)
                + m.yellowS() + m.allRedS() + 1;
        assertThat(longest).isLessThanOrEqualTo(boundS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aSlowPhaseWithTheLongestQueueIsServedInTurnNotOnlyWhenItsWaitReachesTheBound() {
        // Phase 0 discharges three lanes side by side, phase 1 two, phase 2 one: ordered by vehicles served per second
        // of green, phase 2 would always come last, and the faster phases would take turns ahead of it, green after
        // green, until the starvation guard forced it. Lane "f" holds more standing vehicles than either other phase,
        // so neither may begin a second green while it waits.
        IntersectionModel m = TestModels.threePhaseOneSlow();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        Ticker t = new Ticker(m, policy, 0, 0);
        double longest = longestBetweenGreens(t, 2, 900, () -> {
            for (int lane = 0; lane < 5; lane++) {
                queue(t, lane, 4);
            }
            queue(t, 5, 15);
        });
        double roundS = 2 * (m.maxGreenS(0) + m.yellowS() + m.allRedS()) + 1;
        assertThat(longest).as("%s", t.events).isLessThanOrEqualTo(roundS).isLessThan(RollingHorizonPolicy.MAX_WAIT_S);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aLightMovementMayBePassedOverMoreThanOnceWithinTheBound() {
        // One vehicle on "f" against long queues on the faster phases: serving it costs a change of phase for one
        // vehicle, so the faster phases may each have several greens before it (the guard still bounds its wait).
        IntersectionModel m = TestModels.threePhaseOneSlow();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        Ticker t = new Ticker(m, policy, 0, 0);
        int[] greensOfPhase0BeforePhase2 = {0};
        boolean[] phase2Seen = {false};
        double longest = longestBetweenGreens(t, 2, 600, () -> {
            for (int lane = 0; lane < 5; lane++) {
                queue(t, lane, 10);
            }
            queue(t, 5, 1);
        });
        for (String event : t.events) {
            if (event.startsWith("G2@")) {
                phase2Seen[0] = true;
            } else if (event.startsWith("G0@") && !phase2Seen[0]) {
                greensOfPhase0BeforePhase2[0]++;
            }
        }
        assertThat(greensOfPhase0BeforePhase2[0]).as("%s", t.events).isGreaterThan(1);
        // The guard's bound as documented (a switch to another phase may have begun just before the wait reached it).
        double boundS = RollingHorizonPolicy.BLOCKED_HEAD_S + RollingHorizonPolicy.MAX_WAIT_S + m.minGreenS(0)
                + m.yellowS() + m.allRedS() + 1;
        assertThat(longest).as("%s", t.events).isLessThanOrEqualTo(boundS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aMovementHeldBehindItsLanesOtherMovementKeepsWaitingThroughThatMovementsGreens() {
        // Lane "in" carries a through link (0, phase 0) and a right turn (1, phase 1 with the busy lane "y"); the busy
        // lane "z" has phase 2. A through vehicle heads "in": each time phase 1 shows, the lane is green but nobody
        // crosses its stop line. Its wait goes on through those greens: they do not serve it.
        IntersectionModel m = IntersectionModel.builder("shared3", 4)
                .link(0, "in", 200, 13.9, "ahead").link(1, "in", 200, 13.9, "right")
                .link(2, "y", 200, 13.9, "side").link(3, "z", 200, 13.9, "cross")
                .conflicts(ConflictMatrix.builder(4).conflict(0, 2).conflict(0, 3).conflict(1, 3).conflict(2, 3)
                        .build())
                .greenPhase("Grrr", 0, 20, 5, 60).greenPhase("rGGr", 1, 20, 5, 30).greenPhase("rrrG", 2, 20, 5, 30)
                .yellowS(3).allRedS(1).build();
        RollingHorizonPolicy policy = new RollingHorizonPolicy(m);
        Ticker t = new Ticker(m, policy, 1, 0);
        double longest = longestBetweenGreens(t, 0, 900, () -> {
            queue(t, 0, 1);
            queue(t, 1, 25);
            queue(t, 2, 25);
        });
        double boundS = RollingHorizonPolicy.MAX_WAIT_S + RollingHorizonPolicy.BLOCKED_HEAD_S + m.minGreenS(1)
                + m.yellowS() + m.allRedS() + 1;
        assertThat(longest).isLessThanOrEqualTo(boundS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void holdsTheGreenOnlyForLanesThatDischarge() {
        // North-south is green (first shown after a red, so its stop-line loops are watched) and holds the larger
        // queue; east-west waits with fewer vehicles.
        Ticker moving = new Ticker(model, new RollingHorizonPolicy(model), 1, 0);
        Ticker stalled = new Ticker(model, new RollingHorizonPolicy(model), 1, 0);
        for (Ticker t : List.of(moving, stalled)) {
            queue(t, N_IN, 12);
            queue(t, S_IN, 12);
            t.run(1, 12);
            assertThat(t.events).as("north-south green after the first switch").last().asString().startsWith("G0");
            queue(t, E_IN, 6);
            queue(t, W_IN, 6);
        }
        int switchedMoving = -1;
        int switchedStalled = -1;
        for (int s = 13; s <= 45; s++) {
            // The moving queue sends a vehicle over each stop line every 2 s; the stalled one (a turner yielding at
            // its head) sends nobody.
            if (s % 2 == 0) {
                moving.state.addStopLineCount(N_IN, 1);
                moving.state.addStopLineCount(S_IN, 1);
            }
            if (moving.tick(s) == 1 && switchedMoving < 0) {
                switchedMoving = s;
            }
            if (stalled.tick(s) == 1 && switchedStalled < 0) {
                switchedStalled = s;
            }
        }
        assertThat(switchedMoving).as("a discharging queue keeps its green").isEqualTo(-1);
        assertThat(switchedStalled).as("a stalled queue does not hold the green")
                .isBetween(13, 13 + (int) RollingHorizonPolicy.STALLED_S + 5);
        assertThat(moving.monitor.total() + stalled.monitor.total()).isZero();
    }

    @Test
    void holdsTheGreenForAPermissiveTurnUntilTheQueueItYieldsToHasGone() {
        // North's only lane also turns left, permissively (g) across the south's through movement (G): the
        // left-turner at its head waits while the south's queue discharges, then goes, and the north's queue behind
        // it follows. East and west wait with 3 vehicles each.
        IntersectionModel permissive = IntersectionModel.builder("permissive", 5)
                .link(0, "n_in", 100, 13.89, "s_out").link(1, "s_in", 100, 13.89, "n_out")
                .link(2, "e_in", 100, 13.89, "w_out").link(3, "w_in", 100, 13.89, "e_out")
                .link(4, "n_in", 100, 13.89, "e_out")
                .conflicts(ConflictMatrix.builder(5).conflict(0, 2).conflict(1, 3).conflict(4, 1).conflict(4, 2)
                        .conflict(4, 3).build())
                .greenPhase("rrGGr", 2, 20, 5, 200).greenPhase("GGrrg", 0, 20, 5, 200)
                .yellowS(3).allRedS(2).build();
        Ticker t = new Ticker(permissive, new RollingHorizonPolicy(permissive), 0, 0);
        queue(t, N_IN, 8);
        queue(t, S_IN, 8);
        t.run(1, 12);
        assertThat(t.events).as("north-south green after the first switch").last().asString().startsWith("G1");
        queue(t, E_IN, 3);
        queue(t, W_IN, 3);
        int southLeft = 8;
        int northLeft = 8;
        for (int s = 13; s <= 60 && t.interlock.phase() == 1; s++) {
            // The south discharges one vehicle every 2 s until its queue is gone; the north's head yields until
            // then, and its queue discharges after it.
            if (s % 2 == 0 && southLeft > 0) {
                southLeft--;
                t.state.addStopLineCount(S_IN, 1);
                queue(t, S_IN, southLeft);
            } else if (s % 2 == 0 && southLeft == 0 && northLeft > 0) {
                northLeft--;
                t.state.addStopLineCount(N_IN, 1);
                queue(t, N_IN, northLeft);
            }
            t.tick(s);
        }
        assertThat(northLeft).as("the north's queue behind its turner is served in the same green; %s", t.events)
                .isZero();
        assertThat(t.monitor.total()).isZero();
    }

    @Test
    void servesAnUndetectedCrossingWithinTheBound() {
        // "rGr" serves east-west; "Grr" (north-south alone) and "GrG" (north-south with crossing 2 beside it) serve
        // the vehicles alike, and the search, weighing phases in order after the current one, takes "Grr" for them.
        // Walkers are never detected.
        IntersectionModel m = IntersectionModel.builder("recall", 3)
                .link(0, "n", 200, 13.9, "s").link(1, "e", 200, 13.9, "w").link(2, "walk_a", 10, 1.3, "walk_b")
                .conflicts(ConflictMatrix.builder(3).conflict(0, 1).conflict(1, 2).build())
                .greenPhase("rGr", 0, 20, 5, 60).greenPhase("Grr", 1, 20, 5, 60).greenPhase("GrG", 2, 20, 5, 60)
                .pedestrianClearance(2, 8).yellowS(3).allRedS(0).build();
        Ticker t = new Ticker(m, new RollingHorizonPolicy(m), 0, 0);
        double redSince = 0;
        double longest = 0;
        int crossingGreens = 0;
        for (int s = 1; s <= 900; s++) {
            queue(t, 0, 10);
            queue(t, 1, 4);
            t.tick(s);
            if (SignalChar.isGreen(t.interlock.shown(2))) {
                crossingGreens += Double.isNaN(redSince) ? 0 : 1;
                longest = Math.max(longest, Double.isNaN(redSince) ? 0 : s - redSince);
                redSince = Double.NaN;
            } else if (Double.isNaN(redSince)) {
                redSince = s;
            }
        }
        double boundS = RollingHorizonPolicy.MAX_WAIT_S + m.effectiveMinGreenS(0) + m.yellowS() + 1;
        assertThat(crossingGreens).as("the crossing is served again and again").isGreaterThanOrEqualTo(5);
        assertThat(longest).as("longest wait of the crossing, s").isLessThanOrEqualTo(boundS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void beginsTheChangeSoThatTheCrossingClearsWhileItsVehiclesStillMove() {
        // "GrG" serves north-south with crossing 2 beside it, which must clear 5 s before the amber (8 s intergreen,
        // 3 s amber); "rGr" serves east-west. North: the estimate keeps the residue of a queue just served (0.3
        // vehicles, a third of a second of green), tick after tick; east: one vehicle waiting. The schedule serves
        // the residue and then east, so the change must begin at once: the north keeps its green through the
        // clearance. Waiting for the residue to be served first would put the change a clearance later at every
        // tick and keep east waiting until the maximum green.
        IntersectionModel m = IntersectionModel.builder("clearance", 3)
                .link(0, "n", 200, 13.9, "s").link(1, "e", 200, 13.9, "w").link(2, "walk_a", 10, 1.3, "walk_b")
                .conflicts(ConflictMatrix.builder(3).conflict(0, 1).conflict(1, 2).build())
                .greenPhase("GrG", 0, 20, 5, 60).greenPhase("rGr", 1, 20, 5, 60)
                .pedestrianClearance(2, 8).yellowS(3).allRedS(0).build();
        assertThat(m.pedestrianClearanceS(0, 1)).isEqualTo(5.0);
        Ticker t = new Ticker(m, new RollingHorizonPolicy(m), 0, 0);
        double waitS = longestWait(t, 1, 120, () -> {
            t.state.incomingArea(0, 0, 0, 0);
            t.state.queueEstimate(0, 0.3, 0, false);
            queue(t, 1, 1);
        });

        // East's own amber, the north's minimum green, the crossing's clearance, the north's amber and a tick.
        double servedS = m.yellowS() + m.effectiveMinGreenS(0) + m.pedestrianClearanceS(0, 1) + m.yellowS() + 1;
        assertThat(waitS).as("longest wait east, s; %s", t.events).isLessThanOrEqualTo(servedS);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void skipsPhasesWithoutVehicles() {
        IntersectionModel m = TestModels.crossing(3, 0)
                .greenPhase("GGrr", 0, 20, 5, 60)
                .greenPhase("rrGr", 1, 20, 5, 60)
                .greenPhase("rrrG", 2, 20, 5, 60)
                .build();
        Ticker t = new Ticker(m, new RollingHorizonPolicy(m), 0, 0);
        queue(t, W_IN, 6);

        t.run(1, 12);

        assertThat(t.events).containsExactly("G0@0", "Y0>2@5", "G2@8");
    }

    @Test
    void holdsTheSignalWhenNothingIsWaiting() {
        Ticker t = new Ticker(model, new RollingHorizonPolicy(model), 1, 0);
        t.run(1, 60);
        assertThat(t.events).containsExactly("G1@0");
    }

    @Test
    void doesNotSendVehiclesIntoAFullDownstreamLane() {
        // A feeds B through lane "ab"; A's other approach leads away from B.
        IntersectionModel a = IntersectionModel.builder("A", 2)
                .conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "west_in", 150, 13.9, "ab")
                .link(1, "south_in", 150, 13.9, "away")
                .greenPhase("Gr", 0, 20, 5, 60)
                .greenPhase("rG", 1, 20, 5, 60)
                .build();
        IntersectionModel b = oneLane("B", "ab", 150, "east_out");
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a, b));
        assertThat(n.downstream(0, 0)).isEqualTo(1);
        assertThat(n.upstream(1, 0)).isZero();

        RollingHorizonPolicy free = new RollingHorizonPolicy(a);
        free.join(n, 0);
        Ticker open = new Ticker(a, free, 1, 0);
        queue(open, 0, 12);
        open.tick(5);
        assertThat(open.interlock.targetPhase()).as("lane ab has room: serve the long west queue").isZero();

        n.publish(1, 5, new double[Neighbourhood.HORIZON_S], new boolean[] {true});
        RollingHorizonPolicy blocked = new RollingHorizonPolicy(a);
        blocked.join(n, 0);
        Ticker full = new Ticker(a, blocked, 1, 0);
        queue(full, 0, 12);
        for (int s = 5; s <= 30; s++) {
            assertThat(full.tick(s)).as("lane ab is full, t=%d", s).isEqualTo(1);
        }
    }

    @Test
    void vehiclesEnteringTheNetworkWaitAtItsEdgeWhileTheLinkTowardTheNextSignalIsHalfOccupied() {
        // A's west approach enters the network and feeds B through "ab" (the exit zone covers its 80 m); its south
        // approach comes from C upstream and leads away. 12 vehicles wait on the west, 4 on the south.
        IntersectionModel a = IntersectionModel.builder("A", 2)
                .conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "west_in", 150, 13.9, "ab")
                .link(1, "ca", 150, 13.9, "away")
                .outgoingLaneLengthM("ab", 80)
                .greenPhase("Gr", 0, 20, 5, 300)
                .greenPhase("rG", 1, 20, 5, 300)
                .build();
        IntersectionModel b = oneLane("B", "ab", 80, "east_out");
        IntersectionModel c = oneLane("C", "north_in", 150, "ca");
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a, b, c));

        for (int inAb : new int[] {0, 5, 6}) {
            RollingHorizonPolicy policy = new RollingHorizonPolicy(a);
            policy.join(n, 0);
            Ticker t = new Ticker(a, policy, 0, 0);
            queue(t, 0, 12);
            queue(t, 1, 4);
            t.state.outgoingArea(0, inAb);
            t.tick(5);
            // 6 vehicles take 45 m, over half of ab's 80 m: the west green ends for the south; 5 (37.5 m) leave room.
            assertThat(t.interlock.targetPhase()).as("%d vehicles on ab", inAb).isEqualTo(inAb >= 6 ? 1 : 0);
            DecisionExplanation why = policy.explanation().newBuffer();
            policy.explanation().copyTo(why);
            assertThat(why.meteredLink()).as("the metered link, %d on ab", inAb).isEqualTo(inAb >= 6 ? 0 : -1);
            assertThat(why.meteredVeh()).isEqualTo(inAb >= 6 ? 12.0 : 0.0, within(0.5));
        }

        // Metered is not starved: with ab held at 6 vehicles and both queues standing (no maximum green ends the south's),
        // the guard still serves the west.
        RollingHorizonPolicy guarded = new RollingHorizonPolicy(a);
        guarded.join(n, 0);
        Ticker g = new Ticker(a, guarded, 1, 0);
        double longest = longestWait(g, 0, 600, () -> {
            queue(g, 0, 12);
            queue(g, 1, 4);
            g.state.outgoingArea(0, 6);
        });
        assertThat(longest).isLessThanOrEqualTo(RollingHorizonPolicy.MAX_WAIT_S + a.minGreenS(0) + a.yellowS() + a.allRedS() + 1);

        // The same occupancy does not hold back vehicles already inside the network: C feeds A's west lane.
        IntersectionModel upstreamOfA = oneLane("D", "far_in", 150, "west_in");
        Neighbourhood inside = Neighbourhood.byLaneIds(List.of(a, b, c, upstreamOfA));
        RollingHorizonPolicy policy = new RollingHorizonPolicy(a);
        policy.join(inside, 0);
        Ticker t = new Ticker(a, policy, 0, 0);
        queue(t, 0, 12);
        queue(t, 1, 4);
        t.state.outgoingArea(0, 6);
        t.tick(5);
        assertThat(t.interlock.targetPhase()).isZero();
    }

    @Test
    void aQueueOverTheAdvanceLoopOfALongLaneLeavesItOpenToTheUpstreamIntersectionUntilItReachesTheLanesStart() {
        // A feeds B through lane "ab", 150 m long, whose advance loop lies 60 m before B's stop line.
        IntersectionModel a = oneLane("A", "west_in", 150, "ab");
        IntersectionModel b = IntersectionModel.builder("B", 1)
                .conflicts(ConflictMatrix.builder(1).build())
                .link(0, "ab", 150, 13.9, "east_out")
                .greenPhase("G", 0, 20, 5, 60)
                .incomingAdvanceM("ab", 60)
                .build();
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a, b));
        RollingHorizonPolicy policy = new RollingHorizonPolicy(b);
        policy.join(n, 1);
        Ticker t = new Ticker(b, policy, 0, 0);

        t.state.incomingArea(0, 10, 10, 75);
        t.state.queueEstimate(0, 10, 0, true);
        t.tick(1);
        assertThat(n.readFull(1, 0)).as("10 vehicles (75 m) over the loop: 75 m of ab are free").isFalse();

        t.state.incomingArea(0, 19, 19, 142.5);
        t.state.queueEstimate(0, 19, 0, true);
        t.tick(2);
        assertThat(n.readFull(1, 0)).as("the queue reaches the start of ab").isTrue();

        // Loops only: the estimate, held at the loop and growing past it, says how far the queue reaches.
        t.state.incomingArea(0, 0, 0, 0);
        t.state.queueEstimate(0, 12, 0, true);
        t.tick(3);
        assertThat(n.readFull(1, 0)).isFalse();
        t.state.queueEstimate(0, 20, 0, true);
        t.tick(4);
        assertThat(n.readFull(1, 0)).isTrue();

        // Where the loop's position is unknown, a queue over it is all there is to go by: full.
        IntersectionModel unplaced = oneLane("B", "ab", 150, "east_out");
        Neighbourhood m = Neighbourhood.byLaneIds(List.of(a, unplaced));
        RollingHorizonPolicy other = new RollingHorizonPolicy(unplaced);
        other.join(m, 1);
        Ticker u = new Ticker(unplaced, other, 0, 0);
        u.state.queueEstimate(0, 10, 0, true);
        u.tick(1);
        assertThat(m.readFull(1, 0)).isTrue();
    }

    @Test
    void publishesItsProjectedOutflowForTheDownstreamIntersection() {
        IntersectionModel a = oneLane("A", "west_in", 150, "ab");
        IntersectionModel b = oneLane("B", "ab", 150, "east_out");
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a, b));
        RollingHorizonPolicy policy = new RollingHorizonPolicy(a);
        policy.join(n, 0);
        Ticker t = new Ticker(a, policy, 0, 0);
        queue(t, 0, 10);
        t.tick(1);

        double[] outflow = new double[Neighbourhood.HORIZON_S];
        assertThat(n.readOutflow(0, 0, outflow)).isEqualTo(1);
        double total = 0;
        for (double v : outflow) {
            total += v;
        }
        assertThat(total).as("the ten queued vehicles leave into ab").isCloseTo(10, org.assertj.core.data.Offset.offset(0.5));
        assertThat(outflow[0]).isPositive();
    }

    @Test
    void servesAMovementWhoseDetectorIsFaulty() {
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        // East's detector is dead: it reads nothing, and the queue behind it is unknown.
        t.state.detectorFaults(E_IN, IntersectionView.FAULT_AREA | IntersectionView.FAULT_STOP_LINE
                | IntersectionView.FAULT_ADVANCE);
        int[] eastGreens = new int[1];
        boolean[] wasGreen = new boolean[1];
        double waitS = longestWait(t, E_IN, 900, () -> {
            queue(t, N_IN, 6);
            queue(t, S_IN, 6);
            t.state.incomingArea(E_IN, 0, 0, 0);
            t.state.queueEstimate(E_IN, 0, 0, false);
            boolean g = t.state.laneGreen(E_IN);
            if (g && !wasGreen[0]) {
                eastGreens[0]++;
            }
            wasGreen[0] = g;
        });

        assertThat(eastGreens[0]).as("east is served again and again").isGreaterThanOrEqualTo(5);
        assertThat(waitS).isLessThanOrEqualTo(RollingHorizonPolicy.MAX_WAIT_S + model.minGreenS(0)
                + model.yellowS() + model.allRedS() + 1);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void aVehicleSeenByADetectorFlaggedFaultyIsServedWithinTheBound() {
        // East's camera and stop-line loop are flagged faulty (its advance loop works, so the lane is not blind) and
        // the estimate from its loops says empty; yet the camera sees one car and it stands on the stop-line loop. A
        // wrong flag must not starve it: the lane is served as on recall.
        RollingHorizonPolicy policy = new RollingHorizonPolicy(model);
        Ticker t = new Ticker(model, policy, 0, 0);
        t.state.detectorFaults(E_IN, IntersectionView.FAULT_AREA | IntersectionView.FAULT_STOP_LINE);
        double waitS = longestWait(t, E_IN, 600, () -> {
            queue(t, N_IN, 25);
            queue(t, S_IN, 25);
            t.state.incomingArea(E_IN, 1, 1, 7.5);
            t.state.queueEstimate(E_IN, 0, 0, false);
            t.state.stopLineOccupancy(E_IN, 1, true);
        });

        assertThat(waitS).isLessThanOrEqualTo(RollingHorizonPolicy.MAX_WAIT_S + model.minGreenS(0)
                + model.yellowS() + model.allRedS() + 1);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
    }

    @Test
    void plansOnTheLoopsWhenOnlyTheAreaDetectorFailed() {
        // East holds 12 vehicles. Seen by its camera, or (camera dead) estimated from its loops: the same decisions.
        String seen = decisions(0, 12);
        assertThat(seen).contains("1");
        assertThat(decisions(IntersectionView.FAULT_AREA, 0)).isEqualTo(seen);
    }

    /** The phases proposed over 60 s, with 4 vehicles north, 12 east, east's faults and camera reading as given. */
    private String decisions(int eastFaults, int eastCameraVeh) {
        Ticker t = new Ticker(model, new RollingHorizonPolicy(model), 0, 0);
        StringBuilder phases = new StringBuilder();
        for (int s = 1; s <= 60; s++) {
            queue(t, N_IN, s < 20 ? 4 : 0);
            t.state.detectorFaults(E_IN, eastFaults);
            t.state.incomingArea(E_IN, eastCameraVeh, eastCameraVeh, 7.5 * eastCameraVeh);
            t.state.queueEstimate(E_IN, t.state.laneGreen(E_IN) ? 0 : 12, 1, false);
            phases.append(t.tick(s));
        }
        assertThat(t.monitor.total()).isZero();
        return phases.toString();
    }

    @Test
    void followsTheRunningTransitionAndStaysSafe() {
        Ticker t = new Ticker(model, new RollingHorizonPolicy(model), 0, 0);
        queue(t, E_IN, 10);
        t.run(1, 6);
        assertThat(t.interlock.interval()).isNotEqualTo(SafetyInterlock.GREEN);
        queue(t, E_IN, 0);
        queue(t, N_IN, 30);
        assertThat(t.tick(7)).as("the transition to east-west is not reopened").isEqualTo(1);
        t.run(8, 60);
        assertThat(t.monitor.total()).as("%s", t.monitor.examples()).isZero();
        assertThat(t.interlock.invalidProposals()).isZero();
    }

    @Test
    void withUpstreamArrivalsPreparesForThePlatoonItsNeighbourReleases() {
        IntersectionModel a = oneLane("A", "west_in", 150, "ab");
        IntersectionModel b = IntersectionModel.builder("B", 2)
                .conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "ab", 150, 13.9, "east_out")
                .link(1, "north_in", 150, 13.9, "south_out")
                .greenPhase("Gr", 0, 20, 5, 60)
                .greenPhase("rG", 1, 20, 5, 60)
                .build();
        Neighbourhood n = Neighbourhood.byLaneIds(List.of(a, b));
        double[] outflow = new double[Neighbourhood.HORIZON_S];
        for (int k = 0; k < 10; k++) {
            outflow[k] = 0.5;
        }
        n.publish(0, 10, outflow, new boolean[] {false});

        RollingHorizonPolicy blind = new RollingHorizonPolicy(b);
        blind.join(n, 1);
        Ticker off = new Ticker(b, blind, 1, 0);
        assertThat(off.tick(10)).as("nothing visible at B").isEqualTo(1);

        RollingHorizonPolicy coordinated = new RollingHorizonPolicy(b, true);
        coordinated.join(n, 1);
        Ticker on = new Ticker(b, coordinated, 1, 0);
        assertThat(on.tick(10)).as("five vehicles from A are on their way").isZero();
        assertThat(coordinated.plannedPhase(0)).isZero();
        assertThat(coordinated.plannedEndS(0)).isGreaterThan(10);
    }

    @Test
    void namesNoDeviceProgramAndIsRegistered() {
        assertThat(new RollingHorizonPolicy(model).deviceProgram()).isNull();
        assertThat(Policies.create(Policies.GREENWAVE, model)).isInstanceOf(RollingHorizonPolicy.class);
    }
}
