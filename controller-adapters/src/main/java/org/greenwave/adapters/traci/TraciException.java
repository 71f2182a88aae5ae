/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import java.util.Optional;

/**
 * A TraCI failure: SUMO rejected a command, the connection broke, SUMO sent bytes that violate the
 * protocol, or SUMO could not be started.
 *
 * <p>When SUMO itself reported the problem, {@link #sumoError()} holds SUMO's own text verbatim and
 * the message contains it, so logs show the real reason. {@link #commandId()} is the TraCI command
 * the failure belongs to, or {@code -1} when it belongs to no single command (start-up, I/O).
 */
public class TraciException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int commandId;
    private final String sumoError;

    /** A failure not tied to a command and without text from SUMO. */
    public TraciException(String message) {
        this(message, -1, null, null);
    }

    /** A failure not tied to a command, caused by {@code cause} (typically an I/O error). */
    public TraciException(String message, Throwable cause) {
        this(message, -1, null, cause);
    }

    /**
     * @param message   complete message; should already contain {@code sumoError} if there is one
     * @param commandId TraCI command id, or -1
     * @param sumoError SUMO's own error text, or null
     * @param cause     underlying exception, or null
     */
    public TraciException(String message, int commandId, String sumoError, Throwable cause) {
        super(message, cause);
        this.commandId = commandId;
        this.sumoError = sumoError;
    }

    /** The TraCI command id this failure belongs to, or -1. */
    public int commandId() {
        return commandId;
    }

    /** SUMO's own error text, verbatim, when SUMO reported the failure. */
    public Optional<String> sumoError() {
        return Optional.ofNullable(sumoError);
    }
}
