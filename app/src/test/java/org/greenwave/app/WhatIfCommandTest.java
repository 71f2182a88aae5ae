package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    @Test
    void theCommandLineIsRecordedSoThatAShellRunsItAgain() {
        assertThat(Main.commandLine(List.of("whatif", "--scenario", "my study/x.sumocfg", "--demand", "0.8,1.0",
                "--out", "it's")))
                .isEqualTo("greenwave whatif --scenario 'my study/x.sumocfg' --demand 0.8,1.0 --out 'it'\\''s'");
    }

    @Test
    @Tag("sumo")
    void printsTheHeadlineTableAndWritesAReportThatSaysHowItWasMade(@TempDir Path dir) throws Exception {
        Path cfg = ShortScenario.write(dir.resolve("scenario"), "intersection", 300);
        Path study = dir.resolve("study");
        int code = Main.execute("whatif", "--scenario", cfg.toString(), "--controllers", "fixed,greenwave",
                "--demand", "1.0", "--seeds", "1,2", "--detector-failure", "0", "--parallel", "2",
                "--out", study.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).containsPattern("At base demand ×1\\.0 \\([0-9,]+ veh/h\\), with all detectors working:")
                // Student's t interval of two seeds may reach below zero: the lower end carries its sign.
                .contains("delay s (95% CI)").containsPattern("(?m)^fixed +2 +[0-9.]+ \\(-?[0-9.]+–[0-9.]+\\)")
                .containsPattern("(?m)^greenwave +2 +[0-9.]+ \\(-?[0-9.]+–[0-9.]+\\)");
        String html = Files.readString(study.resolve("report.html"));
        assertThat(html).contains("<code id=\"command\">greenwave whatif --scenario " + cfg)
                .contains("--controllers fixed,greenwave --demand 1.0 --seeds 1,2")
                .containsPattern("by Greenwave [^ ]+.* with SUMO 1\\.[0-9]+")
                .containsPattern("<time datetime=\"20[0-9]{2}-")
                .contains("<p id=\"summary\">intersection, 4 runs")
                .contains("Greenwave's delay per vehicle was").contains(">C</text>");
    }
}
