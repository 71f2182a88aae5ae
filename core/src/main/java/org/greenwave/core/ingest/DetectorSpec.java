package org.greenwave.core.ingest;

/**
 * One detector of one intersection, as configured at start-up.
 *
 * @param id   the external id (as in MQTT topics and payloads, or SUMO's detector id)
 * @param kind where it sits
 * @param lane the model's incoming lane index (STOP_LINE, ADVANCE, AREA_IN) or outgoing lane index (AREA_OUT)
 */
public record DetectorSpec(String id, DetectorKind kind, int lane) {
}
