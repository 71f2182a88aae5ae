/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.sumo;

import org.greenwave.adapters.field.FieldController;
import org.greenwave.core.engine.TimingPlan;

/**
 * The newest timing plan per intersection, as it reached the field: written by whoever delivers plans (the engine's
 * plan sink in process, the MQTT subscriber otherwise), read by the simulation thread, which hands each new plan to
 * the intersection's {@link FieldController}.
 *
 * <p>Threading: any thread may {@link #put}; one thread calls {@link #deliver}. Methods synchronise per board; a
 * simulation has few intersections and one plan per intersection per second.
 */
public final class PlanBoard {
    private final long[] sequence;
    private final long[] issuedAtMs;
    /** Per intersection: the newest issue time of any plan message that arrived, taken or refused; for pacing. */
    private final long[] arrivedIssuedAtMs;
    private final long[] expiresAtMs;
    private final String[] deviceProgram;
    private final String[] flashOperator;
    private final char[][] finalState;
    private final boolean[] fresh;

    /** @param linkCounts per intersection index: its link count */
    public PlanBoard(int[] linkCounts) {
        int n = linkCounts.length;
        sequence = new long[n];
        issuedAtMs = new long[n];
        arrivedIssuedAtMs = new long[n];
        expiresAtMs = new long[n];
        deviceProgram = new String[n];
        flashOperator = new String[n];
        finalState = new char[n][];
        fresh = new boolean[n];
        for (int i = 0; i < n; i++) {
            finalState[i] = new char[linkCounts[i]];
        }
    }

    /** Takes a plan from the engine (in process). */
    public synchronized void put(TimingPlan plan) {
        int i = plan.intersection();
        if (plan.deviceProgram() == null && plan.entryCount() > 0) {
            plan.copyEntryState(plan.entryCount() - 1, finalState[i]);
        }
        record(i, plan.sequence(), plan.issuedAtMs(), plan.expiresAtMs(), plan.deviceProgram(), plan.flashOperator());
    }

    /** Takes a plan received in a message. {@code state} is the schedule's final state, or null with a program. */
    public synchronized void put(int i, long seq, long issuedMs, long expiresMs, String program, String operator,
                          CharSequence state) {
        if (program == null) {
            if (state == null || state.length() != finalState[i].length) {
                return;
            }
            for (int l = 0; l < finalState[i].length; l++) {
                finalState[i][l] = state.charAt(l);
            }
        }
        record(i, seq, issuedMs, expiresMs, program, operator);
    }

    /**
     * Notes that a plan message for intersection {@code i} arrived but was refused before it reached the board: the
     * run does not wait for it any longer ({@link #awaitIssued}), and no plan changes.
     */
    public synchronized void refused(int i, long issuedMs) {
        arrivedIssuedAtMs[i] = Math.max(arrivedIssuedAtMs[i], issuedMs);
        notifyAll();
    }

    private void record(int i, long seq, long issuedMs, long expiresMs, String program, String operator) {
        sequence[i] = seq;
        issuedAtMs[i] = issuedMs;
        arrivedIssuedAtMs[i] = Math.max(arrivedIssuedAtMs[i], issuedMs);
        expiresAtMs[i] = expiresMs;
        deviceProgram[i] = program;
        flashOperator[i] = operator;
        fresh[i] = true;
        notifyAll();
    }

    /** Hands intersection {@code i}'s plan to its field controller if it is new since the last call. */
    public synchronized void deliver(int i, FieldController field, long nowMs) {
        if (fresh[i]) {
            fresh[i] = false;
            field.offerPlan(sequence[i], issuedAtMs[i], expiresAtMs[i], deviceProgram[i], flashOperator[i],
                    deviceProgram[i] == null ? java.nio.CharBuffer.wrap(finalState[i]) : null, nowMs);
        }
    }

    /**
     * Waits until a plan message issued at or after {@code issuedMs} arrived for every intersection (taken or refused),
     * or until {@code timeoutMs} of wall time passed.
     *
     * @return true when all arrived in time
     */
    public synchronized boolean awaitIssued(long issuedMs, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            boolean all = true;
            for (long t : arrivedIssuedAtMs) {
                all &= t >= issuedMs;
            }
            if (all) {
                return true;
            }
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            wait(Math.max(1, leftNs / 1_000_000L));
        }
    }
}
