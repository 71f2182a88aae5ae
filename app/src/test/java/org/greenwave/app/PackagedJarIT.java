package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it ({@code java -jar app/target/greenwave.jar}). Runs after {@code package}, in
 * {@code verify} (the app's pom gives it the jar's path); skipped when run without the jar.
 */
class PackagedJarIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static Path jar;

    @TempDir
    Path work;

    @BeforeAll
    static void theJar() {
        String path = System.getProperty("greenwave.jar");
        Assumptions.assumeTrue(path != null, "runs after package: ./mvnw verify");
        jar = Path.of(path);
        assertThat(jar).isRegularFile();
    }

    @Test
    void holdsNativeLibrariesForLinuxX8664AndAarch64Only() throws IOException {
        List<String> natives = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().matches(".*\\.(so|dll|dylib|jnilib|a)(\\.\\d+)*$")) {
                    natives.add(e.getName());
                }
            }
        }
        assertThat(natives).containsExactlyInAnyOrder(
                "librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so",
                "com/sun/jna/linux-x86-64/libjnidispatch.so", "com/sun/jna/linux-aarch64/libjnidispatch.so");
        // 108 MB with RocksDB's natives for 13 platforms; 57 MB with two.
        assertThat(Files.size(jar)).isLessThan(64_000_000L);
    }

    @Test
    void helpWritesNothingToStandardError() throws Exception {
        Run run = greenwave("--help");
        assertThat(run.exit).isZero();
        assertThat(run.out).contains("--quiet").contains("--verbose");
        assertThat(run.err).isEmpty();
    }

    @Test
    @Tag("broker")
    void serveStartsTheEmbeddedBrokerAndLogsOneLinePerRecordWithoutSlf4jWarnings() throws Exception {
        Run run = greenwave("serve", "--scenario", ROOT.resolve("scenarios/intersection").toString(),
                "--listen", "127.0.0.1:0", "--no-dashboard", "--run-for", "4", "--status-every", "1", "--plan-key",
                planKey());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("(embedded broker)").contains("Ctrl-C stops.").contains("broker CONNECTED");
        assertThat(run.err).doesNotContain("SLF4J").doesNotContain("logback");
        // Every log record is one line; serve's start-up notices (one line each, "NOTE: ...") stand apart.
        assertThat(run.errLines()).isNotEmpty().allMatch(l -> l.matches(LoggingTest.RECORD) || l.startsWith("NOTE: "));
        assertThat(run.err).containsPattern("INFO  [\\w.]+: connected to MQTT broker tcp://127\\.0\\.0\\.1:\\d+ as ");
    }

    @Test
    @Tag("broker")
    void quietServeLogsNoInformation() throws Exception {
        Run run = greenwave("serve", "--quiet", "--scenario", ROOT.resolve("scenarios/intersection").toString(),
                "--listen", "127.0.0.1:0", "--no-dashboard", "--run-for", "3", "--status-every", "1", "--plan-key",
                planKey());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("broker CONNECTED");
        assertThat(run.err).doesNotContain("INFO").doesNotContain("SLF4J");
    }

    /** A new signing key for serve, made with the packaged jar's own command. */
    private String planKey() throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory("greenwave-keys").resolve("keys");
        Run run = greenwave("keys", "generate", "--out", keys.toString());
        assertThat(run.exit).as(run.err).isZero();
        return keys.resolve("plan-signing.key").toString();
    }

    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }
    }

    private Run greenwave(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgreenwave.home=" + ROOT, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("greenwave " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
