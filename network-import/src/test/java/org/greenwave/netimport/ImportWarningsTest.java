package org.greenwave.netimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importer says what it did that a user may not expect, and reads the network's geographic projection. */
class ImportWarningsTest {

    private static ControlledIntersection intersectionWith(Path dir, String phases) throws IOException {
        Path add = dir.resolve("program.add.xml");
        Files.writeString(add, "<additional>\n  <tlLogic id=\"C\" type=\"static\" programID=\"mine\" offset=\"0\">\n"
                + phases + "  </tlLogic>\n</additional>\n");
        Scenario s = Scenario.load(TestPaths.own("intersection"));
        return ScenarioImport.importSignals(SumoNet.read(s.netFile(), List.of(add)), List.of()).get(0);
    }

    @Test
    void aProgramWithoutAmberGetsTheKinematicAmberAndSaysSo(@TempDir Path dir) throws IOException {
        ControlledIntersection ci = intersectionWith(dir, ""
                + "    <phase duration=\"35\" state=\"rrrGGGrrrrGGGr\" minDur=\"10\" maxDur=\"50\"/>\n"
                + "    <phase duration=\"12\" state=\"rrrrrrGrrrrrrG\" minDur=\"5\" maxDur=\"20\"/>\n"
                + "    <phase duration=\"34\" state=\"GGgrrrrGGgrrrr\" minDur=\"10\" maxDur=\"50\"/>\n");
        assertThat(ci.model().sourceProgramId()).isEqualTo("mine");
        assertThat(ci.warnings()).anySatisfy(w -> assertThat(w).startsWith("2 programs are loaded for this signal (0, mine)")
                .contains("'mine' from program.add.xml"));
        assertThat(ci.warnings()).anySatisfy(w -> assertThat(w).startsWith("the program has no amber phase")
                .contains(ScenarioImport.fmt(ci.model().yellowS()) + " s"));
        assertThat(ci.warnings()).noneMatch(w -> w.contains("minDur") || w.contains("maxDur"));
    }

    @Test
    void differentAmbersRepeatedGreensAndMissingBoundsAreNamed(@TempDir Path dir) throws IOException {
        ControlledIntersection ci = intersectionWith(dir, ""
                + "    <phase duration=\"35\" state=\"rrrGGGrrrrGGGr\"/>\n"
                + "    <phase duration=\"4\"  state=\"rrryyyrrrryyyr\"/>\n"
                + "    <phase duration=\"12\" state=\"rrrrrrGrrrrrrG\" minDur=\"5\" maxDur=\"20\"/>\n"
                + "    <phase duration=\"3\"  state=\"rrrrrryrrrrrry\"/>\n"
                + "    <phase duration=\"10\" state=\"rrrGGGrrrrGGGr\"/>\n"
                + "    <phase duration=\"3\"  state=\"rrryyyrrrryyyr\"/>\n"
                + "    <phase duration=\"34\" state=\"GGgrrrrGGgrrrr\" minDur=\"8\"/>\n"
                + "    <phase duration=\"3\"  state=\"yyyrrrryyyrrrr\"/>\n");
        assertThat(ci.model().yellowS()).isEqualTo(3.0);
        assertThat(ci.warnings()).contains(
                "the program's ambers last 3, 4 s: the engine shows the shortest, 3 s, after every green",
                "program phases 0, 4 show the same state: the engine keeps one green phase for them, of 5 to 120 s "
                        + "(phases that follow each other add up; of its 2 appearances in the cycle, the shortest "
                        + "minimum and the longest maximum apply)",
                "green phase 0 of the program gives no minDur: minimum green 5 s (or the phase, if shorter)",
                "green phases 0, 6 of the program give no maxDur: maximum green 120 s (or the phase, if longer)");
    }

    @Test
    void theSharedDoubleNetworkWarnsOfItsUnusedStateIndices() {
        Scenario s = Scenario.load(TestPaths.external("sumo-rl/double"));
        ControlledIntersection b = ScenarioImport.importSignals(SumoNet.read(s.netFile()), List.of("B")).get(0);
        assertThat(b.warnings()).contains("state indices 5, 14 of 18 are used by no connection of the network: kept "
                + "in every state string, controlling nothing");
    }

    @Test
    void utmCoordinatesConvertBackToLongitudeAndLatitude() {
        SumoNet net = SumoNet.read(Scenario.load(TestPaths.resco("cologne1")).netFile());
        assertThat(net.location().geographic()).isTrue();
        GeoProjection p = GeoProjection.of(net.location());
        // netconvert --proj.plain-geo puts junction cluster_357187_359543 (x 11796.42, y 13327.95) at these.
        double[] lonLat = p.lonLat(11796.42, 13327.95);
        assertThat(lonLat[0]).isCloseTo(6.926515, within(1e-6));
        assertThat(lonLat[1]).isCloseTo(50.930961, within(1e-6));
        assertThat(GeoProjection.of(new SumoNet.Location(0, 0, "!", 1))).isNull();
        assertThat(GeoProjection.of(null)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GeoProjection.of(
                new SumoNet.Location(0, 0, "+proj=merc +datum=WGS84", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("+proj=merc");
    }
}
