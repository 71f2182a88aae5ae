/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Rejections are all counted but logged at most once per reason per interval, on a clock the test moves. */
class RejectLogTest {

    /** Records lines; optionally throws to prove a broken logger cannot hurt. */
    static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();
        boolean explode;

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            record(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            record(format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            record(msgSupplier.get());
        }

        private void record(String line) {
            if (explode) {
                throw new IllegalStateException("logger broken");
            }
            lines.add(line);
        }
    }

    @Test
    void oneLinePerReasonPerIntervalWithSuppressedCounts() {
        GatewayCounters counters = new GatewayCounters();
        RecordingLogger logger = new RecordingLogger();
        AtomicLong nowNs = new AtomicLong(-5);
        RejectLog log = new RejectLog(counters, logger, 10_000_000_000L, nowNs::get);

        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isTrue();
        for (int i = 0; i < 99; i++) {
            assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isFalse();
        }
        assertThat(log.rejected(RejectReason.MALFORMED_JSON, "bad", -1, "t/2")).as("own budget").isTrue();
        nowNs.addAndGet(9_999_999_999L);
        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isFalse();
        nowNs.addAndGet(1);
        assertThat(log.rejected(RejectReason.DUPLICATE, "same", 3, "t/1")).isTrue();

        assertThat(counters.rejects(RejectReason.DUPLICATE)).isEqualTo(102);
        assertThat(counters.rejects(RejectReason.MALFORMED_JSON)).isEqualTo(1);
        assertThat(counters.rejectsTotal()).isEqualTo(103);
        assertThat(logger.lines).hasSize(3);
        assertThat(logger.lines.get(0)).contains("duplicate", "entry 3", "t/1", "0 more", "1 in total");
        assertThat(logger.lines.get(2)).contains("100 more since the last report", "102 in total");
    }

    @Test
    void aThrowingLoggerIsIgnored() {
        GatewayCounters counters = new GatewayCounters();
        RecordingLogger logger = new RecordingLogger();
        logger.explode = true;
        RejectLog log = new RejectLog(counters, logger, 1, System::nanoTime);
        assertThat(log.rejected(RejectReason.OVERSIZE, "big", -1, "t")).isFalse();
        assertThat(counters.rejects(RejectReason.OVERSIZE)).isEqualTo(1);
    }
}
