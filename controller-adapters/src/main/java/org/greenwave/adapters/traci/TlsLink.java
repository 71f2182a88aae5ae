/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Objects;

/**
 * One connection controlled by a signal index of a traffic light: from an incoming lane, through an
 * internal (junction) lane, to an outgoing lane. Lane ids are SUMO's.
 *
 * @param fromLane incoming lane id
 * @param toLane   outgoing lane id
 * @param viaLane  internal lane id; empty when the network was built without internal links
 */
public record TlsLink(String fromLane, String toLane, String viaLane) {
    public TlsLink {
        Objects.requireNonNull(fromLane, "fromLane");
        Objects.requireNonNull(toLane, "toLane");
        Objects.requireNonNull(viaLane, "viaLane");
    }
}
