/**
 * The forecast step of the data path (detector → ingest → state → <b>forecast</b> → policy → interlock → adapter):
 * {@link org.greenwave.forecast.online.QueueForecaster} turns each intersection's detector state into queue estimates,
 * detector faults, arrivals and queue predictions every control tick; {@link org.greenwave.forecast.online.QueueRollout}
 * answers "what will the queue be under this schedule" for anyone who asks.
 */
package org.greenwave.forecast.online;
