package org.greenwave.app;

import org.greenwave.core.time.Clock;

/** Wall-clock time, seconds since the epoch: the live engine's clock. */
final class SystemClock implements Clock {
    @Override
    public double nowS() {
        return System.currentTimeMillis() / 1000.0;
    }
}
