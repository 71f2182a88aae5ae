package org.greenwave.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

class NetDrawingTest {

    @Test
    void drawsTheRoadsAndNamesEverySignalAtItsPosition() {
        Scenario s = Scenario.load(TestPaths.own("corridor"));
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        String svg = NetDrawing.svg(net, signals, 1000, "J3");

        assertThat(signals).extracting(ControlledIntersection::id).containsExactly("J1", "J2", "J3", "J4", "J5");
        for (ControlledIntersection ci : signals) {
            assertThat(svg).contains("class=\"signal-label\"").contains(">" + ci.id() + "</text>")
                    .contains("data-id=\"" + ci.id() + "\"");
        }
        // The corridor runs west to east: J1 is drawn left of J5, both at the same height.
        assertThat(x(svg, "J1")).isLessThan(x(svg, "J3"));
        assertThat(x(svg, "J3")).isLessThan(x(svg, "J5"));
        assertThat(svg).contains("<polyline").contains("<polygon").contains("class=\"scale-bar\"");
        assertThat(count(svg, "r=\"11\"")).as("only the highlighted signal is ringed").isEqualTo(1);
        assertThat(svg).as("internal lanes are left out").doesNotContain("data-id=\":");
    }

    private static double x(String svg, String id) {
        int g = svg.indexOf("data-id=\"" + id + "\"");
        int cx = svg.indexOf("r=\"6\"", g);
        String before = svg.substring(svg.lastIndexOf("cx=\"", cx) + 4);
        return Double.parseDouble(before.substring(0, before.indexOf('"')));
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void niceScaleBarLengths() {
        assertThat(NetDrawing.niceFloor(370)).isEqualTo(200.0);
        assertThat(NetDrawing.niceFloor(99)).isEqualTo(50.0);
        assertThat(NetDrawing.niceFloor(1000)).isEqualTo(1000.0);
    }
}
