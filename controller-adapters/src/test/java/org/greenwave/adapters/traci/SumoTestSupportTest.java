/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integration tests fail, naming the install step, when SUMO is missing; they never skip. */
class SumoTestSupportTest {

    @TempDir
    Path dir;

    @Test
    void missingToolFailsWithTheInstallStep() {
        assertThatThrownBy(() -> SumoTestSupport.requireOnPath("sumo", dir.toString()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'sumo'")
                .hasMessageContaining("apt-get install sumo sumo-tools")
                .hasMessageContaining("./greenwave test");
    }

    @Test
    void executableOnPathIsFound() throws Exception {
        Path fake = Files.createFile(dir.resolve("sumo"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        assertThatCode(() -> SumoTestSupport.requireOnPath("sumo", "/nonexistent:" + fake.getParent()))
                .doesNotThrowAnyException();
    }
}
