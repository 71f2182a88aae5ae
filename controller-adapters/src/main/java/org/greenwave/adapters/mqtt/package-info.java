/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/**
 * The MQTT path: detector data from the field into the engine, timing plans and health out (MQTT v5, Eclipse Paho),
 * plus an embedded broker (HiveMQ CE). Topics and payloads are specified in {@code docs/mqtt.md} and in
 * {@link org.greenwave.adapters.mqtt.Topics}.
 *
 * <p>Engine side: {@link org.greenwave.adapters.mqtt.MqttEngineGateway} (configured by
 * {@link org.greenwave.adapters.mqtt.MqttGatewayOptions}) subscribes to detector topics, decodes each message without
 * allocation ({@link org.greenwave.adapters.mqtt.DetectorPayloadDecoder}), validates it against
 * {@link org.greenwave.adapters.mqtt.IngestLimits} and the per-detector history
 * ({@link org.greenwave.adapters.mqtt.DetectorTracker}), hands good entries to the engine's {@code Ingest}, and counts
 * every rejection by {@link org.greenwave.adapters.mqtt.RejectReason} in
 * {@link org.greenwave.adapters.mqtt.GatewayCounters}. As the engine's {@code PlanSink} it publishes plans, dropping
 * (never queueing) them while disconnected or stale.
 *
 * <p>Field side, for controllers and bridges: {@link org.greenwave.adapters.mqtt.DetectorPayloadEncoder},
 * {@link org.greenwave.adapters.mqtt.PlanDecoder}, {@link org.greenwave.adapters.mqtt.StatusEncoder}.
 *
 * <p>External ids become dense indexes here, at the boundary; nothing past the decoder sees a topic or an id string.
 */
package org.greenwave.adapters.mqtt;
