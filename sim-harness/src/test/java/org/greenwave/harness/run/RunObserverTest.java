package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunObserverTest {
    private static final RunObserver READS = new RunObserver() {
    };

    @Test
    void anObserverReadsTheEngineUnlessItSaysOtherwise() {
        assertThat(READS.readsEngine()).isTrue();
        assertThat(RunObserver.NONE.readsEngine()).isFalse();
    }

    @Test
    void twoObserversReadTheEngineWhenEitherDoes() {
        assertThat(RunObserver.both(RunObserver.NONE, RunObserver.NONE).readsEngine()).isFalse();
        assertThat(RunObserver.both(RunObserver.NONE, READS).readsEngine()).isTrue();
        assertThat(RunObserver.both(READS, RunObserver.NONE).readsEngine()).isTrue();
    }
}
