package org.greenwave.adapters.ntcip.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.ntcip.NtcipObjects;
import org.greenwave.adapters.ntcip.TestIntersections;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.Test;

/**
 * The virtual controller under a selected pattern: fixed cycle counted from the offset, force-offs at the split
 * windows' ends, a new pattern at the running one's local zero reached by dwell, free after the backup time.
 * The crossing changes in 4 s (yellow 3 s, all-red 1 s).
 */
class CoordinatedOperationTest {
    private final IntersectionModel model = TestIntersections.crossing("x");
    private final PhaseControl control = new PhaseControl();
    /** Detector 0 on lane n (phase 0), detector 1 on lane e (phase 1). */
    private final ActuatedController c = new ActuatedController(model,
            new PhaseTiming[] {new PhaseTiming(5, 3, 60, true), new PhaseTiming(5, 3, 60, true)},
            new int[] {lane("n"), lane("e")}, control, 5);
    private final SafetyMonitor monitor = new SafetyMonitor(model);
    /** Times a phase's green began: "0@47" etc. */
    private final List<String> greenStarts = new ArrayList<>();
    private final List<Double> phase0Yellows = new ArrayList<>();

    private static final CoordPattern A = new CoordPattern(1, 40, 7, new int[] {24, 16}, 0, new boolean[] {true, true});

    private int lane(String id) {
        for (int l = 0; l < model.incomingLaneCount(); l++) {
            if (model.incomingLaneId(l).equals(id)) {
                return l;
            }
        }
        throw new AssertionError(id);
    }

    /** Steps each second from {@code fromS} to {@code toS}; {@code heartbeat}: the central system re-selects each second. */
    private void run(double fromS, double toS, CoordPattern selected, boolean heartbeat, boolean east) {
        for (double t = fromS; t <= toS + 1e-9; t += 1) {
            if (heartbeat) {
                control.selectPattern(selected.number(), selected, NtcipObjects.LOCAL_FREE_NOT_FREE);
            }
            String before = c.shownString();
            c.step(Millis.fromSeconds(t), new boolean[] {true, east});
            String now = c.shownString();
            monitor.observe(Millis.fromSeconds(t), now);
            if (!now.equals(before)) {
                if (now.equals("GGrr")) {
                    greenStarts.add("0@" + (int) t);
                } else if (now.equals("rrGG")) {
                    greenStarts.add("1@" + (int) t);
                } else if (now.equals("yyrr")) {
                    phase0Yellows.add(t);
                }
            }
        }
    }

    @Test
    void dwellsIntoTheOffsetThenForcesOffAtTheSplitEnds() {
        c.reset(0, 0);
        run(1, 200, A, true, true);

        // Local zero at 7 + 40k: the coordinated green holds (dwells) from the start until t = 7, runs to its
        // force-off at 7 + 24 - 4 = 27; phase 1 gets 31..43 (window 31..47 less its change).
        assertThat(greenStarts).startsWith("1@31", "0@47", "1@71", "0@87", "1@111", "0@127");
        assertThat(phase0Yellows).startsWith(27.0, 67.0, 107.0, 147.0);
        assertThat(c.patternStatus()).isEqualTo(1);
        assertThat(c.localFreeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_NOT_FREE);
        assertThat(c.cycleLeftS()).isEqualTo(7);  // t = 200: position 33 of 40
        assertThat(c.dwellSteps()).isEqualTo(6);
        assertThat(monitor.total()).isZero();
    }

    @Test
    void aNewPatternTakesEffectAtTheNextLocalZeroAndDwellsToItsOffset() {
        c.reset(0, 0);
        run(1, 100, A, true, true);
        long dwelt = c.dwellSteps();
        CoordPattern b = new CoordPattern(2, 50, 40, new int[] {30, 20}, 0, new boolean[] {true, true});
        greenStarts.clear();
        phase0Yellows.clear();
        run(101, 260, b, true, true);

        // A runs to its local zero at 127 (phase 0's green starts there); B's position is then 37 of 50, past the
        // coordinated green's window (0..26): the green dwells to B's local zero at 140 and runs to 140 + 26.
        assertThat(phase0Yellows).startsWith(107.0, 166.0, 216.0);
        assertThat(greenStarts).startsWith("1@111", "0@127", "1@170", "0@190", "1@220", "0@240");
        assertThat(c.dwellSteps() - dwelt).as("128..139").isEqualTo(12);
        assertThat(c.patternsTaken()).isEqualTo(2);
        assertThat(c.patternStatus()).isEqualTo(2);
        assertThat(monitor.total()).isZero();
    }

    @Test
    void aPhaseWithoutDemandGapsOutAndTheCoordinatedPhaseKeepsItsForceOff() {
        CoordPattern actuated = new CoordPattern(1, 40, 7, new int[] {24, 16}, 0, new boolean[] {false, false});
        c.reset(0, 0);
        run(1, 200, actuated, true, false);

        // Phase 1 has no vehicle: it gaps out after its minimum green (5 s) and phase 0 starts early, but phase 0
        // is still forced off at 27 + 40k.
        assertThat(greenStarts).startsWith("1@31", "0@40", "1@71", "0@80");
        assertThat(phase0Yellows).startsWith(27.0, 67.0, 107.0, 147.0);
        assertThat(c.gapOuts()).isGreaterThanOrEqualTo(4);
        assertThat(monitor.total()).isZero();
    }

    @Test
    void withoutASetForTheBackupTimeItDropsThePatternAndRunsFree() {
        c.reset(0, 0);
        run(1, 60, A, true, true);
        assertThat(control.systemPattern()).isEqualTo(1);
        run(61, 64, A, false, true);
        assertThat(c.patternStatus()).as("within the backup time").isEqualTo(1);
        run(65, 66, A, false, true);
        assertThat(c.centralInControl()).isFalse();
        assertThat(c.runningPattern()).isNull();
        assertThat(c.patternStatus()).isEqualTo(NtcipObjects.PATTERN_FREE);
        assertThat(c.localFreeStatus()).isEqualTo(NtcipObjects.LOCAL_FREE_COORD_FREE);
        assertThat(control.systemPattern()).as("systemPatternControl back to standby").isZero();
        assertThat(control.pattern()).isNull();
        // Free: fully actuated, phase 1 (continuous demand) maxes out at 60 s, no force-off at the old split ends.
        long maxOuts = c.maxOuts();
        run(67, 300, A, false, true);
        assertThat(c.maxOuts()).isGreaterThan(maxOuts);
        assertThat(c.cycleLeftS()).isZero();
        assertThat(monitor.total()).isZero();
    }
}
