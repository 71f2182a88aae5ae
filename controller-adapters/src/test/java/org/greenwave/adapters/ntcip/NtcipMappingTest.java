package org.greenwave.adapters.ntcip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.greenwave.core.model.IntersectionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NtcipMappingTest {
    private static final Map<String, IntersectionModel> MODELS = Map.of("J1", TestIntersections.crossing("J1"),
            "J2", TestIntersections.crossing("J2"));

    @TempDir
    Path dir;


    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("ntcip.map");
        Files.write(f, List.of(lines));
        return f;
    }

    private NtcipConfigException error(String... lines) throws IOException {
        Path f = file(lines);
        try {
            NtcipMapping m = NtcipMapping.read(f);
            m.check(MODELS, (s, d) -> Set.of("J1_n", "J1_e").contains(d));
        } catch (NtcipConfigException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void readsSignalsPhasesAndDetectors() throws IOException {
        NtcipMapping m = NtcipMapping.read(file("# corridor", "signal J1 127.0.0.1:16101  # west end",
                "phase 0 2", "phase 1 4", "detector J1_n 3", "", "signal J2 10.0.0.7:161", "phase 1 1", "phase 0 6"));
        NtcipMapping.Signal j1 = m.signal("J1");
        assertThat(j1.host()).isEqualTo("127.0.0.1");
        assertThat(j1.port()).isEqualTo(16101);
        assertThat(j1.ntcipPhase()).containsExactly(2, 4);
        assertThat(j1.enginePhase(4)).isEqualTo(1);
        assertThat(j1.enginePhase(3)).isEqualTo(-1);
        assertThat(j1.maxPhase()).isEqualTo(4);
        assertThat(j1.ntcipDetector()).containsExactly(Map.entry("J1_n", 3));
        assertThat(m.signal("J2").ntcipPhase()).containsExactly(6, 1);
        assertThat(m.signals()).extracting(NtcipMapping.Signal::id).containsExactly("J1", "J2");
        m.check(MODELS, (s, d) -> d.equals("J1_n"));
    }

    @Test
    void aHashInsideAnIdIsPartOfIt() throws IOException {
        // SUMO's lane ids carry the edge's '#': gw_stop_-32038056#3_0 is one detector, not a comment.
        NtcipMapping m = NtcipMapping.read(file("signal J1 h:1 # the west end", "#phase 0 9", "phase 0 1",
                "phase 1 2", "detector gw_stop_-32038056#3_0 1\t# stop line", "detector a#b 2"));
        assertThat(m.signal("J1").ntcipPhase()).containsExactly(1, 2);
        assertThat(m.signal("J1").ntcipDetector()).containsExactly(Map.entry("gw_stop_-32038056#3_0", 1),
                Map.entry("a#b", 2));
    }

    @Test
    void aSignalNumberedAsTheWriterNumbersIt() {
        NtcipMapping.Signal s = NtcipMapping.numbered("J1", "127.0.0.1", 3, List.of("J1_a", "J1_b"));
        assertThat(s.ntcipPhase()).containsExactly(1, 2, 3);
        assertThat(s.ntcipDetector()).containsExactly(java.util.Map.entry("J1_a", 1), java.util.Map.entry("J1_b", 2));
        assertThat(s.maxPhase()).isEqualTo(3);
        assertThat(s.maxDetector()).isEqualTo(2);
    }

    @Test
    void writtenMappingsReadBack() throws IOException {
        Path f = dir.resolve("written.map");
        NtcipMapping.write(f, List.of("J1", "J2"), List.of("127.0.0.1", "127.0.0.1"), new int[] {16101, 16102},
                new int[] {2, 3}, List.of(List.of("a", "b"), List.of()));
        NtcipMapping m = NtcipMapping.read(f);
        assertThat(m.signal("J1").ntcipPhase()).containsExactly(1, 2);
        assertThat(m.signal("J1").ntcipDetector()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        assertThat(m.signal("J2").ntcipPhase()).containsExactly(1, 2, 3);
        assertThat(m.signal("J2").port()).isEqualTo(16102);
    }

    @Test
    void eachMistakeNamesFileAndLine() throws IOException {
        assertThat(error("signal J1 127.0.0.1:1", "phase 0 1", "phase 1 2", "bogus 1").getMessage())
                .endsWith("ntcip.map:4: unknown statement 'bogus' (expected signal, phase, detector, mode or max-cycle)");
        assertThat(error("phase 0 1").getMessage()).endsWith(":1: 'phase' before any 'signal' line");
        assertThat(error("signal J1 127.0.0.1").getMessage()).endsWith(":1: address '127.0.0.1' is not <host>:<port>");
        assertThat(error("signal J1 h:70000").getMessage()).endsWith(":1: port 70000 is not 1..65535");
        assertThat(error("signal J1 h:1", "phase x 1").getMessage())
                .endsWith(":2: engine green phase index 'x' is not a whole number");
        assertThat(error("signal J1 h:1", "phase 0 0").getMessage()).endsWith(":2: NTCIP phase number 0 is not 1..64");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 0 2").getMessage())
                .endsWith(":3: engine green phase 0 of signal 'J1' is already mapped on line 2");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 1 1").getMessage())
                .endsWith(":3: NTCIP phase 1 of signal 'J1' is already mapped on line 2");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 1 2", "detector J1_n 1", "detector J1_e 1").getMessage())
                .endsWith(":5: NTCIP vehicle detector 1 of signal 'J1' is already mapped on line 4");
        assertThat(error("signal J1 h:1", "phase 0 1", "signal J1 h:2").getMessage())
                .endsWith(":3: signal 'J1' is already mapped on line 1");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 1 2", "signal J2 h:1", "phase 0 1", "phase 1 2")
                .getMessage()).endsWith(":4: signal 'J2' has the address h:1 of signal 'J1' (line 1)");
        assertThat(error("signal J1 h:1").getMessage()).endsWith(":1: signal 'J1' maps no phase");
        assertThat(error("# nothing").getMessage()).endsWith(":0: maps no signal (expected a line 'signal <id> <host>:<port>')");
        assertThat(error("signal J1 h:1", "phase 0").getMessage())
                .endsWith(":2: 'phase' takes 2 values: phase <engine green phase index> <NTCIP phase number>");
    }

    @Test
    void theCheckAgainstTheModelNamesFileAndLine() throws IOException {
        assertThat(error("signal J9 h:1", "phase 0 1").getMessage()).contains(":1: signal 'J9' is not one of the network's");
        assertThat(error("signal J1 h:1", "phase 0 1").getMessage())
                .endsWith(":1: signal 'J1': green phase 1 (rrGG) is mapped to no NTCIP phase");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 1 2", "phase 2 3").getMessage())
                .endsWith(":4: signal 'J1' has 2 green phases (0..1), not a phase 2");
        assertThat(error("signal J1 h:1", "phase 0 1", "phase 1 2", "detector J2_x 1").getMessage())
                .endsWith(":4: detector 'J2_x' is not a detector of signal 'J1'");
    }

    @Test
    void eachSignalHasItsMode() throws IOException {
        NtcipMapping m = NtcipMapping.read(file("signal J1 h:1", "phase 0 1", "phase 1 2", "mode pattern",
                "max-cycle 90", "signal J2 h:2", "phase 0 1", "phase 1 2", "mode phase-control",
                "signal J3 h:3", "phase 0 1", "mode pattern"));
        assertThat(m.signal("J1").mode()).isEqualTo(NtcipMapping.Mode.PATTERN);
        assertThat(m.signal("J1").maxCycleS()).isEqualTo(90);
        assertThat(m.signal("J1").maxCycleLine()).isEqualTo(5);
        assertThat(m.signal("J2").mode()).isEqualTo(NtcipMapping.Mode.PHASE_CONTROL);
        assertThat(m.signal("J3").maxCycleS()).as("patternCycleTime's limit").isEqualTo(255);
        assertThat(NtcipMapping.read(file("signal J1 h:1", "phase 0 1")).signal("J1").mode())
                .as("the default").isEqualTo(NtcipMapping.Mode.PHASE_CONTROL);

        Path f = dir.resolve("written.map");
        NtcipMapping.write(f, List.of("J1"), List.of("127.0.0.1"), new int[] {16101}, new int[] {2}, List.of(List.of()),
                NtcipMapping.Mode.PATTERN);
        assertThat(NtcipMapping.read(f).signal("J1").mode()).isEqualTo(NtcipMapping.Mode.PATTERN);
    }

    @Test
    void modeMistakesNameFileAndLine() throws IOException {
        assertThat(error("signal J1 h:1", "phase 0 1", "mode cycle").getMessage())
                .endsWith(":3: mode 'cycle' is not phase-control or pattern");
        assertThat(error("signal J1 h:1", "phase 0 1", "mode pattern", "mode pattern").getMessage())
                .endsWith(":4: signal 'J1' has its mode on line 3");
        assertThat(error("signal J1 h:1", "phase 0 1", "mode").getMessage())
                .endsWith(":3: 'mode' takes 1 values: mode phase-control|pattern");
        assertThat(error("mode pattern").getMessage()).endsWith(":1: 'mode' before any 'signal' line");
        assertThat(error("signal J1 h:1", "phase 0 1", "max-cycle 90").getMessage())
                .endsWith(":3: max-cycle applies to mode pattern; signal 'J1' runs mode phase-control (give 'mode pattern')");
        assertThat(error("signal J1 h:1", "phase 0 1", "mode phase-control", "max-cycle 90").getMessage())
                .endsWith(":4: max-cycle applies to mode pattern; signal 'J1' runs mode phase-control (line 3)");
        assertThat(error("signal J1 h:1", "phase 0 1", "mode pattern", "max-cycle 300").getMessage())
                .endsWith(":4: max-cycle 300 is not 20..255");
        assertThat(error("signal J1 h:1", "phase 0 1", "mode pattern", "max-cycle 90", "max-cycle 80").getMessage())
                .endsWith(":5: signal 'J1' has its max-cycle on line 4");
        // Against the model: two phases of 15 s minimum green and 4 s change need 38 s.
        org.greenwave.core.model.ConflictMatrix.Builder c = org.greenwave.core.model.ConflictMatrix.builder(2);
        IntersectionModel slow = IntersectionModel.builder("J1", 2).conflicts(c.conflict(0, 1).build())
                .link(0, "n", 100, 10, "s_out").link(1, "e", 100, 10, "w_out")
                .greenPhase("Gr", 0, 20, 15, 90).greenPhase("rG", 2, 20, 15, 90).yellowS(3).allRedS(1).build();
        NtcipMapping m = NtcipMapping.read(file("signal J1 h:1", "phase 0 1", "phase 1 2", "mode pattern",
                "max-cycle 30"));
        assertThatThrownBy(() -> m.check(Map.of("J1", slow), (s, d) -> true)).isInstanceOf(NtcipConfigException.class)
                .hasMessageEndingWith(":5: signal 'J1': its phases' minimum greens and changes take 38 s, more than its "
                        + "max-cycle of 30 s");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("none.map");
        assertThatThrownBy(() -> NtcipMapping.read(missing)).isInstanceOf(NtcipConfigException.class)
                .hasMessage(missing + ":0: no such file");
    }
}
