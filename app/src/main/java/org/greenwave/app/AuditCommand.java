package org.greenwave.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.greenwave.core.audit.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code greenwave audit}: checks the audit log that {@code serve} and {@code demo} write. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        header = "Checks an audit log's hash chain.",
        description = {"The audit log holds, one JSON object a line, every operator action, mode change, fallback, "
                + "key change and log-in, each line carrying the SHA-256 of the line before it (see docs/security.md)."},
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to do: audit verify FILE");
    }

    /** {@code greenwave audit verify FILE}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            header = "Verifies an audit log's hash chain: OK, or the first broken line.",
            description = {"Reads the whole file and checks that every line is a record of the log's form, that seq "
                    + "counts from 1 and that each line carries the SHA-256 of the line before it. Prints 'OK' with "
                    + "the number of lines and the newest line's hash (note it elsewhere: lines cut off the end of a "
                    + "log can only be detected against it), or 'BROKEN at line N' and why. Exits 0 when OK, 1 when "
                    + "broken or unreadable."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The audit log (JSON lines).")
        Path file;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IOException("audit log " + file + ": no such file");
            }
            AuditLog.Verification v = AuditLog.verify(file);
            if (v.ok()) {
                spec.commandLine().getOut().println(file + ": " + v.describe());
                spec.commandLine().getOut().flush();
                return 0;
            }
            spec.commandLine().getErr().println(file + ": " + v.describe());
            return 1;
        }
    }
}
