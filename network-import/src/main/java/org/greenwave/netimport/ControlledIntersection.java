package org.greenwave.netimport;

import java.util.List;

import org.greenwave.core.model.IntersectionModel;

/**
 * One signal the harness controls: the engine's model of it, the signal's own program, the stretch of road each of
 * its lanes belongs to, and the ids of the detectors generated for it. Arrays are indexed by the model's lane
 * indexes; a detector id is null where the stretch is too short to carry that detector. A zone over several lanes
 * is covered by one lane-area detector per lane, whose readings add up.
 *
 * @param incomingStretches for each incoming lane, the lanes from upstream to the stop line (the lane itself last)
 *                          over which its detection zone may extend: a short lane continues on its only predecessor as
 *                          long as no other signal or merge intervenes, also where that predecessor splits
 * @param incomingAreaShares for each incoming lane, parallel to its {@code incomingAreas} pieces (the stop line's lane
 *                          first): the share of the piece's vehicles that count for the lane, 1 on its own lanes and
 *                          less on a lane upstream that also leads to others (see {@code ScenarioImport.shares})
 * @param outgoingStretches for each outgoing lane, the lanes downstream from the junction (the lane itself first)
 * @param warnings          what the import noticed and handled in a way the user may not expect (defaults taken,
 *                          state indices that control nothing, ...), one sentence each
 */
public record ControlledIntersection(IntersectionModel model, SumoNet.TlLogic program, List<List<String>> incomingStretches,
                                     List<List<String>> outgoingStretches, String[] stopLineLoops, String[] advanceLoops,
                                     String[][] incomingAreas, double[][] incomingAreaShares,
                                     String[][] outgoingAreas, List<String> junctionIds,
                                     List<String> warnings) {
    public String id() {
        return model.id();
    }

    /** The lanes of an incoming lane's stretch whose vehicles all go to it: the stretch without shared lanes. */
    public List<String> incomingOwnStretch(int lane) {
        double[] pieces = incomingAreaShares[lane];
        double[] inStretchOrder = new double[pieces.length];
        for (int k = 0; k < pieces.length; k++) {
            inStretchOrder[pieces.length - 1 - k] = pieces[k];
        }
        return ScenarioImport.ownPart(incomingStretches.get(lane), inStretchOrder);
    }

    /**
     * The types of the signals' own programs (SUMO's tlLogic {@code type}: static, actuated, delay_based, ...), each
     * once in first-seen order, joined with {@code +}: "actuated" when every signal runs an actuated program.
     */
    public static String programTypes(List<ControlledIntersection> signals) {
        java.util.LinkedHashSet<String> types = new java.util.LinkedHashSet<>();
        for (ControlledIntersection ci : signals) {
            types.add(ci.program().type());
        }
        return String.join("+", types);
    }

    /**
     * Where the signal is: the mean position of its junctions in the network's coordinates (metres, y up), or
     * {@code {0, 0}} when none of them is in {@code net}.
     */
    public double[] position(SumoNet net) {
        double x = 0;
        double y = 0;
        int n = 0;
        for (String jid : junctionIds) {
            SumoNet.Junction j = net.junction(jid);
            if (j != null) {
                x += j.x();
                y += j.y();
                n++;
            }
        }
        return n == 0 ? new double[] {0, 0} : new double[] {x / n, y / n};
    }
}
