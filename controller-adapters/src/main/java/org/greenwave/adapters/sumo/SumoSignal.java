/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.greenwave.adapters.field.FieldController;
import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.LoopVehicleData;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.time.Millis;

/**
 * One signal of the simulated field: its detectors subscribed through TraCI and turned into readings every step, and
 * the {@link FieldController} that follows the engine's plans there, whose decisions are shown in SUMO.
 *
 * <p>Threading: the simulation thread only.
 */
public final class SumoSignal {
    /** Road space a standing vehicle takes (length plus gap), for "the exit has room", metres. */
    public static final double STANDING_SPACING_M = 7.5;

    /**
     * A signal as SUMO knows it: its traffic light id, the engine's model of it and its detectors' ids per lane.
     *
     * @param id             the traffic light's id in SUMO (the engine's intersection id)
     * @param model          the engine's model of the signal
     * @param stopLineLoops  per incoming lane: the stop-line loop's id, or null for a lane without loops
     * @param advanceLoops   per incoming lane: the advance loop's id (null where the stop-line loop is)
     * @param incomingAreas  per incoming lane: the lane-area detectors covering its zone (the first names the engine's
     *                       detector), or null
     * @param incomingAreaShares per incoming lane and zone piece: the share of the piece's vehicles that are the
     *                       lane's (1 on the lane's own part, less on a lane upstream that also leads elsewhere)
     * @param outgoingAreas  per outgoing lane: the same, or null
     */
    public record Spec(String id, IntersectionModel model, String[] stopLineLoops, String[] advanceLoops,
                       String[][] incomingAreas, double[][] incomingAreaShares, String[][] outgoingAreas) {
        public Spec {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(model, "model");
        }
    }

    private final Spec spec;
    private final int index;
    private final FieldController field;
    private final boolean deviceDriven;
    /** Whether the engine is given this signal's detector readings (see {@link SumoField#add}). */
    private final boolean feedsEngine;
    private final Subscription tlsState;
    private final int stuckAreaVehicles;
    private final double stuckAreaJamM;
    /** Scratch: per incoming lane, the vehicles on its stop-line loop this step (null without a loop). */
    private final List<LoopVehicleData>[] stopLoopVehicles;
    /** Per outgoing lane: room for another vehicle in its zone this step. */
    private final boolean[] exitRoom;
    private final int[] stopDetector;
    private final int[] advanceDetector;
    private final int[] inAreaDetector;
    private final int[] outAreaDetector;
    private final Subscription[] stopLoops;
    private final Subscription[] advanceLoops;
    private final Subscription[][] inAreas;
    private final Subscription[][] outAreas;
    /** Per detector index: a stuck loop's single "on" edge was sent. */
    private final boolean[] stuckOnSent;
    private String programShown;
    /** The state last reported as the controller's status, when it began and when it was reported. */
    private String stateReported;
    private long stateSinceMs;
    private long reportedAtMs;
    /** Whether the state SUMO shows was last set from the interlock (not by a device program). */
    private boolean interlockShown;
    /** The step's loop edges of one detector, sorted by time. */
    private long[] edgeMs = new long[16];
    private boolean[] edgeOn = new boolean[16];

    /**
     * Subscribes to the signal's state and detectors.
     *
     * @param index          the engine's index of the intersection
     * @param deviceDriven   whether the signal runs a device program of its own for the whole run
     * @param devicePrograms the programs its field controller may run: the signal's own and an installed variant
     * @param feedsEngine    whether the engine is given the signal's detector readings; without, only the detectors
     *                       the run's own monitors read are subscribed: the stop-line loops and the exits' zones
     * @param areaLengthM    the length of a lane-area detector's zone: what a stuck one reports as jam
     */
    @SuppressWarnings("unchecked")
    SumoSignal(Spec spec, int index, boolean deviceDriven, boolean feedsEngine, Set<String> devicePrograms,
               DetectorDirectory directory, TraciClient c, PlanRefusals refusals, double areaLengthM) {
        this.spec = spec;
        this.index = index;
        this.deviceDriven = deviceDriven;
        this.feedsEngine = feedsEngine;
        IntersectionModel m = spec.model();
        this.field = new FieldController(m, devicePrograms, FieldController.MAX_PLAN_LIFETIME_MS, refusals);
        this.stuckAreaVehicles = (int) (areaLengthM / STANDING_SPACING_M);
        this.stuckAreaJamM = areaLengthM;
        this.stuckOnSent = new boolean[directory.detectorCount()];
        this.stopLoopVehicles = new List[m.incomingLaneCount()];
        this.exitRoom = new boolean[m.outgoingLaneCount()];
        Arrays.fill(exitRoom, true);
        int lanes = m.incomingLaneCount();
        stopDetector = new int[lanes];
        advanceDetector = new int[lanes];
        inAreaDetector = new int[lanes];
        for (int lane = 0; lane < lanes; lane++) {
            stopDetector[lane] = spec.stopLineLoops()[lane] == null ? -1
                    : directory.detectorIndex(spec.stopLineLoops()[lane]);
            advanceDetector[lane] = spec.advanceLoops()[lane] == null ? -1
                    : directory.detectorIndex(spec.advanceLoops()[lane]);
            inAreaDetector[lane] = spec.incomingAreas()[lane] == null ? -1
                    : directory.detectorIndex(spec.incomingAreas()[lane][0]);
        }
        outAreaDetector = new int[m.outgoingLaneCount()];
        for (int lane = 0; lane < outAreaDetector.length; lane++) {
            outAreaDetector[lane] = spec.outgoingAreas()[lane] == null ? -1
                    : directory.detectorIndex(spec.outgoingAreas()[lane][0]);
        }
        this.tlsState = c.subscribe(Domain.TRAFFIC_LIGHT, spec.id(), TraciConstants.TL_RED_YELLOW_GREEN_STATE);
        stopLoops = new Subscription[lanes];
        advanceLoops = new Subscription[lanes];
        inAreas = new Subscription[lanes][];
        for (int lane = 0; lane < lanes; lane++) {
            if (spec.stopLineLoops()[lane] != null) {
                stopLoops[lane] = c.subscribe(Domain.INDUCTION_LOOP, spec.stopLineLoops()[lane],
                        TraciConstants.LAST_STEP_VEHICLE_DATA);
                if (!feedsEngine) {
                    continue;
                }
                advanceLoops[lane] = c.subscribe(Domain.INDUCTION_LOOP, spec.advanceLoops()[lane],
                        TraciConstants.LAST_STEP_VEHICLE_DATA);
                String[] ids = spec.incomingAreas()[lane];
                inAreas[lane] = new Subscription[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    inAreas[lane][k] = c.subscribe(Domain.LANE_AREA, ids[k], TraciConstants.LAST_STEP_VEHICLE_NUMBER,
                            TraciConstants.LAST_STEP_VEHICLE_HALTING_NUMBER, TraciConstants.JAM_LENGTH_METERS);
                }
            }
        }
        outAreas = new Subscription[m.outgoingLaneCount()][];
        for (int lane = 0; lane < outAreas.length; lane++) {
            String[] ids = spec.outgoingAreas()[lane];
            if (ids != null) {
                outAreas[lane] = new Subscription[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    outAreas[lane][k] = c.subscribe(Domain.LANE_AREA, ids[k], TraciConstants.LAST_STEP_VEHICLE_NUMBER);
                }
            }
        }
    }

    public Spec spec() {
        return spec;
    }

    /** The traffic light's id in SUMO. */
    public String id() {
        return spec.id();
    }

    /** The engine's index of the intersection. */
    public int index() {
        return index;
    }

    /** The field controller that follows the engine's plans here. */
    public FieldController field() {
        return field;
    }

    /** Whether the signal runs a device program of its own for the whole run. */
    public boolean deviceDriven() {
        return deviceDriven;
    }

    /** The state SUMO shows after the last step (one character per link), or null when SUMO did not report it. */
    public String shown() {
        return tlsState.hasValue(0) ? (String) tlsState.value(0) : null;
    }

    /** Per outgoing lane: whether its zone had room for another vehicle in the last step. */
    public boolean[] exitRoom() {
        return exitRoom;
    }

    /** Whether the engine is given this signal's detector readings. */
    public boolean feedsEngine() {
        return feedsEngine;
    }

    /** Per incoming lane: the stop-line loop's engine detector index, or -1. */
    public int stopDetector(int lane) {
        return stopDetector[lane];
    }

    /**
     * Hands the step's detector readings to {@code feed}: loop actuations as on/off edges at the times SUMO reports
     * them, lane-area readings summed over the zone's lane pieces (a shared piece by its share). Failed detectors report as {@code faults} say from
     * {@code failFromS} on. A signal that {@linkplain #feedsEngine() feeds no engine} only notes its exits' room.
     *
     * @param stepStartS SUMO's time at the start of the step, seconds (the loops' entry and leave times are SUMO's)
     * @param nowMs      engine time after the step, milliseconds
     * @param faults     per engine detector index: a {@link DetectorFault} code
     */
    public void publish(DetectorFeed feed, double stepStartS, long nowMs, byte[] faults, double failFromS) {
        boolean failing = Millis.toSeconds(nowMs) >= failFromS;
        for (int lane = 0; lane < inAreas.length; lane++) {
            if (inAreas[lane] == null) {
                continue;
            }
            // A piece on a lane that also leads to other lanes counts its share of the vehicles; the jam is
            // where the queue's tail stands, whoever's vehicles form it.
            double[] shares = spec.incomingAreaShares()[lane];
            double vehiclesShare = 0;
            double haltingShare = 0;
            double jamM = 0;
            for (int k = 0; k < inAreas[lane].length; k++) {
                Subscription a = inAreas[lane][k];
                vehiclesShare += shares[k] * num(a, 0);
                haltingShare += shares[k] * num(a, 1);
                jamM += num(a, 2);
            }
            int vehicles = (int) Math.round(vehiclesShare);
            int halting = (int) Math.round(haltingShare);

            // SUMO may count a vehicle partly in the zone as halting but not as in it; a detector reports at
            // most as many halting vehicles as it sees.
            int area = inAreaDetector[lane];
            byte areaFault = failing && area >= 0 ? faults[area] : DetectorFault.OK;
            if (areaFault == DetectorFault.OK) {
                feed.laneArea(index, area, nowMs, vehicles, Math.min(halting, vehicles), jamM);
            } else if (areaFault == DetectorFault.STUCK) {
                feed.laneArea(index, area, nowMs, stuckAreaVehicles, stuckAreaVehicles, stuckAreaJamM);
            }
            loop(feed, stopLoops[lane], stopDetector[lane], stepStartS, nowMs, failing, faults);
            loop(feed, advanceLoops[lane], advanceDetector[lane], stepStartS, nowMs, failing, faults);
        }
        if (feedsEngine) {
            reportStatus(feed, nowMs);
        }
        for (int lane = 0; lane < outAreas.length; lane++) {
            if (outAreas[lane] != null) {
                int vehicles = 0;
                int halting = 0;
                double jamM = 0;
                for (Subscription a : outAreas[lane]) {
                    vehicles += (int) num(a, 0);
                }
                double lengthM = spec.model().outgoingLaneLengthM(lane);
                exitRoom[lane] = !(lengthM > 0) || (vehicles + 1) * STANDING_SPACING_M <= lengthM;
                if (!feedsEngine) {
                    continue;
                }
                int area = outAreaDetector[lane];
                byte areaFault = failing && area >= 0 ? faults[area] : DetectorFault.OK;
                if (areaFault == DetectorFault.OK) {
                    feed.laneArea(index, area, nowMs, vehicles, halting, jamM);
                } else if (areaFault == DetectorFault.STUCK) {
                    feed.laneArea(index, area, nowMs, stuckAreaVehicles, stuckAreaVehicles, stuckAreaJamM);
                }
            }
        }
    }

    /**
     * Reports what the signal shows as its controller's status, when the state changes and at least once a second: the
     * phase is the source program's index of the model's green phase shown (-1 during a change interval), the time in
     * phase the time since the state last changed, the program the one the field controller runs (null while it follows
     * the engine's plans).
     */
    private void reportStatus(DetectorFeed feed, long nowMs) {
        String shown = shown();
        if (shown == null) {
            return;
        }
        boolean changed = !shown.equals(stateReported);
        if (changed) {
            stateReported = shown;
            stateSinceMs = nowMs;
        } else if (nowMs - reportedAtMs < 1000) {
            return;
        }
        reportedAtMs = nowMs;
        int green = shownGreenPhase();
        feed.controllerStatus(index, new ControllerStatus(spec.id(), nowMs,
                green < 0 ? -1 : spec.model().greenPhaseSourceIndex(green), shown,
                nowMs - stateSinceMs, field.deviceProgram(), -1));
    }

    /** The vehicles SUMO reports on each stop-line loop this step (ground truth, whatever failed for the engine). */
    @SuppressWarnings("unchecked")
    public List<LoopVehicleData>[] stopLoopVehicles() {
        for (int lane = 0; lane < stopLoops.length; lane++) {
            Subscription s = stopLoops[lane];
            stopLoopVehicles[lane] = s != null && s.hasValue(0) ? (List<LoopVehicleData>) s.value(0) : null;
        }
        return stopLoopVehicles;
    }

    /** A loop's edges, unless it failed: a dead loop says nothing, a stuck one goes on once and stays on. */
    private void loop(DetectorFeed feed, Subscription sub, int detector, double stepStartS, long nowMs,
                      boolean failing, byte[] faults) {
        if (detector < 0) {
            return;
        }
        byte fault = failing ? faults[detector] : DetectorFault.OK;
        if (fault == DetectorFault.OK) {
            edges(feed, sub, detector, stepStartS);
        } else if (fault == DetectorFault.STUCK && !stuckOnSent[detector]) {
            stuckOnSent[detector] = true;
            feed.detectorEdge(index, detector, true, nowMs);
        }
    }

    private static double num(Subscription s, int i) {
        return s.hasValue(i) ? s.number(i) : 0;
    }

    /** On and off edges of the vehicles that reached or left the loop during the last step, in time order. */
    @SuppressWarnings("unchecked")
    private void edges(DetectorFeed feed, Subscription loop, int detector, double stepStartS) {
        if (detector < 0 || !loop.hasValue(0)) {
            return;
        }
        // SUMO lists the step's vehicles, not its edges in time order: a vehicle may enter the loop before the
        // one ahead of it has left. Sort the step's edges by time, "off" before "on" at the same millisecond.
        int n = 0;
        List<LoopVehicleData> vehicles = (List<LoopVehicleData>) loop.value(0);
        // Indexed: an iterator over the step's list would be allocated for every loop every step.
        for (int v = 0, count = vehicles.size(); v < count; v++) {
            LoopVehicleData d = vehicles.get(v);
            // A step covers (stepStart, now]: an edge exactly at stepStart belongs to the step before.
            if (d.entryTimeS() > stepStartS + 1e-9) {
                n = addEdge(n, Math.round(d.entryTimeS() * 1000), true);
            }
            if (d.leaveTimeS() >= 0 && d.leaveTimeS() > stepStartS + 1e-9) {
                n = addEdge(n, Math.round(d.leaveTimeS() * 1000), false);
            }
        }
        for (int i = 0; i < n; i++) {
            feed.detectorEdge(index, detector, edgeOn[i], edgeMs[i]);
        }
    }

    /** Inserts an edge into the step's sorted edge buffer; returns the new count. */
    private int addEdge(int n, long timeMs, boolean on) {
        if (n == edgeMs.length) {
            edgeMs = Arrays.copyOf(edgeMs, n * 2);
            edgeOn = Arrays.copyOf(edgeOn, n * 2);
        }
        int i = n;
        while (i > 0 && (edgeMs[i - 1] > timeMs || (edgeMs[i - 1] == timeMs && edgeOn[i - 1] && !on))) {
            edgeMs[i] = edgeMs[i - 1];
            edgeOn[i] = edgeOn[i - 1];
            i--;
        }
        edgeMs[i] = timeMs;
        edgeOn[i] = on;
        return n + 1;
    }

    /** Starts the field controller at the green phase SUMO shows (or the first) and shows its state. */
    void start(TraciClient c, long nowMs) {
        String shown = shown();
        field.reset(initialPhase(shown != null ? shown : ""), nowMs);
        if (!deviceDriven) {
            c.setRedYellowGreenState(spec.id(), field.shownString());
            interlockShown = true;
        }
    }

    /**
     * Shows what the field controller decided: its device program, or its interlock's state. A hand-over from the
     * interlock to the device program starts the program at the stage the interlock shows; a hand-back waits until
     * the program shows one of the model's green phases and resumes the interlock there.
     */
    void apply(TraciClient c, long nowMs) {
        boolean changed = field.step(nowMs);
        String program = field.deviceProgram();
        if (program != null) {
            if (field.wantsInterlock() && !deviceDriven) {
                int phase = shownGreenPhase();
                if (phase >= 0) {
                    field.resume(phase, nowMs);
                    programShown = null;
                    c.queueRedYellowGreenState(spec.id(), field.shownString());
                    interlockShown = true;
                }
                return;
            }
            if (!program.equals(programShown)) {
                if (!program.equals(c.getProgram(spec.id()))) {
                    c.setProgram(spec.id(), program);
                    if (interlockShown) {
                        c.setPhase(spec.id(), spec.model().greenPhaseSourceIndex(field.interlock().phase()));
                    }
                }
                programShown = program;
                interlockShown = false;
            }
            return;
        }
        if (deviceDriven) {
            // A device program stays in charge while its plans are late; the field has nothing else to run.
            return;
        }
        if (changed || !interlockShown) {
            // Sent with the next step, in its one round trip.
            c.queueRedYellowGreenState(spec.id(), field.shownString());
            interlockShown = true;
        }
    }

    /** The model's green phase that the signal shows this step, or -1. */
    private int shownGreenPhase() {
        String shown = shown();
        if (shown == null) {
            return -1;
        }
        for (int p = 0; p < spec.model().greenPhaseCount(); p++) {
            if (spec.model().greenPhaseString(p).equals(shown)) {
                return p;
            }
        }
        return -1;
    }

    /** The green phase whose state SUMO shows now, or the first one. */
    private int initialPhase(String shown) {
        for (int p = 0; p < spec.model().greenPhaseCount(); p++) {
            if (spec.model().greenPhaseString(p).equals(shown)) {
                return p;
            }
        }
        return 0;
    }
}
