package org.greenwave.harness.kpi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published results for a benchmark scenario, read from the README of the collection the scenario belongs to (the
 * RESCO scenarios keep theirs in {@code scenarios/resco/README.md}): the Markdown table under a heading that starts
 * with "Published results", one row per scenario, one column per method, average delay in seconds.
 */
public final class PublishedResults {
    private PublishedResults() {
    }

    /**
     * The published figures for {@code scenarioName}, method → delay in seconds, or an empty map when the scenario's
     * collection publishes none. Cells that are not numbers (such as "–") are left out.
     *
     * @param configFile the scenario's {@code .sumocfg}; its collection's README is looked for one and two folders up
     */
    public static Map<String, Double> forScenario(Path configFile, String scenarioName) {
        if (configFile == null) {
            return Map.of();
        }
        Path dir = configFile.toAbsolutePath().getParent();
        for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            if (Files.isRegularFile(readme)) {
                try {
                    Map<String, Double> found = parse(Files.readAllLines(readme), scenarioName);
                    if (!found.isEmpty()) {
                        return found;
                    }
                } catch (IOException e) {
                    return Map.of();
                }
            }
        }
        return Map.of();
    }

    static Map<String, Double> parse(List<String> lines, String scenarioName) {
        boolean inSection = false;
        String[] header = null;
        for (String line : lines) {
            if (line.startsWith("#")) {
                inSection = line.replaceFirst("^#+\\s*", "").toLowerCase().startsWith("published results");
                header = null;
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                continue;
            }
            String[] cells = cells(line);
            if (header == null) {
                header = cells;
            } else if (cells.length == header.length && cells[0].equals(scenarioName)) {
                Map<String, Double> out = new LinkedHashMap<>();
                for (int i = 1; i < cells.length; i++) {
                    try {
                        out.put(header[i], Double.parseDouble(cells[i]));
                    } catch (NumberFormatException e) {
                        // "–" and similar: no published figure
                    }
                }
                return out;
            }
        }
        return Map.of();
    }

    private static String[] cells(String line) {
        String trimmed = line.trim();
        trimmed = trimmed.substring(1, trimmed.endsWith("|") ? trimmed.length() - 1 : trimmed.length());
        String[] parts = trimmed.split("\\|");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }
}
