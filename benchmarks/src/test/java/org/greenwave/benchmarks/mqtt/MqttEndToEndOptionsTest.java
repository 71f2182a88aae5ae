package org.greenwave.benchmarks.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** The benchmark's command line: bad settings fail before any broker starts, naming the option; help answers. */
class MqttEndToEndOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return MqttEndToEnd.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aSettingOutOfRangeIsRefusedNamingTheOption() {
        assertThat(run("--shards", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--shards must be in 1..64, not 0").contains("Usage:");
    }

    @Test
    void ratesMustRise() {
        assertThat(run("--rates", "5000,3000")).isEqualTo(2);
        assertThat(err.toString()).contains("--rates must rise step by step, but 3000 follows 5000");
    }

    @Test
    void aNumberThatIsNoneIsRefused() {
        assertThat(run("--latency-ticks", "1,fast")).isEqualTo(2);
        assertThat(err.toString()).contains("--latency-ticks").contains("fast");
    }

    @Test
    void publishersMustShareTheLoopsEvenly() {
        // 100 intersections have 800 loops; 3 clients cannot own equal shares.
        assertThat(run("--publishers", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--publishers 3 must divide the number of loops (800)");
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThat(run("--rate", "1000")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--intersections=N", "default: 100", "--latency-ticks=S",
                "default: 1,0.05", "--keep-going", "Exit codes:");
    }
}
