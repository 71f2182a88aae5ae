/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/** Where a gateway's connection to its broker stands. */
public enum ConnectionState {
    /** Not started yet. */
    NEW,
    /** Connecting, or connected and (re)subscribing; nothing is published yet. */
    CONNECTING,
    /** Connected and subscribed: messages flow both ways. */
    CONNECTED,
    /** Connection lost or refused; the next attempt is scheduled with back-off. */
    DISCONNECTED,
    /** Closed for good. */
    CLOSED
}
