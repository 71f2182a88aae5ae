package org.greenwave.core.forecast;

import java.util.List;

import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;

/**
 * Makes the {@link IntersectionForecaster} of one intersection at engine start-up, knowing which detectors the
 * intersection has.
 */
@FunctionalInterface
public interface ForecasterFactory {
    /**
     * @param model     the intersection
     * @param detectors its detectors, in directory order
     * @return a forecaster owned by the intersection's control thread from now on
     */
    IntersectionForecaster create(IntersectionModel model, List<DetectorSpec> detectors);
}
