/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * SUMO as the field: the adapter that reads a simulated signal's detectors through TraCI ({@link
 * org.greenwave.adapters.sumo.SumoSignal}), hands the timing plans that reach the field to each signal's {@link
 * org.greenwave.adapters.field.FieldController} ({@link org.greenwave.adapters.sumo.PlanBoard}) and shows what the field
 * controller decides in SUMO ({@link org.greenwave.adapters.sumo.SumoField}).
 *
 * <p>How the readings and plans travel between SUMO's field and the engine is a transport chosen once per run: in
 * process, the engine's field port is a {@link org.greenwave.adapters.sumo.SumoPort} (readings straight into {@code
 * Ingest}, plans straight onto the board); over MQTT, the engine's port is the MQTT gateway and the readings and plans
 * cross a broker as in a deployment.
 *
 * <p>Threading: everything here but {@link org.greenwave.adapters.sumo.PlanBoard#put} and {@link
 * org.greenwave.adapters.sumo.SumoPort#onPlan} runs on the simulation thread that owns the TraCI client.
 */
package org.greenwave.adapters.sumo;
