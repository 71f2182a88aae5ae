/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

import java.util.concurrent.atomic.AtomicLong;

import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.FieldPortFactory;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.core.port.StatusListener;

/**
 * The engine's field port when SUMO's field runs in the engine's process: readings go straight into the engine's
 * {@link Ingest} and the controllers' status to its {@link StatusListener} (it is the {@link SumoField}'s {@link
 * DetectorFeed}), plans straight onto the field's {@link PlanBoard}. Nothing is encoded, nothing can be malformed, and the link is up from start to close.
 *
 * <p>Threading: readings on the simulation thread (the counters' one writer); {@link #onPlan} on the engine's shard
 * threads (the board synchronises); counters and state from any thread.
 */
public final class SumoPort implements FieldPort, DetectorFeed {
    private static final ReasonCounts NO_REJECTS = sink -> {
    };

    private final PlanBoard board;
    private final Ingest ingest;
    private final StatusListener status;
    private final Counters counters = new Counters();
    private volatile LinkState state = LinkState.CONNECTED;

    private SumoPort(PlanBoard board, Ingest ingest, StatusListener status) {
        this.board = board;
        this.ingest = ingest;
        this.status = status;
    }

    /** The port in process: started against an engine, it feeds that engine and puts its plans on {@code board}. */
    public static FieldPortFactory factory(PlanBoard board) {
        return engine -> start(board, engine);
    }

    /** The port of an engine started with {@code edge}, for callers that hold the concrete type. */
    public static SumoPort start(PlanBoard board, EngineEdge edge) {
        return new SumoPort(board, edge.ingest(), edge.status());
    }

    @Override
    public void detectorEdge(int intersection, int detector, boolean on, long timeMs) {
        counters.reading(ingest.detectorEdge(detector, on, timeMs));
    }

    @Override
    public void laneArea(int intersection, int detector, long timeMs, int vehicles, int halting, double jamM) {
        counters.reading(ingest.laneArea(detector, timeMs, vehicles, halting, jamM));
    }

    @Override
    public void controllerStatus(int intersection, ControllerStatus s) {
        status.onStatus(s);
    }

    @Override
    public void onPlan(TimingPlan plan) {
        board.put(plan);
        counters.plansSent.incrementAndGet();
    }

    /** {@code sumo}. */
    @Override
    public String protocol() {
        return "sumo";
    }

    @Override
    public LinkState linkState() {
        return state;
    }

    @Override
    public FieldCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitConnected(long timeoutMs) {
        return state == LinkState.CONNECTED;
    }

    /** True: SUMO runs each signal's own program and the variant installed for the run. */
    @Override
    public boolean runsDevicePrograms() {
        return true;
    }

    @Override
    public void close() {
        state = LinkState.CLOSED;
    }

    /** Readings written by the simulation thread only; plans counted atomically (several shard threads). */
    private static final class Counters implements FieldCounters {
        private volatile long readings;
        private volatile long applied;
        private volatile long refused;
        final AtomicLong plansSent = new AtomicLong();

        void reading(boolean taken) {
            readings++;
            if (taken) {
                applied++;
            } else {
                refused++;
            }
        }

        @Override
        public long messagesIn() {
            return readings;
        }

        @Override
        public long entriesApplied() {
            return applied;
        }

        @Override
        public long ingestRefused() {
            return refused;
        }

        @Override
        public ReasonCounts rejects() {
            return NO_REJECTS;
        }

        @Override
        public long plansSent() {
            return plansSent.get();
        }

        @Override
        public long plansDropped() {
            return 0;
        }

        @Override
        public long connectionLosses() {
            return 0;
        }
    }
}
