package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The progress bar's lines and its estimate of the time left, on an injected clock. */
class StudyProgressTest {
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Study.Progress progress(int runs) {
        return new Study.Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), runs, "s", false, nowNs::get);
    }

    private void advanceS(double s) {
        nowNs.addAndGet((long) (s * 1e9));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theLastLineCountsEveryRunEvenWhenTheLastRunReportedAllItsWorkBeforeFinishing() {
        Study.Progress p = progress(8);
        for (int r = 0; r < 8; r++) {
            advanceS(1);
            p.update(r, 0.5);
            p.update(r, 1.0);
            p.done(r);
        }
        p.finish();
        assertThat(lines().get(lines().size() - 1)).contains("8/8 runs").contains("done");
        assertThat(lines()).anyMatch(l -> l.contains("7/8 runs"));
    }

    @Test
    void withoutAPacedRunTheTimeLeftFollowsTheRateOfWorkDone() {
        Study.Progress p = progress(4);
        advanceS(10);
        p.update(0, 0.5);
        p.update(1, 0.5);
        // 1 run's worth done in 10 s, 3 left: 30 s.
        assertThat(p.secondsLeft()).isCloseTo(30, within(1e-9));
    }

    @Test
    void aPacedRunNeitherDragsTheOthersEstimateNorIsHiddenByIt() {
        Study.Progress p = progress(3);
        p.paced(0);
        p.update(0, 0.0);
        advanceS(20);
        // The paced run: 10 % in 20 s, so 180 s left. The other two: done in 20 s.
        p.update(0, 0.1);
        p.update(1, 1.0);
        p.done(1);
        p.update(2, 1.0);
        p.done(2);
        assertThat(p.secondsLeft()).isCloseTo(180, within(1e-6));

        Study.Progress q = progress(5);
        q.paced(0);
        q.update(0, 0.0);
        advanceS(10);
        q.update(0, 0.5);
        q.update(1, 1.0);
        q.done(1);
        // Unpaced: 1 run in 10 s, 3 left: 30 s; the paced run: 10 s more. The larger is what is left.
        assertThat(q.secondsLeft()).isCloseTo(30, within(1e-6));
        // Over all runs together (the old estimate) it would have been 10 s × 3.5 / 1.5 ≈ 23 s.
    }

    @Test
    void tooLittleDoneGivesNoEstimate() {
        Study.Progress p = progress(2);
        advanceS(5);
        p.update(0, 0.01);
        assertThat(p.secondsLeft()).isNaN();
    }
}
