package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code greenwave audit verify}: OK with the head hash, or the first broken line, and its exit code. */
class AuditCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    @TempDir
    Path dir;

    private Path log() throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(f, () -> 1_765_000_000_000L)) {
            log.record("alice", "signal.mode", "signal:J1", "own program");
            log.record("alice", "signal.hold", "signal:J1", "phase 2 for 60 s");
            log.record("bob", "alert.ack", "alert:3", "");
        }
        return f;
    }

    @Test
    void anIntactLogIsOkWithItsHead() throws Exception {
        Path f = log();
        assertThat(Main.execute("audit", "verify", f.toString())).as(console.err()).isZero();
        assertThat(console.out().strip()).isEqualTo(f + ": OK: 3 lines, head " + AuditLog.verify(f).head());
    }

    @Test
    void aLogWrittenByAnEarlierVersionIsOk() throws Exception {
        Path f = dir.resolve("before.jsonl");
        Files.copy(Path.of("").toAbsolutePath().getParent()
                .resolve("core/src/test/resources/org/greenwave/core/audit/written-before.jsonl"), f);
        assertThat(Main.execute("audit", "verify", f.toString())).as(console.err()).isZero();
        assertThat(console.out()).contains(f + ": OK: 7 lines, head ");
    }

    @Test
    void aChangedActorIsReportedAtTheNextLine() throws Exception {
        Path f = log();
        List<String> lines = Files.readAllLines(f);
        Files.writeString(f, lines.get(0) + "\n" + lines.get(1).replace("alice", "mallory") + "\n" + lines.get(2)
                + "\n", StandardCharsets.UTF_8);
        assertThat(Main.execute("audit", "verify", f.toString())).isEqualTo(1);
        assertThat(console.err()).contains(f + ": BROKEN at line 3: prev does not match the hash of line 2");
        assertThat(console.out()).doesNotContain(": OK");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThat(Main.execute("audit", "verify", dir.resolve("nope.jsonl").toString())).isEqualTo(1);
        assertThat(console.err()).contains("nope.jsonl: no such file");
    }
}
