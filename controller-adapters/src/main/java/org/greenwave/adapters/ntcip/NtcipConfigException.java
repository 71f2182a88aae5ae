package org.greenwave.adapters.ntcip;

import java.nio.file.Path;

/** A mistake in an NTCIP mapping file, naming the file and line; thrown at start-up only. */
public final class NtcipConfigException extends IllegalArgumentException {
    private final Path file;
    private final int line;

    public NtcipConfigException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the mistake is about the file as a whole. */
    public int line() {
        return line;
    }
}
