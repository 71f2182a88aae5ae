package org.greenwave.harness.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.greenwave.netimport.ScenarioException;

/** Finds the scenarios of a suite: every folder, below each root, that holds exactly one {@code .sumocfg}. */
public final class SuiteScenarios {
    /** One scenario: its short name ({@code <root label>/<path below the root>}) and its {@code .sumocfg}. */
    public record Entry(String name, Path config) {
    }

    /** A folder to search, with the label its scenarios' names start with. */
    public record Root(String label, Path dir) {
    }

    private SuiteScenarios() {
    }

    /**
     * The scenarios below every root, in name order. A root that is a {@code .sumocfg} is one scenario.
     *
     * @throws ScenarioException for a root that does not exist, or a folder with more than one {@code .sumocfg}
     */
    public static List<Entry> find(List<Root> roots) {
        List<Entry> out = new ArrayList<>();
        for (Root root : roots) {
            Path dir = root.dir().toAbsolutePath().normalize();
            if (Files.isRegularFile(dir) && dir.toString().endsWith(".sumocfg")) {
                out.add(new Entry(root.label(), dir));
                continue;
            }
            if (!Files.isDirectory(dir)) {
                throw new ScenarioException(dir, 0, "no such scenario folder");
            }
            List<Path> folders = new ArrayList<>();
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isDirectory).sorted().forEach(folders::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
            int before = out.size();
            for (Path folder : folders) {
                List<Path> cfgs = new ArrayList<>();
                try (Stream<Path> s = Files.list(folder)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".sumocfg") && Files.isRegularFile(p)).sorted()
                            .forEach(cfgs::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + folder, e);
                }
                if (cfgs.size() > 1) {
                    throw new ScenarioException(folder, 0, "holds " + cfgs.size()
                            + " .sumocfg files; a suite scenario is a folder with exactly one");
                }
                if (cfgs.size() == 1) {
                    String rel = dir.relativize(folder).toString().replace('\\', '/');
                    out.add(new Entry(rel.isEmpty() ? root.label() : root.label() + "/" + rel, cfgs.get(0)));
                }
            }
            if (out.size() == before) {
                throw new ScenarioException(dir, 0, "no folder below it holds a .sumocfg");
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
