package org.greenwave.netimport;

import java.nio.file.Path;

/** A scenario file that cannot be used, with the file and line where the problem is. */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    public ScenarioException(Path file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
    }
}
