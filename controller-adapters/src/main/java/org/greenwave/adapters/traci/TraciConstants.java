/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

/**
 * The TraCI protocol ids this client uses, with the names and values of SUMO's
 * {@code libsumo/TraCIConstants.h} (TraCI API version 20, SUMO 1.15).
 *
 * <p>Only ids the client itself sends or decodes are listed, plus the variable ids callers commonly
 * pass to the generic getters and {@link TraciClient#subscribe}. Any other id from the header can be
 * passed as a plain {@code int}.
 */
public final class TraciConstants {

    private TraciConstants() {
    }

    /** The TraCI API version this client was written and tested against. */
    public static final int TRACI_VERSION = 20;

    // Control commands.
    public static final int CMD_GETVERSION = 0x00;
    public static final int CMD_SIMSTEP = 0x02;
    public static final int CMD_CLOSE = 0x7F;

    // Induction loops (e1).
    public static final int CMD_GET_INDUCTIONLOOP_VARIABLE = 0xa0;
    public static final int RESPONSE_GET_INDUCTIONLOOP_VARIABLE = 0xb0;
    public static final int CMD_SET_INDUCTIONLOOP_VARIABLE = 0xc0;
    public static final int CMD_SUBSCRIBE_INDUCTIONLOOP_VARIABLE = 0xd0;
    public static final int RESPONSE_SUBSCRIBE_INDUCTIONLOOP_VARIABLE = 0xe0;

    // Traffic lights.
    public static final int CMD_GET_TL_VARIABLE = 0xa2;
    public static final int RESPONSE_GET_TL_VARIABLE = 0xb2;
    public static final int CMD_SET_TL_VARIABLE = 0xc2;
    public static final int CMD_SUBSCRIBE_TL_VARIABLE = 0xd2;
    public static final int RESPONSE_SUBSCRIBE_TL_VARIABLE = 0xe2;

    // Lanes.
    public static final int CMD_GET_LANE_VARIABLE = 0xa3;
    public static final int RESPONSE_GET_LANE_VARIABLE = 0xb3;
    public static final int CMD_SET_LANE_VARIABLE = 0xc3;
    public static final int CMD_SUBSCRIBE_LANE_VARIABLE = 0xd3;
    public static final int RESPONSE_SUBSCRIBE_LANE_VARIABLE = 0xe3;

    // Vehicles.
    public static final int CMD_GET_VEHICLE_VARIABLE = 0xa4;
    public static final int RESPONSE_GET_VEHICLE_VARIABLE = 0xb4;
    public static final int CMD_SET_VEHICLE_VARIABLE = 0xc4;
    public static final int CMD_SUBSCRIBE_VEHICLE_VARIABLE = 0xd4;
    public static final int RESPONSE_SUBSCRIBE_VEHICLE_VARIABLE = 0xe4;

    // Edges.
    public static final int CMD_GET_EDGE_VARIABLE = 0xaa;
    public static final int RESPONSE_GET_EDGE_VARIABLE = 0xba;
    public static final int CMD_SET_EDGE_VARIABLE = 0xca;
    public static final int CMD_SUBSCRIBE_EDGE_VARIABLE = 0xda;
    public static final int RESPONSE_SUBSCRIBE_EDGE_VARIABLE = 0xea;

    // Simulation.
    public static final int CMD_GET_SIM_VARIABLE = 0xab;
    public static final int RESPONSE_GET_SIM_VARIABLE = 0xbb;
    public static final int CMD_SET_SIM_VARIABLE = 0xcb;
    public static final int CMD_SUBSCRIBE_SIM_VARIABLE = 0xdb;
    public static final int RESPONSE_SUBSCRIBE_SIM_VARIABLE = 0xeb;

    // Lane-area detectors (e2).
    public static final int CMD_GET_LANEAREA_VARIABLE = 0xad;
    public static final int RESPONSE_GET_LANEAREA_VARIABLE = 0xbd;
    public static final int CMD_SET_LANEAREA_VARIABLE = 0xcd;
    public static final int CMD_SUBSCRIBE_LANEAREA_VARIABLE = 0xdd;
    public static final int RESPONSE_SUBSCRIBE_LANEAREA_VARIABLE = 0xed;

    // Position and data types (the one-byte type tag before a typed value).
    public static final int POSITION_LON_LAT = 0x00;
    public static final int POSITION_2D = 0x01;
    public static final int POSITION_LON_LAT_ALT = 0x02;
    public static final int POSITION_3D = 0x03;
    public static final int POSITION_ROADMAP = 0x04;
    public static final int TYPE_POLYGON = 0x06;
    public static final int TYPE_UBYTE = 0x07;
    public static final int TYPE_BYTE = 0x08;
    public static final int TYPE_INTEGER = 0x09;
    public static final int TYPE_DOUBLE = 0x0B;
    public static final int TYPE_STRING = 0x0C;
    public static final int TYPE_STRINGLIST = 0x0E;
    public static final int TYPE_COMPOUND = 0x0F;
    public static final int TYPE_DOUBLELIST = 0x10;
    public static final int TYPE_COLOR = 0x11;

    // Status results.
    public static final int RTYPE_OK = 0x00;
    public static final int RTYPE_NOTIMPLEMENTED = 0x01;
    public static final int RTYPE_ERR = 0xFF;

    /** SUMO's "no value" marker for doubles; as begin and end of a subscription it means "always". */
    public static final double INVALID_DOUBLE_VALUE = -1073741824.0;
    /** SUMO's "no value" marker for integers. */
    public static final int INVALID_INT_VALUE = -1073741824;

    // Variables shared by several domains.
    public static final int TRACI_ID_LIST = 0x00;
    public static final int ID_COUNT = 0x01;
    public static final int LAST_STEP_VEHICLE_NUMBER = 0x10;
    public static final int LAST_STEP_MEAN_SPEED = 0x11;
    public static final int LAST_STEP_VEHICLE_ID_LIST = 0x12;
    public static final int LAST_STEP_OCCUPANCY = 0x13;
    public static final int LAST_STEP_VEHICLE_HALTING_NUMBER = 0x14;
    /** Induction loop: override of the time since the last detection (set only). */
    public static final int VAR_VIRTUAL_DETECTION = 0x22;
    public static final int LAST_STEP_LENGTH = 0x15;
    public static final int LAST_STEP_TIME_SINCE_DETECTION = 0x16;
    public static final int LAST_STEP_VEHICLE_DATA = 0x17;
    public static final int JAM_LENGTH_VEHICLE = 0x18;
    public static final int JAM_LENGTH_METERS = 0x19;
    public static final int VAR_SPEED = 0x40;
    public static final int VAR_POSITION = 0x42;
    public static final int VAR_LENGTH = 0x44;
    public static final int VAR_TYPE = 0x4f;
    public static final int VAR_ROAD_ID = 0x50;
    public static final int VAR_LANE_ID = 0x51;
    public static final int VAR_LANEPOSITION = 0x56;
    public static final int VAR_WAITING_TIME = 0x7a;
    public static final int VAR_ACCUMULATED_WAITING_TIME = 0x87;
    public static final int VAR_PARAMETER = 0x7e;

    // Traffic-light variables.
    public static final int TL_RED_YELLOW_GREEN_STATE = 0x20;
    public static final int TL_PHASE_INDEX = 0x22;
    public static final int TL_PROGRAM = 0x23;
    public static final int TL_PHASE_DURATION = 0x24;
    public static final int TL_CONTROLLED_LANES = 0x26;
    public static final int TL_CONTROLLED_LINKS = 0x27;
    public static final int TL_CURRENT_PHASE = 0x28;
    public static final int TL_CURRENT_PROGRAM = 0x29;
    public static final int TL_COMPLETE_DEFINITION_RYG = 0x2b;
    public static final int TL_COMPLETE_PROGRAM_RYG = 0x2c;
    public static final int TL_NEXT_SWITCH = 0x2d;

    // Simulation variables.
    public static final int VAR_TIME = 0x66;
    public static final int VAR_DEPARTED_VEHICLES_NUMBER = 0x73;
    public static final int VAR_ARRIVED_VEHICLES_NUMBER = 0x79;
    public static final int VAR_DELTA_T = 0x7b;
    public static final int VAR_MIN_EXPECTED_VEHICLES = 0x7d;
    public static final int VAR_PENDING_VEHICLES = 0x94;
}
