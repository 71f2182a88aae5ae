/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import org.greenwave.core.port.ControllerStatus;
/**
 * Encodes the v1 status payload, for controllers and bridges:
 *
 * <pre>
 * {"v":1,"timeMs":1700000000000,"phase":2,"state":"GGrr","timeInPhaseMs":12300,"program":null,"planSeq":41}
 * </pre>
 *
 * {@code program} is null while the controller follows engine plans, {@code planSeq} is null while it does not;
 * {@code phase} is null while the controller shows a change interval (amber, all-red) between greens.
 *
 * <p>Not thread-safe: one encoder per thread.
 */
public final class StatusEncoder {

    private final JsonWriter out = new JsonWriter(256);

    /** A new array holding the payload of {@code status}. */
    public byte[] encode(ControllerStatus status) {
        JsonWriter w = out.reset();
        w.raw("{\"v\":1,\"timeMs\":").number(status.timeMs());
        w.raw(",\"phase\":");
        if (status.phase() < 0) {
            w.nul();
        } else {
            w.number(status.phase());
        }
        w.raw(",\"state\":").string(status.state());
        w.raw(",\"timeInPhaseMs\":").number(status.timeInPhaseMs());
        w.raw(",\"program\":");
        if (status.program() == null) {
            w.nul();
        } else {
            w.string(status.program());
        }
        w.raw(",\"planSeq\":");
        if (status.planSequence() < 0) {
            w.nul();
        } else {
            w.number(status.planSequence());
        }
        w.raw('}');
        return w.toByteArray();
    }
}
