package org.greenwave.core.safety;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;

/**
 * Generates valid intersection models for property tests: 1..24 links, a random symmetric conflict matrix, and 1..6
 * green phases that are conflict-free by construction. Each phase visits the links from a random start and gives a
 * protected green to a link that wants one only when it conflicts with none already chosen; the others get
 * permissive greens, stop-on-red, red or off. Amber 3..6 s, all-red 0, 1 or 2 s, minimum green 3..10 s, maximum green
 * sometimes just above the minimum so that maximum-green forcing is exercised.
 */
public final class RandomIntersections {
    public static final int MAX_LINKS = 24;
    public static final int MAX_PHASES = 6;

    private RandomIntersections() {
    }

    /** A generated model and a description of how it was made, for the failure report. */
    public record Intersection(IntersectionModel model, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** What one phase would like to show; turned into a conflict-free phase by {@link #build}. */
    record PhaseWish(int firstLink, List<Integer> wishes, int minGreenS, int maxExtraS) {
    }

    public static Arbitrary<Intersection> intersections() {
        return Arbitraries.integers().between(1, MAX_LINKS).flatMap(RandomIntersections::intersections);
    }

    static Arbitrary<Intersection> intersections(int links) {
        int pairs = links * (links - 1) / 2;
        Arbitrary<Integer> densityPercent = Arbitraries.integers().between(0, 100);
        Arbitrary<List<Integer>> pairRolls = Arbitraries.integers().between(0, 99).list().ofSize(pairs);
        Arbitrary<PhaseWish> phase = Combinators.combine(
                Arbitraries.integers().between(0, links - 1),
                Arbitraries.integers().between(0, 9).list().ofSize(links),
                Arbitraries.integers().between(3, 10),
                Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(0, 5)),
                        Tuple.of(2, Arbitraries.integers().between(10, 90))))
                .as(PhaseWish::new);
        Arbitrary<List<PhaseWish>> phases = phase.list().ofMinSize(1).ofMaxSize(MAX_PHASES)
                .withSizeDistribution(RandomDistribution.uniform());
        Arbitrary<Double> yellowS = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(3, 6).map(Integer::doubleValue)),
                Tuple.of(1, Arbitraries.doubles().between(3, 6).ofScale(1)));
        Arbitrary<Integer> allRedS = Arbitraries.of(0, 1, 2);
        return Combinators.combine(densityPercent, pairRolls, phases, yellowS, allRedS)
                .as((density, rolls, wishes, yellow, allRed) -> build(links, density, rolls, wishes, yellow, allRed));
    }

    /**
     * Like {@link #intersections()}, but some links are pedestrian crossings with a walk-plus-clearance minimum of
     * 0..30 s, capped at the maximum green of every phase that shows them green (a larger one is rejected by the
     * model); half of them also need a clearance of 0..16 s after their green before a conflicting link's.
     */
    public static Arbitrary<Intersection> intersectionsWithCrossings() {
        return Combinators.combine(intersections(),
                Arbitraries.integers().between(-20, 30).list().ofSize(MAX_LINKS))
                .as(RandomIntersections::withCrossings);
    }

    static Intersection withCrossings(Intersection x, List<Integer> rolls) {
        IntersectionModel m = x.model();
        IntersectionModel.Builder b = IntersectionModel.builder(m.id(), m.linkCount()).conflicts(m.conflicts())
                .yellowS(m.yellowS()).allRedS(m.allRedS());
        for (int l = 0; l < m.linkCount(); l++) {
            b.link(l, m.incomingLaneId(m.linkIncomingLane(l)), 100, 13.9, m.outgoingLaneId(m.linkOutgoingLane(l)));
        }
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            b.greenPhase(m.greenPhaseString(p), p, m.programGreenS(p), m.minGreenS(p), m.maxGreenS(p));
        }
        StringBuilder crossings = new StringBuilder();
        for (int l = 0; l < m.linkCount(); l++) {
            int roll = rolls.get(l);
            if (roll <= 0) {
                continue;
            }
            double cap = Double.POSITIVE_INFINITY;
            for (int p = 0; p < m.greenPhaseCount(); p++) {
                if (SignalChar.isGreen(m.greenState(p, l))) {
                    cap = Math.min(cap, m.maxGreenS(p));
                }
            }
            double pedS = Math.min(roll, cap == Double.POSITIVE_INFINITY ? roll : cap);
            b.pedestrianMinGreen(l, pedS);
            crossings.append(l).append(':').append(pedS);
            if (roll % 2 == 0) {
                double clearS = (roll * 7) % 17;
                b.pedestrianClearance(l, clearS);
                crossings.append("/clear ").append(clearS);
            }
            crossings.append(' ');
        }
        return new Intersection(b.build(), x.description() + " crossings=[" + crossings.toString().trim() + "]");
    }

    static Intersection build(int links, int densityPercent, List<Integer> pairRolls, List<PhaseWish> wishes,
            double yellowS, int allRedS) {
        ConflictMatrix.Builder cb = ConflictMatrix.builder(links);
        StringBuilder conflicts = new StringBuilder();
        int k = 0;
        for (int a = 0; a < links; a++) {
            for (int b = a + 1; b < links; b++) {
                if (pairRolls.get(k++) < densityPercent) {
                    cb.conflict(a, b);
                    conflicts.append(a).append('-').append(b).append(' ');
                }
            }
        }
        ConflictMatrix matrix = cb.build();
        IntersectionModel.Builder mb = IntersectionModel.builder("rnd", links).conflicts(matrix)
                .yellowS(yellowS).allRedS(allRedS);
        for (int l = 0; l < links; l++) {
            // A few links share lanes, as turning movements do.
            mb.link(l, "in" + (l / 2), 100, 13.9, "out" + (l % 5));
        }
        List<String> phases = new ArrayList<>();
        for (int p = 0; p < wishes.size(); p++) {
            PhaseWish w = wishes.get(p);
            String state = phaseState(matrix, w);
            double minS = w.minGreenS();
            double maxS = minS + w.maxExtraS();
            mb.greenPhase(state, p, minS + 5, minS, maxS);
            phases.add(state + " " + (int) minS + ".." + (int) maxS + "s");
        }
        String description = "links=" + links + " conflicts=[" + conflicts.toString().trim() + "] phases=" + phases
                + " yellowS=" + yellowS + " allRedS=" + allRedS;
        return new Intersection(mb.build(), description);
    }

    /** Wishes 0-3: protected green if no conflict, else red; 4-5 permissive; 6-7 red; 8 stop-on-red; 9 off. */
    private static String phaseState(ConflictMatrix matrix, PhaseWish w) {
        int links = matrix.linkCount();
        char[] s = new char[links];
        boolean anyGreen = false;
        for (int i = 0; i < links; i++) {
            int l = (w.firstLink() + i) % links;
            int wish = w.wishes().get(l);
            char c;
            if (wish <= 3) {
                c = SignalChar.GREEN;
                for (int o = 0; o < links; o++) {
                    if (s[o] == SignalChar.GREEN && matrix.conflicts(l, o)) {
                        c = SignalChar.RED;
                        break;
                    }
                }
            } else if (wish <= 5) {
                c = SignalChar.GREEN_MINOR;
            } else if (wish <= 7) {
                c = SignalChar.RED;
            } else if (wish == 8) {
                c = SignalChar.STOP;
            } else {
                c = SignalChar.OFF;
            }
            s[l] = c;
            anyGreen |= SignalChar.isGreen(c);
        }
        if (!anyGreen) {
            // No other link is a protected green, so this one conflicts with none.
            s[w.firstLink()] = SignalChar.GREEN;
        }
        return new String(s);
    }
}
