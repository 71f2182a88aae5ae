package org.greenwave.harness.scenario;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioException;
import org.greenwave.netimport.Xml;

/** The vehicle types a scenario's route and additional files define, by class. */
public final class VehicleTypes {
    private VehicleTypes() {
    }

    /**
     * The ids of the {@code <vType>}s (also inside {@code <vTypeDistribution>}s) whose {@code vClass} is {@code bus},
     * over the given files in order.
     *
     * @throws ScenarioException naming the file and line when one cannot be read or is not well-formed
     */
    public static Set<String> busTypes(List<Path> files) {
        Set<String> ids = new LinkedHashSet<>();
        for (Path f : files) {
            Xml.forEachElement(f, (name, r, line) -> {
                if ("vType".equals(name) && "bus".equals(Xml.attr(r, "vClass"))) {
                    ids.add(Xml.required(f, line, r, "id"));
                }
            });
        }
        return Set.copyOf(ids);
    }

    /** {@link #busTypes} over a scenario's route files and its additional files. */
    public static Set<String> busTypes(Scenario scenario) {
        List<Path> files = new java.util.ArrayList<>(scenario.routeFiles());
        files.addAll(scenario.additionalFiles());
        return busTypes(files);
    }
}
