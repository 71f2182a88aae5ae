package org.greenwave.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;

/** Intersections and detectors shared by the engine benchmarks. */
public final class EngineBench {
    private EngineBench() {
    }

    /**
     * A 4-leg junction with one incoming and one outgoing lane per leg and 16 signalled links (each incoming lane
     * feeds right, two through, left), 4 green phases: through + permissive left for the north-south legs, their
     * protected left, then the same for east-west. Links of crossing legs conflict.
     */
    public static IntersectionModel sixteenLinks(String id) {
        int links = 16;
        ConflictMatrix.Builder c = ConflictMatrix.builder(links);
        for (int a = 0; a < links; a++) {
            for (int b = 0; b < links; b++) {
                if ((a / 4 + b / 4) % 2 == 1) {
                    c.conflict(a, b);
                }
            }
        }
        IntersectionModel.Builder b = IntersectionModel.builder(id, links).conflicts(c.build()).yellowS(3).allRedS(1);
        for (int l = 0; l < links; l++) {
            b.link(l, id + "/in" + l / 4, 200, 13.9, id + "/out" + l % 4);
        }
        b.greenPhase("GGGgrrrrGGGgrrrr", 0, 30, 5, 60);
        b.greenPhase("rrrGrrrrrrrGrrrr", 2, 8, 5, 60);
        b.greenPhase("rrrrGGGgrrrrGGGg", 4, 30, 5, 60);
        b.greenPhase("rrrrrrrGrrrrrrrG", 6, 8, 5, 60);
        return b.build();
    }

    /**
     * Per incoming lane a stop-line loop, an advance loop and a lane-area detector; per outgoing lane a lane-area
     * detector. For {@link #sixteenLinks}: 16 detectors.
     */
    public static List<DetectorSpec> detectors(IntersectionModel m) {
        List<DetectorSpec> d = new ArrayList<>();
        for (int lane = 0; lane < m.incomingLaneCount(); lane++) {
            d.add(new DetectorSpec(m.id() + "/sl" + lane, DetectorKind.STOP_LINE, lane));
            d.add(new DetectorSpec(m.id() + "/adv" + lane, DetectorKind.ADVANCE, lane));
            d.add(new DetectorSpec(m.id() + "/ain" + lane, DetectorKind.AREA_IN, lane));
        }
        for (int lane = 0; lane < m.outgoingLaneCount(); lane++) {
            d.add(new DetectorSpec(m.id() + "/aout" + lane, DetectorKind.AREA_OUT, lane));
        }
        return d;
    }
}
