/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts rejections and logs them at a bounded rate: at most one line per reason per interval, saying how many were
 * suppressed since the last line. Never throws and never waits: the rate limit is one compare-and-set, and a logger
 * that throws is ignored.
 *
 * <p>Thread-safe.
 */
final class RejectLog {

    private final GatewayCounters counters;
    private final System.Logger logger;
    private final long intervalNs;
    private final LongSupplier nanoTime;
    /** Per reason: earliest time of the next line; {@code Long.MIN_VALUE} until the first. */
    private final AtomicLongArray nextLineNs;
    /** Per reason: the reason's total when its last line was written. */
    private final AtomicLongArray totalAtLastLine;

    /**
     * @param intervalNs minimum time between two lines of one reason
     * @param nanoTime   monotonic time source ({@code System::nanoTime} live)
     */
    RejectLog(GatewayCounters counters, System.Logger logger, long intervalNs, LongSupplier nanoTime) {
        this.counters = counters;
        this.logger = logger;
        this.intervalNs = intervalNs;
        this.nanoTime = nanoTime;
        int n = RejectReason.all().length;
        this.nextLineNs = new AtomicLongArray(n);
        this.totalAtLastLine = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            nextLineNs.set(i, Long.MIN_VALUE);
        }
    }

    /**
     * Counts a rejection and maybe logs it.
     *
     * @param where the topic, or another short context; only formatted when a line is written
     * @return true if a line was written
     */
    boolean rejected(RejectReason reason, String detail, int entry, String where) {
        return rejected(reason, detail, entry, where, null, null, 0, 0);
    }

    /**
     * Counts a rejection and maybe logs it, naming the offending value. Everything that came from outside (the
     * topic, the value, a detail that may quote input) goes into the line through {@link LogText}: bounded, with
     * control and format characters escaped. Nothing is formatted unless a line is written.
     *
     * @param where the topic, or another short context
     * @param what  what the value is ({@code "detector"}, {@code "field"}, {@code "value"}, {@code "near"}), or null
     *              when the reason has no single offending value
     * @param value the offending value's bytes {@code [off, off+len)} as received, or null
     * @return true if a line was written
     */
    boolean rejected(RejectReason reason, String detail, int entry, String where, String what, byte[] value, int off,
                     int len) {
        long total = counters.reject(reason);
        int r = reason.ordinal();
        long next = nextLineNs.get(r);
        long now = nanoTime.getAsLong();
        if (next != Long.MIN_VALUE && now - next < 0) {
            return false;
        }
        if (!nextLineNs.compareAndSet(r, next, now + intervalNs)) {
            return false;
        }
        long suppressed = total - totalAtLastLine.getAndSet(r, total) - 1;
        try {
            if (logger.isLoggable(Level.WARNING)) {
                StringBuilder line = new StringBuilder(160).append("MQTT input rejected, ").append(reason.code())
                        .append(": ").append(LogText.text(detail, LogText.MAX_TEXT_CHARS));
                boolean named = what != null && value != null;
                if (entry >= 0 || named) {
                    line.append(" (");
                    if (entry >= 0) {
                        line.append("entry ").append(entry).append(named ? ", " : "");
                    }
                    if (named) {
                        line.append(what).append(' ').append(LogText.quoted(value, off, len, LogText.MAX_VALUE_CHARS));
                    }
                    line.append(')');
                }
                line.append(" on ").append(LogText.text(where, LogText.MAX_TEXT_CHARS)).append("; ")
                        .append(Math.max(0, suppressed)).append(" more since the last report, ").append(total)
                        .append(" in total");
                logger.log(Level.WARNING, line.toString());
            }
        } catch (RuntimeException e) {
            return false;
        }
        return true;
    }
}
