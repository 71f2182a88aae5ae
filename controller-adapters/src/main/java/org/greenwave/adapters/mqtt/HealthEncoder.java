/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import org.greenwave.core.port.HealthSource;
/**
 * Encodes the v1 engine health payload, published retained on {@code .../engines/{engine}/health}:
 *
 * <pre>
 * {"v":1,"online":true,"timeMs":1700000005000,"startedAtMs":1700000000000,
 *  "mqtt":{"messagesIn":120,"entriesApplied":480,...,"reconnects":0},
 *  "rejects":{"oversize":0,"unknown-topic":0,...,"out-of-order":1},
 *  "engine":{...whatever the HealthSource reports...}}
 * </pre>
 *
 * and, when the engine goes away, {@code {"v":1,"online":false,"timeMs":...}} (on a clean close) or the last-will
 * {@code {"v":1,"online":false}} (published by the broker when the connection dies).
 *
 * <p>Not thread-safe: one encoder per thread.
 */
public final class HealthEncoder {

    private final JsonWriter out = new JsonWriter(2048);

    /** The payload of an online engine. */
    public byte[] online(long timeMs, long startedAtMs, GatewayCounters counters, HealthSource engine) {
        JsonWriter w = out.reset();
        w.raw("{\"v\":1,\"online\":true,\"timeMs\":").number(timeMs);
        w.raw(",\"startedAtMs\":").number(startedAtMs);
        w.raw(",\"mqtt\":{");
        GatewayCounters.Counter[] all = GatewayCounters.counters();
        for (int i = 0; i < all.length; i++) {
            if (i > 0) {
                w.comma();
            }
            w.key(all[i].code()).number(counters.get(all[i]));
        }
        w.raw("},\"rejects\":{");
        RejectReason[] reasons = RejectReason.all();
        for (int i = 0; i < reasons.length; i++) {
            if (i > 0) {
                w.comma();
            }
            w.key(reasons[i].code()).number(counters.rejects(reasons[i]));
        }
        w.raw('}');
        if (engine != null) {
            w.raw(",\"engine\":{");
            int mark = w.length();
            engine.report((name, value) -> {
                if (w.length() > mark) {
                    w.comma();
                }
                w.string(name).raw(':').number(value);
            });
            w.raw('}');
        }
        w.raw('}');
        return w.toByteArray();
    }

    /** The payload of an engine that closed cleanly at {@code timeMs}. */
    public byte[] offline(long timeMs) {
        return out.reset().raw("{\"v\":1,\"online\":false,\"timeMs\":").number(timeMs).raw('}').toByteArray();
    }

    /** The last-will payload, registered with the broker at connect time. */
    public static byte[] will() {
        return "{\"v\":1,\"online\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
