package org.greenwave.adapters.field;

import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;

/** The field tests' signal: links 0,1 north-south, 2,3 east-west; north-south conflicts with east-west. */
public final class TwoPhaseModel {
    private TwoPhaseModel() {
    }

    /** Two green phases, "GGrr" and "rrGG"; amber 3 s, all-red 1 s. */
    public static IntersectionModel model() {
        ConflictMatrix.Builder c = ConflictMatrix.builder(4);
        c.conflict(0, 2).conflict(0, 3).conflict(1, 2).conflict(1, 3);
        return IntersectionModel.builder("x", 4).conflicts(c.build())
                .link(0, "n", 100, 10, "s_out").link(1, "s", 100, 10, "n_out")
                .link(2, "e", 100, 10, "w_out").link(3, "w", 100, 10, "e_out")
                .greenPhase("GGrr", 0, 20, 5, 60).greenPhase("rrGG", 2, 10, 5, 60)
                .yellowS(3).allRedS(1).build();
    }
}
