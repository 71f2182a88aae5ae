/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Schema checks for the allocating decoders, on a Jackson tree. Strict like {@link DetectorPayloadDecoder}: RFC 8259
 * only, duplicate keys and trailing bytes rejected, unknown fields rejected, integers must be integers.
 *
 * <p>Methods throw {@link Rejected}, which the decoders turn into a {@link DecodeResult} at their boundary. Stateless
 * and thread-safe.
 */
final class StrictJson {

    /** Inside the decoders only: a payload failed a check. */
    static final class Rejected extends Exception {
        final RejectReason reason;

        Rejected(RejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private StrictJson() {
    }

    /** Parses a payload that must be a JSON object with {@code "v": 1} and only the {@code allowed} keys. */
    static JsonNode object(byte[] payload, int maxBytes, Set<String> allowed) throws Rejected {
        if (payload.length > maxBytes) {
            throw new Rejected(RejectReason.OVERSIZE, "payload longer than " + maxBytes + " bytes");
        }
        int bad = firstInvalidUtf8(payload);
        if (bad >= 0) {
            // Jackson's byte parser drops some invalid bytes inside names ("\u00ffeq" read as "eq"): never parse them.
            throw new Rejected(RejectReason.MALFORMED_JSON, "payload is not valid UTF-8 at byte " + bad);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new Rejected(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new Rejected(RejectReason.MALFORMED_JSON, e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Rejected(RejectReason.MALFORMED_JSON, "empty payload");
        }
        if (!root.isObject()) {
            throw new Rejected(RejectReason.WRONG_TYPE, "payload is not a JSON object");
        }
        JsonNode v = root.get("v");
        if (v != null && v.isIntegralNumber() && !(v.canConvertToLong() && v.longValue() == 1)) {
            throw new Rejected(RejectReason.UNSUPPORTED_VERSION, "\"v\" is not 1");
        }
        onlyKeys(root, allowed, "payload");
        if (v == null) {
            throw new Rejected(RejectReason.MISSING_FIELD, "payload without \"v\"");
        }
        if (!v.isIntegralNumber()) {
            throw new Rejected(RejectReason.WRONG_TYPE, "\"v\" must be an integer");
        }
        return root;
    }

    /**
     * The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
     * nothing above U+10FFFF), or -1.
     */
    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            if (b[i] >= 0) {
                i++;
            } else {
                int next = JsonScanner.utf8SequenceEnd(b, i, b.length);
                if (next < 0) {
                    return i;
                }
                i = next;
            }
        }
        return -1;
    }

    static void onlyKeys(JsonNode object, Set<String> allowed, String where) throws Rejected {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new Rejected(RejectReason.UNKNOWN_FIELD, "unknown field \"" + name + "\" in " + where);
            }
        }
    }

    static JsonNode required(JsonNode object, String name) throws Rejected {
        JsonNode n = object.get(name);
        if (n == null) {
            throw new Rejected(RejectReason.MISSING_FIELD, "no \"" + name + "\"");
        }
        return n;
    }

    /** A required integer within {@code [min, max]}. */
    static long integer(JsonNode object, String name, long min, long max) throws Rejected {
        JsonNode n = required(object, name);
        if (!n.isIntegralNumber()) {
            throw new Rejected(RejectReason.WRONG_TYPE, "\"" + name + "\" must be an integer");
        }
        if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw new Rejected(RejectReason.VALUE_OUT_OF_RANGE, "\"" + name + "\" not in " + min + ".." + max);
        }
        return n.longValue();
    }

    /** An optional integer within {@code [min, max]}; {@code absent} when missing or null. */
    static long optionalInteger(JsonNode object, String name, long min, long max, long absent) throws Rejected {
        JsonNode n = object.get(name);
        if (n == null || n.isNull()) {
            return absent;
        }
        return integer(object, name, min, max);
    }

    static String string(JsonNode object, String name) throws Rejected {
        JsonNode n = required(object, name);
        if (!n.isTextual()) {
            throw new Rejected(RejectReason.WRONG_TYPE, "\"" + name + "\" must be a string");
        }
        return n.textValue();
    }

    /** An optional string; null when missing or null. */
    static String optionalString(JsonNode object, String name) throws Rejected {
        JsonNode n = object.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return string(object, name);
    }

    /** A non-empty string of SUMO signal characters. */
    static String signalState(JsonNode object, String name) throws Rejected {
        String s = string(object, name);
        if (s.isEmpty()) {
            throw new Rejected(RejectReason.VALUE_OUT_OF_RANGE, "\"" + name + "\" is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (!org.greenwave.core.model.SignalChar.isValid(s.charAt(i))) {
                throw new Rejected(RejectReason.VALUE_OUT_OF_RANGE, "\"" + name + "\" has '" + s.charAt(i)
                        + "' at " + i + ", not a SUMO signal character (r y g G s u o O)");
            }
        }
        return s;
    }
}
