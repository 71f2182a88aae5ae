/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import org.greenwave.core.engine.TimingPlan;

/**
 * Encodes a {@link TimingPlan} as the v1 plan payload into a reusable buffer, allocation-free once the buffer has
 * grown to fit (it starts at a size that fits {@link TimingPlan#MAX_ENTRIES} entries of 64 links):
 *
 * <pre>
 * {"v":1,"seq":42,"issuedAtMs":1700000000000,"expiresAtMs":1700000006000,"deviceProgram":null,
 *  "entries":[{"state":"GGrr","durationMs":12000},{"state":"yyrr","durationMs":3000}]}
 * </pre>
 *
 * Durations are rounded to whole milliseconds. A plan that runs the device's {@code off} program for an operator carries
 * {@code "operatorFlash":{"operator":"<id>"}} after {@code deviceProgram}. The engine's gateway then signs the payload
 * ({@link MessageSigner}).
 *
 * <p>Not thread-safe: one encoder per thread (e.g. per engine shard).
 */
public final class PlanEncoder {

    private final JsonWriter out = new JsonWriter(TimingPlan.MAX_ENTRIES * (64 + 40) + 160);
    private char[] state = new char[64];

    /**
     * Encodes {@code plan}; the bytes are {@code buffer()[0, length)} until the next call.
     *
     * @return the length
     */
    public int encode(TimingPlan plan) {
        JsonWriter w = out.reset();
        w.raw("{\"v\":1,\"seq\":").number(plan.sequence());
        w.raw(",\"issuedAtMs\":").number(plan.issuedAtMs());
        w.raw(",\"expiresAtMs\":").number(plan.expiresAtMs());
        w.raw(",\"deviceProgram\":");
        if (plan.deviceProgram() == null) {
            w.nul();
        } else {
            w.string(plan.deviceProgram());
        }
        if (plan.flashOperator() != null) {
            w.raw(",\"operatorFlash\":{\"operator\":").string(plan.flashOperator()).raw('}');
        }
        w.raw(",\"entries\":[");
        int links = plan.linkCount();
        if (state.length < links) {
            state = new char[links];
        }
        for (int e = 0; e < plan.entryCount(); e++) {
            if (e > 0) {
                w.comma();
            }
            plan.copyEntryState(e, state);
            w.raw("{\"state\":").string(state, links);
            w.raw(",\"durationMs\":").number(Math.round(plan.entryDurationS(e) * 1000.0));
            w.raw('}');
        }
        w.raw("]}");
        return w.length();
    }

    public byte[] buffer() {
        return out.buffer();
    }

    public int length() {
        return out.length();
    }

    /** A copy of the last encoded payload. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
