package org.greenwave.harness.kpi;

import java.util.List;
import java.util.Map;

import org.greenwave.core.policy.Policies;

/**
 * Everything one controller × seed run measured; written as {@code summary.json}.
 *
 * @param scenario          scenario name
 * @param controller        controller name
 * @param seed              SUMO's random seed
 * @param beginS            first simulated second
 * @param endS              end of the simulated window
 * @param signals           number of signals controlled
 * @param trips             trip KPIs from the tripinfo output
 * @param throughputVehPerH vehicles that arrived, per hour of window
 * @param teleports         vehicles SUMO teleported (0 expected: teleporting is disabled)
 * @param safetyViolations  total violations counted by the safety monitor over every signal
 * @param violationsByRule  the same by rule
 * @param violationExamples the first few violations, described
 * @param transport         how detector data and plans travelled: {@code in-process} or {@code mqtt}
 * @param ingestDrops       detector readings the engine could not take (queue full) or the transport lost
 * @param fallbackSteps     signal-steps the field controllers ran without a valid plan (summed over signals)
 * @param interlockHeld     proposals the field controllers' interlocks held for minimum green
 * @param interlockForced   phases the field controllers' interlocks ended at maximum green
 * @param wallTimeS         wall-clock time of the run, SUMO start to tripinfo written
 * @param sumoVersion       SUMO's version string
 * @param monitors          what the run monitors (starvation, gridlock, waiting, watchdog) counted
 * @param ownProgramType    the type of the signals' own programs as the network and its additional files define them
 *                          (SUMO's tlLogic types: {@code static}, {@code actuated}, {@code delay_based}, ...; several
 *                          joined with {@code +} when the signals differ): what the {@code device} controller runs
 * @param persons           person KPIs (walking time loss, waiting for rides) from the tripinfo output; {@code null}
 *                          when not measured
 * @param buses             bus KPIs (vehicles of {@code vClass="bus"}) from the tripinfo output; {@code null} when not
 *                          measured
 * @param field             what the field controllers did with the plans: accepted, refused by reason, fallbacks;
 *                          {@code null} in summaries written before it was recorded
 */
public record RunSummary(String scenario, String controller, long seed, double beginS, double endS, int signals,
                         TripStats trips, double throughputVehPerH, long teleports, long safetyViolations,
                         Map<String, Long> violationsByRule, List<String> violationExamples, String transport,
                         long ingestDrops, long fallbackSteps, long interlockHeld,
                         long interlockForced, double wallTimeS, String sumoVersion, RunMonitors monitors,
                         String ownProgramType, PersonStats persons, BusStats buses, FieldStats field) {

    /** A summary without the field controllers' figures. */
    public RunSummary(String scenario, String controller, long seed, double beginS, double endS, int signals,
                      TripStats trips, double throughputVehPerH, long teleports, long safetyViolations,
                      Map<String, Long> violationsByRule, List<String> violationExamples, String transport,
                      long ingestDrops, long fallbackSteps, long interlockHeld,
                      long interlockForced, double wallTimeS, String sumoVersion, RunMonitors monitors,
                      String ownProgramType, PersonStats persons, BusStats buses) {
        this(scenario, controller, seed, beginS, endS, signals, trips, throughputVehPerH, teleports, safetyViolations,
                violationsByRule, violationExamples, transport, ingestDrops, fallbackSteps, interlockHeld,
                interlockForced, wallTimeS, sumoVersion, monitors, ownProgramType, persons, buses, null);
    }

    /** A summary without person or bus KPIs (both not measured). */
    public RunSummary(String scenario, String controller, long seed, double beginS, double endS, int signals,
                      TripStats trips, double throughputVehPerH, long teleports, long safetyViolations,
                      Map<String, Long> violationsByRule, List<String> violationExamples, String transport,
                      long ingestDrops, long fallbackSteps, long interlockHeld,
                      long interlockForced, double wallTimeS, String sumoVersion, RunMonitors monitors,
                      String ownProgramType) {
        this(scenario, controller, seed, beginS, endS, signals, trips, throughputVehPerH, teleports, safetyViolations,
                violationsByRule, violationExamples, transport, ingestDrops, fallbackSteps, interlockHeld,
                interlockForced, wallTimeS, sumoVersion, monitors, ownProgramType, null, null, null);
    }

    /**
     * The controller as tables and reports show it: its name, and for {@link Policies#DEVICE} the type of program the
     * signals ran, e.g. {@code device (actuated)}.
     */
    public String controllerLabel() {
        return label(controller, ownProgramType);
    }

    /** {@code controller} as shown, given the type of the signals' own programs (null when unknown). */
    public static String label(String controller, String ownProgramType) {
        return Policies.DEVICE.equals(controller) && ownProgramType != null && !ownProgramType.isEmpty()
                ? controller + " (" + ownProgramType + ")" : controller;
    }
}
