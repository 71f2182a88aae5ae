package org.greenwave.adapters.ntcip.virtual;

import org.greenwave.adapters.ntcip.TestIntersections;
import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.Test;

class ActuatedControllerTest {

    private final IntersectionModel model = TestIntersections.crossing("x");
    private final PhaseControl control = new PhaseControl();
    /** Detector 0 on lane n (phase 0), detector 1 on lane e (phase 1). */
    private final ActuatedController c = new ActuatedController(model,
            new PhaseTiming[] {new PhaseTiming(5, 3, 30, false), new PhaseTiming(5, 3, 30, false)},
            new int[] {lane("n"), lane("e")}, control, 5);
    private final SafetyMonitor monitor = new SafetyMonitor(model);

    private int lane(String id) {
        for (int l = 0; l < model.incomingLaneCount(); l++) {
            if (model.incomingLaneId(l).equals(id)) {
                return l;
            }
        }
        throw new AssertionError(id);
    }

    private void run(double fromS, double toS, boolean north, boolean east) {
        for (double t = fromS; t <= toS + 1e-9; t += 1) {
            c.step(Millis.fromSeconds(t), new boolean[] {north, east});
            monitor.observe(Millis.fromSeconds(t), c.shownString());
        }
    }

    @Test
    void restsInGreenWithoutConflictingCalls() {
        c.reset(0, 0);
        run(1, 60, false, false);
        assertThat(c.shownString()).isEqualTo("GGrr");
        assertThat(c.greens()).isEqualTo(1);
        assertThat(c.reds()).isEqualTo(2);
        assertThat(monitor.total()).isZero();
    }

    @Test
    void gapsOutAfterPassageWhenAnotherPhaseIsCalled() {
        c.reset(0, 0);
        run(1, 10, true, false);     // steady traffic north: extended
        run(11, 11, true, true);     // a car east calls phase 1
        assertThat(c.vehCalls()).isEqualTo(2);
        run(12, 13, false, false);
        assertThat(c.shownString()).isEqualTo("GGrr");
        run(14, 14, false, false);   // 3 s without a car north: gap out
        assertThat(c.shownString()).isEqualTo("yyrr");
        assertThat(c.yellows()).isEqualTo(1);
        assertThat(c.gapOuts()).isEqualTo(1);
        run(15, 17, false, false);
        assertThat(c.shownString()).isEqualTo("rrrr");
        run(18, 18, false, false);
        assertThat(c.shownString()).isEqualTo("rrGG");
        assertThat(c.vehCalls()).isZero();
        assertThat(monitor.total()).isZero();
    }

    @Test
    void maxesOutUnderContinuousDemand() {
        c.reset(0, 0);
        run(1, 29, true, true);
        assertThat(c.shownString()).isEqualTo("GGrr");
        run(30, 30, true, true);
        assertThat(c.shownString()).isEqualTo("yyrr");
        assertThat(c.maxOuts()).isEqualTo(1);
    }

    @Test
    void anEarlyForceOffIsHeldUntilMinimumGreen() {
        c.reset(0, 0);
        control.vehCall(0b10);
        control.forceOff(0b01);
        run(1, 4, true, false);
        assertThat(c.shownString()).isEqualTo("GGrr");
        assertThat(c.heldForMinGreen()).isPositive();
        run(5, 5, true, false);
        assertThat(c.shownString()).isEqualTo("yyrr");
        assertThat(c.centralInControl()).isTrue();
        assertThat(monitor.total()).isZero();
    }

    @Test
    void holdKeepsTheGreenAgainstCallsAndOmitSkipsAPhase() {
        c.reset(0, 0);
        control.hold(0b01);
        for (int t = 1; t <= 40; t++) {
            control.hold(0b01);      // the central system keeps setting
            c.step(t * 1000L, new boolean[] {false, true});
        }
        assertThat(c.shownString()).isEqualTo("GGrr");
        control.hold(0);
        control.omit(0b10);
        c.step(41_000, new boolean[] {false, true});
        assertThat(c.shownString()).isEqualTo("GGrr");
    }

    @Test
    void dropsCentralControlAfterTheBackupTime() {
        c.reset(0, 0);
        control.hold(0b01);
        run(1, 4, false, true);
        assertThat(c.shownString()).isEqualTo("GGrr");
        assertThat(c.centralInControl()).isTrue();
        run(5, 7, false, true);       // no set since t=1: the backup time (5 s) has run out
        assertThat(c.centralInControl()).isFalse();
        assertThat(c.shownString()).isEqualTo("yyrr");
    }

    @Test
    void aPhaseOnMinimumRecallIsServedEveryCycleWithoutVehicles() {
        ActuatedController r = new ActuatedController(model,
                new PhaseTiming[] {new PhaseTiming(5, 3, 30, true), new PhaseTiming(5, 3, 30, true)},
                new int[] {lane("n"), lane("e")}, new PhaseControl(), 5);
        r.reset(0, 0);
        StringBuilder shown = new StringBuilder();
        for (int t = 1; t <= 40; t++) {
            r.step(t * 1000L, new boolean[] {false, false});
            monitor.observe(t * 1000L, r.shownString());
            if (shown.indexOf(r.shownString()) < 0) {
                shown.append(r.shownString()).append(' ');
            }
        }
        assertThat(shown.toString()).contains("GGrr").contains("rrGG");
        assertThat(r.gapOuts()).isGreaterThanOrEqualTo(4);
        assertThat(monitor.total()).isZero();
    }

    @Test
    void aCountingDetectorCallsNoPhase() {
        ActuatedController r = new ActuatedController(model,
                new PhaseTiming[] {new PhaseTiming(5, 3, 30, false), new PhaseTiming(5, 3, 30, false)},
                new int[] {lane("n"), -1}, new PhaseControl(), 5);
        r.reset(0, 0);
        for (int t = 1; t <= 30; t++) {
            r.step(t * 1000L, new boolean[] {false, true});
        }
        assertThat(r.vehCalls()).isZero();
        assertThat(r.shownString()).isEqualTo("GGrr");
    }
}
