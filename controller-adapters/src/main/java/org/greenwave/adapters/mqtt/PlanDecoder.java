/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.greenwave.core.engine.TimingPlan;

/**
 * Decodes the v1 plan payload, for controllers and bridges that receive plans (see {@link PlanEncoder} for the
 * format). Allocates freely; strict like the engine's inbound decoder. Stateless and thread-safe.
 *
 * <p>Reads the payload's JSON only: a field controller checks its signature first ({@link TrustedKeys#check}) and its
 * timing, sequence and program after ({@link org.greenwave.adapters.field.FieldController#offerPlan}). The signature's
 * {@code kid} and {@code sig} members are allowed and not returned.
 *
 * <p>Checks: {@code seq >= 0}; {@code expiresAtMs >= issuedAtMs}; an {@code operatorFlash} with an operator id only
 * on a plan whose device program is {@code off}; either a {@code deviceProgram} and no entries, or
 * no device program and 1 to {@link TimingPlan#MAX_ENTRIES} entries whose states are SUMO signal characters of one
 * common length and whose {@code durationMs >= 0}.
 */
public final class PlanDecoder {

    /** Longest plan payload accepted. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Longest operator id in an {@code operatorFlash}, characters. */
    public static final int MAX_OPERATOR_CHARS = 64;

    private static final Set<String> TOP = Set.of("v", "seq", "issuedAtMs", "expiresAtMs", "deviceProgram",
            "operatorFlash", "entries", "kid", "sig");
    private static final Set<String> FLASH = Set.of("operator");
    private static final Set<String> ENTRY = Set.of("state", "durationMs");

    private PlanDecoder() {
    }

    /** @param intersectionId the intersection named by the topic the payload came on */
    public static DecodeResult<PlanMessage> decode(String intersectionId, byte[] payload) {
        try {
            JsonNode root = StrictJson.object(payload, MAX_PAYLOAD_BYTES, TOP);
            long seq = StrictJson.integer(root, "seq", 0, Long.MAX_VALUE);
            long issued = StrictJson.integer(root, "issuedAtMs", Long.MIN_VALUE, Long.MAX_VALUE);
            long expires = StrictJson.integer(root, "expiresAtMs", Long.MIN_VALUE, Long.MAX_VALUE);
            String program = StrictJson.optionalString(root, "deviceProgram");
            String operator = null;
            JsonNode flash = root.get("operatorFlash");
            if (flash != null && !flash.isNull()) {
                if (!flash.isObject()) {
                    return DecodeResult.rejected(RejectReason.WRONG_TYPE, "\"operatorFlash\" must be an object");
                }
                StrictJson.onlyKeys(flash, FLASH, "operatorFlash");
                operator = StrictJson.optionalString(flash, "operator");
                if (operator == null || operator.isBlank() || operator.length() > MAX_OPERATOR_CHARS) {
                    return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE, "\"operatorFlash\" needs an "
                            + "\"operator\" of 1 to " + MAX_OPERATOR_CHARS + " characters");
                }
                if (!"off".equals(program)) {
                    return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE,
                            "\"operatorFlash\" only with \"deviceProgram\": \"off\"");
                }
            }
            JsonNode entries = StrictJson.required(root, "entries");
            if (!entries.isArray()) {
                return DecodeResult.rejected(RejectReason.WRONG_TYPE, "\"entries\" must be an array");
            }
            List<PlanMessage.Entry> list = new ArrayList<>(entries.size());
            int links = -1;
            for (JsonNode e : entries) {
                if (!e.isObject()) {
                    return DecodeResult.rejected(RejectReason.WRONG_TYPE, "plan entries must be objects");
                }
                StrictJson.onlyKeys(e, ENTRY, "plan entry");
                String state = StrictJson.signalState(e, "state");
                long durationMs = StrictJson.integer(e, "durationMs", 0, Long.MAX_VALUE);
                if (links >= 0 && state.length() != links) {
                    return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE,
                            "entry states differ in length");
                }
                links = state.length();
                list.add(new PlanMessage.Entry(state, durationMs));
            }
            if (list.size() > TimingPlan.MAX_ENTRIES) {
                return DecodeResult.rejected(RejectReason.OVERSIZE, "more than " + TimingPlan.MAX_ENTRIES
                        + " entries");
            }
            if (expires < issued) {
                return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE, "expiresAtMs before issuedAtMs");
            }
            if (program != null && !list.isEmpty()) {
                return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE,
                        "a plan with a deviceProgram must have no entries");
            }
            if (program == null && list.isEmpty()) {
                return DecodeResult.rejected(RejectReason.VALUE_OUT_OF_RANGE,
                        "a plan needs entries or a deviceProgram");
            }
            return DecodeResult.ok(new PlanMessage(intersectionId, seq, issued, expires, program, operator, list));
        } catch (StrictJson.Rejected r) {
            return DecodeResult.rejected(r.reason, r.getMessage());
        }
    }
}
