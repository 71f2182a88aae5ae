package org.greenwave.core.engine;

/**
 * A timing plan for one intersection, as the engine publishes it after every control tick: the state to show now and
 * the schedule of states ahead, each with its duration, valid until {@link #expiresAtMs()}.
 *
 * <p>Instances are owned and reused by the engine. A {@link PlanSink} reads one only during its {@code onPlan} call
 * and copies what it needs; it must not keep a reference.
 */
public final class TimingPlan {
    /** Most entries a plan holds. */
    public static final int MAX_ENTRIES = 16;

    private final int intersection;
    private final String intersectionId;
    private final int linkCount;
    private final char[][] entryStates;
    private final double[] entryDurationS;
    private int entryCount;
    private long sequence;
    private long issuedAtMs;
    private long expiresAtMs;
    private String deviceProgram;
    private boolean operatorFlash;
    private String flashOperator;

    public TimingPlan(int intersection, String intersectionId, int linkCount) {
        this.intersection = intersection;
        this.intersectionId = intersectionId;
        this.linkCount = linkCount;
        this.entryStates = new char[MAX_ENTRIES][linkCount];
        this.entryDurationS = new double[MAX_ENTRIES];
    }

    /** Dense index of the intersection in the engine. */
    public int intersection() {
        return intersection;
    }

    /** External id of the intersection (its signal id). */
    public String intersectionId() {
        return intersectionId;
    }

    public int linkCount() {
        return linkCount;
    }

    /** Increases by one with every plan of this intersection. */
    public long sequence() {
        return sequence;
    }

    public long issuedAtMs() {
        return issuedAtMs;
    }

    /** After this time the plan must not be followed; the controller falls back. */
    public long expiresAtMs() {
        return expiresAtMs;
    }

    /**
     * When not null, the field device should run its own program of this id and the entries are empty: the engine
     * only watches (the {@code device}, {@code fixed} and {@code actuated} baselines).
     */
    public String deviceProgram() {
        return deviceProgram;
    }

    /**
     * Whether an operator put the signal into all-red flash: then {@link #deviceProgram()} is
     * {@link org.greenwave.core.oversight.OperatorOverride#FLASH_PROGRAM} and this is the only plan that may name it.
     */
    public boolean operatorFlash() {
        return operatorFlash;
    }

    /**
     * The operator who asked for this plan's flash (see {@link #operatorFlash()}), or null. Field controllers run the
     * device's {@code off} program only for a plan that names its operator.
     */
    public String flashOperator() {
        return flashOperator;
    }

    /** Number of schedule entries; entry 0 is the state to show from {@link #issuedAtMs()}. */
    public int entryCount() {
        return entryCount;
    }

    /** State of {@code link} in entry {@code entry}, SUMO's characters. */
    public char entryState(int entry, int link) {
        return entryStates[entry][link];
    }

    /** Copies entry {@code entry}'s state into {@code out}. */
    public void copyEntryState(int entry, char[] out) {
        System.arraycopy(entryStates[entry], 0, out, 0, linkCount);
    }

    /** How long entry {@code entry} lasts, seconds; the last entry may last longer (until the next plan). */
    public double entryDurationS(int entry) {
        return entryDurationS[entry];
    }

    // Writer side: the engine's shard thread only.

    /** Sets the sequence the next plan follows on, before the first plan (see {@code Shard}). */
    void startSequence(long sequence) {
        this.sequence = sequence;
    }

    /** Starts a new plan; clears the entries and the operator's flash request. */
    public void begin(long sequence, long issuedAtMs, long expiresAtMs, String deviceProgram) {
        this.sequence = sequence;
        this.issuedAtMs = issuedAtMs;
        this.expiresAtMs = expiresAtMs;
        this.deviceProgram = deviceProgram;
        this.operatorFlash = false;
        this.flashOperator = null;
        this.entryCount = 0;
    }

    /** Marks the plan begun as an operator's all-red flash (see {@link #operatorFlash()}). */
    public void operatorFlash(boolean operatorFlash) {
        this.operatorFlash = operatorFlash;
    }

    /**
     * Marks the plan begun as operator {@code operator}'s all-red flash, or clears the mark (null). Field controllers
     * run the flash program only for a plan that names the operator, inside the engine's signature.
     */
    public void flashOperator(String operator) {
        this.operatorFlash = operator != null;
        this.flashOperator = operator;
    }

    /** Appends an entry; returns false when the plan is full. */
    public boolean add(char[] state, double durationS) {
        if (entryCount == MAX_ENTRIES) {
            return false;
        }
        System.arraycopy(state, 0, entryStates[entryCount], 0, linkCount);
        entryDurationS[entryCount] = durationS;
        entryCount++;
        return true;
    }

    /** Changes the duration of an entry already added (writer side). */
    void entryDurationS(int entry, double durationS) {
        entryDurationS[entry] = durationS;
    }
}
