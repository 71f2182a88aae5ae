package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The what-if report in a real browser: a short study of the corridor ({@code greenwave whatif}, 300 s, two
 * controllers, two demand levels, two seeds), opened from disk in headless Chromium at 1366×900. The summary is on
 * screen at the top, every chart and the study area render as SVG with every signal named, and the console shows no
 * error. The screenshot goes to {@code target/whatif-report.png}.
 */
@Tag("browser")
@Tag("sumo")
class WhatIfReportBrowserIT {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theReportRendersWithItsSummaryChartsAndStudyArea(@TempDir Path dir) throws Exception {
        Path cfg = ShortScenario.write(dir.resolve("scenario"), "corridor", 300);
        Path study = dir.resolve("study");
        int code = Main.execute("whatif", "--scenario", cfg.toString(), "--controllers", "fixed,greenwave",
                "--demand", "0.8,1.0", "--seeds", "1,2", "--detector-failure", "0", "--parallel", "2",
                "--out", study.toString());
        assertThat(code).isZero();

        WebDriver driver = HeadlessChromium.start(1366, 900);
        try {
            driver.get(study.resolve("report.html").toUri().toString());
            WebElement summary = driver.findElement(By.id("summary"));
            assertThat(summary.isDisplayed()).isTrue();
            assertThat(summary.getRect().getY()).as("the summary is in the first screen").isLessThan(900);
            assertThat(summary.getText()).contains("Greenwave's delay per vehicle was").contains("veh/h");
            assertThat(driver.findElement(By.id("provenance")).getText()).contains("Greenwave").contains("SUMO")
                    .contains("greenwave whatif --scenario");

            List<WebElement> svgs = driver.findElements(By.tagName("svg"));
            assertThat(svgs).as("study area, delay against demand, delay distribution, queue over time")
                    .hasSizeGreaterThanOrEqualTo(4);
            for (WebElement svg : svgs) {
                assertThat(svg.getSize().getWidth()).as("every SVG is laid out").isGreaterThan(100);
            }
            List<String> labels = driver.findElements(By.cssSelector("svg.study-area .signal-label")).stream()
                    .map(WebElement::getText).toList();
            assertThat(labels).containsExactlyInAnyOrder("J1", "J2", "J3", "J4", "J5");
            assertThat(driver.findElements(By.cssSelector(".point-label"))).isNotEmpty();
            assertThat(driver.findElements(By.cssSelector("#headline tr"))).hasSize(3);

            List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
            assertThat(errors).as("console errors").isEmpty();

            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "whatif-report.png"),
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }
}
