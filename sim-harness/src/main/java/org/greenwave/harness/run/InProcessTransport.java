package org.greenwave.harness.run;

import org.greenwave.adapters.sumo.DetectorFeed;
import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.adapters.sumo.SumoPort;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.time.ManualClock;

/**
 * The engine in the run's process, invoked on the run's thread after every step; its field port is SUMO's own
 * ({@link SumoPort}). A run is then deterministic to the millisecond. Without lane-area readings the engine sees only
 * the loops' edges, the detection a signal controller's cabinet has (see {@link Transport#inProcessLoopsOnly()}). The
 * signals' status (the state SUMO shows) reaches the engine as a controller's would.
 */
final class InProcessTransport implements Transport.Open {
    private final ManualClock clock;
    private final Engine engine;
    private final SumoPort port;
    private final DetectorFeed feed;

    InProcessTransport(Transport.Setup setup, boolean laneAreaReadings) {
        this.clock = setup.clock();
        PlanSink[] sink = new PlanSink[1];
        PlanSink forward = plan -> sink[0].onPlan(plan);
        this.engine = Engine.invoked(setup.engineSetup().apply(new EngineContext()
                .intersections(setup.intersections()).shards(1).clock(clock).planSink(forward)
                .forecasterFactory(SimulationRun.defaultForecaster())));
        this.port = SumoPort.start(setup.board(), new EngineEdge(engine.directory(), engine.ingest(), clock,
                engine.status(), null));
        sink[0] = port;
        this.feed = laneAreaReadings ? port : new DetectorFeed() {
            @Override
            public void detectorEdge(int intersection, int detector, boolean on, long timeMs) {
                port.detectorEdge(intersection, detector, on, timeMs);
            }

            @Override
            public void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM) {
            }

            @Override
            public void controllerStatus(int intersection, ControllerStatus status) {
                port.controllerStatus(intersection, status);
            }

            @Override
            public void flush() {
                port.flush();
            }
        };
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public DetectorFeed feed() {
        return feed;
    }

    /** The first control tick runs at the start of the window, as a launched engine's does. */
    @Override
    public void begin(RunObserver observer, SumoField field) {
        engine.doWork();
    }

    @Override
    public void afterStep(long nowMs) {
        clock.set(nowMs);
        engine.doWork();
    }

    /** Readings the engine's queue refused. */
    @Override
    public long ingestDrops() {
        return port.counters().ingestRefused();
    }

    @Override
    public void close() {
        port.close();
        engine.close();
    }
}
