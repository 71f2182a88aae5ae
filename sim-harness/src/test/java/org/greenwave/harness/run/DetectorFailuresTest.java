package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.junit.jupiter.api.Test;

class DetectorFailuresTest {
    private static DetectorDirectory directory(int n) {
        List<DetectorSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(new DetectorSpec("d" + i, DetectorKind.STOP_LINE, 0));
        }
        return new DetectorDirectory(List.of("J"), List.of(specs));
    }

    @Test
    void failsExactlyTheShareAndTheSameDetectorsForTheSameSeed() {
        DetectorDirectory dir = directory(50);
        byte[] a = new DetectorFailures(0.2, DetectorFailures.Mode.DEAD, 7, 0).draw(dir);
        byte[] b = new DetectorFailures(0.2, DetectorFailures.Mode.DEAD, 7, 0).draw(dir);
        byte[] c = new DetectorFailures(0.2, DetectorFailures.Mode.DEAD, 8, 0).draw(dir);
        assertThat(count(a, DetectorFailures.FAILED_DEAD)).isEqualTo(10);
        assertThat(count(a, DetectorFailures.FAILED_STUCK)).isZero();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void mixedModeDrawsBothKindsAndNoneFailsNothing() {
        byte[] m = new DetectorFailures(1.0, DetectorFailures.Mode.MIXED, 3, 0).draw(directory(200));
        assertThat(count(m, DetectorFailures.FAILED_DEAD) + count(m, DetectorFailures.FAILED_STUCK)).isEqualTo(200);
        assertThat(count(m, DetectorFailures.FAILED_DEAD)).isBetween(60, 140);
        assertThat(DetectorFailures.none().draw(directory(10))).containsOnly(DetectorFailures.OK);
    }

    @Test
    void refusesBadSharesAndModes() {
        assertThatThrownBy(() -> new DetectorFailures(1.2, DetectorFailures.Mode.DEAD, 1, 0))
                .hasMessageContaining("within 0..1");
        assertThatThrownBy(() -> DetectorFailures.Mode.parse("broken"))
                .hasMessageContaining("unknown detector failure mode 'broken'");
        assertThat(DetectorFailures.Mode.parse("Stuck")).isEqualTo(DetectorFailures.Mode.STUCK);
    }

    private static int count(byte[] a, byte v) {
        int n = 0;
        for (byte x : a) {
            n += x == v ? 1 : 0;
        }
        return n;
    }
}
