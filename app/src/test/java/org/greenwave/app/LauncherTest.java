package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code greenwave} launcher script decides whether to rebuild the jar. It runs here in a copy of the project's
 * layout whose {@code mvnw} only records that it was called (and writes a jar), and whose {@code java} only echoes.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("greenwave");

    @TempDir
    Path root;
    private Path jar;
    private Path source;

    @BeforeEach
    void project() throws IOException {
        Files.copy(LAUNCHER, root.resolve("greenwave"));
        executable(root.resolve("greenwave"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("core"));
        Files.writeString(root.resolve("core/pom.xml"), "<project/>\n");
        source = root.resolve("core/src/main/java/org/example/Signal.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Signal {}\n");
        Files.createDirectories(root.resolve("core/src/main/resources"));
        Files.writeString(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo "$*" >> builds.log
                mkdir -p app/target
                echo jar > app/target/greenwave.jar
                """);
        executable(root.resolve("mvnw"));
        Files.createDirectories(root.resolve("bin"));
        // Echoes its arguments; writes the class archive it is asked for at exit; exits with FAKE_JAVA_EXIT (or 0).
        Files.writeString(root.resolve("bin/java"), """
                #!/usr/bin/env bash
                echo "java $*"
                for a in "$@"; do
                  case "$a" in -XX:ArchiveClassesAtExit=*) echo classes > "${a#*=}" ;; esac
                done
                exit "${FAKE_JAVA_EXIT:-0}"
                """);
        executable(root.resolve("bin/java"));
        jar = root.resolve("app/target/greenwave.jar");
        // As checked out an hour ago: the tests age the jar by seconds, never past the sources.
        FileTime checkedOut = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(f, checkedOut);
            }
        }
    }

    @Test
    void theSecondCommandDoesNotRebuild() throws Exception {
        assertThat(launch()).contains("building (Maven)").contains("-jar " + jar + " --help");
        assertThat(builds()).containsExactly("-q -B -DskipTests package");
        assertThat(launch()).doesNotContain("building").contains("--help");
        assertThat(builds()).hasSize(1);
    }

    @Test
    void filesMavenGeneratesAndRunOutputsNeverTriggerABuild() throws Exception {
        launch();
        // Maven writes generated sources and a pom under target/ after the jar; runs write under the project folder.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        for (String generated : List.of("benchmarks/target/generated-sources/annotations/Bench_jmhTest.java",
                "benchmarks/target/pom.xml", "benchmarks/dependency-reduced-pom.xml",
                "greenwave-out/greenwave/seed-1/summary.json", "core/target/classes/org/example/Signal.class")) {
            Path file = root.resolve(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "x");
        }
        assertThat(launch()).doesNotContain("building");
        assertThat(builds()).hasSize(1);
    }

    @Test
    void aChangedSourceResourceOrPomRebuilds() throws Exception {
        launch();
        newerThanJar(source);
        assertThat(launch()).contains("building (Maven)");
        assertThat(builds()).hasSize(2);

        Path resource = root.resolve("core/src/main/resources/logback.xml");
        Files.writeString(resource, "<configuration/>");
        newerThanJar(resource);
        launch();
        assertThat(builds()).hasSize(3);

        newerThanJar(root.resolve("core/pom.xml"));
        launch();
        assertThat(builds()).hasSize(4);
        assertThat(launch()).doesNotContain("building");
        assertThat(builds()).hasSize(4);
    }

    @Test
    void aChangedSourceInAnyModuleOfTheBuildRebuilds() throws Exception {
        String pom = Files.readString(LAUNCHER.resolveSibling("pom.xml"), StandardCharsets.UTF_8);
        java.util.regex.Matcher module = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> modules = new java.util.ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1));
        }
        assertThat(modules).as("the build's modules").contains("core", "network-import", "app");
        launch();
        int built = builds().size();
        for (String m : modules) {
            Path file = root.resolve(m).resolve("src/main/java/org/example/Changed.java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class Changed {}\n");
            newerThanJar(file);
            assertThat(launch()).as("a changed source in module %s", m).contains("building (Maven)");
            assertThat(builds()).hasSize(++built);
            // Back to the checked-out time, with its folders, so that only the next module's change is new.
            try (Stream<Path> files = Files.walk(root.resolve(m))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
                }
            }
        }
    }

    @Test
    void aDeletedSourceRebuilds() throws Exception {
        Path other = source.resolveSibling("Phase.java");
        Files.writeString(other, "class Phase {}\n");
        launch();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        Files.delete(other);
        launch();
        assertThat(builds()).hasSize(2);
    }

    @Test
    void aMissingJarIsBuilt() throws Exception {
        launch();
        Files.delete(jar);
        assertThat(launch()).contains("building (Maven)");
        assertThat(builds()).hasSize(2);
    }

    @Test
    @org.junit.jupiter.api.Tag("sumo") // any command but help first checks that SUMO and Mosquitto are installed
    void runsOfTheSimulationLoopGetTheSerialCollectorAndServeTheDefault() throws Exception {
        assertThat(launch("simulate", "--scenario", "x")).contains("java -XX:+UseSerialGC -Xms32m -XX:")
                .contains(" -Dgreenwave.home=").contains("-jar " + jar + " simulate --scenario x");
        assertThat(launch("--quiet", "suite")).contains("java -XX:+UseSerialGC -Xms32m -XX:");
        assertThat(launch("--quiet", "serve", "--net", "n.xml")).contains("java -Dgreenwave.home=")
                .doesNotContain("UseSerialGC");
        assertThat(launch(java.util.Map.of("GREENWAVE_JAVA_OPTS", "-Xmx64m"), "simulate"))
                .contains("java -Xmx64m -Dgreenwave.home=").doesNotContain("UseSerialGC");
        assertThat(launch(java.util.Map.of("GREENWAVE_JAVA_OPTS", ""), "simulate")).contains("java -Dgreenwave.home=");
    }

    @Test
    @org.junit.jupiter.api.Tag("sumo") // any command but help first checks that SUMO and Mosquitto are installed
    void aCommandsFirstRunArchivesItsClassesAndLaterRunsStartFromThem() throws Exception {
        Path archive = root.resolve("app/target/cds/simulate.jsa");
        assertThat(launch("simulate", "--scenario", "x")).contains("-XX:ArchiveClassesAtExit=" + archive + ".")
                .doesNotContain("SharedArchiveFile");
        assertThat(archive).hasContent("classes");
        assertThat(root.resolve("app/target/cds")).isDirectoryNotContaining("glob:**.tmp");
        assertThat(launch("--quiet", "simulate", "--scenario", "y"))
                .contains("java -XX:+UseSerialGC -Xms32m -XX:SharedArchiveFile=" + archive + " -Xlog:cds=off")
                .doesNotContain("ArchiveClassesAtExit").contains("-jar " + jar + " --quiet simulate --scenario y");
        // Each command has its own archive.
        assertThat(launch("suite")).contains("-XX:ArchiveClassesAtExit=" + root.resolve("app/target/cds/suite.jsa."));

        // A jar built since makes the archive stale: the next run records it again.
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        assertThat(launch("simulate")).contains("-XX:ArchiveClassesAtExit=" + archive + ".");
        assertThat(launch("simulate")).contains("-XX:SharedArchiveFile=" + archive);

        // A failed run keeps no archive: it may have loaded only a few classes.
        Path whatif = root.resolve("app/target/cds/whatif.jsa");
        ProcessBuilder failing = launcher(java.util.Map.of("FAKE_JAVA_EXIT", "3"), "whatif", "--bad");
        Process p = failing.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(whatif).doesNotExist();
        assertThat(root.resolve("app/target/cds")).isDirectoryNotContaining("glob:**.tmp");

        // Settings of one's own replace the launcher's, class sharing included; serve and help get none.
        assertThat(launch(java.util.Map.of("GREENWAVE_JAVA_OPTS", "-Xmx64m"), "simulate"))
                .contains("java -Xmx64m -Dgreenwave.home=");
        assertThat(launch("serve", "--net", "n.xml")).doesNotContain("Archive");
        assertThat(launch("--help")).doesNotContain("Archive");
    }

    /** Runs {@code ./greenwave} without arguments (build if needed, then {@code --help}); returns its output. */
    private String launch(String... args) throws Exception {
        return launch(java.util.Map.of(), args);
    }

    /** Runs {@code ./greenwave ARGS} with extra environment variables; returns its output. */
    private String launch(java.util.Map<String, String> env, String... args) throws Exception {
        Process p = launcher(env, args).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    /** {@code ./greenwave ARGS} in the project copy, with the echoing {@code java} first on the path. */
    private ProcessBuilder launcher(java.util.Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("greenwave").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().remove("GREENWAVE_JAVA_OPTS");
        pb.environment().putAll(env);
        pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        return pb;
    }

    private List<String> builds() throws IOException {
        Path log = root.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Makes a file look written after the jar without sleeping: the jar's time becomes the file's minus 10 s. */
    private void newerThanJar(Path file) throws IOException {
        FileTime fileTime = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(fileTime.toMillis() - 10_000));
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
