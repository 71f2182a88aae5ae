/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * A pure-Java TraCI client for SUMO (TraCI API version 20, developed against SUMO 1.15).
 *
 * <p>{@link org.greenwave.adapters.traci.SumoProcess} launches SUMO from
 * {@link org.greenwave.adapters.traci.SumoOptions} and connects a
 * {@link org.greenwave.adapters.traci.TraciClient}; the client reads and sets traffic lights,
 * detectors and lanes, and delivers per-step values through
 * {@link org.greenwave.adapters.traci.Subscription} handles in one round trip per step.
 *
 * <p>Threading: a client, its process wrapper and its subscription handles belong to one owner
 * thread. Options and the value records ({@code TlsLogic}, {@code TlsPhase}, {@code TlsLink},
 * {@code LoopVehicleData}) are immutable.
 *
 * <p>Wire format: big-endian; a message is a 4-byte total length followed by commands framed as
 * {@code [len:1][id:1][content]} or, above 255 bytes, {@code [0:1][len:4][id:1][content]}; strings
 * are a 4-byte length plus UTF-8 bytes; typed values carry a one-byte type tag. Ids and layouts follow
 * SUMO's {@code libsumo/TraCIConstants.h} and the Python client in {@code tools/traci}.
 */
package org.greenwave.adapters.traci;
