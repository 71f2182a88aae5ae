/**
 * The engine's one edge to the field: the port every field protocol (MQTT, SUMO, NTCIP) implements beside the
 * others, so the command line, the dashboard and the harness see one shape whatever is on the other side.
 *
 * <p>The engine side hands an adapter an {@link org.greenwave.core.port.EngineEdge} when it starts it (through a
 * {@link org.greenwave.core.port.FieldPortFactory}): where detector data goes ({@link
 * org.greenwave.core.ingest.Ingest}), the ids to map once to dense indexes ({@link
 * org.greenwave.core.ingest.DetectorDirectory}), the engine clock, where controller status goes ({@link
 * org.greenwave.core.port.StatusListener}) and the engine's health figures ({@link
 * org.greenwave.core.port.HealthSource}). The adapter returns a {@link org.greenwave.core.port.FieldPort}: the
 * engine's {@link org.greenwave.core.engine.PlanSink} for timing plans, the state of its link ({@link
 * org.greenwave.core.port.LinkState}), its counters ({@link org.greenwave.core.port.FieldCounters}), whether its
 * controllers run device programs, and stop ({@link org.greenwave.core.port.FieldPort#close()}).
 *
 * <p>Hot path: detector readings ({@code Ingest}) and plans ({@code PlanSink#onPlan}) are allocation-free in steady
 * state; status (about once a second per signal), health and counters are not on the hot path.
 */
package org.greenwave.core.port;
