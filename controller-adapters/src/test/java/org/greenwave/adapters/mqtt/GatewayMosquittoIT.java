/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import org.greenwave.testsupport.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link AbstractGatewayIT} against Mosquitto 2. */
class GatewayMosquittoIT extends AbstractGatewayIT {

    static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = MosquittoBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    String brokerUrl() {
        return broker.url();
    }
}
