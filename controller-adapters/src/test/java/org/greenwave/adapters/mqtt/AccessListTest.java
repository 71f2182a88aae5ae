/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AccessListTest {

    private static final Topics T = Topics.defaults();
    private static final AccessList ACL = AccessList.defaults(T);
    private static final String ENGINE = AccessList.ENGINE_USER;

    @Test
    void onlyTheEngineWritesPlansAndHealth() {
        for (String user : new String[] {null, "A0", "B1", AccessList.MONITOR_USER, "stranger"}) {
            assertThat(ACL.canPublish(user, "c", T.plan("A0"))).as(user).isFalse();
            assertThat(ACL.canPublish(user, "c", T.health("greenwave"))).as(user).isFalse();
        }
        assertThat(ACL.canPublish(ENGINE, "c", T.plan("A0"))).isTrue();
        assertThat(ACL.canPublish(ENGINE, "c", T.health("greenwave"))).isTrue();
        assertThat(ACL.canSubscribe(ENGINE, "c", T.detectorFilter(DetectorPayloadKind.EVENTS))).isTrue();
        assertThat(ACL.canSubscribe(ENGINE, "c", T.statusFilter())).isTrue();
        assertThat(ACL.canPublish(ENGINE, "c", T.detectors("A0", DetectorPayloadKind.EVENTS))).isFalse();
    }

    @Test
    void aDeviceWritesOnlyItsOwnIntersectionsDataAndReadsOnlyItsOwnPlan() {
        for (DetectorPayloadKind k : DetectorPayloadKind.values()) {
            assertThat(ACL.canPublish("A0", "c", T.detectors("A0", k))).isTrue();
            assertThat(ACL.canPublish("A0", "c", T.detectors("B1", k))).isFalse();
        }
        assertThat(ACL.canPublish("A0", "c", T.status("A0"))).isTrue();
        assertThat(ACL.canPublish("A0", "c", T.status("B1"))).isFalse();
        assertThat(ACL.canSubscribe("A0", "c", T.plan("A0"))).isTrue();
        assertThat(ACL.canSubscribe("A0", "c", T.plan("B1"))).isFalse();
        assertThat(ACL.canSubscribe("A0", "c", T.planFilter())).as("every plan").isFalse();
        assertThat(ACL.canSubscribe("A0", "c", "greenwave/#")).isFalse();
        assertThat(ACL.canSubscribe("A0", "c", T.detectors("A0", DetectorPayloadKind.EVENTS))).isFalse();
        // A user name that is not one topic level matches no pattern.
        assertThat(ACL.canPublish("A0/detectors/events/..", "c", T.detectors("A0", DetectorPayloadKind.EVENTS)))
                .isFalse();
        assertThat(ACL.canPublish("+", "c", T.detectors("A0", DetectorPayloadKind.EVENTS))).isFalse();
    }

    @Test
    void monitorsReadEverythingAndAnonymousClientsOnlyFeedData() {
        assertThat(ACL.canSubscribe(AccessList.MONITOR_USER, "c", "greenwave/v1/#")).isTrue();
        assertThat(ACL.canPublish(AccessList.MONITOR_USER, "c", T.status("A0"))).isFalse();
        assertThat(ACL.canPublish(null, "c", T.detectors("Z9", DetectorPayloadKind.AGGREGATES))).isTrue();
        assertThat(ACL.canSubscribe(null, "c", T.planFilter())).isTrue();
        assertThat(ACL.canSubscribe(null, "c", T.detectorFilter(DetectorPayloadKind.EVENTS))).isFalse();
    }

    @Test
    void matchingFollowsMqttWildcardsAndCoveringIsStrict() {
        String[] f = "a/+/c/#".split("/");
        assertThat(AccessList.matches(f, "a/b/c")).isTrue();
        assertThat(AccessList.matches(f, "a/b/c/d/e")).isTrue();
        assertThat(AccessList.matches(f, "a/b/x")).isFalse();
        assertThat(AccessList.matches(f, "a/b")).isFalse();
        assertThat(AccessList.matches("+/x".split("/"), "$SYS/x")).isFalse();
        assertThat(AccessList.matches("a/+".split("/"), "a/")).isTrue();
        assertThat(AccessList.covers("a/+/c".split("/"), "a/+/c")).isTrue();
        assertThat(AccessList.covers("a/+/c".split("/"), "a/#")).isFalse();
        assertThat(AccessList.covers("a/#".split("/"), "a/+/c")).isTrue();
        assertThat(AccessList.covers("a/b".split("/"), "a/+")).isFalse();
        assertThat(AccessList.covers("#".split("/"), "$SYS/#")).isFalse();
    }

    @Test
    void aDenyWinsAndBadLinesAreNamed() {
        AccessList acl = AccessList.parse(String.join("\n", "user u", "topic read a/#", "topic deny a/secret",
                "topic b"), "acl");
        assertThat(acl.canReceive("u", "c", "a/open")).isTrue();
        assertThat(acl.canReceive("u", "c", "a/secret")).isFalse();
        assertThat(acl.canPublish("u", "c", "b")).as("no access word: readwrite").isTrue();
        assertThat(acl.hasDenials()).isTrue();
        assertThatThrownBy(() -> AccessList.parse("user u\ntopic read a/#/b", "acl file x"))
                .hasMessageContaining("acl file x line 2").hasMessageContaining("a/#/b");
        assertThatThrownBy(() -> AccessList.parse("# c\n\ngrant read a", "acl file x"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown keyword 'grant'");
        assertThatThrownBy(() -> AccessList.parse("topic read", "acl file x")).hasMessageContaining("needs a topic");
    }

    @Test
    void theShippedMosquittoAccessListIsTheDefaultLayout() throws Exception {
        Path shipped = Path.of("").toAbsolutePath().getParent().resolve("deploy/mosquitto/acl");
        assertThat(Files.readString(shipped, StandardCharsets.UTF_8)).isEqualTo(AccessList.defaultText(T));
    }
}
