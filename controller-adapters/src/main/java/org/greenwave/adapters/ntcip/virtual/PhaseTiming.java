package org.greenwave.adapters.ntcip.virtual;

/**
 * One phase's row of an actuated controller's phase table (NTCIP 1202 {@code phaseTable}), in seconds.
 *
 * @param minGreenS minimum green ({@code phaseMinimumGreen}): a green lasts at least this long, force-off or not
 * @param passageS  passage ({@code phasePassage}): the green gaps out when no vehicle crossed its detectors for this long
 *                  and another phase has a call
 * @param maxGreenS maximum green ({@code phaseMaximum1}): the green ends after this long when another phase has a
 *                  call, unless held
 * @param minRecall minimum vehicle recall ({@code phaseOptions} bit 2): the phase is called whenever it is not green, so
 *                  it is served every cycle for at least its minimum green, vehicles or not
 */
public record PhaseTiming(double minGreenS, double passageS, double maxGreenS, boolean minRecall) {
    public PhaseTiming {
        if (!(minGreenS > 0) || !(passageS >= 0) || !(maxGreenS >= minGreenS)) {
            throw new IllegalArgumentException("phase timing needs 0 < min green <= max green and passage >= 0, not min "
                    + minGreenS + " s, passage " + passageS + " s, max " + maxGreenS + " s");
        }
    }
}
