/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.greenwave.core.ingest.DetectorKind.ADVANCE;
import static org.greenwave.core.ingest.DetectorKind.AREA_IN;
import static org.greenwave.core.ingest.DetectorKind.AREA_OUT;
import static org.greenwave.core.ingest.DetectorKind.STOP_LINE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.time.Clock;

/** The detector layout and helpers the MQTT tests share. */
final class Fixtures {

    static final String A0 = "A0";
    static final String B1 = "B1";
    /** A non-ASCII intersection, to exercise the UTF-8 paths. */
    static final String C2 = "Ä2";

    static final String A0_STOP = "A0_n_stop";
    static final String A0_ADV = "A0_n_adv";
    static final String A0_CAM = "A0_n_cam";
    static final String A0_OUT = "A0_e_out";
    static final String B1_STOP = "B1_w_stop";
    static final String B1_CAM = "B1_w_cam";
    static final String C2_STOP = "Ä2_détecteur";

    /** Loops (events, aggregates) and lane-area detectors (readings) of each intersection, by index. */
    static final List<List<String>> LOOPS = List.of(List.of(A0_STOP, A0_ADV), List.of(B1_STOP), List.of(C2_STOP));
    static final List<List<String>> AREAS = List.of(List.of(A0_CAM, A0_OUT), List.of(B1_CAM), List.of());

    private Fixtures() {
    }

    static DetectorDirectory directory() {
        return new DetectorDirectory(List.of(A0, B1, C2), List.of(
                List.of(new DetectorSpec(A0_STOP, STOP_LINE, 0), new DetectorSpec(A0_ADV, ADVANCE, 0),
                        new DetectorSpec(A0_CAM, AREA_IN, 0), new DetectorSpec(A0_OUT, AREA_OUT, 1)),
                List.of(new DetectorSpec(B1_STOP, STOP_LINE, 0), new DetectorSpec(B1_CAM, AREA_IN, 0)),
                List.of(new DetectorSpec(C2_STOP, STOP_LINE, 0))));
    }

    /** Wall time as the engine clock, as when running live. */
    static Clock wallClock() {
        return System::currentTimeMillis;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds or {@code timeoutMs} passes; fails with
     * {@code message} then. The deadline only bounds a hang; the test does not assert on time.
     */
    static void await(long timeoutMs, BooleanSupplier condition, Supplier<String> message) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms: " + message.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A listener that records rejections as "reason" strings and counts refusals. */
    static final class RecordingListener implements DetectorPayloadDecoder.Listener {
        final List<RejectReason> reasons = new ArrayList<>();
        final List<String> details = new ArrayList<>();
        final List<Integer> entries = new ArrayList<>();
        int refused;

        @Override
        public void rejected(RejectReason reason, String detail, int entry) {
            reasons.add(reason);
            details.add(detail);
            entries.add(entry);
        }

        @Override
        public void ingestRefused(int detector) {
            refused++;
        }

        void clear() {
            reasons.clear();
            details.clear();
            entries.clear();
            refused = 0;
        }
    }
}
