/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

/**
 * How a simulated detector reports, per detector index, when failures are injected: {@link #OK}, {@link #DEAD} (it
 * says nothing any more) or {@link #STUCK} (a loop goes on once and never off; a lane-area detector reports its zone
 * full and halting).
 */
public final class DetectorFault {
    /** Reports what SUMO sees. */
    public static final byte OK = 0;
    /** Reports nothing. */
    public static final byte DEAD = 1;
    /** Reports a vehicle standing on it for ever. */
    public static final byte STUCK = 2;

    private DetectorFault() {
    }
}
