package org.greenwave.core.policy;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionView;

/**
 * Fixed-time control re-planned every cycle by Webster's method from measured flows. The phases run in the signal's
 * own order. At the start of each cycle the demand of every incoming lane is measured over the last cycle as the
 * vehicles its stop-line detector counted plus the growth of the vehicles in its detection zone (smoothed over
 * cycles), each phase's critical flow ratio {@code y} is the largest ratio of the lanes
 * it serves, and
 * <pre>  C = (1.5 L + 5) / (1 - Y),   g_i = (C - L) y_i / Y</pre>
 * with {@code L} the lost time per cycle (the intergreens) and {@code Y} the sum of the critical ratios; when
 * {@code Y >= 0.9} the cycle is {@code maxCycleS}. Always {@code minCycleS <= C <= maxCycleS} and every green is at
 * least the phase's minimum green. The first cycle runs the greens of the signal's own program; a cycle in which no
 * detector counted anything splits the shortest cycle equally.
 */
public final class WebsterPolicy implements SignalPolicy {
    private static final double MAX_Y = 0.9;
    private static final double SMOOTHING = 0.5;

    private final IntersectionModel model;
    private final double minCycleS;
    private final double maxCycleS;
    private final double[] greenS;
    private final double[] laneFlowVehPerS;
    private final long[] laneCountAtCycleStart;
    private final int[] laneVehiclesAtCycleStart;
    private final double[] criticalRatio;
    private final boolean[][] serves;
    private final int[] phasesServingLane;
    private double cycleStartS = Double.NaN;
    private boolean measured;
    private int lastPhase = -1;

    public WebsterPolicy(IntersectionModel model, double minCycleS, double maxCycleS) {
        this.model = model;
        this.minCycleS = minCycleS;
        this.maxCycleS = maxCycleS;
        int phases = model.greenPhaseCount();
        int lanes = model.incomingLaneCount();
        this.greenS = new double[phases];
        for (int p = 0; p < phases; p++) {
            greenS[p] = Math.max(model.minGreenS(p), model.programGreenS(p));
        }
        this.laneFlowVehPerS = new double[lanes];
        this.laneCountAtCycleStart = new long[lanes];
        this.laneVehiclesAtCycleStart = new int[lanes];
        this.criticalRatio = new double[phases];
        this.serves = servedLanes(model);
        this.phasesServingLane = new int[lanes];
        for (int p = 0; p < phases; p++) {
            for (int lane = 0; lane < lanes; lane++) {
                if (serves[p][lane]) {
                    phasesServingLane[lane]++;
                }
            }
        }
    }

    /**
     * Which lanes each phase serves: those with a protected green in it, or, for lanes that never get a protected
     * green, a permissive one.
     */
    static boolean[][] servedLanes(IntersectionModel m) {
        int phases = m.greenPhaseCount();
        boolean[][] protectedIn = new boolean[phases][m.incomingLaneCount()];
        boolean[][] anyIn = new boolean[phases][m.incomingLaneCount()];
        boolean[] everProtected = new boolean[m.incomingLaneCount()];
        for (int p = 0; p < phases; p++) {
            for (int l = 0; l < m.linkCount(); l++) {
                int lane = m.linkIncomingLane(l);
                if (lane < 0) {
                    continue;
                }
                char c = m.greenState(p, l);
                if (c == SignalChar.GREEN) {
                    protectedIn[p][lane] = true;
                    everProtected[lane] = true;
                }
                if (SignalChar.isGreen(c)) {
                    anyIn[p][lane] = true;
                }
            }
        }
        boolean[][] serves = new boolean[phases][m.incomingLaneCount()];
        for (int p = 0; p < phases; p++) {
            for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
                serves[p][lane] = everProtected[lane] ? protectedIn[p][lane] : anyIn[p][lane];
            }
        }
        return serves;
    }

    @Override
    public int propose(IntersectionView view) {
        if (view.interval() != SafetyInterlock.GREEN) {
            return view.targetPhase();
        }
        int phase = view.phase();
        if (phase != lastPhase) {
            lastPhase = phase;
            if (phase == 0) {
                startCycle(view);
            }
        }
        if (view.phaseElapsedS() + 1e-6 >= greenS[phase]) {
            return (phase + 1) % model.greenPhaseCount();
        }
        return phase;
    }

    private void startCycle(IntersectionView view) {
        double now = view.nowS();
        if (!Double.isNaN(cycleStartS) && now - cycleStartS > 1) {
            double lengthS = now - cycleStartS;
            for (int lane = 0; lane < laneFlowVehPerS.length; lane++) {
                // Demand = vehicles served + growth of the queue: served flow alone caps at capacity and would
                // hide an oversaturated approach.
                long served = view.stopLineCount(lane) - laneCountAtCycleStart[lane];
                int growth = view.incomingVehicles(lane) - laneVehiclesAtCycleStart[lane];
                double flow = Math.max(0, served + growth) / lengthS;
                laneFlowVehPerS[lane] = measured ? SMOOTHING * flow + (1 - SMOOTHING) * laneFlowVehPerS[lane] : flow;
            }
            measured = true;
            replan();
        }
        cycleStartS = now;
        for (int lane = 0; lane < laneFlowVehPerS.length; lane++) {
            laneCountAtCycleStart[lane] = view.stopLineCount(lane);
            laneVehiclesAtCycleStart[lane] = view.incomingVehicles(lane);
        }
    }

    private void replan() {
        int phases = greenS.length;
        double lostS = phases * (model.yellowS() + model.allRedS());
        double sumY = 0;
        double[] y = criticalRatio;
        for (int p = 0; p < phases; p++) {
            y[p] = 0;
            for (int lane = 0; lane < laneFlowVehPerS.length; lane++) {
                if (serves[p][lane]) {
                    double ratio = laneFlowVehPerS[lane] / model.incomingLaneSaturationVehPerS(lane)
                            / phasesServingLane[lane];
                    y[p] = Math.max(y[p], ratio);
                }
            }
            sumY += y[p];
        }
        double minGreenSum = 0;
        for (int p = 0; p < phases; p++) {
            minGreenSum += model.minGreenS(p);
        }
        double cycleS = sumY >= MAX_Y ? maxCycleS : (1.5 * lostS + 5) / (1 - sumY);
        cycleS = Math.min(maxCycleS, Math.max(Math.max(minCycleS, minGreenSum + lostS), cycleS));
        double effectiveS = cycleS - lostS;
        for (int p = 0; p < phases; p++) {
            double share = sumY > 0 ? y[p] / sumY : 1.0 / phases;
            greenS[p] = Math.min(model.maxGreenS(p), Math.max(model.minGreenS(p), effectiveS * share));
        }

    }

    /** The green planned for {@code phase} in the current cycle, seconds. */
    public double plannedGreenS(int phase) {
        return greenS[phase];
    }
}
