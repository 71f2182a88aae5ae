package org.greenwave.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One of the project's own scenarios with a shorter window: a {@code .sumocfg} in a folder of the test's own. */
public final class ShortScenario {
    private ShortScenario() {
    }

    /**
     * Writes {@code dir/NAME.sumocfg}: the network and routes of {@code scenarios/NAME/} (by absolute path), simulated
     * from 0 to {@code endS}.
     */
    public static Path write(Path dir, String name, int endS) throws IOException {
        Path own = Path.of("").toAbsolutePath().getParent().resolve("scenarios").resolve(name);
        Files.createDirectories(dir);
        Path cfg = dir.resolve(name + ".sumocfg");
        Files.writeString(cfg, "<configuration>\n  <input>\n"
                + "    <net-file value=\"" + own.resolve(name + ".net.xml") + "\"/>\n"
                + "    <route-files value=\"" + own.resolve(name + ".rou.xml") + "\"/>\n"
                + "  </input>\n  <time>\n    <begin value=\"0\"/>\n    <end value=\"" + endS + "\"/>\n  </time>\n"
                + "</configuration>\n");
        return cfg;
    }
}
