package org.greenwave.forecast.learn;

import java.io.IOException;
import java.nio.file.Path;

/** A queue-model file that cannot be used: not a model file, a foreign or newer format, or damaged. */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param file the file; the message reads "model file FILE: WHAT" */
    public ModelFileException(Path file, String what) {
        super("model file " + file + ": " + what);
    }

    /** @param file the file; the message reads "model file FILE: WHAT" */
    public ModelFileException(Path file, String what, Throwable cause) {
        super("model file " + file + ": " + what, cause);
    }
}
