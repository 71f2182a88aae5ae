package org.greenwave.app.dashboard;

import java.util.List;
import java.util.Locale;

import java.util.function.UnaryOperator;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.netimport.ControlledIntersection;

/**
 * Shows a simulated run on a {@link Dashboard}: attaches the run's engine when it starts, samples it after every
 * step, and holds the run back to a pace a person can follow. Reads the engine and its field port only, never SUMO,
 * so the dashboard sees what a field deployment would.
 *
 * <p>Threading: the run's thread, as {@link RunObserver} guarantees; the dashboard's sampler thread is therefore the
 * run's.
 */
public final class DashboardObserver implements RunObserver {
    private final Dashboard dashboard;
    private final String label;
    private final double pace;
    private PlanTap plans;
    private FieldPort port;
    private long startWallNs;
    private double startSimS = Double.NaN;

    /**
     * @param label what runs, e.g. "max-pressure, seed 1"
     * @param pace  simulated seconds per wall-clock second; 0 runs as fast as the simulation goes
     */
    public DashboardObserver(Dashboard dashboard, String label, double pace) {
        if (!(pace >= 0) || Double.isInfinite(pace)) {
            throw new IllegalArgumentException("pace must be 0 or more simulated seconds per second, was " + pace);
        }
        this.dashboard = dashboard;
        this.label = label;
        this.pace = pace;
    }

    /**
     * The observed run's engine set-up: its plans pass through a {@link PlanTap} on their way to the field, so the
     * dashboard shows the schedule ahead.
     */
    public UnaryOperator<EngineContext> engineSetup(List<IntersectionModel> models) {
        return ctx -> {
            plans = new PlanTap(models, ctx.planSink());
            return ctx.planSink(plans).oversightListener(dashboard.oversight());
        };
    }

    @Override
    public void fieldPort(FieldPort port) {
        this.port = port;
    }

    @Override
    public void fieldRefusals(ReasonCounts refusals) {
        dashboard.fieldRefusals(refusals);
    }

    @Override
    public void started(Engine engine, List<ControlledIntersection> signals) {
        dashboard.attach(engine, new DecisionLatencyWindow(engine.metrics()), plans, port, label);
        dashboard.sample(System.nanoTime());
        startWallNs = System.nanoTime();
        startSimS = Double.NaN;
    }

    @Override
    public void stepped(double nowS) throws InterruptedException {
        long now = System.nanoTime();
        dashboard.sample(now);
        if (pace <= 0) {
            return;
        }
        if (Double.isNaN(startSimS)) {
            startSimS = nowS;
            startWallNs = now;
            return;
        }
        long dueNs = startWallNs + (long) ((nowS - startSimS) / pace * 1e9);
        long waitNs = dueNs - System.nanoTime();
        if (waitNs > 0) {
            Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000));
        }
    }

    @Override
    public void finished(RunSummary summary) {
        dashboard.finish(String.format(Locale.ROOT, "%s (finished: %d vehicles arrived)", label,
                summary.trips().arrived()));
    }
}
