package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    private final IntersectionModel model = TestModels.twoPhase(3, 0, 5, 60);
    private final SafetyInterlock interlock = new SafetyInterlock(model);
    private final IntersectionState state = new IntersectionState(model, interlock);
    private final Watchdog watchdog = new Watchdog(model);

    /** North-south green throughout; east waits with {@code eastVehicles} in its zone. */
    private boolean tick(double nowS, int eastVehicles, boolean northSpilled) {
        state.now(Millis.fromSeconds(nowS));
        state.incomingArea(2, eastVehicles, eastVehicles, eastVehicles * 7.5);
        state.queueEstimate(2, eastVehicles, 0, false);
        state.queueEstimate(0, 0, 0, northSpilled);
        return watchdog.suspended(state);
    }

    @Test
    void aLaneKeptRedWithVehiclesHandsTheSignalToItsOwnProgramThenTriesAgain() {
        interlock.reset(0, 0);
        for (int t = 0; t < Watchdog.STARVED_S; t++) {
            assertThat(tick(t, 3, false)).as("t=%d", t).isFalse();
        }
        assertThat(tick(Watchdog.STARVED_S, 3, false)).isTrue();
        assertThat(watchdog.trips()).isEqualTo(1);
        assertThat(watchdog.reason()).contains("lane e_in had vehicles and no green for 180 s")
                .contains("own program for 900 s");
        double tripS = Watchdog.STARVED_S;
        for (double t = tripS + 1; t < tripS + Watchdog.FIRST_HOLD_S; t++) {
            assertThat(tick(t, 0, false)).isTrue();
        }
        assertThat(tick(tripS + Watchdog.FIRST_HOLD_S, 0, false)).as("retries after the hold").isFalse();
        assertThat(watchdog.suspendedS()).isEqualTo(Watchdog.FIRST_HOLD_S);
        assertThat(watchdog.isSuspended()).isFalse();
        // Failing again soon doubles the hold.
        double again = tripS + Watchdog.FIRST_HOLD_S;
        for (double t = again + 1; t <= again + Watchdog.STARVED_S + 1; t++) {
            tick(t, 3, false);
        }
        assertThat(watchdog.trips()).isEqualTo(2);
        assertThat(watchdog.reason()).contains("own program for 1800 s");
    }

    @Test
    void aLaneWithoutVehiclesOrWithGreenNeverTripsIt() {
        interlock.reset(0, 0);
        for (int t = 0; t < 5000; t++) {
            assertThat(tick(t, 0, false)).isFalse();
        }
        assertThat(watchdog.trips()).isZero();
        assertThat(watchdog.reason()).isEmpty();
    }

    @Test
    void persistentSpillBackTripsIt() {
        interlock.reset(0, 0);
        for (int t = 0; t < Watchdog.SPILLBACK_S; t++) {
            assertThat(tick(t, 0, true)).isFalse();
        }
        assertThat(tick(Watchdog.SPILLBACK_S, 0, true)).isTrue();
        assertThat(watchdog.reason()).contains("lane n_in spilled back");
    }

    @Test
    void sendingFarFewerVehiclesThanItsOwnProgramWouldTripsIt() {
        interlock.reset(0, 0);
        // North-south green throughout: south sends 0.05 veh/s; north's queue grows by 0.2 veh/s and sends nobody.
        // Its own program gives each 20 of 46 s at 0.46 veh/s (about 180 vehicles in 900 s): it would have sent
        // south's 45 and north's 180.
        boolean tripped = false;
        double tripS = Double.NaN;
        for (int t = 0; t <= Watchdog.THROUGHPUT_WINDOW_S + 1 && !tripped; t++) {
            state.now(t * 1000L);
            if (t % 20 == 0) {
                state.addStopLineCount(1, 1);
            }
            state.queueEstimate(0, 0.2 * t, 0, false);
            tripped = watchdog.suspended(state);
            tripS = t;
        }
        assertThat(tripped).isTrue();
        assertThat(tripS).isEqualTo(Watchdog.THROUGHPUT_WINDOW_S);
        assertThat(watchdog.reason()).contains("45 vehicles crossed in 900 s, where its own program would have sent "
                + "about 2");
    }

    @Test
    void sendingWhatArrivesNeverTripsItOnThroughput() {
        interlock.reset(0, 0);
        // Both green lanes send what arrives (0.3 veh/s each), queues stay short.
        for (int t = 0; t < 4 * Watchdog.THROUGHPUT_WINDOW_S; t++) {
            state.now(t * 1000L);
            if (t % 10 < 3) {
                state.addStopLineCount(0, 1);
                state.addStopLineCount(1, 1);
            }
            state.queueEstimate(0, t % 10 < 5 ? 1 : 0, 0, false);
            assertThat(watchdog.suspended(state)).as("t=%d", t).isFalse();
        }
        assertThat(watchdog.trips()).isZero();
    }
}
