package org.greenwave.forecast.online;

/**
 * Rolls a lane's queue forward second by second under a signal schedule: the point-queue model
 * {@code q[s] = min(capacity, max(0, q[s-1] + arrivals[s-1] − green[s-1] × saturation))}, where {@code green[k]} is
 * the share (0..1) of second k the lane shows green. Also builds the schedule a lane is expected to run when only its
 * typical green and red durations are known.
 *
 * <p>Reusable by anyone who asks "what will the queues be under this schedule" (a policy comparing candidate plans):
 * the methods are static, pure, write into caller-owned arrays at an offset and never allocate. Units: vehicles,
 * vehicles per second, seconds. Thread: any.
 */
public final class QueueRollout {
    private QueueRollout() {
    }

    /**
     * Writes the queue for seconds 0..{@code seconds} ahead into {@code queueOut[outOffset .. outOffset + seconds]};
     * entry 0 is {@code queueNowVeh} (capped at the capacity).
     *
     * @param queueNowVeh      queue now, vehicles (negative is taken as 0)
     * @param arrivalsVeh      vehicles joining during second k ahead at {@code arrivalsVeh[arrivalsOffset + k]}
     * @param greenShare       share of second k the lane shows green at {@code greenShare[greenOffset + k]}, 0..1
     * @param seconds          number of seconds to roll
     * @param saturationVehPerS discharge rate on green, vehicles per second
     * @param capacityVeh      the most the lane holds, vehicles
     */
    public static void roll(double queueNowVeh, double[] arrivalsVeh, int arrivalsOffset, double[] greenShare,
                            int greenOffset, int seconds, double saturationVehPerS, double capacityVeh,
                            double[] queueOut, int outOffset) {
        double q = Math.min(capacityVeh, Math.max(0, queueNowVeh));
        queueOut[outOffset] = q;
        for (int s = 1; s <= seconds; s++) {
            double served = greenShare[greenOffset + s - 1] * saturationVehPerS;
            q = Math.min(capacityVeh, Math.max(0, q + arrivalsVeh[arrivalsOffset + s - 1] - served));
            queueOut[outOffset + s] = q;
        }
    }

    /**
     * The schedule a lane is expected to run: the current interval (green or not) lasts its typical duration, but at
     * least until {@code elapsedS + 1}; then green and red alternate with their typical durations. Writes the green
     * share of each second k = 0..{@code seconds}−1 ahead into {@code greenShareOut[offset + k]}.
     *
     * @param greenNow       whether the lane shows green now
     * @param elapsedS       seconds the current interval has lasted, ≥ 0
     * @param typicalGreenS  typical green duration, seconds (at least 1 s is used)
     * @param typicalRedS    typical duration between greens, seconds (at least 1 s is used)
     */
    public static void expectedSchedule(boolean greenNow, double elapsedS, double typicalGreenS, double typicalRedS,
                                        int seconds, double[] greenShareOut, int offset) {
        double greenS = Math.max(1, typicalGreenS);
        double redS = Math.max(1, typicalRedS);
        double elapsed = Math.max(0, elapsedS);
        boolean green = greenNow;
        double segStart = 0;
        double segEnd = Math.max(green ? greenS : redS, elapsed + 1) - elapsed;
        for (int k = 0; k < seconds; k++) {
            double lo = k;
            double hi = k + 1;
            double share = 0;
            while (true) {
                double overlap = Math.min(hi, segEnd) - Math.max(lo, segStart);
                if (green && overlap > 0) {
                    share += overlap;
                }
                if (segEnd >= hi) {
                    break;
                }
                segStart = segEnd;
                green = !green;
                segEnd = segStart + (green ? greenS : redS);
            }
            greenShareOut[offset + k] = share;
        }
    }
}
