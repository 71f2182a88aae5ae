/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.util.Objects;

/**
 * The outcome of an allocating decoder ({@link PlanDecoder}, {@link StatusDecoder}): a value, or the reason it was
 * rejected. A bad payload is an expected outcome, so it is a return value, not an exception.
 *
 * @param value  the decoded value, or null when rejected
 * @param reason null when decoded
 * @param detail what exactly was wrong, or null when decoded
 */
public record DecodeResult<T>(T value, RejectReason reason, String detail) {

    public static <T> DecodeResult<T> ok(T value) {
        return new DecodeResult<>(Objects.requireNonNull(value, "value"), null, null);
    }

    public static <T> DecodeResult<T> rejected(RejectReason reason, String detail) {
        return new DecodeResult<>(null, Objects.requireNonNull(reason, "reason"), detail);
    }

    public boolean isOk() {
        return reason == null;
    }
}
