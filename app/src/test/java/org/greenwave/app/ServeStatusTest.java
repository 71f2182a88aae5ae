package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greenwave.adapters.mqtt.GatewayCountersFixture.add;
import static org.greenwave.adapters.mqtt.GatewayCountersFixture.reject;
import static org.greenwave.adapters.mqtt.GatewayCountersFixture.withRejects;

import java.time.LocalTime;

import org.greenwave.adapters.mqtt.GatewayCounters;
import org.greenwave.adapters.mqtt.GatewayCounters.Counter;
import org.greenwave.adapters.mqtt.RejectReason;
import org.junit.jupiter.api.Test;

class ServeStatusTest {
    private static final LocalTime TEN_PAST = LocalTime.of(17, 10, 5, 123_000_000);

    @Test
    void aQuietGatewayReportsZeroRejections() {
        assertThat(ServeStatus.line(TEN_PAST, "broker", "CONNECTED", new GatewayCounters(), 0, null)).isEqualTo(
                "17:10:05  broker CONNECTED  msgs in 0  applied 0  rejected 0  plans out 0  dropped 0  "
                        + "decision p99 0.0 µs");
    }

    @Test
    void theTimeAlwaysHasSeconds() {
        assertThat(ServeStatus.line(LocalTime.of(17, 33), "broker", "CONNECTING", new GatewayCounters(), 0, null))
                .startsWith("17:33:00  broker CONNECTING  ");
    }

    @Test
    void rejectionsAreNamedByReasonMostFrequentFirst() {
        GatewayCounters c = withRejects(RejectReason.MALFORMED_JSON, 1);
        reject(c, RejectReason.UNKNOWN_DETECTOR, 2);
        add(c, Counter.MESSAGES_IN, 12);
        add(c, Counter.ENTRIES_APPLIED, 30);
        add(c, Counter.PLANS_PUBLISHED, 7);
        add(c, Counter.PLANS_DROPPED_STALE, 1);
        add(c, Counter.PLANS_DROPPED_DISCONNECTED, 2);
        assertThat(ServeStatus.line(TEN_PAST, "broker", "CONNECTED", c, 12_345, null)).isEqualTo(
                "17:10:05  broker CONNECTED  msgs in 12  applied 30  rejected 3 (unknown-detector 2, malformed-json 1)"
                        + "  plans out 7  dropped 3  decision p99 12.3 µs");
    }

    @Test
    void equalCountsKeepTheReasonsOrder() {
        GatewayCounters c = withRejects(RejectReason.OUT_OF_ORDER, 4);
        reject(c, RejectReason.OVERSIZE, 4);
        reject(c, RejectReason.TIMESTAMP_TOO_OLD, 5);
        assertThat(ServeStatus.rejects(c.rejects())).isEqualTo("13 (timestamp-too-old 5, oversize 4, out-of-order 4)");
    }

    @Test
    void aSecondInputShowsItsLinkAndWhatItTook() {
        GatewayCounters c = withRejects(RejectReason.MALFORMED_JSON, 1);
        add(c, Counter.MESSAGES_IN, 9);
        add(c, Counter.ENTRIES_APPLIED, 8);
        assertThat(ServeStatus.input("CONNECTED", c)).isEqualTo(
                "CONNECTED  msgs in 9  applied 8  rejected 1 (malformed-json 1)");
    }
}
