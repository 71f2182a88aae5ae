package org.greenwave.forecast.online;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.state.IntersectionState;

/**
 * The program a signal's own controller runs, learned from what it shows: each distinct signal state (one
 * {@link SignalChar} per link) seen, how long it typically lasts (EWMA of its completed intervals) and which state
 * followed it last. Rolled forward from the current state, it gives each lane's green share second by second: the
 * schedule of a device's program, whose phases (a lane green in two of them, the change intervals between) a lane's
 * own green/red alternation cannot express.
 *
 * <p>Thread: the intersection's control thread. No allocation after construction.
 */
final class SignalSequence {
    /** Distinct states kept; a program with more is rolled forward only as far as the known ones go. */
    static final int MAX_STATES = 32;
    /** Segments of a roll-out: enough for 60 s of one-second states. */
    private static final int MAX_SEGMENTS = IntersectionState.HORIZON_S + 1;

    private final IntersectionModel model;
    private final int links;
    private final int lanes;
    private final double alpha;
    /** Time constant over which the schedule past the current state fades into the lane's mean share; 0: never. */
    private final double spreadS;
    private final char[] states;
    private final boolean[] laneGreen;
    private final double[] typicalS;
    private final int[] next;
    private int count;
    private int current = -1;
    private double startS;
    /** Whether the current interval began while observed (the first one is truncated and not learned from). */
    private boolean complete;

    private final int[] segState = new int[MAX_SEGMENTS];
    private final double[] segEndS = new double[MAX_SEGMENTS];
    private int segments;

    SignalSequence(IntersectionModel model, double alpha, double spreadS) {
        this.spreadS = spreadS;
        this.model = model;
        this.links = model.linkCount();
        this.lanes = model.incomingLaneCount();
        this.alpha = alpha;
        this.states = new char[MAX_STATES * links];
        this.laneGreen = new boolean[MAX_STATES * lanes];
        this.typicalS = new double[MAX_STATES];
        this.next = new int[MAX_STATES];
    }

    /** Forgets the current interval (the engine's interlock drives the signal); what was learned stays. */
    void pause() {
        current = -1;
    }

    /** Notes the state the signal shows at {@code nowS} ({@link IntersectionState#signalShown}). */
    void observe(IntersectionState state, double nowS) {
        if (current >= 0 && shows(state, current)) {
            return;
        }
        int seen = find(state);
        if (seen < 0) {
            seen = add(state);
        }
        if (current >= 0) {
            if (complete) {
                double lastedS = nowS - startS;
                typicalS[current] = Double.isNaN(typicalS[current]) ? lastedS
                        : typicalS[current] + alpha * (lastedS - typicalS[current]);
            }
            if (seen >= 0) {
                next[current] = seen;
            }
            complete = true;
        } else {
            complete = false;
        }
        current = seen;
        startS = nowS;
    }

    /**
     * Rolls the learned program forward from the current state: the current state lasts its typical duration (at least
     * one more second), then each state's successor its typical duration, as far as both are known.
     *
     * @return the seconds ahead the roll-out covers (0 when the current state has no typical duration yet)
     */
    double rollForward(double nowS) {
        segments = 0;
        if (current < 0 || Double.isNaN(typicalS[current])) {
            return 0;
        }
        double elapsedS = nowS - startS;
        double endS = Math.max(typicalS[current], elapsedS + 1) - elapsedS;
        int s = current;
        while (true) {
            segState[segments] = s;
            segEndS[segments] = endS;
            segments++;
            if (endS >= IntersectionState.HORIZON_S || segments == MAX_SEGMENTS) {
                return endS;
            }
            int n = next[s];
            if (n < 0 || Double.isNaN(typicalS[n])) {
                return endS;
            }
            s = n;
            endS += Math.max(1, typicalS[n]);
        }
    }

    /**
     * Writes the lane's green share of each second the last {@link #rollForward} covers into {@code greenShare[k]}
     * (k from 0); leaves the seconds beyond it untouched.
     */
    void laneSchedule(int lane, double[] greenShare) {
        double fromS = 0;
        int seg = 0;
        int last = -1;
        double sum = 0;
        for (int k = 0; k < IntersectionState.HORIZON_S && seg < segments; k++) {
            if (k + 1 > segEndS[segments - 1]) {
                break;
            }
            double share = 0;
            while (seg < segments) {
                double overlap = Math.min(k + 1, segEndS[seg]) - Math.max(k, fromS);
                if (overlap > 0 && laneGreen[segState[seg] * lanes + lane]) {
                    share += overlap;
                }
                if (segEndS[seg] >= k + 1) {
                    break;
                }
                fromS = segEndS[seg];
                seg++;
            }
            greenShare[k] = share;
            sum += share;
            last = k;
        }
        if (spreadS > 0 && last >= 0) {
            // The program's later switches are less certain than its next one (an actuated phase gaps out or runs to
            // its maximum): past the current state's end the schedule fades into the lane's mean share.
            double mean = sum / (last + 1);
            double firstEndS = segEndS[0];
            for (int k = (int) Math.ceil(firstEndS); k <= last; k++) {
                double w = Math.exp(-(k - firstEndS) / spreadS);
                greenShare[k] = w * greenShare[k] + (1 - w) * mean;
            }
        }
    }

    /** Typical duration of the current state, seconds; NaN when unknown. Tests. */
    double currentTypicalS() {
        return current < 0 ? Double.NaN : typicalS[current];
    }

    private boolean shows(IntersectionState state, int s) {
        int base = s * links;
        for (int link = 0; link < links; link++) {
            if (states[base + link] != state.signalShown(link)) {
                return false;
            }
        }
        return true;
    }

    private int find(IntersectionState state) {
        for (int s = 0; s < count; s++) {
            if (shows(state, s)) {
                return s;
            }
        }
        return -1;
    }

    /** Adds the state shown; -1 when the table is full. */
    private int add(IntersectionState state) {
        if (count == MAX_STATES) {
            return -1;
        }
        int s = count++;
        for (int link = 0; link < links; link++) {
            states[s * links + link] = state.signalShown(link);
        }
        for (int lane = 0; lane < lanes; lane++) {
            laneGreen[s * lanes + lane] = false;
        }
        for (int link = 0; link < links; link++) {
            int lane = model.linkIncomingLane(link);
            if (lane >= 0 && model.linkUsed(link) && SignalChar.isGreen(states[s * links + link])) {
                laneGreen[s * lanes + lane] = true;
            }
        }
        typicalS[s] = Double.NaN;
        next[s] = -1;
        return s;
    }
}
