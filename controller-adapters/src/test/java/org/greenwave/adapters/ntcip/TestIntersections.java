package org.greenwave.adapters.ntcip;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;

/** Signals the NTCIP tests share. */
public final class TestIntersections {
    private TestIntersections() {
    }

    /**
     * A crossing with two green phases: links 0,1 north-south (lanes n, s) in phase 0 ("GGrr"), links 2,3 east-west
     * (lanes e, w) in phase 1 ("rrGG"); minimum green 5 s, maximum 90 s, yellow 3 s, all-red 1 s.
     */
    public static IntersectionModel crossing(String id) {
        ConflictMatrix.Builder c = ConflictMatrix.builder(4);
        c.conflict(0, 2).conflict(0, 3).conflict(1, 2).conflict(1, 3);
        return IntersectionModel.builder(id, 4).conflicts(c.build())
                .link(0, "n", 100, 10, "s_out").link(1, "s", 100, 10, "n_out")
                .link(2, "e", 100, 10, "w_out").link(3, "w", 100, 10, "e_out")
                .greenPhase("GGrr", 0, 20, 5, 90).greenPhase("rrGG", 2, 10, 5, 90)
                .yellowS(3).allRedS(1).build();
    }
}
