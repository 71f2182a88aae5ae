package org.greenwave.harness.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.netimport.ScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteScenariosTest {
    private static void cfg(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), "<configuration/>");
    }

    @Test
    void everyFolderWithOneConfigurationIsAScenarioNamedByItsPath(@TempDir Path root) throws IOException {
        cfg(root.resolve("x/one"), "one.sumocfg");
        cfg(root.resolve("x/deep/two"), "run.sumocfg");
        Files.createDirectories(root.resolve("x/empty"));
        cfg(root.resolve("y"), "y.sumocfg");
        List<SuiteScenarios.Entry> found = SuiteScenarios.find(List.of(new SuiteScenarios.Root("ext", root.resolve("x")),
                new SuiteScenarios.Root("own", root.resolve("y/y.sumocfg"))));
        assertThat(found).extracting(SuiteScenarios.Entry::name).containsExactly("ext/deep/two", "ext/one", "own");
        assertThat(found.get(0).config()).isEqualTo(root.resolve("x/deep/two/run.sumocfg"));
    }

    @Test
    void aFolderWithTwoConfigurationsOrAMissingRootIsRefused(@TempDir Path root) throws IOException {
        cfg(root.resolve("two"), "a.sumocfg");
        cfg(root.resolve("two"), "b.sumocfg");
        assertThatThrownBy(() -> SuiteScenarios.find(List.of(new SuiteScenarios.Root("r", root))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("two").hasMessageContaining("holds 2");
        assertThatThrownBy(() -> SuiteScenarios.find(List.of(new SuiteScenarios.Root("r", root.resolve("nope")))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("no such scenario folder");
        Files.createDirectories(root.resolve("bare"));
        assertThatThrownBy(() -> SuiteScenarios.find(List.of(new SuiteScenarios.Root("r", root.resolve("bare")))))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("no folder below it holds a .sumocfg");
    }
}
