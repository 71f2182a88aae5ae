package org.greenwave.harness.whatif;

import java.util.List;

import org.greenwave.adapters.traci.Domain;
import org.greenwave.adapters.traci.Subscription;
import org.greenwave.adapters.traci.TraciClient;
import org.greenwave.adapters.traci.TraciConstants;
import org.greenwave.core.engine.Engine;
import org.greenwave.harness.run.RunObserver;
import org.greenwave.netimport.ControlledIntersection;

/**
 * The simulated queue at every signal over time, for what-if reports: every {@link #PERIOD_S} seconds, the halting
 * vehicles on all incoming lanes of each signal, as SUMO counts them. A study result, not an input: the engine never
 * sees it.
 *
 * <p>Threading: the run's thread; read after the run.
 */
public final class QueueTrace implements RunObserver {
    /** Sampling period, seconds. */
    public static final int PERIOD_S = 10;

    private final double beginS;
    private final int samples;
    private String[] ids;
    private Subscription[][] lanes;
    private float[][] haltingVeh;

    public QueueTrace(double beginS, double endS) {
        this.beginS = beginS;
        this.samples = (int) Math.ceil((endS - beginS) / PERIOD_S) + 1;
    }

    /** A trace already taken: {@code haltingVeh[signal][sample]} for the signals {@code ids}. */
    public static QueueTrace of(double beginS, String[] ids, float[][] haltingVeh) {
        QueueTrace t = new QueueTrace(beginS, beginS + (double) (haltingVeh.length == 0 ? 0
                : haltingVeh[0].length - 1) * PERIOD_S);
        t.ids = ids.clone();
        t.haltingVeh = haltingVeh;
        return t;
    }

    @Override
    public void started(Engine engine, List<ControlledIntersection> signals, TraciClient sumo) {
        ids = new String[signals.size()];
        lanes = new Subscription[signals.size()][];
        haltingVeh = new float[signals.size()][samples];
        for (int i = 0; i < signals.size(); i++) {
            ControlledIntersection ci = signals.get(i);
            ids[i] = ci.id();
            lanes[i] = new Subscription[ci.model().incomingLaneCount()];
            for (int l = 0; l < lanes[i].length; l++) {
                lanes[i][l] = sumo.subscribe(Domain.LANE, ci.model().incomingLaneId(l),
                        TraciConstants.LAST_STEP_VEHICLE_HALTING_NUMBER);
            }
        }
    }

    @Override
    public void stepped(double nowS) {
        double rel = (nowS - beginS) / PERIOD_S;
        long k = Math.round(rel);
        if (Math.abs(rel - k) > 1e-6 || k < 0 || k >= samples) {
            return;
        }
        for (int i = 0; i < lanes.length; i++) {
            double sum = 0;
            for (Subscription s : lanes[i]) {
                sum += s.hasValue(0) ? s.number(0) : 0;
            }
            haltingVeh[i][(int) k] = (float) sum;
        }
    }

    /** Signal ids, in engine order; null before the run started. */
    public String[] ids() {
        return ids;
    }

    /** {@code [signal][sample]}: halting vehicles on the signal's incoming lanes at {@code beginS + sample × PERIOD_S}. */
    public float[][] haltingVeh() {
        return haltingVeh;
    }

    public double beginS() {
        return beginS;
    }
}
