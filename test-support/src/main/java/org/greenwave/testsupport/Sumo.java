package org.greenwave.testsupport;

import java.io.File;

/** Fails a test that needs SUMO with the install step when SUMO is missing: never a silent skip. */
public final class Sumo {
    private Sumo() {
    }

    public static void requireInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "sumo").canExecute()) {
                return;
            }
        }
        throw new AssertionError("SUMO is not installed (no 'sumo' on PATH): run ./greenwave test, which installs it, "
                + "or apt-get install -y sumo sumo-tools");
    }
}
