/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.greenwave.core.port.ControllerStatus;

/**
 * Decodes the v1 status payload (see {@link StatusEncoder}). Allocates; strict. Stateless and thread-safe.
 * {@code program}, {@code planSeq} and {@code phase} (a change interval) may be absent or null; the rest is
 * required, non-negative where it counts.
 */
public final class StatusDecoder {

    public static final int MAX_PAYLOAD_BYTES = 16 * 1024;

    private static final Set<String> TOP = Set.of("v", "timeMs", "phase", "state", "timeInPhaseMs", "program",
            "planSeq");

    private StatusDecoder() {
    }

    /** @param intersectionId the intersection named by the topic the payload came on */
    public static DecodeResult<ControllerStatus> decode(String intersectionId, byte[] payload) {
        try {
            JsonNode root = StrictJson.object(payload, MAX_PAYLOAD_BYTES, TOP);
            long timeMs = StrictJson.integer(root, "timeMs", 0, Long.MAX_VALUE);
            // Null (or absent) while a change interval shows between greens.
            int phase = (int) StrictJson.optionalInteger(root, "phase", 0, Integer.MAX_VALUE, -1);
            String state = StrictJson.signalState(root, "state");
            long inPhase = StrictJson.integer(root, "timeInPhaseMs", 0, Long.MAX_VALUE);
            String program = StrictJson.optionalString(root, "program");
            long planSeq = StrictJson.optionalInteger(root, "planSeq", 0, Long.MAX_VALUE, -1);
            return DecodeResult.ok(new ControllerStatus(intersectionId, timeMs, phase, state, inPhase, program,
                    planSeq));
        } catch (StrictJson.Rejected r) {
            return DecodeResult.rejected(r.reason, r.getMessage());
        }
    }
}
