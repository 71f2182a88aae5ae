/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One SUMO traffic-light program, as read by {@link TraciClient#getCompleteDefinition} and written by
 * {@link TraciClient#setCompleteDefinition}. Immutable.
 *
 * @param programId         program id ("0" for netconvert's default program)
 * @param type              SUMO's {@code TrafficLightType} code: 0 static, 3 actuated, 4 delay based,
 *                          5 NEMA (see {@code TraCIConstants.h})
 * @param currentPhaseIndex index into {@code phases} of the running phase
 * @param phases            phases in cycle order
 * @param params            generic parameters of the program, in SUMO's order
 */
public record TlsLogic(String programId, int type, int currentPhaseIndex, List<TlsPhase> phases,
                       Map<String, String> params) {

    /** SUMO's code for a fixed-time program. */
    public static final int TYPE_STATIC = 0;
    /** SUMO's code for a gap-actuated program. */
    public static final int TYPE_ACTUATED = 3;

    public TlsLogic {
        Objects.requireNonNull(programId, "programId");
        phases = List.copyOf(phases);
        // LinkedHashMap keeps SUMO's parameter order; the wrapper makes it read-only.
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
