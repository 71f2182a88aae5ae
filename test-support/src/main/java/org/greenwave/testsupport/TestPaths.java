package org.greenwave.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the project root, its scenarios, and the shared RESCO scenarios beside the checkout. */
public final class TestPaths {
    private TestPaths() {
    }

    /** The checkout's root: the nearest folder upwards holding the launcher script. */
    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("greenwave"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root (the folder with the 'greenwave' launcher) above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code ../shared/scenarios/resco/NAME/NAME.sumocfg} beside the checkout. */
    public static Path resco(String name) {
        Path cfg = projectRoot().resolveSibling("shared").resolve("scenarios/resco").resolve(name).resolve(name + ".sumocfg");
        if (!Files.isRegularFile(cfg)) {
            throw new IllegalStateException("shared scenario missing: " + cfg
                    + " (the tests read ../shared/scenarios/resco beside the checkout)");
        }
        return cfg;
    }

    /** {@code ../shared/scenarios/external/NAME} (a folder holding one {@code .sumocfg}) beside the checkout. */
    public static Path external(String name) {
        Path dir = projectRoot().resolveSibling("shared").resolve("scenarios/external").resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared scenario missing: " + dir
                    + " (the tests read ../shared/scenarios/external beside the checkout)");
        }
        return dir;
    }

    /**
     * Generates corpus scenarios ({@code scenarios/corpus/generate.sh}) into {@code dir}, one folder per name.
     *
     * @return {@code dir}
     * @throws IllegalStateException with the generator's output when it fails
     */
    public static Path corpus(Path dir, String... names) throws java.io.IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                projectRoot().resolve("scenarios/corpus/generate.sh").toString(), dir.toString()));
        cmd.addAll(java.util.List.of(names));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scenarios/corpus/generate.sh " + String.join(" ", names) + " failed:\n"
                    + out);
        }
        return dir;
    }

    /** One of the project's own scenarios, {@code scenarios/NAME/NAME.sumocfg}. */
    public static Path own(String name) {
        return projectRoot().resolve("scenarios").resolve(name).resolve(name + ".sumocfg");
    }
}
