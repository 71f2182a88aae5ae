package org.greenwave.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit log written by an earlier version (quotes, back-slashes, control characters, the JavaScript line
 * separators, non-ASCII and markup in its fields) still verifies, is continued, and each of its lines is written again
 * byte for byte from its fields.
 */
class AuditLogWrittenBeforeTest {

    private static Path copy(Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        try (InputStream in = AuditLogWrittenBeforeTest.class.getResourceAsStream("written-before.jsonl")) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void aLogWrittenBeforeVerifiesAndIsContinued(@TempDir Path dir) throws Exception {
        Path f = copy(dir);
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).as(v.describe()).isTrue();
        assertThat(v.lines()).isEqualTo(7);
        try (AuditLog log = AuditLog.open(f, () -> 1_796_000_100_000L)) {
            assertThat(log.recent(10)).extracting(AuditEntry::detail).contains(
                    "own program \"night\"\nline two\ttab\rcr", "controls \u0000\u0001\u0008\u000c\u001f\u007f end",
                    "line\u2028sep\u2029para é 中文 😀 \u00a0nbsp");
            log.record("olga", "logout", "", "after \"the\" change\u2028");
        }
        AuditLog.Verification after = AuditLog.verify(f);
        assertThat(after.ok()).as(after.describe()).isTrue();
        assertThat(after.lines()).isEqualTo(8);
    }

    @Test
    void eachLineIsWrittenAgainByteForByteFromItsFields(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(copy(dir), StandardCharsets.UTF_8);
        for (String line : lines) {
            var m = FlatJson.parse(line);
            String again = AuditLog.format((Long) m.get("seq"), java.time.Instant.parse((String) m.get("time"))
                    .toEpochMilli(), (String) m.get("actor"), (String) m.get("action"), (String) m.get("target"),
                    (String) m.get("detail"), (String) m.get("prev"));
            assertThat(again.getBytes(StandardCharsets.UTF_8)).as(line).isEqualTo(line.getBytes(StandardCharsets.UTF_8));
        }
    }
}
