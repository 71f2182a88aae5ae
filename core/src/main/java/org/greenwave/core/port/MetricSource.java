package org.greenwave.core.port;

/**
 * Figures beside a port's common counters that only one protocol or its infrastructure has (an MQTT connection's
 * session takeovers, an embedded broker's refusals), for the dashboard's {@code /metrics}. Called from any thread;
 * must be quick and must not block.
 */
@FunctionalInterface
public interface MetricSource {

    /** Reports each figure once, in a fixed order. */
    void report(MetricSink sink);

    /** A source that reports nothing. */
    MetricSource NONE = sink -> {
    };

    /** Receives figures. Names are whole Prometheus metric names, e.g. {@code greenwave_mqtt_connect_timeouts_total}. */
    interface MetricSink {
        /** One value; {@code type} is {@code "counter"} or {@code "gauge"}. */
        void metric(String name, String type, String help, long value);

        /** A counter with one value per reason, labelled {@code reason}. */
        void byReason(String name, String help, ReasonCounts counts);
    }
}
