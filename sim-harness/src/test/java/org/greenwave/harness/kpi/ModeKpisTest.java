package org.greenwave.harness.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Person and bus KPIs read from tripinfo snippets as SUMO 1.15 writes them. */
class ModeKpisTest {
    @TempDir
    Path dir;

    private Path tripinfo(String body) throws IOException {
        Path f = dir.resolve("tripinfo.xml");
        Files.writeString(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tripinfos>\n" + body + "</tripinfos>\n");
        return f;
    }

    private static final String CAR = "    <tripinfo id=\"v1\" depart=\"5.00\" departDelay=\"1.00\" arrival=\"60.00\""
            + " duration=\"55.00\" waitingTime=\"4.00\" waitingCount=\"1\" timeLoss=\"9.00\" vType=\"car\"/>\n";

    @Test
    void personDelayIsWalkingTimeLossPlusWaitingForRidesOverArrivedPersons() throws IOException {
        Path f = tripinfo(CAR
                + "    <personinfo id=\"p1\" depart=\"0.00\" type=\"DEFAULT_PEDTYPE\">\n"
                + "        <walk depart=\"0.00\" arrival=\"80.00\" duration=\"80.00\" routeLength=\"90\""
                + " timeLoss=\"10.00\" maxSpeed=\"1.39\"/>\n"
                + "        <ride waitingTime=\"30.00\" vehicle=\"bus1\" depart=\"110.00\" arrival=\"300.00\"/>\n"
                + "        <walk depart=\"300.00\" arrival=\"350.00\" duration=\"50.00\" routeLength=\"60\""
                + " timeLoss=\"4.00\" maxSpeed=\"1.39\"/>\n"
                + "    </personinfo>\n"
                + "    <personinfo id=\"p2\" depart=\"10.00\" type=\"DEFAULT_PEDTYPE\">\n"
                + "        <walk depart=\"10.00\" arrival=\"70.00\" duration=\"60.00\" routeLength=\"70\""
                + " timeLoss=\"6.00\" maxSpeed=\"1.39\"/>\n"
                + "    </personinfo>\n"
                // Still walking at the end: SUMO writes timeLoss 0, which must not count as no delay.
                + "    <personinfo id=\"p3\" depart=\"20.00\" type=\"DEFAULT_PEDTYPE\">\n"
                + "        <walk depart=\"20.00\" arrival=\"-1\" arrivalPos=\"-1\" duration=\"580.00\" routeLength=\"-1\""
                + " timeLoss=\"0.00\" maxSpeed=\"1.39\"/>\n"
                + "    </personinfo>\n");

        PersonStats p = PersonStats.read(f);

        assertThat(p.persons()).isEqualTo(3);
        assertThat(p.arrived()).isEqualTo(2);
        assertThat(p.unfinished()).isEqualTo(1);
        assertThat(p.avgWalkTimeLossS()).isCloseTo((10 + 4 + 6) / 2.0, within(1e-9));
        assertThat(p.avgRideWaitingS()).isCloseTo(30 / 2.0, within(1e-9));
        assertThat(p.avgDelayS()).isCloseTo((10 + 30 + 4 + 6) / 2.0, within(1e-9));
    }

    @Test
    void aRunWithoutPersonsHasNoPersonDelayRatherThanZero() throws IOException {
        PersonStats p = PersonStats.read(tripinfo(CAR));
        assertThat(p.persons()).isZero();
        assertThat(p.avgDelayS()).isNull();
        assertThat(p.avgWalkTimeLossS()).isNull();
    }

    @Test
    void busDelayFollowsTheRescoDefinitionOverBusesOnly() throws IOException {
        Path f = tripinfo(CAR
                + "    <tripinfo id=\"b1\" depart=\"0.00\" departDelay=\"2.00\" arrival=\"400.00\" duration=\"400.00\""
                + " stopTime=\"60.00\" timeLoss=\"40.00\" vType=\"bus\"/>\n"
                + "    <tripinfo id=\"b2\" depart=\"100.00\" departDelay=\"0.00\" arrival=\"-1\" duration=\"500.00\""
                + " timeLoss=\"70.00\" vType=\"articulated\"/>\n"
                + "    <tripinfo id=\"b3\" depart=\"-1\" departDelay=\"120.00\" arrival=\"-1\" duration=\"-1\""
                + " timeLoss=\"0.00\" vType=\"bus\"/>\n");

        BusStats b = BusStats.read(f, Set.of("bus", "articulated"));

        assertThat(b.buses()).isEqualTo(3);
        assertThat(b.arrived()).isEqualTo(1);
        assertThat(b.unfinished()).isEqualTo(1);
        assertThat(b.undeparted()).isEqualTo(1);
        assertThat(b.avgDelayS()).isCloseTo((42 + 70 + 120) / 3.0, within(1e-9));
        // The car's row is not a bus, and the all-vehicle delay still counts every row.
        assertThat(TripStats.read(f).vehicles()).isEqualTo(4);
    }

    @Test
    void aRunWithoutBusesHasNoBusDelayRatherThanZero() throws IOException {
        BusStats b = BusStats.read(tripinfo(CAR), Set.of("bus"));
        assertThat(b.buses()).isZero();
        assertThat(b.avgDelayS()).isNull();
    }

    @Test
    void aMalformedTripinfoIsNamedWithItsLine() throws IOException {
        Path f = dir.resolve("bad.xml");
        Files.writeString(f, "<tripinfos>\n<personinfo id=\"p\">\n<walk timeLoss=\"x\"/>\n</personinfo>\n</tripinfos>\n");
        assertThatThrownBy(() -> PersonStats.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f + ":3").hasMessageContaining("not a number");
    }

    @Test
    void theComparisonTableShowsADashWhereNoRunMeasuredAKpi() {
        RunSummary withPersons = summary("a", new PersonStats(10, 8, 2, 12.5, 12.5, 0.0), new BusStats(0, 0, 0, 0, null));
        RunSummary notMeasured = summary("b", null, null);
        String table = ComparisonTable.render(List.of(withPersons, notMeasured));
        String[] lines = table.split("\n");
        assertThat(lines[0]).contains("person delay s").contains("bus delay s");
        assertThat(lines[2]).startsWith("| a").contains("12.5 ± 0.0").contains("—");
        assertThat(lines[3]).startsWith("| b");
        assertThat(lines[3].chars().filter(c -> c == '—').count()).isEqualTo(2);
    }

    @Test
    void aMeanOverFewerRunsThanTheGroupSaysHowMany() {
        RunSummary one = summary("a", new PersonStats(10, 8, 2, 10.0, 10.0, 0.0), null);
        RunSummary none = summary("a", new PersonStats(3, 0, 3, null, null, null), null);
        assertThat(ComparisonTable.render(List.of(one, none))).contains("10.0 ± 0.0 (n=1)");
    }

    static RunSummary summary(String controller, PersonStats persons, BusStats buses) {
        return new RunSummary("s", controller, 1, 0, 600, 1, new TripStats(10, 10, 0, 0, 20, 60, 5, 1, 0.5), 60, 0, 0,
                Map.of(), List.of(), "in-process", 0, 0, 0, 0, 1.0, "SUMO 1.15.0", RunMonitors.none(), null, persons,
                buses);
    }
}
