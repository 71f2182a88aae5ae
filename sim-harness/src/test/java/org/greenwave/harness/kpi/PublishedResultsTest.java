package org.greenwave.harness.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

class PublishedResultsTest {

    @Test
    void readsTheRowOfTheScenarioAndSkipsMissingCells() {
        List<String> md = List.of("# X", "## Published results (s)", "", "| scenario | Fixed | IDQN |", "|---|---|---|",
                "| a | 56.61 | 26.05 |", "| b | – | 32.95 |", "## Other", "| a | 1 | 2 |");
        assertThat(PublishedResults.parse(md, "a")).containsExactly(Map.entry("Fixed", 56.61), Map.entry("IDQN", 26.05));
        assertThat(PublishedResults.parse(md, "b")).containsExactly(Map.entry("IDQN", 32.95));
        assertThat(PublishedResults.parse(md, "c")).isEmpty();
    }

    @Test
    void findsTheSharedRescoFigures() {
        Map<String, Double> m = PublishedResults.forScenario(TestPaths.resco("cologne1"), "cologne1");
        assertThat(m).containsEntry("Fixed", 56.61).containsEntry("IDQN", 26.05);
        assertThat(PublishedResults.forScenario(TestPaths.own("corridor"), "corridor")).isEmpty();
    }
}
