/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.benchmarks.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.benchmarks.EngineBench;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;

/** The synthetic network, and its induction loops in the order the publishers cycle through them. */
record Network(List<EngineIntersection> intersections, String[] loopIds, int[] loopIntersection,
               Map<String, Integer> intersectionIndex) {

    static Network build(int n) {
        List<EngineIntersection> xs = new ArrayList<>(n);
        List<String> ids = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            IntersectionModel m = EngineBench.sixteenLinks("j" + i);
            List<DetectorSpec> detectors = EngineBench.detectors(m);
            xs.add(new EngineIntersection(m, i % 2 == 0 ? Policies.WEBSTER : Policies.MAX_PRESSURE, detectors));
            index.put(m.id(), i);
            for (DetectorSpec d : detectors) {
                if (d.kind() == DetectorKind.STOP_LINE || d.kind() == DetectorKind.ADVANCE) {
                    ids.add(d.id());
                    owners.add(i);
                }
            }
        }
        int[] owner = new int[owners.size()];
        for (int l = 0; l < owner.length; l++) {
            owner[l] = owners.get(l);
        }
        return new Network(xs, ids.toArray(new String[0]), owner, index);
    }

    int intersectionCount() {
        return intersections.size();
    }

    int loopCount() {
        return loopIds.length;
    }

    String intersectionId(int i) {
        return intersections.get(i).model().id();
    }
}
