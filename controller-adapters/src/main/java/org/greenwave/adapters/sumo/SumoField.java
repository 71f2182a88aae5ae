/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.core.ingest.DetectorDirectory;

/**
 * SUMO as the field: one {@link SumoSignal} per controlled signal, the {@link PlanBoard} the engine's plans reach the
 * field through, and the TraCI client that shows what each signal's field controller decides. How the readings and
 * plans travel to and from the engine (in process through a {@link SumoPort}, or over a protocol) is not its concern:
 * readings go to whatever {@link DetectorFeed} the caller gives, plans come from the board whoever filled it.
 *
 * <p>Threading: the simulation thread, which owns the TraCI client; only the board is filled from other threads.
 */
public final class SumoField {
    private final TraciClient client;
    private final DetectorDirectory directory;
    private final PlanBoard board;
    private final PlanRefusals refusals;
    private final double areaLengthM;
    private final List<SumoSignal> signals = new ArrayList<>();

    /**
     * @param directory   the engine's detector and intersection ids, for the dense indexes readings carry
     * @param board       where the plans that reach the field wait for their field controller
     * @param refusals    where the field controllers count the plans they refuse
     * @param areaLengthM the length of a lane-area detector's zone (what a stuck one reports as jam), metres
     */
    public SumoField(TraciClient client, DetectorDirectory directory, PlanBoard board, PlanRefusals refusals,
                     double areaLengthM) {
        this.client = client;
        this.directory = directory;
        this.board = board;
        this.refusals = refusals;
        this.areaLengthM = areaLengthM;
    }

    /**
     * Adds the next signal (its index is the engine's intersection index: signals are added in the engine's order),
     * subscribes to its state and detectors, starts its field controller at the green phase SUMO shows and, unless a
     * device program drives it, shows the controller's state.
     *
     * @param deviceDriven     whether the signal runs a device program of its own for the whole run
     * @param feedsEngine      whether the engine is given the signal's detector readings. A signal whose device program
     *                         drives it for the whole run gets its plans whatever the engine reads; when nothing else
     *                         reads the engine's view of the field either, leaving its readings out spares SUMO from
     *                         reporting every detector each step (only the stop-line loops and the exits' zones, which
     *                         the run's monitors read, stay subscribed)
     * @param installedProgram the program variant installed for the run (fixed-time, actuated), or null: the field
     *                         controller may run it and the signal's own program
     */
    public SumoSignal add(SumoSignal.Spec spec, boolean deviceDriven, boolean feedsEngine, String installedProgram,
                          long nowMs) {
        String source = spec.model().sourceProgramId();
        Set<String> programs = installedProgram == null || installedProgram.equals(source) ? Set.of(source)
                : Set.of(source, installedProgram);
        SumoSignal s = new SumoSignal(spec, signals.size(), deviceDriven, feedsEngine, programs, directory, client,
                refusals, areaLengthM);
        signals.add(s);
        s.start(client, nowMs);
        return s;
    }

    public int size() {
        return signals.size();
    }

    public SumoSignal signal(int i) {
        return signals.get(i);
    }

    public PlanBoard board() {
        return board;
    }

    /**
     * The device's own actuated logic reads the stop-line loops directly in SUMO; failed ones are made to look failed
     * to it too: a dead loop never detects again, a stuck one detects for ever.
     *
     * @param faults          per engine detector index: a {@link DetectorFault} code
     * @param deadLoopSilenceS time since detection a dead loop shows the device's logic, seconds
     */
    public void failDeviceLoops(byte[] faults, double deadLoopSilenceS) {
        for (SumoSignal s : signals) {
            if (!s.deviceDriven()) {
                continue;
            }
            String[] loops = s.spec().stopLineLoops();
            for (int lane = 0; lane < loops.length; lane++) {
                int d = s.stopDetector(lane);
                if (d >= 0 && faults[d] != DetectorFault.OK) {
                    client.overrideTimeSinceDetection(loops[lane], faults[d] == DetectorFault.STUCK ? 0
                            : deadLoopSilenceS);
                }
            }
        }
    }

    /**
     * Shows {@code state} (one SUMO character per link) on signal {@code i}, sent with the next step: for a field whose
     * signals are driven by controllers of their own rather than by the field controllers following the board.
     */
    public void show(int i, String state) {
        client.queueRedYellowGreenState(signals.get(i).id(), state);
    }

    /**
     * After the engine's ticks for {@code nowMs}: hands each signal's newest plan to its field controller, steps the
     * controller and shows its decision in SUMO (state changes are queued and sent with the next step).
     */
    public void applyPlans(long nowMs) {
        for (int i = 0, n = signals.size(); i < n; i++) {
            SumoSignal s = signals.get(i);
            board.deliver(i, s.field(), nowMs);
            s.apply(client, nowMs);
        }
    }
}
