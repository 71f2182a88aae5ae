package org.greenwave.adapters.ntcip.virtual;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.time.Millis;

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
 * <p>A pattern the central system selected ({@link PhaseControl#pattern()}, NTCIP {@code systemPatternControl}) is run
 * as coordinated operation: a fixed cycle counted from the pattern's offset, the phases in program order once a cycle,
 * each forced off at the end of its split window less its change interval ({@code coordForceMode} fixed); a
 * non-coordinated phase not on maximum recall may gap out earlier, and the next phase then starts early (its force-off
 * stays where it is); every phase is served each cycle, called or not; no green runs past its maximum
 * ({@code coordMaximumMode} maximum1). A new pattern takes effect
 * at the running pattern's next local zero (at once when the controller runs free); the controller then reaches the
 * new offset by <em>dwell</em> ({@code coordCorrectionMode} dwell): it serves the phases as it would free, with a call
 * on the coordinated phase, until the coordinated phase is green, and holds that green until the new cycle's position lies within the coordinated phase's
 * green window (at most until its maximum green, trying again the next cycle). Without a set for the backup time it
 * drops the pattern ({@code systemPatternControl} back to 0) and runs free.
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
    /** Sets seen at the last step: none yet, so a controller that never had one starts on its own timing. */
    private long lastSets;
    private double lastStepS;
    private double lastSetS = Double.NEGATIVE_INFINITY;
    private boolean centralInControl;
    private long gapOuts;
    private long maxOuts;
    private long forceOffs;
    /** Per green phase, the change interval to the next phase in sequence, seconds. */
    private final double[] changeS;
    /** The pattern running, or null: free. */
    private CoordPattern running;
    /** Whether the running pattern's cycle has been reached (the dwell is over). */
    private boolean inSync;
    /** Where the split window of the phase green now began, controller seconds. */
    private double windowStartS;
    /** The running pattern's position at the last step, -1 before the first. */
    private double lastPositionS = -1;
    private long patternsTaken;
    private long dwellSteps;
    private boolean wasCentral;

    private volatile int patternStatus = org.greenwave.adapters.ntcip.NtcipObjects.PATTERN_FREE;
    private volatile int localFreeStatus = org.greenwave.adapters.ntcip.NtcipObjects.LOCAL_FREE_COORD_FREE;
    private volatile int cycleLeftS;

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
        this.changeS = new double[phaseCount];
        for (int p = 0; p < phaseCount; p++) {
            changeS[p] = org.greenwave.adapters.ntcip.Splits.changeS(model, p, (p + 1) % phaseCount);
        }
    }

    /** The change interval after green phase {@code phase} in sequence (to the next phase), seconds. */
    public double changeS(int phase) {
        return changeS[phase];
    }

    /** The phase table row of green phase {@code phase}. */
    public PhaseTiming timing(int phase) {
        return timing[phase];
    }

    /** Starts in green phase {@code phase} at {@code nowMs} (engine time line, milliseconds). */
    public void reset(int phase, long nowMs) {
        double nowS = Millis.toSeconds(nowMs);
        interlock.reset(phase, nowMs);
        lastStepS = nowS;
        calls = 0;
        java.util.Arrays.fill(lastActuationS, nowS);
        publish();
    }

    /**
     * Advances to {@code nowMs}. The interlock times the signal in milliseconds; the controller's own actuated and
     * coordinated timing (NTCIP's tenths of seconds) works in seconds.
     *
     * @param occupied per detector (the constructor's order), whether a vehicle was on it since the last step
     * @return true when the signal's state changed
     */
    public boolean step(long nowMs, boolean[] occupied) {
        double nowS = Millis.toSeconds(nowMs);
        lastStepS = nowS;
        long sets = control.sets();
        if (sets != lastSets) {
            lastSets = sets;
            lastSetS = nowS;
        }
        centralInControl = nowS - lastSetS < backupS;
        if (wasCentral && !centralInControl) {
            control.backupReset();
        }
        wasCentral = centralInControl;
        coordinate(nowS, centralInControl ? control.pattern() : null);
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
            changed = interlock.step(nowMs, interlock.targetPhase());
        } else {
            changed = interlock.step(nowMs, decide(nowS, current, hold, forceOff, omit));
        }
        if (interlock.interval() == SafetyInterlock.GREEN && interlock.phase() != current) {
            int served = interlock.phase();
            calls &= ~(1L << served);
            lastActuationS[served] = nowS;
            if (running != null && inSync) {
                windowStartS = nearestWindowStartS(running, served, nowS);
            }
        }
        publish();
        return changed;
    }

    /**
     * Takes up the pattern commanded ({@code null}: none): at once when running free or told to run free, else at the
     * running pattern's next local zero.
     */
    private void coordinate(double nowS, CoordPattern commanded) {
        if (running == null) {
            if (commanded != null) {
                take(commanded, nowS);
            }
        } else if (commanded == null) {
            running = null;
            inSync = false;
            lastPositionS = -1;
        } else if (commanded != running) {
            double position = running.positionS(nowS);
            boolean localZero = lastPositionS >= 0 && position < lastPositionS;
            if (commanded.sameTiming(running)) {
                running = commanded;
            } else if (localZero) {
                take(commanded, nowS);
            }
        }
        if (running != null) {
            lastPositionS = running.positionS(nowS);
        }
    }

    private void take(CoordPattern pattern, double nowS) {
        running = pattern;
        inSync = false;
        lastPositionS = pattern.positionS(nowS);
        patternsTaken++;
    }

    /** Of the split windows of {@code phase} under {@code p}, the one that begins nearest to {@code nowS}. */
    private static double nearestWindowStartS(CoordPattern p, int phase, double nowS) {
        double w = nowS - p.positionS(nowS) + p.windowStartS(phase);
        double half = p.cycleS() / 2.0;
        while (w - nowS > half) {
            w -= p.cycleS();
        }
        while (nowS - w > half) {
            w += p.cycleS();
        }
        return w;
    }

    /** The phase to propose while {@code current} is green. */
    private int decide(double nowS, int current, long hold, long forceOff, long omit) {
        return decide(nowS, current, hold, forceOff, omit, running == null);
    }

    /** As {@link #decide(double, int, long, long, long)}; {@code free}: on the controller's own actuated timing. */
    private int decide(double nowS, int current, long hold, long forceOff, long omit, boolean free) {
        if (!free) {
            return decideCoordinated(nowS, current, running);
        }
        long bit = 1L << current;
        if ((hold & bit) != 0) {
            return current;
        }
        int next = nextCalled(current, omit);
        double elapsedS = nowS - Millis.toSeconds(interlock.phaseStartMs());
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

    /** Under pattern {@code p}: dwell until in step with its cycle, then force-offs at the split windows' ends. */
    private int decideCoordinated(double nowS, int current, CoordPattern p) {
        double elapsedS = nowS - Millis.toSeconds(interlock.phaseStartMs());
        PhaseTiming t = timing[current];
        int next = (current + 1) % phaseCount;
        if (!inSync) {
            if (current != p.coordPhase()) {
                // On the way to the coordinated phase, which is called whether or not a vehicle waits for it.
                calls |= 1L << p.coordPhase();
                return decide(nowS, current, 0, 0, 0, true);
            }
            double position = p.positionS(nowS);
            if (position < p.splitS()[current] - changeS[current]) {
                // Local zero has passed and the coordinated green's window is open: in step from here.
                inSync = true;
                windowStartS = nowS - position;
            } else if (elapsedS >= t.maxGreenS()) {
                maxOuts++;
                return next;
            } else {
                dwellSteps++;
                return current;
            }
        }
        if (nowS - (windowStartS + p.splitS()[current] - changeS[current]) >= -1e-9) {
            // The interlock holds a green that started late until its minimum is served.
            forceOffs++;
            return next;
        }
        if (elapsedS >= t.maxGreenS()) {
            maxOuts++;
            return next;
        }
        if (current != p.coordPhase() && !p.maxRecall()[current] && elapsedS >= t.minGreenS()
                && nowS - lastActuationS[current] >= t.passageS()) {
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
        CoordPattern p = running;
        patternStatus = p != null ? p.number() : org.greenwave.adapters.ntcip.NtcipObjects.PATTERN_FREE;
        localFreeStatus = p != null ? org.greenwave.adapters.ntcip.NtcipObjects.LOCAL_FREE_NOT_FREE
                : centralInControl ? control.freeStatus() : org.greenwave.adapters.ntcip.NtcipObjects.LOCAL_FREE_COORD_FREE;
        cycleLeftS = p != null ? (int) Math.ceil(p.cycleS() - p.positionS(lastStepS)) : 0;
    }

    /** {@code coordPatternStatus}: the pattern running (also while reaching its offset), or 254 (free); any thread. */
    public int patternStatus() {
        return patternStatus;
    }

    /** {@code localFreeStatus}: 2 (notFree) under a pattern, else why the controller runs free; any thread. */
    public int localFreeStatus() {
        return localFreeStatus;
    }

    /** {@code coordCycleStatus}: seconds to the running pattern's next local zero, 0 when free; any thread. */
    public int cycleLeftS() {
        return cycleLeftS;
    }

    /** The pattern running, or null (free). Step thread. */
    public CoordPattern runningPattern() {
        return running;
    }

    /** Whether the running pattern's cycle has been reached (its offset correction is over). Step thread. */
    public boolean inStep() {
        return running != null && inSync;
    }

    /** Patterns taken up since the start. */
    public long patternsTaken() {
        return patternsTaken;
    }

    /** Steps the coordinated green was held to reach a new pattern's offset. */
    public long dwellSteps() {
        return dwellSteps;
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
