package org.greenwave.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;

/**
 * One intersection the engine controls: its model, the name of its policy (one of
 * {@link org.greenwave.core.policy.Policies#names()}, or a name the context's policy factory knows) and its
 * detectors. The order of the detectors is the order of their indexes in the engine's
 * {@link org.greenwave.core.ingest.DetectorDirectory}.
 *
 * <p>Checked by {@link EngineContext#conclude()}, not here, so that every problem is reported with the intersection it
 * belongs to.
 *
 * @param model     the intersection's model; its id is the intersection's external id
 * @param policy    the policy's name
 * @param detectors the detectors reporting to this intersection; copied
 */
public record EngineIntersection(IntersectionModel model, String policy, List<DetectorSpec> detectors) {
    public EngineIntersection {
        detectors = detectors == null ? null : Collections.unmodifiableList(new ArrayList<>(detectors));
    }
}
