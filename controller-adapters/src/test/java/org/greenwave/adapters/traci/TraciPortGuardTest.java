/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Finding a program that connected to SUMO's TraCI port first, in the system's TCP table. */
class TraciPortGuardTest {

    @Test
    void aConnectionToThePortIsFoundWithItsAddressAndNothingOtherwise() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux's TCP table");
        try (ServerSocket sumo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = sumo.getLocalPort();
            assertThat(SumoProcess.foreignConnection(port)).isNull();
            try (Socket thief = new Socket(InetAddress.getLoopbackAddress(), port)) {
                // Not even accepted yet: the kernel holds it established in the listener's backlog.
                assertThat(SumoProcess.foreignConnection(port)).isEqualTo("127.0.0.1:" + thief.getLocalPort());
            }
        }
    }
}
