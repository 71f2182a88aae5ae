/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("broker")
class EmbeddedBrokerTest {

    @Test
    void startsOnAFreeLoopbackPortRelaysMessagesAndClosesIdempotently() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start();
        try {
            assertThat(broker.host()).isEqualTo("127.0.0.1");
            assertThat(broker.port()).isPositive();
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            try (TestClient a = new TestClient(broker.url()); TestClient b = new TestClient(broker.url())) {
                b.subscribe("greenwave/v1/#", 1);
                a.publish("greenwave/v1/intersections/A0/plan", Fixtures.utf8("{}"), 1);
                TestClient.Received r = b.poll(15_000);
                assertThat(r).isNotNull();
                assertThat(r.topic()).isEqualTo("greenwave/v1/intersections/A0/plan");
            }
        } finally {
            broker.close();
            broker.close();
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()), 1_000);
            }
        }).as("nothing listens after close").isInstanceOf(IOException.class);
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedBroker.start("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("port");
        }
    }
}
