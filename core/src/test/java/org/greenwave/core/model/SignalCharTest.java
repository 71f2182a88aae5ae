package org.greenwave.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalCharTest {

    @ParameterizedTest(name = "''{0}'' valid={1} green={2} stop={3}")
    @CsvSource({
            "r, true, false, true",
            "y, true, false, false",
            "G, true, true, false",
            "g, true, true, false",
            "o, true, false, false",
            "O, true, false, false",
            "s, true, false, false",
            "u, true, false, true",
            "x, false, false, false",
            "R, false, false, false",
            "Y, true, false, false",
            "' ', false, false, false",
    })
    void classifiesEveryStateCharacter(char c, boolean valid, boolean green, boolean stop) {
        assertThat(SignalChar.isValid(c)).isEqualTo(valid);
        assertThat(SignalChar.isGreen(c)).isEqualTo(green);
        assertThat(SignalChar.isStop(c)).isEqualTo(stop);
    }

    @ParameterizedTest
    @CsvSource({"y, true", "Y, true", "r, false", "G, false", "u, false"})
    void bothAmbersAreAmber(char c, boolean yellow) {
        assertThat(SignalChar.isYellow(c)).isEqualTo(yellow);
    }

    @ParameterizedTest
    @CsvSource({"G, true", "g, true", "s, true", "r, false", "u, false", "y, false", "o, false"})
    void vehiclesMayEnterOnGreensAndTheStopThenGoArrow(char c, boolean passable) {
        assertThat(SignalChar.isPassable(c)).isEqualTo(passable);
    }
}
