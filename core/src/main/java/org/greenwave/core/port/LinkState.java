package org.greenwave.core.port;

/**
 * Where a field port's link to the field stands: a broker connection for MQTT, an SNMP session for NTCIP, the TraCI
 * connection for SUMO. Written by the adapter's own thread; read from any thread.
 */
public enum LinkState {
    /** Not started yet. */
    NEW,
    /** Connecting, or connected and setting up (subscribing, reading the controllers' state); nothing flows yet. */
    CONNECTING,
    /** Connected: detector data comes in and plans go out. */
    CONNECTED,
    /** Link lost or refused; the adapter tries again by itself. Plans issued meanwhile are dropped and counted. */
    DISCONNECTED,
    /** Closed for good. */
    CLOSED
}
