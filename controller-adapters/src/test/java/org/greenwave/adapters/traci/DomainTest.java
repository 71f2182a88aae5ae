/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainTest {

    @Test
    void commandIdsFollowTheHeadersPattern() {
        for (Domain d : Domain.values()) {
            assertThat(d.getResponseId()).isEqualTo(d.getCommandId() + 0x10);
            assertThat(d.setCommandId()).isEqualTo(d.getCommandId() + 0x20);
            assertThat(d.subscribeCommandId()).isEqualTo(d.getCommandId() + 0x30);
            assertThat(d.subscribeResponseId()).isEqualTo(d.getCommandId() + 0x40);
            assertThat(Domain.forSubscribeResponse(d.subscribeResponseId())).isSameAs(d);
            assertThat(Domain.forCommand(d.setCommandId())).isSameAs(d);
        }
        assertThat(Domain.forSubscribeResponse(0x90)).as("context responses are not variable responses").isNull();
    }
}
