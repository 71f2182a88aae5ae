package org.greenwave.adapters.ntcip;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

import org.greenwave.core.model.IntersectionModel;
import org.snmp4j.PDU;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.VariableBinding;

/**
 * Mode {@code pattern} for one controller: turns the engine's plans into an NTCIP 1202 pattern and writes it.
 *
 * <p>Where the pattern comes from: the engine runs its own timing whatever the field does, and each of its plans
 * shows the green it gives now. Over the engine's last cycle (a window from one start of its phase-0 green to a later
 * one) each green phase's mean green per service in those plans is the green it wants (a phase it did not serve, its
 * minimum green); held between the controller's minimum and maximum green (read from
 * its phase table) with the change interval that follows it (pedestrian clearance, yellow, red clearance) added, it is
 * the phase's split ({@link Splits#of}); the cycle is their sum, cut down to the mapping's {@code max-cycle} by taking
 * time above the minima in proportion. The coordinated phase is the signal's first green phase (engine phase 0); the
 * offset places the controller's local zero where the engine last began that phase's green, modulo the cycle. The
 * first pattern is written at the end of the engine's first whole cycle; until then the controller runs free.
 *
 * <p>When: at most once a cycle of the pattern selected, and only when the cycle, a split or the offset moved by more
 * than {@value #CHANGE_S} s (a new pattern costs a transition: the controller reaches a new offset by dwelling in
 * the coordinated phase). It writes the pattern the controller is not running (1 and 2 in turn, each with the split
 * table of its number): cycle, offset and split number, each phase's split, mode (none: a non-coordinated phase may
 * gap out and give its time to the next) and coordinated flag, then {@code systemPatternControl}, in one SET, which
 * the controller takes or refuses whole.
 *
 * <p>Threading: {@link #onPlan} on the engine's shard thread of the signal (no allocation, no lock); the readings
 * ({@link #phaseTable}, {@link #status}) on SNMP4J's threads; {@link #plan} on the polling thread.
 */
final class PatternPlanner {
    /** Seconds by which the cycle, a split or the offset must move before a new pattern is written. */
    static final int CHANGE_S = 2;

    private final NtcipMapping.Signal signal;
    private final int phases;
    private final int maxCycleS;
    // The engine's greens: shard thread writes, the polling thread reads.
    private final AtomicLongArray greenMs;
    private final AtomicLongArray services;
    private volatile long coordStartMs = Long.MIN_VALUE;
    private int enginePhase = -1;
    private long greenSinceMs;
    // The controller's phase table, as last read.
    private final double[] minGreenS;
    private final double[] maxGreenS;
    private final double[] changeS;
    private boolean tableRead;
    private volatile int patternStatus = -1;
    private volatile int localFreeStatus = -1;
    // Polling thread.
    private final long[] windowGreenMs;
    private final long[] windowServices;
    private final double[] wantedS;
    private long lastEvaluationMs;
    /** Where the window over the engine's greens began: one of its phase-0 starts; none yet. */
    private long windowStartMs = Long.MIN_VALUE;
    private volatile int selected;
    private int[] splits;
    private int cycleS;
    private int offsetS;
    private int previousSelected;
    private int[] previousSplits;
    private int previousCycleS;
    private int previousOffsetS;
    private volatile boolean refused;
    private volatile String problem;

    PatternPlanner(NtcipMapping.Signal signal, IntersectionModel model) {
        this.signal = signal;
        this.phases = signal.ntcipPhase().length;
        this.maxCycleS = signal.maxCycleS();
        this.greenMs = new AtomicLongArray(phases);
        this.services = new AtomicLongArray(phases);
        this.minGreenS = new double[phases];
        this.maxGreenS = new double[phases];
        this.changeS = new double[phases];
        this.windowGreenMs = new long[phases];
        this.windowServices = new long[phases];
        this.wantedS = new double[phases];
    }

    /**
     * Shard thread: the green phase the engine's plan shows now ({@code -1}: a change interval, or a plan that gives the
     * controller back its own program), issued at {@code issuedMs}.
     */
    void onPlan(int phase, long issuedMs) {
        if (phase == enginePhase) {
            return;
        }
        if (enginePhase >= 0) {
            greenMs.addAndGet(enginePhase, issuedMs - greenSinceMs);
            services.incrementAndGet(enginePhase);
        }
        if (phase >= 0) {
            greenSinceMs = issuedMs;
            if (phase == 0) {
                coordStartMs = issuedMs;
            }
        }
        enginePhase = phase;
    }

    /**
     * A read of green phase {@code phase}'s row of the controller's phase table: minimum and maximum green (s),
     * pedestrian clearance (s), yellow change and red clearance (0.1 s).
     */
    synchronized void phaseTable(int phase, int minGreenS, int maxGreenS, int pedestrianClearS, int yellowDs,
                                 int redClearDs) {
        this.minGreenS[phase] = minGreenS;
        this.maxGreenS[phase] = Math.max(minGreenS, maxGreenS);
        this.changeS[phase] = pedestrianClearS + yellowDs / 10.0 + redClearDs / 10.0;
        tableRead |= phase == phases - 1;
    }

    /** A read of {@code coordPatternStatus} and {@code localFreeStatus}. */
    void status(int patternStatus, int localFreeStatus) {
        this.patternStatus = patternStatus;
        this.localFreeStatus = localFreeStatus;
    }

    int patternStatus() {
        return patternStatus;
    }

    int localFreeStatus() {
        return localFreeStatus;
    }

    /** The pattern selected on the controller, 0 when none. */
    int selected() {
        return selected;
    }

    /** Why no pattern could be written, or null. Any thread. */
    String problem() {
        return problem;
    }

    /** SNMP4J's thread: the controller refused the last pattern set; it runs what it ran before. */
    void refused() {
        refused = true;
    }

    /** Polling thread: the controller was given back its own timing ({@code systemPatternControl} 0). */
    synchronized void released() {
        selected = 0;
    }

    /**
     * Polling thread: when a new pattern is due, adds its sets to {@code pdu} (tables, then the selection) and returns
     * true; else leaves {@code pdu} alone.
     */
    synchronized boolean plan(long nowMs, PDU pdu) {
        if (refused) {
            refused = false;
            selected = previousSelected;
            splits = previousSplits;
            cycleS = previousCycleS;
            offsetS = previousOffsetS;
        }
        long coordMs = coordStartMs;
        if (!tableRead || coordMs == Long.MIN_VALUE || coordMs <= windowStartMs) {
            return false;
        }
        if (windowStartMs == Long.MIN_VALUE) {
            // The engine's first cycle begins: the window opens here.
            snapshot(coordMs);
            return false;
        }
        if (selected > 0 && nowMs - lastEvaluationMs < cycleS * 1000L) {
            return false;
        }
        for (int p = 0; p < phases; p++) {
            long dGreen = greenMs.get(p) - windowGreenMs[p];
            long dServices = services.get(p) - windowServices[p];
            // A phase the engine did not serve in its cycle gets its minimum green.
            wantedS[p] = dServices > 0 ? dGreen / 1000.0 / dServices : 0;
        }
        snapshot(coordMs);
        lastEvaluationMs = nowMs;
        int[] candidate = Splits.of(wantedS, minGreenS, maxGreenS, changeS, maxCycleS);
        int cycle = 0;
        for (int s : candidate) {
            cycle += s;
        }
        if (cycle > maxCycleS) {
            problem = "its phases' minimum greens and change intervals take " + cycle + " s, more than the max-cycle of "
                    + maxCycleS + " s (mapping line " + signal.maxCycleLine() + "): no pattern written, it runs free";
            return false;
        }
        problem = null;
        int offset = (int) Math.floorMod(Math.round(coordMs / 1000.0), (long) cycle);
        if (selected > 0 && !moved(candidate, cycle, offset)) {
            return false;
        }
        previousSelected = selected;
        previousSplits = splits;
        previousCycleS = cycleS;
        previousOffsetS = offsetS;
        int number = selected == 1 ? 2 : 1;
        int[] ntcip = signal.ntcipPhase();
        pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, number), new Integer32(cycle)));
        pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.PATTERN_OFFSET_TIME, number),
                new Integer32(offset)));
        pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.PATTERN_SPLIT_NUMBER, number),
                new Integer32(number)));
        for (int p = 0; p < phases; p++) {
            pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.SPLIT_TIME, number, ntcip[p]),
                    new Integer32(candidate[p])));
            pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.SPLIT_MODE, number, ntcip[p]),
                    new Integer32(NtcipObjects.SPLIT_MODE_NONE)));
            pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.SPLIT_COORD_PHASE, number, ntcip[p]),
                    new Integer32(p == 0 ? 1 : 0)));
        }
        pdu.add(new VariableBinding(NtcipObjects.SYSTEM_PATTERN_CONTROL, new Integer32(number)));
        selected = number;
        splits = candidate;
        cycleS = cycle;
        offsetS = offset;
        return true;
    }

    /** Starts the next window at the engine's phase-0 start {@code coordMs}. */
    private void snapshot(long coordMs) {
        for (int p = 0; p < phases; p++) {
            windowGreenMs[p] = greenMs.get(p);
            windowServices[p] = services.get(p);
        }
        windowStartMs = coordMs;
    }

    /** Whether the cycle, a split or the offset (around the cycle) moved by more than {@link #CHANGE_S}. */
    private boolean moved(int[] candidate, int cycle, int offset) {
        if (Math.abs(cycle - cycleS) > CHANGE_S) {
            return true;
        }
        for (int p = 0; p < phases; p++) {
            if (Math.abs(candidate[p] - splits[p]) > CHANGE_S) {
                return true;
            }
        }
        int d = Math.floorMod(offset - offsetS, cycle);
        return Math.min(d, cycle - d) > CHANGE_S;
    }

    /** The pattern selected, described (null when none). */
    synchronized String describeSelected() {
        if (selected == 0) {
            return null;
        }
        return "pattern " + selected + ": cycle " + cycleS + " s, offset " + offsetS + " s, splits "
                + Arrays.toString(splits) + " s (NTCIP phases " + Arrays.toString(signal.ntcipPhase()) + ")";
    }
}
