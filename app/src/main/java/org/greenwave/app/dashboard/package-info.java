/**
 * The live dashboard of {@code greenwave serve}, of {@code greenwave demo} and of {@code simulate --dashboard} and
 * {@code whatif --dashboard}: the network drawn from the SUMO network file, every signal coloured by its state and
 * every approach by its estimated queue, a signal's detail (phase, time in phase, schedule ahead, queue estimated
 * against predicted, arrivals on green, split failures, Purdue coordination diagram), network KPIs and the engine's
 * health; and {@code GET /metrics} in Prometheus' text format.
 *
 * <p>Data path: {@link org.greenwave.app.dashboard.Dashboard} reads the engine's lock-free snapshots and metrics (and,
 * live, the MQTT gateway's counters and the plans through a {@link org.greenwave.app.dashboard.PlanTap}) on one
 * sampler thread, keeps an hour of per-second history per signal, and publishes a JSON frame up to five times a
 * second; {@link org.greenwave.app.dashboard.DashboardServer} serves the page, the frames as server-sent events, the
 * detail and the metrics with the JDK's HTTP server. Everything shown is what the engine itself knows, as in a field
 * deployment; under simulation the dashboard never reads SUMO.
 */
package org.greenwave.app.dashboard;
