package org.greenwave.core.policy;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.safety.SafetyMonitor;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;

/**
 * Runs a policy through a real {@link IntersectionState} and {@link SafetyInterlock} the way the harness does: each
 * tick sets the time, asks the policy, steps the interlock, and shows the result to a {@link SafetyMonitor}. Records
 * every change of interval as {@code "G<phase>@<t>"}, {@code "Y<from>><to>@<t>"} or {@code "R@<t>"}.
 */
final class Ticker {
    final IntersectionModel model;
    final SafetyInterlock interlock;
    final IntersectionState state;
    final SafetyMonitor monitor;
    final SignalPolicy policy;
    final List<String> events = new ArrayList<>();

    Ticker(IntersectionModel model, SignalPolicy policy, int firstPhase, double startS) {
        this.model = model;
        this.policy = policy;
        this.interlock = new SafetyInterlock(model);
        this.state = new IntersectionState(model, interlock);
        this.monitor = new SafetyMonitor(model);
        interlock.reset(firstPhase, Millis.fromSeconds(startS));
        monitor.observe(Millis.fromSeconds(startS), interlock.shownString());
        events.add("G" + firstPhase + "@" + time(startS));
    }

    /** One control tick at {@code nowS} (seconds, turned into engine milliseconds); returns the policy's proposal. */
    int tick(double nowS) {
        long nowMs = Millis.fromSeconds(nowS);
        state.now(nowMs);
        int proposal = policy.propose(state);
        int before = interlock.interval();
        interlock.step(nowMs, proposal);
        monitor.observe(nowMs, interlock.shownString());
        int after = interlock.interval();
        if (after != before) {
            switch (after) {
                case SafetyInterlock.GREEN:
                    events.add("G" + interlock.phase() + "@" + time(nowS));
                    break;
                case SafetyInterlock.YELLOW:
                    events.add("Y" + interlock.phase() + ">" + interlock.targetPhase() + "@" + time(nowS));
                    break;
                default:
                    events.add("R@" + time(nowS));
                    break;
            }
        }
        return proposal;
    }

    /** Ticks every second from {@code fromS} to {@code toS}, both included. */
    void run(int fromS, int toS) {
        for (int t = fromS; t <= toS; t++) {
            tick(t);
        }
    }

    private static String time(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
