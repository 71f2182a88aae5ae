/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.greenwave.core.port.LinkState;

/**
 * A broker that accepts the TCP connection and never answers CONNECT: Paho's connect listener does not fire, and only
 * the attempt's own deadline (on the injected clock) gets the connection loop going again.
 */
class ConnectDeadlineTest {

    /** Accepts connections and reads nothing back: no CONNACK, ever. */
    private static final class SilentBroker implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-broker");

        SilentBroker() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static final MqttConnection.Handler NO_HANDLER = new MqttConnection.Handler() {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void connected(boolean reconnect) {
        }

        @Override
        public void connectionLost() {
        }

        @Override
        public void delivered(Object context) {
        }
    };

    @Test
    void aConnectThatIsNeverAnsweredIsAbandonedAtItsDeadlineAndTheLoopConnectsAgain() throws Exception {
        AtomicLong nowNs = new AtomicLong(1_000_000_000L);
        GatewayCounters counters = new GatewayCounters();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (SilentBroker broker = new SilentBroker()) {
            // Paho's own time-out 0: it waits for CONNACK for ever, as a connect whose listener never fires does.
            MqttConnection.Settings settings = new MqttConnection.Settings(
                    "tcp://127.0.0.1:" + broker.server.getLocalPort(), "greenwave-engine-t-0000000000000000", null,
                    null, 10, 0, 10, 50, null, null, 1 << 20, null, "greenwave-engine-t-");
            MqttConnection c = new MqttConnection(settings, new MqttSubscription[0], scheduler, NO_HANDLER, counters,
                    System.getLogger("test"), nowNs::get);
            c.start();
            Fixtures.await(10_000, () -> broker.accepted.size() == 1, () -> "no connection attempt");
            // Wall time passes, the injected clock does not: the attempt stays in flight, nothing is retried.
            Thread.sleep(4 * MqttConnection.WATCHDOG_PERIOD_MS);
            assertThat(broker.accepted).hasSize(1);
            assertThat(counters.get(GatewayCounters.Counter.CONNECT_TIMEOUTS)).isZero();
            assertThat(c.state()).isEqualTo(LinkState.CONNECTING);

            nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(c.connectDeadlineMs()));
            Fixtures.await(10_000, () -> counters.get(GatewayCounters.Counter.CONNECT_TIMEOUTS) == 1
                    && broker.accepted.size() >= 2, () -> "not retried after the deadline: " + counters);
            assertThat(counters.get(GatewayCounters.Counter.CONNECT_FAILURES)).isEqualTo(1);
            // A stuck attempt keeps its client id; only a takeover makes a new one.
            assertThat(c.clientId()).isEqualTo("greenwave-engine-t-0000000000000000");
            c.close(100);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
