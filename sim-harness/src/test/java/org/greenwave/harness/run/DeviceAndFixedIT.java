package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.greenwave.adapters.traci.TlsLogic;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.ComparisonTable;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device} runs the signal's own program as defined (here an actuated one), {@code fixed} its phases as a static
 * program at their nominal durations, in real SUMO.
 */
class DeviceAndFixedIT {
    /** The own program: the isolated intersection's phases, as an actuated program with room to extend its greens. */
    private static final String ACTUATED_PROGRAM = """
            <additional>
                <tlLogic id="C" type="actuated" programID="own" offset="0">
                    <phase duration="35" state="rrrGGGrrrrGGGr" minDur="5" maxDur="60"/>
                    <phase duration="3"  state="rrryyyrrrryyyr"/>
                    <phase duration="12" state="rrrrrrGrrrrrrG" minDur="5" maxDur="40"/>
                    <phase duration="3"  state="rrrrrryrrrrrry"/>
                    <phase duration="34" state="GGgrrrrGGgrrrr" minDur="5" maxDur="60"/>
                    <phase duration="3"  state="yyyrrrryyyrrrr"/>
                </tlLogic>
            </additional>
            """;
    private static final double[] NOMINAL_S = {35, 3, 12, 3, 34, 3};

    /** Records what SUMO runs: the active program's id and type, and how long each completed phase lasted. */
    private static final class PhaseLengths implements RunObserver {
        TraciClient sumo;
        String programId;
        String programType;
        int phase = -1;
        double phaseStartS = Double.NaN;
        final List<double[]> completed = new ArrayList<>();

        @Override
        public void started(Engine engine, List<ControlledIntersection> signals, TraciClient c) {
            sumo = c;
            programId = c.getProgram("C");
            for (TlsLogic l : c.getCompleteDefinition("C")) {
                if (l.programId().equals(programId)) {
                    programType = l.type() == TlsLogic.TYPE_STATIC ? "static"
                            : l.type() == TlsLogic.TYPE_ACTUATED ? "actuated" : "type " + l.type();
                }
            }
        }

        @Override
        public void stepped(double nowS) {
            int p = sumo.getPhase("C");
            if (p != phase) {
                if (phase >= 0 && !Double.isNaN(phaseStartS)) {
                    completed.add(new double[] {phase, nowS - phaseStartS});
                }
                phaseStartS = phase >= 0 ? nowS : Double.NaN;
                phase = p;
            }
        }
    }

    @Test
    void fixedRunsTheOwnPhasesAtTheirDurationsAndDeviceRunsTheOwnActuatedProgram(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Path own = TestPaths.own("intersection").getParent();
        Files.writeString(dir.resolve("own.add.xml"), ACTUATED_PROGRAM);
        Files.writeString(dir.resolve("actuated.sumocfg"), """
                <configuration>
                    <input>
                        <net-file value="%s"/>
                        <route-files value="%s"/>
                        <additional-files value="own.add.xml"/>
                    </input>
                    <time><begin value="0"/><end value="600"/></time>
                </configuration>
                """.formatted(own.resolve("intersection.net.xml"), own.resolve("intersection.rou.xml")));
        Scenario s = Scenario.load(dir.resolve("actuated.sumocfg"));
        Map<String, PhaseLengths> seen = new ConcurrentHashMap<>();
        List<RunSummary> runs = new Study(s, List.of(Policies.DEVICE, Policies.FIXED), List.of(1L), dir.resolve("out"),
                List.of(), 2, List.of())
                .observers((controller, seed) -> seen.computeIfAbsent(controller, k -> new PhaseLengths()))
                .run(null);

        PhaseLengths fixed = seen.get(Policies.FIXED);
        assertThat(fixed.programId).isEqualTo(Policies.FIXED_PROGRAM_ID);
        assertThat(fixed.programType).isEqualTo("static");
        assertThat(fixed.completed).hasSizeGreaterThan(12);
        for (double[] c : fixed.completed) {
            assertThat(c[1]).as("phase %d lasted %.0f s", (int) c[0], c[1]).isEqualTo(NOMINAL_S[(int) c[0]]);
        }
        PhaseLengths device = seen.get(Policies.DEVICE);
        assertThat(device.programId).isEqualTo("own");
        assertThat(device.programType).isEqualTo("actuated");
        assertThat(device.completed).as("the actuated program extends or cuts some green")
                .anyMatch(c -> c[1] != NOMINAL_S[(int) c[0]]);

        RunSummary deviceRun = runs.stream().filter(r -> r.controller().equals(Policies.DEVICE)).findFirst().orElseThrow();
        assertThat(deviceRun.ownProgramType()).isEqualTo("actuated");
        assertThat(deviceRun.controllerLabel()).isEqualTo("device (actuated)");
        assertThat(Files.readString(dir.resolve("out/device/seed-1/summary.json")))
                .contains("\"controller\" : \"device\"").contains("\"ownProgramType\" : \"actuated\"");
        assertThat(ComparisonTable.render(runs)).contains("| device (actuated) |").contains("| fixed ");
    }
}
