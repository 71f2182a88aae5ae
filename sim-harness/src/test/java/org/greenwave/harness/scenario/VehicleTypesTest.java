package org.greenwave.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.netimport.ScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VehicleTypesTest {

    @Test
    void findsBusTypesStandingAloneAndInDistributionsOverEveryFile(@TempDir Path dir) throws Exception {
        Path types = dir.resolve("types.add.xml");
        Files.writeString(types, """
                <additional>
                    <vTypeDistribution id="private">
                        <vType id="car1" vClass="passenger" probability="0.5"/>
                        <vType id="city-bus" vClass="bus" probability="0.5"/>
                    </vTypeDistribution>
                    <vType id="tram" vClass="tram"/>
                </additional>
                """);
        Path routes = dir.resolve("lines.rou.xml");
        Files.writeString(routes, """
                <routes>
                    <vType id="bus" vClass="bus" length="12"/>
                    <vType id="coach" vClass="coach"/>
                    <vehicle id="b1" type="bus" depart="0" route="r"/>
                </routes>
                """);
        assertThat(VehicleTypes.busTypes(List.of(types, routes))).containsExactlyInAnyOrder("city-bus", "bus");
    }

    @Test
    void aBusTypeWithoutAnIdIsNamedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.rou.xml");
        Files.writeString(f, "<routes>\n  <vType vClass=\"bus\"/>\n</routes>\n");
        assertThatThrownBy(() -> VehicleTypes.busTypes(List.of(f))).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("2").hasMessageContaining("'id'");
    }
}
