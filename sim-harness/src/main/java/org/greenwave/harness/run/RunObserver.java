package org.greenwave.harness.run;

import java.util.List;

import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.ControlledIntersection;

/**
 * Watches one {@link SimulationRun} as it goes: dashboards read the engine's own state through it, evaluators record
 * what they need beside it. All methods are called on the run's thread, and the run waits for them, so an observer
 * may also hold a step back to pace the run.
 *
 * <p>The TraCI client is handed over for evaluators that compare the engine with SUMO's ground truth; nothing that
 * feeds the engine or a dashboard may read it.
 */
public interface RunObserver {
    /** Watches nothing; reads nothing of the engine. */
    RunObserver NONE = new RunObserver() {
        @Override
        public boolean readsEngine() {
            return false;
        }
    };

    /**
     * Whether the observer reads the engine's view of the field (detector state, estimates, forecasts, snapshots)
     * while the run goes. When no observer does, the signals that run a device program for the whole run (fixed-time,
     * actuated) give the engine no detector readings, since nothing would read them and their plans do not depend on
     * them, and SUMO reports only the detectors the run's own monitors read. Default true.
     */
    default boolean readsEngine() {
        return true;
    }

    /**
     * When the engine reaches the simulated field through a field port (over MQTT): the engine's side of that port,
     * connected; called before {@link #started}.
     */
    default void fieldPort(FieldPort port) throws Exception {
    }

    /**
     * When the field side checks the plans it receives (over MQTT): where it counts those it refused, by reason;
     * called before {@link #started}.
     */
    default void fieldRefusals(ReasonCounts refusals) throws Exception {
    }

    /**
     * The engine is running and SUMO is connected; called before the first step. By default calls
     * {@link #started(Engine, List)}: an observer that reads only the engine overrides that one.
     */
    default void started(Engine engine, List<ControlledIntersection> signals, TraciClient sumo) throws Exception {
        started(engine, signals);
    }

    /** The engine is running; called before the first step by {@link #started(Engine, List, TraciClient)}. */
    default void started(Engine engine, List<ControlledIntersection> signals) throws Exception {
    }

    /** A simulation step ended at {@code nowS} and the engine has run its ticks for it. */
    default void stepped(double nowS) throws Exception {
    }

    /** The run ended and its summary was written. Not called when the run failed. */
    default void finished(RunSummary summary) throws Exception {
    }

    /** An observer that hands every call to {@code first}, then to {@code second}. */
    static RunObserver both(RunObserver first, RunObserver second) {
        return new RunObserver() {
            @Override
            public boolean readsEngine() {
                return first.readsEngine() || second.readsEngine();
            }

            @Override
            public void fieldPort(FieldPort port) throws Exception {
                first.fieldPort(port);
                second.fieldPort(port);
            }

            @Override
            public void fieldRefusals(ReasonCounts refusals) throws Exception {
                first.fieldRefusals(refusals);
                second.fieldRefusals(refusals);
            }

            @Override
            public void started(Engine engine, List<ControlledIntersection> signals, TraciClient sumo)
                    throws Exception {
                first.started(engine, signals, sumo);
                second.started(engine, signals, sumo);
            }

            @Override
            public void stepped(double nowS) throws Exception {
                first.stepped(nowS);
                second.stepped(nowS);
            }

            @Override
            public void finished(RunSummary summary) throws Exception {
                first.finished(summary);
                second.finished(summary);
            }
        };
    }
}
