package org.greenwave.core.engine;

import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.greenwave.core.ingest.DetectorStates;
import org.greenwave.core.oversight.OperatorCommand;
import org.greenwave.core.oversight.OperatorOverride;
import org.greenwave.core.policy.PlannedSchedule;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.time.Clock;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * The agent that owns a contiguous block of intersections and their detectors. Its duty cycle ({@link #doWork()})
 * reads the clock once, drains the inbound queue into the detector state, then runs every control tick that is due.
 *
 * <p>Inbound path: producer threads take a preallocated {@link IngestEvent} from {@link #pool}, fill it, and offer it
 * to {@link #inbound}; the shard applies it and puts it back in the pool. The pool is an MPMC queue because the
 * producers are not known in advance (MQTT client threads, the harness, tests) and may come and go: a per-producer
 * SPSC return queue would need thread registration or a thread-local look-up on every event. Pool and inbound queue
 * have the same capacity and every event lives in exactly one place (pool, producer, queue or shard), so the inbound
 * offer cannot fail once a producer holds an event: an empty pool is the "queue full" signal, counted, and the
 * reading dropped. Producers take from the pool with {@code relaxedPoll}, which never spins; the shard returns events
 * with a strict {@code offer}, which can only wait for a producer preempted in the middle of its own poll.
 *
 * <p>Control tick, per intersection, every {@code tickMs} of the engine clock (the first at the first duty cycle):
 * fold detector state into the intersection state, run the forecast step, ask the policy, step the interlock, write the plan, hand it to
 * the sink, publish a snapshot. Ticks missed because the shard fell behind are skipped and counted; the schedule keeps
 * its phase. The schedule is kept in the clock's integer milliseconds and a tick is due when
 * {@code nextTickMs - nowMs <= 0}: exact however long the engine runs.
 *
 * <p>Threading: {@link #doWork()} and {@link #drainRemaining()} on one thread at a time (the shard thread, or the
 * caller of an invoked engine); {@link #offer} from any thread. No allocation after construction.
 */
final class Shard implements MessagePassingQueue.Consumer<IngestEvent> {
    /** Largest decision latency the histogram tracks; longer ones are recorded as this. */
    static final long MAX_LATENCY_NS = 60_000_000_000L;

    final MpscArrayQueue<IngestEvent> inbound;
    final MpmcArrayQueue<IngestEvent> pool;
    /** Operators' commands for this shard's signals; any thread offers, the shard drains. */
    private final MpscArrayQueue<OperatorCommand> commands = new MpscArrayQueue<>(COMMAND_CAPACITY);
    /** Operator commands a shard's queue holds. */
    static final int COMMAND_CAPACITY = 256;
    final ShardCounters counters = new ShardCounters();
    final SingleWriterRecorder decisionLatency = new SingleWriterRecorder(1, MAX_LATENCY_NS, 3);
    /** Reused by {@link EngineMetrics} under its lock. */
    Histogram recycledLatency;

    private final DetectorStates detectors;
    private final ShardIntersection[] intersections;
    /** Plan sequence numbers reserved per millisecond of the engine's start time. */
    static final long SEQUENCES_PER_MS = 1000;
    private final Clock clock;
    private final PlanSink sink;
    private final long tickMs;
    private final long planLifetimeMs;
    private final Consumer<Throwable> errorHandler;
    private final int drainLimit;
    /** The earliest {@link ShardIntersection#nextTickMs}; the engine's start time until the first ticks. */
    private long earliestDeadlineMs;
    private long appliedInDrain;
    private long ignoredInDrain;

    Shard(EngineContext ctx, DetectorStates detectors, ShardIntersection[] intersections) {
        this.detectors = detectors;
        this.intersections = intersections;
        this.clock = ctx.clock();
        // Plan sequences start from the engine's start time, SEQUENCES_PER_MS per millisecond: an engine started
        // later numbers its plans above every plan an earlier one can have issued (at most one per millisecond), so
        // field controllers, which take only newer sequences, follow a restarted engine at once.
        long startMs = clock.nowMs();
        long first = Math.max(0, startMs) * SEQUENCES_PER_MS;
        this.earliestDeadlineMs = startMs;
        for (ShardIntersection x : intersections) {
            x.plan.startSequence(first);
        }
        this.sink = ctx.planSink();
        this.tickMs = ctx.tickMs();
        this.planLifetimeMs = ctx.planLifetimeMs();
        this.errorHandler = ctx.errorHandler();
        int capacity = ctx.queueCapacity();
        this.drainLimit = capacity;
        this.inbound = new MpscArrayQueue<>(capacity);
        this.pool = new MpmcArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            pool.offer(new IngestEvent());
        }
    }

    /**
     * Any thread: queues a filled event taken from {@link #pool}.
     *
     * @return false (and counted) only if the queue was full, which the pool's sizing rules out
     */
    boolean offer(IngestEvent e) {
        if (inbound.offer(e)) {
            return true;
        }
        pool.offer(e);
        counters.queueFull();
        return false;
    }

    /** Any thread: queues an operator's command (checked by the engine); false when the queue is full. */
    boolean offerCommand(OperatorCommand c) {
        return commands.offer(c);
    }

    /** One duty cycle; returns the events applied plus the ticks run. */
    int doWork() {
        long startNs = System.nanoTime();
        long nowMs = clock.nowMs();
        // Everything queued before this cycle began fits in one capacity's worth, so a tick sees all of it.
        int work = drain(drainLimit);
        if (!commands.isEmpty()) {
            work += applyCommands(nowMs);
        }
        if (earliestDeadlineMs - nowMs <= 0) {
            work += runDueTicks(nowMs);
        }
        long cycleNs = System.nanoTime() - startNs;
        counters.add(ShardCounters.DUTY_CYCLES, 1);
        counters.set(ShardCounters.LAST_DUTY_CYCLE_NS, cycleNs);
        counters.max(ShardCounters.MAX_DUTY_CYCLE_NS, cycleNs);
        return work;
    }

    /** Applies what is left in the queue, until it is empty; on close. */
    void drainRemaining() {
        int n;
        do {
            n = drain(drainLimit);
        } while (n > 0);
    }

    private int drain(int limit) {
        int n = inbound.drain(this, limit);
        if (n > 0) {
            counters.add(ShardCounters.EVENTS_APPLIED, appliedInDrain);
            if (ignoredInDrain > 0) {
                counters.add(ShardCounters.EVENTS_IGNORED, ignoredInDrain);
            }
            appliedInDrain = 0;
            ignoredInDrain = 0;
        }
        return n;
    }

    @Override
    public void accept(IngestEvent e) {
        boolean applied;
        switch (e.type) {
            case IngestEvent.EDGE:
                applied = detectors.edge(e.detector, e.on, e.timeMs);
                break;
            case IngestEvent.AGGREGATE:
                applied = detectors.aggregate(e.detector, e.intervalMs, e.count, e.occupancy, e.on);
                break;
            default:
                applied = detectors.area(e.detector, e.vehicles, e.halting, e.jamM);
                break;
        }
        if (applied) {
            appliedInDrain++;
        } else {
            ignoredInDrain++;
        }
        pool.offer(e);
    }

    /** Applies the operators' commands queued; each to its signal's override layer. */
    private int applyCommands(long nowMs) {
        int n = 0;
        OperatorCommand c;
        while ((c = commands.relaxedPoll()) != null) {
            ShardIntersection x = intersections[c.intersection() - intersections[0].index];
            try {
                x.override.apply(c, nowMs, x.ticks == 0 ? nowMs : x.state.nowMs(), x.interlock, x.policy);
            } catch (Throwable t) {
                onError(t);
            }
            n++;
        }
        return n;
    }

    private int runDueTicks(long nowMs) {
        int ran = 0;
        long skipped = 0;
        long maxLagNs = 0;
        long earliest = 0;
        for (int i = 0; i < intersections.length; i++) {
            ShardIntersection x = intersections[i];
            if (!x.started || x.nextTickMs - nowMs <= 0) {
                long startNs = System.nanoTime();
                if (!x.started) {
                    x.started = true;
                    x.interlock.reset(0, nowMs);
                    x.nextTickMs = nowMs + tickMs;
                } else {
                    maxLagNs = Math.max(maxLagNs, (nowMs - x.nextTickMs) * 1_000_000);
                    x.nextTickMs += tickMs;
                    if (x.nextTickMs - nowMs <= 0) {
                        long missed = (nowMs - x.nextTickMs) / tickMs + 1;
                        skipped += missed;
                        x.nextTickMs += missed * tickMs;
                    }
                }
                tick(x, nowMs);
                ran++;
                decisionLatency.recordValue(Math.min(Math.max(System.nanoTime() - startNs, 1), MAX_LATENCY_NS));
            }
            if (i == 0 || x.nextTickMs - earliest < 0) {
                earliest = x.nextTickMs;
            }
        }
        earliestDeadlineMs = earliest;
        counters.add(ShardCounters.TICKS, ran);
        if (skipped > 0) {
            counters.add(ShardCounters.TICKS_SKIPPED, skipped);
        }
        counters.max(ShardCounters.MAX_TICK_LAG_NS, maxLagNs);
        return ran;
    }

    private void tick(ShardIntersection x, long nowMs) {
        x.ticks++;
        try {
            x.state.now(nowMs);
            x.applyStatus(nowMs);
            detectors.foldInto(x.firstDetector, x.endDetector, x.state);
            x.forecaster.update(x.state);
            // The forecaster has read the last plan's greens; a tick that publishes none leaves them unknown.
            x.state.planBegin(x.state.nowS());
            TimingPlan plan = x.plan;
            long issuedMs = nowMs;
            OperatorOverride override = x.override;
            override.beforeTick(nowMs);
            String operatorProgram = override.deviceProgram();
            if (operatorProgram != null) {
                if (x.deviceProgram == null) {
                    // The policy keeps its own bookkeeping up to date while the operator's program runs.
                    x.policy.propose(x.state);
                }
                plan.begin(plan.sequence() + 1, issuedMs, issuedMs + planLifetimeMs, operatorProgram);
                // The operator's id travels inside the signed plan: field controllers go dark only for a named operator.
                plan.flashOperator(override.flashing() ? override.setBy() : null);
                x.overridden = true;
            } else if (x.deviceProgram != null) {
                plan.begin(plan.sequence() + 1, issuedMs, issuedMs + planLifetimeMs, x.deviceProgram);
            } else {
                SignalPolicy policy = x.policy;
                // The policy keeps its own bookkeeping up to date while the watchdog or an operator holds the signal.
                int proposal = policy.propose(x.state);
                boolean overridden = override.active();
                if (x.watchdog != null && !overridden && x.overridden) {
                    x.watchdog.restart(x.state.nowS());
                }
                // While an operator overrides the signal the watchdog does not judge it: what it shows is theirs.
                boolean suspended = !overridden && x.watchdog != null && x.watchdog.suspended(x.state);
                x.overridden = overridden;
                if (overridden) {
                    // People overrule the engine, and the watchdog; the interlock still decides.
                    proposal = override.propose(nowMs, x.interlock);
                    x.interlock.step(nowMs, proposal);
                    override.afterStep(nowMs, x.interlock);
                    plan.begin(plan.sequence() + 1, issuedMs, issuedMs + planLifetimeMs, null);
                    PlanForecast.fill(plan, x.interlock, proposal, nowMs, tickMs, x.scratch);
                    PlanForecast.publishLaneGreens(plan, x.interlock, proposal, null, x.state, x.scratch);
                } else if (suspended) {
                    plan.begin(plan.sequence() + 1, issuedMs, issuedMs + planLifetimeMs, x.model.sourceProgramId());
                } else {
                    x.interlock.step(nowMs, proposal);
                    plan.begin(plan.sequence() + 1, issuedMs, issuedMs + planLifetimeMs, null);
                    PlanForecast.fill(plan, x.interlock, proposal, nowMs, tickMs, x.scratch);
                    PlannedSchedule schedule = policy instanceof PlannedSchedule ps ? ps : null;
                    if (schedule != null) {
                        PlanForecast.appendSchedule(plan, x.interlock, proposal, schedule);
                    }
                    PlanForecast.publishLaneGreens(plan, x.interlock, proposal, schedule, x.state, x.scratch);
                }
            }
            // The next tick's estimate reads the field's reported signal while the device's own program runs it.
            x.state.fieldInCharge(plan.deviceProgram() != null);
            sink.onPlan(plan);
            counters.add(ShardCounters.PLANS_ISSUED, 1);
        } catch (Throwable t) {
            onError(t);
        }
        x.publish(detectors.readings(x.firstDetector, x.endDetector));
    }

    /** Counts an error and hands it to the error handler, which must not throw (if it does, that is ignored). */
    void onError(Throwable t) {
        counters.add(ShardCounters.ERRORS, 1);
        try {
            errorHandler.accept(t);
        } catch (Throwable ignored) {
            // The handler's own failure must not stop the shard; the error is already counted.
        }
    }
}
