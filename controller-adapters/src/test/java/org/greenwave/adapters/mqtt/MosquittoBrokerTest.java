/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.greenwave.testsupport.MosquittoBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The test helper itself: it finds Mosquitto or says how to install it, and restarts on the same port. */
@Tag("broker")
class MosquittoBrokerTest {

    @Test
    void aMissingBrokerFailsWithTheInstallStep() {
        assertThatThrownBy(() -> MosquittoBroker.findBinary(List.of(Path.of("/nonexistent/mosquitto")), "/nonexistent"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apt-get install mosquitto")
                .hasMessageContaining("./greenwave test");
    }

    @Test
    void restartsOnTheSamePort() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            int port = broker.port();
            try (TestClient c = new TestClient(broker.url())) {
                assertThat(c.isConnected()).isTrue();
            }
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            try (TestClient c = new TestClient(broker.url())) {
                assertThat(c.isConnected()).isTrue();
            }
        }
    }

    @Test
    void takesExtraSettingsAndReportsItsProcess() throws Exception {
        long pid;
        try (MosquittoBroker broker = MosquittoBroker.start(List.of("allow_anonymous true", "max_inflight_messages 7",
                "sys_interval 1"))) {
            assertThat(broker.config()).contains("max_inflight_messages 7", "sys_interval 1", "persistence false");
            pid = broker.pid();
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
            assertThat(broker.cpuTimeNs()).isGreaterThanOrEqualTo(0);
            try (TestClient c = new TestClient(broker.url())) {
                assertThat(c.isConnected()).isTrue();
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }
}
