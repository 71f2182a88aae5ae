package org.greenwave.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(1_765_000_000_000L);

    private Path threeLines() throws IOException {
        Path f = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(f, clock::get)) {
            log.record("alice", "login", "", "");
            clock.addAndGet(1500);
            log.record("alice", "signal.mode", "signal:J1", "own program \"night\"\nline two");
            log.record("engine", "fallback.enter", "signal:J2", "{\"reason\":\"watchdog\"}");
        }
        return f;
    }

    private static List<String> lines(Path f) throws IOException {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    private static void write(Path f, List<String> lines) throws IOException {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void linesChainEachToTheHashOfTheLineBefore() throws IOException {
        Path f = threeLines();
        List<String> lines = lines(f);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("{\"seq\":1,\"time\":\"2025-12-06T05:46:40Z\",\"actor\":\"alice\","
                + "\"action\":\"login\",\"target\":\"\",\"detail\":\"\",\"prev\":\"" + AuditLog.GENESIS + "\"}");
        for (int i = 1; i < 3; i++) {
            String prevHash = AuditLog.sha256(lines.get(i - 1).getBytes(StandardCharsets.UTF_8));
            assertThat(FlatJson.parse(lines.get(i))).containsEntry("prev", prevHash).containsEntry("seq", i + 1L);
        }
        assertThat(FlatJson.parse(lines.get(1))).containsEntry("detail", "own program \"night\"\nline two")
                .containsEntry("time", "2025-12-06T05:46:41.500Z");
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).isTrue();
        assertThat(v.lines()).isEqualTo(3);
        assertThat(v.head()).isEqualTo(AuditLog.sha256(lines.get(2).getBytes(StandardCharsets.UTF_8)));
        assertThat(v.describe()).isEqualTo("OK: 3 lines, head " + v.head());
    }

    @Test
    void reopeningContinuesTheChainAndKeepsRecentEntries() throws IOException {
        Path f = threeLines();
        try (AuditLog log = AuditLog.open(f, clock::get)) {
            assertThat(log.size()).isEqualTo(3);
            assertThat(log.recent(2)).extracting(AuditEntry::action).containsExactly("signal.mode", "fallback.enter");
            AuditEntry e = log.record("bob", "alert.ack", "alert:7", null);
            assertThat(e.seq()).isEqualTo(4);
            assertThat(log.head()).isEqualTo(e.hash());
        }
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).as(v.describe()).isTrue();
        assertThat(v.lines()).isEqualTo(4);
    }

    @Test
    void aChangedLineIsFoundAtTheLineAfterIt() throws IOException {
        Path f = threeLines();
        List<String> lines = lines(f);
        lines.set(1, lines.get(1).replace("signal:J1", "signal:J9"));
        write(f, lines);
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).isFalse();
        assertThat(v.line()).isEqualTo(3);
        assertThat(v.reason()).contains("prev does not match the hash of line 2");
        assertThatThrownBy(() -> AuditLog.open(f, clock::get)).isInstanceOf(IOException.class)
                .hasMessageContaining("is broken at line 3");
    }

    @Test
    void aRemovedOrReorderedLineIsFound() throws IOException {
        Path f = threeLines();
        List<String> lines = lines(f);
        write(f, List.of(lines.get(0), lines.get(2)));
        assertThat(AuditLog.verify(f).line()).isEqualTo(2);
        assertThat(AuditLog.verify(f).reason()).contains("seq is 3, expected 2");
        write(f, List.of(lines.get(1), lines.get(0), lines.get(2)));
        assertThat(AuditLog.verify(f).line()).isEqualTo(1);
    }

    @Test
    void aRewrittenSeqAndChainStillBreaksWhereTheFirstLineWasRemoved() throws IOException {
        Path f = threeLines();
        List<String> lines = lines(f);
        // Remove line 1 and renumber: line 2 now claims seq 1 but carries the hash of the removed line.
        write(f, List.of(lines.get(1).replace("\"seq\":2", "\"seq\":1"), lines.get(2)));
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.line()).isEqualTo(1);
        assertThat(v.reason()).contains("64 zeros");
    }

    @Test
    void aTornOrMalformedLineIsFound() throws IOException {
        Path f = threeLines();
        String text = Files.readString(f);
        Files.writeString(f, text.substring(0, text.length() - 5));
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.line()).isEqualTo(3);
        assertThat(v.reason()).contains("incomplete");
        assertThat(v.lines()).isEqualTo(2);

        Files.delete(f);
        List<String> lines = lines(threeLines());
        lines.set(0, lines.get(0).replace("\"detail\":\"\"", "\"detail\":\"\",\"extra\":1"));
        write(f, lines);
        assertThat(AuditLog.verify(f).reason()).contains("unknown field(s) [extra]");
        write(f, List.of("not json"));
        assertThat(AuditLog.verify(f).describe()).startsWith("BROKEN at line 1: not a JSON object");
    }

    @Test
    void aFileHeldByAnotherLogIsRefused() throws IOException {
        Path f = dir.resolve("held.jsonl");
        try (AuditLog log = AuditLog.open(f, clock::get)) {
            assertThatThrownBy(() -> AuditLog.open(f, clock::get)).hasMessageContaining("in use");
            log.record("a", "b", null, null);
        }
    }

    @Test
    void inMemoryLogChainsWithoutAFile() {
        AuditLog log = AuditLog.inMemory(clock::get);
        AuditEntry a = log.record("alice", "login", null, null);
        AuditEntry b = log.record("alice", "logout", null, null);
        assertThat(b.prev()).isEqualTo(a.hash());
        assertThat(log.recent(10)).containsExactly(a, b);
        assertThatThrownBy(() -> log.record("", "x", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flatJsonRoundTripsEveryCharacter() {
        String s = "q\" b\\ nl\n cr\r tab\t bell\u0007 ls\u2028 é ✓";
        String json = FlatJson.write(new java.util.LinkedHashMap<>(Map.of("k", s)));
        assertThat(json).doesNotContain("\n").doesNotContain("\u2028");
        assertThat(FlatJson.parse(json)).containsEntry("k", s);
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":true}")).hasMessageContaining("offset 5");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1} x")).hasMessageContaining("after the object");
    }
}
