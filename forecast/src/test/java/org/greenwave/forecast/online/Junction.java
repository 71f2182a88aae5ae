package org.greenwave.forecast.online;

import java.util.ArrayList;
import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.ConflictMatrix;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;
import org.greenwave.core.time.Millis;
import org.greenwave.forecast.learn.FeatureSink;
import org.greenwave.forecast.learn.QueueModel;

/**
 * A test junction of two conflicting single-lane approaches, lane 0 green in phase 0 and lane 1 green in phase 1,
 * both 300 m long at 10 m/s. The signal is switched directly (no amber), so lane 0's green is exactly what a test
 * sets. Detector readings go into the state by hand before each {@link #tick}.
 */
final class Junction {
    final IntersectionModel model;
    final SafetyInterlock interlock;
    final IntersectionState state;
    final QueueForecaster forecaster;
    private double nowS;

    Junction(boolean stopLine, boolean advance, boolean area) {
        this(new QueueForecasterFactory.Config(), stopLine, advance, area, null, null);
    }

    Junction(QueueForecasterFactory.Config cfg, boolean stopLine, boolean advance, boolean area, QueueModel learned,
             FeatureSink sink) {
        model = IntersectionModel.builder("J", 2).conflicts(ConflictMatrix.builder(2).conflict(0, 1).build())
                .link(0, "in0", 300, 10, "out0").link(1, "in1", 300, 10, "out1")
                .greenPhase("Gr", 0, 30, 5, 90).greenPhase("rG", 1, 30, 5, 90).build();
        interlock = new SafetyInterlock(model);
        interlock.reset(1, 0);
        state = new IntersectionState(model, interlock);
        List<DetectorSpec> d = new ArrayList<>();
        for (int lane = 0; lane < 2; lane++) {
            if (stopLine) {
                d.add(new DetectorSpec("sl" + lane, DetectorKind.STOP_LINE, lane));
            }
            if (advance) {
                d.add(new DetectorSpec("adv" + lane, DetectorKind.ADVANCE, lane));
            }
            if (area) {
                d.add(new DetectorSpec("area" + lane, DetectorKind.AREA_IN, lane));
            }
        }
        forecaster = new QueueForecasterFactory(cfg, learned, sink).create(model, d);
    }

    /** Lane 0 green (phase 0) or red (phase 1) from now on. */
    void green0(boolean green) {
        if (green != (interlock.phase() == 0)) {
            interlock.reset(green ? 0 : 1, Millis.fromSeconds(nowS));
        }
    }

    /** Moves time to {@code s}; readings added after this call belong to the tick at {@code s}. */
    void at(double s) {
        nowS = s;
        state.now(Millis.fromSeconds(s));
    }

    /** A fresh lane-area reading of lane 0 at the current time. */
    void area0(int vehicles, int halting, double jamM) {
        state.incomingArea(0, vehicles, halting, jamM);
        state.incomingAreaReported(0);
    }

    void tick() {
        forecaster.update(state);
    }
}
