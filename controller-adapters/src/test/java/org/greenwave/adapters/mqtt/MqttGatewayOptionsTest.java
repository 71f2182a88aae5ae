/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MqttGatewayOptionsTest {

    @Test
    void defaults() {
        MqttGatewayOptions o = MqttGatewayOptions.builder().build();
        assertThat(o.brokerUrl()).isEqualTo("tcp://127.0.0.1:1883");
        // Nobody can guess the default client id, so nobody can take the engine's session over by it.
        assertThat(o.clientId()).matches("greenwave-engine-greenwave-[0-9a-f]{16}")
                .isNotEqualTo(MqttGatewayOptions.builder().build().clientId());
        assertThat(o.planQos()).isEqualTo(1);
        assertThat(o.minPlanLifetimeMs()).isEqualTo(250);
        assertThat(o.limits()).isEqualTo(IngestLimits.DEFAULTS);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> MqttGatewayOptions.builder().brokerUrl("localhost:1883").build())
                .hasMessageContaining("brokerUrl");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().engineId("a/b").build())
                .hasMessageContaining("engineId");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().planQos(2).build()).hasMessageContaining("planQos");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().minPlanLifetimeMs(0).build())
                .hasMessageContaining("minPlanLifetimeMs");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().reconnectDelayMs(500, 100).build())
                .hasMessageContaining("maxReconnectDelayMs");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().topicPrefix("a/#").build())
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> new IngestLimits(0, 1, 1, 1, 1, 1, 1, 1, 1)).hasMessageContaining("maxPayloadBytes");
    }

    @Test
    void aDetectorInputOnlyReadsTheKindsGivenAndPublishesNothing() {
        MqttGatewayOptions whole = MqttGatewayOptions.builder().build();
        assertThat(whole.publishes()).isTrue();
        assertThat(whole.detectorInputOnly()).isNull();
        MqttGatewayOptions cameras = MqttGatewayOptions.builder().detectorInputOnly(DetectorPayloadKind.LANE_AREA)
                .build();
        assertThat(cameras.publishes()).isFalse();
        assertThat(cameras.detectorInputOnly()).containsExactly(DetectorPayloadKind.LANE_AREA);

        assertThatThrownBy(() -> MqttGatewayOptions.builder().detectorInputOnly().build())
                .hasMessageContaining("detectorInputOnly needs one or more detector kinds");
        assertThatThrownBy(() -> MqttGatewayOptions.builder()
                .detectorInputOnly(DetectorPayloadKind.LANE_AREA, DetectorPayloadKind.LANE_AREA).build())
                .hasMessageContaining("each once");
        assertThatThrownBy(() -> MqttGatewayOptions.builder().detectorInputOnly(DetectorPayloadKind.LANE_AREA)
                .statusListener(status -> { }).build()).hasMessageContaining("no statusListener and no signer");
    }
}
