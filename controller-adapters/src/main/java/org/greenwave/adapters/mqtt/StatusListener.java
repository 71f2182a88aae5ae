/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/**
 * Receives controller status messages that passed validation. Called on the gateway's MQTT callback thread, in
 * arrival order; must be quick, must not block and must not throw (an exception is counted as an internal error).
 */
@FunctionalInterface
public interface StatusListener {
    void onStatus(IntersectionStatus status);
}
