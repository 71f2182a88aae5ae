/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

/**
 * A TraCI object domain and its command ids (from {@code TraCIConstants.h}).
 *
 * <p>Each domain has a get command, a set command, a variable-subscribe command, and the response
 * ids SUMO uses to answer a get and to report subscription values.
 */
public enum Domain {
    INDUCTION_LOOP("induction loop", CMD_GET_INDUCTIONLOOP_VARIABLE, RESPONSE_GET_INDUCTIONLOOP_VARIABLE,
            CMD_SET_INDUCTIONLOOP_VARIABLE, CMD_SUBSCRIBE_INDUCTIONLOOP_VARIABLE,
            RESPONSE_SUBSCRIBE_INDUCTIONLOOP_VARIABLE),
    LANE_AREA("lane-area detector", CMD_GET_LANEAREA_VARIABLE, RESPONSE_GET_LANEAREA_VARIABLE,
            CMD_SET_LANEAREA_VARIABLE, CMD_SUBSCRIBE_LANEAREA_VARIABLE, RESPONSE_SUBSCRIBE_LANEAREA_VARIABLE),
    LANE("lane", CMD_GET_LANE_VARIABLE, RESPONSE_GET_LANE_VARIABLE,
            CMD_SET_LANE_VARIABLE, CMD_SUBSCRIBE_LANE_VARIABLE, RESPONSE_SUBSCRIBE_LANE_VARIABLE),
    TRAFFIC_LIGHT("traffic light", CMD_GET_TL_VARIABLE, RESPONSE_GET_TL_VARIABLE,
            CMD_SET_TL_VARIABLE, CMD_SUBSCRIBE_TL_VARIABLE, RESPONSE_SUBSCRIBE_TL_VARIABLE),
    SIMULATION("simulation", CMD_GET_SIM_VARIABLE, RESPONSE_GET_SIM_VARIABLE,
            CMD_SET_SIM_VARIABLE, CMD_SUBSCRIBE_SIM_VARIABLE, RESPONSE_SUBSCRIBE_SIM_VARIABLE),
    VEHICLE("vehicle", CMD_GET_VEHICLE_VARIABLE, RESPONSE_GET_VEHICLE_VARIABLE,
            CMD_SET_VEHICLE_VARIABLE, CMD_SUBSCRIBE_VEHICLE_VARIABLE, RESPONSE_SUBSCRIBE_VEHICLE_VARIABLE),
    EDGE("edge", CMD_GET_EDGE_VARIABLE, RESPONSE_GET_EDGE_VARIABLE,
            CMD_SET_EDGE_VARIABLE, CMD_SUBSCRIBE_EDGE_VARIABLE, RESPONSE_SUBSCRIBE_EDGE_VARIABLE);

    private static final Domain[] BY_SUBSCRIBE_RESPONSE = new Domain[256];

    static {
        for (Domain d : values()) {
            BY_SUBSCRIBE_RESPONSE[d.subscribeResponseId] = d;
        }
    }

    private final String displayName;
    private final int getCommandId;
    private final int getResponseId;
    private final int setCommandId;
    private final int subscribeCommandId;
    private final int subscribeResponseId;

    Domain(String displayName, int getCommandId, int getResponseId, int setCommandId,
           int subscribeCommandId, int subscribeResponseId) {
        this.displayName = displayName;
        this.getCommandId = getCommandId;
        this.getResponseId = getResponseId;
        this.setCommandId = setCommandId;
        this.subscribeCommandId = subscribeCommandId;
        this.subscribeResponseId = subscribeResponseId;
    }

    /**
     * True for objects that exist for the whole simulation (detectors, lanes, edges, traffic lights, the simulation):
     * {@link TraciClient#subscribe} fetches their variables with get commands, sent in one message after each step,
     * instead of subscribing them in SUMO: SUMO 1.15 answers a get with about a third of the work a subscription
     * costs it every step (docs/benchmarks.md). Vehicles come and go: theirs stay SUMO subscriptions, which end with the
     * vehicle where a get would be refused.
     */
    public boolean fetchedByGet() {
        return this != VEHICLE;
    }

    /** Human-readable name used in error messages, e.g. "traffic light". */
    public String displayName() {
        return displayName;
    }

    /** Id of the get-variable command, e.g. {@code CMD_GET_TL_VARIABLE}. */
    public int getCommandId() {
        return getCommandId;
    }

    /** Id SUMO answers a get-variable command with, e.g. {@code RESPONSE_GET_TL_VARIABLE}. */
    public int getResponseId() {
        return getResponseId;
    }

    /** Id of the set-variable command, e.g. {@code CMD_SET_TL_VARIABLE}. */
    public int setCommandId() {
        return setCommandId;
    }

    /** Id of the variable-subscription command, e.g. {@code CMD_SUBSCRIBE_TL_VARIABLE}. */
    public int subscribeCommandId() {
        return subscribeCommandId;
    }

    /** Id of the subscription response SUMO sends, e.g. {@code RESPONSE_SUBSCRIBE_TL_VARIABLE}. */
    public int subscribeResponseId() {
        return subscribeResponseId;
    }

    /** The domain whose variable-subscription response id is {@code responseId}, or null if none. */
    static Domain forSubscribeResponse(int responseId) {
        return responseId >= 0 && responseId < 256 ? BY_SUBSCRIBE_RESPONSE[responseId] : null;
    }

    /** The domain whose get, set or subscribe command id is {@code commandId}, or null if none. */
    static Domain forCommand(int commandId) {
        for (Domain d : values()) {
            if (d.getCommandId == commandId || d.setCommandId == commandId
                    || d.subscribeCommandId == commandId) {
                return d;
            }
        }
        return null;
    }
}
