package org.greenwave.adapters.ntcip.virtual;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.SafetyInterlock;

/**
 * A fully actuated signal controller for one signal, as a field controller runs it: the signal program's green phases
 * in their order, each with a minimum green, a passage time and a maximum green ({@link PhaseTiming}); vehicle calls
 * from its detectors (locked until served) and from minimum recall; a green that gaps out (no vehicle for its passage time) or maxes out when
 * another phase has a call, and rests when none has. Yellow change and red clearance are the signal's ({@link
 * IntersectionModel#yellowS()}, {@link IntersectionModel#allRedS()}); every transition goes through the engine's
 * {@link SafetyInterlock}, the one place the transition rule lives, so no interval is shorter than the model allows and
 * no green ends before its minimum.
 *
 * <p>A central system's phase control ({@link PhaseControl}) is honoured while sets keep arriving: hold keeps a green
 * (up to the signal's hard maximum, which the interlock enforces), force-off ends it once its minimum green is served
 * (an earlier force-off waits for it), omit keeps a phase from being served next, a vehicle call calls the phase. When
 * no set has arrived for the backup time ({@code unitBackupTime}), the controller drops the central system's control
 * and runs on its own timing.
 *
 * <p>Threading: {@link #step} on one thread (the one that drives the signal); the status getters may be read from any
 * thread (single volatile words). No allocation after construction.
 */
public final class ActuatedController {
    private final IntersectionModel model;
    private final PhaseTiming[] timing;
    private final SafetyInterlock interlock;
    private final PhaseControl control;
    private final double backupS;
    /** Per detector: the green phases whose lanes it covers (bit p for phase p). */
    private final long[] detectorPhases;
    private final double[] lastActuationS;
    private final int phaseCount;
    /** Phases on minimum recall. */
    private final long recall;
    private long calls;
    private long lastSets = -1;
    private double lastSetS = Double.NEGATIVE_INFINITY;
    private boolean centralInControl;
    private long gapOuts;
    private long maxOuts;
    private long forceOffs;

    private volatile long greens;
    private volatile long yellows;
    private volatile long reds;
    private volatile long phaseOns;
    private volatile long phaseNexts;
    private volatile long vehCalls;

    /**
     * @param detectorLanes per detector, the model's incoming lane it lies on; the detector calls and extends every
     *                      green phase that gives that lane a green (-1: a system detector that only counts)
     * @param backupS       seconds without a phase-control set after which the controller ignores the last ones
     */
    public ActuatedController(IntersectionModel model, PhaseTiming[] timing, int[] detectorLanes, PhaseControl control,
                              double backupS) {
        this.model = model;
        this.phaseCount = model.greenPhaseCount();
        if (phaseCount > 64) {
            throw new IllegalArgumentException("signal " + model.id() + " has " + phaseCount + " green phases; at most 64");
        }
        if (timing.length != phaseCount) {
            throw new IllegalArgumentException("signal " + model.id() + " has " + phaseCount + " green phases but "
                    + timing.length + " phase timings");
        }
        this.timing = timing.clone();
        this.interlock = new SafetyInterlock(model);
        this.control = control;
        this.backupS = backupS;
        this.detectorPhases = new long[detectorLanes.length];
        for (int d = 0; d < detectorLanes.length; d++) {
            for (int l = 0; l < model.linkCount(); l++) {
                if (detectorLanes[d] >= 0 && model.linkIncomingLane(l) == detectorLanes[d]) {
                    for (int p = 0; p < phaseCount; p++) {
                        if (SignalChar.isGreen(model.greenState(p, l))) {
                            detectorPhases[d] |= 1L << p;
                        }
                    }
                }
            }
        }
        this.lastActuationS = new double[phaseCount];
        long r = 0;
        for (int p = 0; p < phaseCount; p++) {
            r |= timing[p].minRecall() ? 1L << p : 0;
        }
        this.recall = r;
    }

    /** Starts in green phase {@code phase} at {@code nowS}. */
    public void reset(int phase, double nowS) {
        interlock.reset(phase, nowS);
        calls = 0;
        java.util.Arrays.fill(lastActuationS, nowS);
        publish();
    }

    /**
     * Advances to {@code nowS}.
     *
     * @param occupied per detector (the constructor's order), whether a vehicle was on it since the last step
     * @return true when the signal's state changed
     */
    public boolean step(double nowS, boolean[] occupied) {
        long sets = control.sets();
        if (sets != lastSets) {
            lastSets = sets;
            lastSetS = nowS;
        }
        centralInControl = nowS - lastSetS < backupS;
        long hold = centralInControl ? control.hold() : 0;
        long forceOff = centralInControl ? control.forceOff() : 0;
        long omit = centralInControl ? control.omit() : 0;
        if (centralInControl) {
            calls |= control.vehCall() & all();
        }
        int current = interlock.phase();
        boolean green = interlock.interval() == SafetyInterlock.GREEN;
        calls |= recall & ~(1L << current);
        for (int d = 0; d < occupied.length; d++) {
            if (occupied[d]) {
                long phases = detectorPhases[d];
                if (green && (phases & (1L << current)) != 0) {
                    lastActuationS[current] = nowS;
                } else {
                    calls |= phases;
                }
            }
        }
        boolean changed;
        if (!green) {
            changed = interlock.step(nowS, interlock.targetPhase());
        } else {
            changed = interlock.step(nowS, decide(nowS, current, hold, forceOff, omit));
        }
        if (interlock.interval() == SafetyInterlock.GREEN && interlock.phase() != current) {
            int served = interlock.phase();
            calls &= ~(1L << served);
            lastActuationS[served] = nowS;
        }
        publish();
        return changed;
    }

    /** The phase to propose while {@code current} is green. */
    private int decide(double nowS, int current, long hold, long forceOff, long omit) {
        long bit = 1L << current;
        if ((hold & bit) != 0) {
            return current;
        }
        int next = nextCalled(current, omit);
        double elapsedS = nowS - interlock.phaseStartS();
        PhaseTiming t = timing[current];
        if ((forceOff & bit) != 0 && next != current) {
            // Before the minimum green the interlock holds the green; the force-off stays set and acts then.
            forceOffs += elapsedS >= t.minGreenS() ? 1 : 0;
            return next;
        }
        if (next == current || elapsedS < t.minGreenS()) {
            return current;
        }
        if (elapsedS >= t.maxGreenS()) {
            maxOuts++;
            return next;
        }
        if (nowS - lastActuationS[current] >= t.passageS()) {
            gapOuts++;
            return next;
        }
        return current;
    }

    /** The first phase after {@code current} in sequence with a call and not omitted, or {@code current}. */
    private int nextCalled(int current, long omit) {
        for (int k = 1; k < phaseCount; k++) {
            int p = (current + k) % phaseCount;
            if ((calls & ~omit & (1L << p)) != 0) {
                return p;
            }
        }
        return current;
    }

    private long all() {
        return phaseCount == 64 ? -1L : (1L << phaseCount) - 1;
    }

    private void publish() {
        long phase = 1L << interlock.phase();
        int interval = interlock.interval();
        long g = interval == SafetyInterlock.GREEN || interval == SafetyInterlock.PEDESTRIAN_CLEARANCE ? phase : 0;
        long y = interval == SafetyInterlock.YELLOW ? phase : 0;
        greens = g;
        yellows = y;
        reds = all() & ~g & ~y;
        phaseOns = phase;
        phaseNexts = interval == SafetyInterlock.GREEN ? 0 : 1L << interlock.targetPhase();
        vehCalls = calls;
    }

    /** The state the signal shows, one SUMO character per link (allocates). */
    public String shownString() {
        return interlock.shownString();
    }

    /** Copies the state the signal shows into {@code out}. */
    public void copyShown(char[] out) {
        interlock.copyShown(out);
    }

    public IntersectionModel model() {
        return model;
    }

    /** The green phase shown now, or the one being left during a transition. */
    public int phase() {
        return interlock.phase();
    }

    /** Whether the last step followed the central system's phase control (sets within the backup time). */
    public boolean centralInControl() {
        return centralInControl;
    }

    /** Greens that ended because no vehicle came within the passage time. */
    public long gapOuts() {
        return gapOuts;
    }

    /** Greens that ended at their maximum. */
    public long maxOuts() {
        return maxOuts;
    }

    /** Greens a force-off ended. */
    public long forceOffs() {
        return forceOffs;
    }

    /** Force-offs and other requests to leave a green that the minimum green held back. */
    public long heldForMinGreen() {
        return interlock.heldForMinGreen();
    }

    /** Green phases showing green (bit p for phase p); any thread. */
    public long greens() {
        return greens;
    }

    public long yellows() {
        return yellows;
    }

    public long reds() {
        return reds;
    }

    public long phaseOns() {
        return phaseOns;
    }

    public long phaseNexts() {
        return phaseNexts;
    }

    public long vehCalls() {
        return vehCalls;
    }
}
