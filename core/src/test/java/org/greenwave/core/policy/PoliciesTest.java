package org.greenwave.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoliciesTest {
    private final IntersectionModel model = TestModels.crossing(3, 2)
            .sourceProgramId("prog-7")
            .greenPhase("GGrr", 0, 20, 5, 60)
            .greenPhase("rrGG", 2, 20, 5, 60)
            .build();

    @Test
    void listsItsNamesInReportOrder() {
        assertThat(Policies.names()).containsExactly("device", "fixed", "webster", "actuated", "max-pressure",
                "greenwave");
    }

    @Test
    void deviceRunsTheSignalsOwnProgramInTheDevice() {
        SignalPolicy p = Policies.create(Policies.DEVICE, model);

        assertThat(p).isInstanceOf(DeviceProgramPolicy.class);
        assertThat(p.deviceProgram()).isEqualTo("prog-7").isEqualTo(Policies.deviceProgramId("device", "prog-7"));
    }

    @Test
    void fixedRunsTheInstalledFixedTimeVariantInTheDevice() {
        SignalPolicy p = Policies.create(Policies.FIXED, model);

        assertThat(p.deviceProgram()).isEqualTo(Policies.FIXED_PROGRAM_ID).isEqualTo("greenwave-fixed")
                .isEqualTo(Policies.deviceProgramId("fixed", "prog-7"));
    }

    @Test
    void onlyTheDeviceProgramControllersNameAProgramToInstall() {
        assertThat(Policies.deviceProgramId(Policies.ACTUATED, "prog-7")).isEqualTo(Policies.ACTUATED_PROGRAM_ID);
        assertThat(Policies.deviceProgramId(Policies.GREENWAVE, "prog-7")).isNull();
        assertThat(Policies.deviceProgramId(Policies.MAX_PRESSURE, "prog-7")).isNull();
    }

    @Test
    void actuatedRunsTheInstalledActuatedProgramInTheDevice() {
        SignalPolicy p = Policies.create(Policies.ACTUATED, model);

        assertThat(p.deviceProgram()).isEqualTo(Policies.ACTUATED_PROGRAM_ID).isEqualTo("greenwave-actuated");
    }

    @Test
    void websterAndMaxPressureDriveTheInterlock() {
        SignalPolicy webster = Policies.create(Policies.WEBSTER, model);
        SignalPolicy maxPressure = Policies.create(Policies.MAX_PRESSURE, model);

        assertThat(webster).isInstanceOf(WebsterPolicy.class);
        assertThat(webster.deviceProgram()).isNull();
        assertThat(maxPressure).isInstanceOf(MaxPressurePolicy.class);
        assertThat(maxPressure.deviceProgram()).isNull();
    }

    @Test
    void everyListedNameCanBeCreated() {
        for (String name : Policies.names()) {
            assertThat(Policies.create(name, model)).as(name).isNotNull();
        }
    }

    @Test
    void eachCallCreatesAFreshInstance() {
        assertThat(Policies.create(Policies.WEBSTER, model)).isNotSameAs(Policies.create(Policies.WEBSTER, model));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Fixed", "maxpressure", "sotl"})
    void rejectsAnUnknownNameListingTheKnownOnes(String name) {
        assertThatThrownBy(() -> Policies.create(name, model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown controller '" + name + "'; known: device, fixed, webster, actuated, max-pressure, "
                        + "greenwave");
    }
}
