/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

/** Where {@link PlanPublisher} sends: the broker connection, or a fake in tests. Any thread. */
interface PublishChannel {

    /** What {@link #publish} did. */
    enum Result {
        /** Handed to the MQTT client. */
        SENT,
        /** As many unacknowledged messages in flight as the broker allows; try again after an acknowledgement. */
        BUSY,
        /** Not connected. */
        DISCONNECTED,
        /** Any other refusal. */
        FAILED
    }

    /** Odd while connected; changes with every connection and every loss (see {@link MqttConnection#epoch()}). */
    long epoch();

    /**
     * Hands a message over without waiting.
     *
     * @param expiryS MQTT 5 message expiry interval in seconds, or 0 for none
     * @param context passed back when the publish completes
     */
    Result publish(String topic, byte[] payload, int qos, boolean retained, long expiryS, Object context);

    static boolean isConnected(long epoch) {
        return (epoch & 1) == 1;
    }
}
