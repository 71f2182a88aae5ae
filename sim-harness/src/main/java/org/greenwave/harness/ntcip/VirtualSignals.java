package org.greenwave.harness.ntcip;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.adapters.ntcip.virtual.PhaseTiming;
import org.greenwave.harness.scenario.AdditionalFiles;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.SumoNet;

/**
 * The virtual controller's set-up for a signal of a SUMO scenario: the phase table and detectors an actuated
 * controller in the field would have there, chosen as SUMO's {@code actuated} baseline chooses them
 * ({@link AdditionalFiles#writeActuatedPrograms}), so the two can be compared: the program's green phases in their order,
 * minimum and maximum green from the program ({@link AdditionalFiles#actuatedMinGreenS},
 * {@link AdditionalFiles#actuatedMaxGreenS}), passage {@value AdditionalFiles#ACTUATED_MAX_GAP_S} s, every phase on
 * minimum recall (SUMO's actuated logic serves every green phase each cycle), and each incoming
 * lane's stop-line loop as a vehicle detector calling and extending the phases that give the lane green (advance loops
 * are served as counting detectors, see {@link #detectorIds}).
 */
public final class VirtualSignals {
    /** Seconds without a phase-control set after which a virtual controller runs on its own timing. */
    public static final double DEFAULT_BACKUP_S = 5;

    private VirtualSignals() {
    }

    /**
     * The vehicle detectors (SUMO loop ids) of {@code ci} in NTCIP detector order (1, 2, ...): first each incoming
     * lane's stop-line loop, which calls and extends the lane's phases, then each lane's advance loop, a system
     * detector that only counts (volume and occupancy for the central system).
     */
    public static List<String> detectorIds(ControlledIntersection ci) {
        List<String> ids = new ArrayList<>();
        for (String id : ci.stopLineLoops()) {
            if (id != null) {
                ids.add(id);
            }
        }
        for (String id : ci.advanceLoops()) {
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The phase table of {@code ci}, one row per green phase. */
    public static PhaseTiming[] timing(ControlledIntersection ci) {
        int n = ci.model().greenPhaseCount();
        PhaseTiming[] t = new PhaseTiming[n];
        for (int p = 0; p < n; p++) {
            SumoNet.Phase ph = ci.program().phases().get(ci.model().greenPhaseSourceIndex(p));
            // The model's minimum (pedestrian walk and clearance included) is a floor the interlock enforces anyway.
            double min = Math.max(AdditionalFiles.actuatedMinGreenS(ph), ci.model().effectiveMinGreenS(p));
            t[p] = new PhaseTiming(min, AdditionalFiles.ACTUATED_MAX_GAP_S,
                    Math.max(min, AdditionalFiles.actuatedMaxGreenS(ph)), true);
        }
        return t;
    }

    /**
     * One cabinet per signal, in the order given: each signal's phase control and the actuated controller following
     * it ({@link #controller}).
     */
    public record Cabinets(List<ActuatedController> controllers, List<PhaseControl> controls) {
    }

    /** The cabinets of {@code signals}, each controller with {@code backupS} of backup time. */
    public static Cabinets cabinets(List<ControlledIntersection> signals, double backupS) {
        List<ActuatedController> controllers = new ArrayList<>();
        List<PhaseControl> controls = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            PhaseControl control = new PhaseControl();
            controls.add(control);
            controllers.add(controller(ci, control, backupS));
        }
        return new Cabinets(List.copyOf(controllers), List.copyOf(controls));
    }

    /** An actuated controller for {@code ci} following {@code control}. */
    public static ActuatedController controller(ControlledIntersection ci, PhaseControl control, double backupS) {
        List<Integer> lanes = new ArrayList<>();
        String[] loops = ci.stopLineLoops();
        for (int lane = 0; lane < loops.length; lane++) {
            if (loops[lane] != null) {
                lanes.add(lane);
            }
        }
        for (String id : ci.advanceLoops()) {
            if (id != null) {
                lanes.add(-1);
            }
        }
        int[] detectorLanes = new int[lanes.size()];
        for (int i = 0; i < detectorLanes.length; i++) {
            detectorLanes[i] = lanes.get(i);
        }
        return new ActuatedController(ci.model(), timing(ci), detectorLanes, control, backupS);
    }
}
