package org.greenwave.core.engine;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.state.IntersectionView;

/** Intersections, detectors and policies shared by the engine tests. */
final class EngineFixtures {
    private EngineFixtures() {
    }

    /**
     * The detectors of a model: per incoming lane a stop-line loop {@code <id>/sl<lane>}, an advance loop
     * {@code <id>/adv<lane>} and a lane-area detector {@code <id>/in<lane>}; per outgoing lane a lane-area detector
     * {@code <id>/out<lane>}. In that order, so on the crossing detector {@code 3 * lane + k} is kind {@code k} of
     * incoming lane {@code lane}, and {@code 3 * incoming + lane} the area of outgoing lane {@code lane}.
     */
    static List<DetectorSpec> detectors(IntersectionModel m) {
        List<DetectorSpec> d = new ArrayList<>();
        String id = m.id();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            d.add(new DetectorSpec(id + "/sl" + lane, DetectorKind.STOP_LINE, lane));
            d.add(new DetectorSpec(id + "/adv" + lane, DetectorKind.ADVANCE, lane));
            d.add(new DetectorSpec(id + "/in" + lane, DetectorKind.AREA_IN, lane));
        }
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            d.add(new DetectorSpec(id + "/out" + lane, DetectorKind.AREA_OUT, lane));
        }
        return d;
    }

    /** The two-phase crossing of {@link TestModels} under another id: 3 s amber, 2 s all-red, 5..30 s green. */
    static IntersectionModel crossing(String id) {
        return IntersectionModel.builder(id, 4)
                .conflicts(TestModels.crossingConflicts())
                .link(TestModels.NORTH, "n_in", 100, 13.9, "s_out")
                .link(TestModels.SOUTH, "s_in", 100, 13.9, "n_out")
                .link(TestModels.EAST, "e_in", 100, 13.9, "w_out")
                .link(TestModels.WEST, "w_in", 100, 13.9, "e_out")
                .yellowS(3).allRedS(2)
                .greenPhase("GGrr", 0, 20, 5, 30)
                .greenPhase("rrGG", 2, 20, 5, 30)
                .build();
    }

    static EngineIntersection intersection(IntersectionModel m, String policy) {
        return new EngineIntersection(m, policy, detectors(m));
    }

    /** What a policy saw at its last tick, and how often it was asked. */
    static final class RecordingPolicy implements SignalPolicy {
        final int lanesIn;
        final int lanesOut;
        final long[] stopLine;
        final long[] advance;
        final int[] vehicles;
        final int[] halting;
        final double[] jamM;
        final int[] outgoing;
        int calls;
        double lastNowS = Double.NaN;
        /** The phase it proposes; -1 = keep the current one. */
        int propose = -1;

        RecordingPolicy(IntersectionModel m) {
            lanesIn = m.incomingLaneCount();
            lanesOut = m.outgoingLaneCount();
            stopLine = new long[lanesIn];
            advance = new long[lanesIn];
            vehicles = new int[lanesIn];
            halting = new int[lanesIn];
            jamM = new double[lanesIn];
            outgoing = new int[lanesOut];
        }

        @Override
        public int propose(IntersectionView view) {
            calls++;
            lastNowS = view.nowS();
            for (int l = 0; l < lanesIn; l++) {
                stopLine[l] = view.stopLineCount(l);
                advance[l] = view.advanceCount(l);
                vehicles[l] = view.incomingVehicles(l);
                halting[l] = view.incomingHalting(l);
                jamM[l] = view.incomingJamM(l);
            }
            for (int l = 0; l < lanesOut; l++) {
                outgoing[l] = view.outgoingVehicles(l);
            }
            return propose < 0 ? view.phase() : propose;
        }
    }

    /** Keeps a copy of the plans it is handed (allocates; tests only). Single-threaded use. */
    static final class PlanLog implements PlanSink {
        final List<Plan> plans = new ArrayList<>();

        @Override
        public void onPlan(TimingPlan p) {
            List<String> states = new ArrayList<>();
            List<Double> durations = new ArrayList<>();
            char[] buf = new char[p.linkCount()];
            for (int e = 0; e < p.entryCount(); e++) {
                p.copyEntryState(e, buf);
                states.add(new String(buf));
                durations.add(p.entryDurationS(e));
            }
            plans.add(new Plan(p.intersection(), p.intersectionId(), p.sequence(), p.issuedAtMs(), p.expiresAtMs(),
                    p.deviceProgram(), p.flashOperator(), states, durations));
        }

        List<Plan> of(int intersection) {
            List<Plan> r = new ArrayList<>();
            for (Plan p : plans) {
                if (p.intersection() == intersection) {
                    r.add(p);
                }
            }
            return r;
        }

        Plan last(int intersection) {
            List<Plan> r = of(intersection);
            return r.isEmpty() ? null : r.get(r.size() - 1);
        }
    }

    record Plan(int intersection, String id, long sequence, long issuedAtMs, long expiresAtMs, String deviceProgram,
                String flashOperator, List<String> states, List<Double> durationsS) {
    }
}
