package org.greenwave.app;

import org.greenwave.core.time.Clock;

/** Wall-clock time, milliseconds since the epoch: the live engine's clock. */
final class SystemClock implements Clock {
    @Override
    public long nowMs() {
        return System.currentTimeMillis();
    }
}
