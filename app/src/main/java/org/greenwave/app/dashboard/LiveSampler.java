package org.greenwave.app.dashboard;

/**
 * Samples a {@link Dashboard} on the wall clock, twice a second, on its own daemon thread: the dashboard's sampler
 * in live operation ({@code greenwave serve}).
 */
public final class LiveSampler implements AutoCloseable {
    static final long PERIOD_MS = 500;

    private final Thread thread;
    private volatile boolean running = true;

    private LiveSampler(Dashboard dashboard) {
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    dashboard.sample(System.nanoTime());
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // A failed sample must not end the dashboard; the next one tries again.
                    org.slf4j.LoggerFactory.getLogger(LiveSampler.class).warn("dashboard sample failed", e);
                }
            }
        }, "greenwave-dashboard-sampler");
        thread.setDaemon(true);
    }

    /** Starts sampling {@code dashboard}, which must already be attached to its engine. */
    public static LiveSampler start(Dashboard dashboard) {
        LiveSampler s = new LiveSampler(dashboard);
        s.thread.start();
        return s;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
