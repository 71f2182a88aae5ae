/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.greenwave.core.ingest.DetectorDirectory;
import org.junit.jupiter.api.Test;

class TopicsTest {

    final Topics topics = Topics.defaults();

    @Test
    void theDocumentedTree() {
        assertThat(topics.root()).isEqualTo("greenwave/v1");
        assertThat(topics.detectors("A0", DetectorPayloadKind.EVENTS))
                .isEqualTo("greenwave/v1/intersections/A0/detectors/events");
        assertThat(topics.detectors("A0", DetectorPayloadKind.AGGREGATES))
                .isEqualTo("greenwave/v1/intersections/A0/detectors/aggregates");
        assertThat(topics.detectors("A0", DetectorPayloadKind.LANE_AREA))
                .isEqualTo("greenwave/v1/intersections/A0/detectors/lane-area");
        assertThat(topics.status("A0")).isEqualTo("greenwave/v1/intersections/A0/status");
        assertThat(topics.plan("A0")).isEqualTo("greenwave/v1/intersections/A0/plan");
        assertThat(topics.health("main")).isEqualTo("greenwave/v1/engines/main/health");
        assertThat(topics.detectorFilter(DetectorPayloadKind.EVENTS))
                .isEqualTo("greenwave/v1/intersections/+/detectors/events");
        assertThat(topics.planFilter()).isEqualTo("greenwave/v1/intersections/+/plan");
        assertThat(new Topics("city/west").plan("A0")).isEqualTo("city/west/v1/intersections/A0/plan");
    }

    @Test
    void idsAndPrefixesThatCannotBeTopicLevelsAreRefused() {
        for (String bad : new String[] {"a/b", "a+", "#", "", "a\0"}) {
            assertThatThrownBy(() -> topics.plan(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {"", "/x", "x/", "a//b", "a/+", "$SYS"}) {
            assertThatThrownBy(() -> new Topics(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parserFindsKindAndIntersectionWithoutStrings() {
        DetectorDirectory dir = Fixtures.directory();
        Topics.Parser p = new Topics.Parser(topics);
        assertThat(p.parse("greenwave/v1/intersections/B1/detectors/lane-area")).isEqualTo(Topics.Parser.LANE_AREA);
        assertThat(p.intersectionIndex(dir)).isEqualTo(dir.intersectionIndex("B1"));
        assertThat(p.parse(topics.detectors(Fixtures.C2, DetectorPayloadKind.EVENTS)))
                .isEqualTo(Topics.Parser.EVENTS);
        assertThat(p.intersectionIndex(dir)).isEqualTo(dir.intersectionIndex(Fixtures.C2));
        assertThat(p.intersectionId()).isEqualTo(Fixtures.C2);
        assertThat(p.parse("greenwave/v1/intersections/ZZ/status")).isEqualTo(Topics.Parser.STATUS);
        assertThat(p.intersectionIndex(dir)).isEqualTo(-1);
        assertThat(p.parse("greenwave/v1/intersections//detectors/events")).isEqualTo(Topics.Parser.EVENTS);
        assertThat(p.intersectionIndex(dir)).isEqualTo(-1);
        assertThat(p.parse("greenwave/v1/intersections/A0/plan")).isEqualTo(Topics.Parser.PLAN);
        for (String other : new String[] {"greenwave/v1/intersections/A0", "greenwave/v1/intersections/A0/detectors",
            "greenwave/v1/intersections/A0/detectors/events/x", "greenwave/v2/intersections/A0/status", "x"}) {
            assertThat(p.parse(other)).as(other).isEqualTo(Topics.Parser.UNKNOWN);
        }
    }
}
