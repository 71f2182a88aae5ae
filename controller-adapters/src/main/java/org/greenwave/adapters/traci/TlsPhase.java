/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Arrays;
import java.util.Objects;

/**
 * One phase of a SUMO traffic-light program, as in {@code TL_COMPLETE_DEFINITION_RYG}.
 *
 * <p>Immutable: {@code next} is copied on construction and on access, and equality compares its
 * contents.
 *
 * @param durationS duration in seconds
 * @param state     one signal character per link index ({@code rugGyYoO...})
 * @param minDurS   minimum duration in seconds (actuated programs); for static programs SUMO 1.15
 *                  reports the duration itself
 * @param maxDurS   maximum duration in seconds, same convention as {@code minDurS}
 * @param next      indices of possible successor phases; empty means "the following one"
 * @param name      phase name, empty if unnamed
 */
public record TlsPhase(double durationS, String state, double minDurS, double maxDurS, int[] next,
                       String name) {

    public TlsPhase {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(name, "name");
        next = next == null ? new int[0] : next.clone();
    }

    /** A fixed phase: bounds equal to the duration, no explicit successors, no name. */
    public TlsPhase(double durationS, String state) {
        this(durationS, state, durationS, durationS, new int[0], "");
    }

    /** A copy of the successor indices. */
    @Override
    public int[] next() {
        return next.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsPhase p
                && Double.compare(durationS, p.durationS) == 0
                && state.equals(p.state)
                && Double.compare(minDurS, p.minDurS) == 0
                && Double.compare(maxDurS, p.maxDurS) == 0
                && Arrays.equals(next, p.next)
                && name.equals(p.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(durationS, state, minDurS, maxDurS, Arrays.hashCode(next), name);
    }

    @Override
    public String toString() {
        return "TlsPhase[durationS=" + durationS + ", state=" + state + ", minDurS=" + minDurS
                + ", maxDurS=" + maxDurS + ", next=" + Arrays.toString(next) + ", name=" + name + "]";
    }
}
