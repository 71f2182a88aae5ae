package org.greenwave.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void oneLinearAxisWhileTheSeriesAreWithinFiveTimesOfEachOther() {
        assertThat(SvgChart.Scale.choose(new double[] {40, 35, 170}, true)).isEqualTo(SvgChart.Scale.LINEAR);
        assertThat(SvgChart.Scale.choose(new double[] {40, 0, Double.NaN}, true)).isEqualTo(SvgChart.Scale.LINEAR);
        assertThat(SvgChart.Scale.spread(new double[] {40, 35, 190})).isCloseTo(190.0 / 35, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLogScaleOrPanelsWhenOneSeriesDwarfsTheOthers() {
        double[] peaks = {35, 38, 2400};
        assertThat(SvgChart.Scale.choose(peaks, true)).isEqualTo(SvgChart.Scale.LOG);
        assertThat(SvgChart.Scale.choose(peaks, false)).as("a log axis cannot show zeros")
                .isEqualTo(SvgChart.Scale.PANELS);
    }

    @Test
    void aLogAxisSaysSoAndTicksAtPowersOfTen() {
        String svg = new SvgChart(400, 300, "demand", "delay (s)")
                .series("a", new double[] {1, 2}, new double[] {30, 40}, null, null, false, true)
                .series("b", new double[] {1, 2}, new double[] {900, 2400}, null, null, false, true)
                .logY().render();
        assertThat(svg).contains("delay (s) — log scale").contains(">10<").contains(">100<").contains(">1000<")
                .contains(">10000<");
        assertThat(new SvgChart(400, 300, "demand", "delay (s)")
                .series("a", new double[] {1, 2}, new double[] {30, 40}, null, null, false, true).render())
                .doesNotContain("log scale");
    }

    @Test
    void pointLabelsAndErrorBarsAreDrawn() {
        String svg = new SvgChart(400, 300, "x", "y")
                .series("a", new double[] {1, 2}, new double[] {30, 40}, new double[] {5, Double.NaN}, null, false, true)
                .labels(new String[] {"n=3", "n=1"}).render();
        assertThat(svg).contains(">n=3</text>").contains(">n=1</text>");
        assertThat(svg.split("class=\"error-bar\"", -1)).as("one bar: the second point has no interval").hasSize(2);
    }

    @Test
    void linearTicksAreRoundNumbers() {
        String svg = new SvgChart(400, 300, "demand (veh/h)", "delay (s)")
                .series("a", new double[] {2412.4, 2993.1}, new double[] {30, 47}, null, null, false, true)
                .xRange(2412.4, 2993.1).render();
        assertThat(svg).contains(">2600<").contains(">2800<").doesNotContain(">2412.4<");
        assertThat(svg).contains(">0<").contains(">20<").contains(">60<");
    }
}
