package org.greenwave.core.engine;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorStates;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OperatorCommand;
import org.greenwave.core.policy.DecisionExplanation;
import org.greenwave.core.policy.ExplainedPolicy;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.StatusListener;

/**
 * The real-time engine: detector readings in through {@link #ingest()}, a timing plan out to the
 * {@link PlanSink} for every intersection every control period.
 *
 * <p>The intersections are split into contiguous blocks, one per shard. A shard is the single writer of its
 * intersections' state, interlocks and policies and of its detectors' state; other threads reach it only through its
 * inbound queue (see {@link Shard}). Two ways to run the shards:
 * <ul>
 *   <li>{@link #launch}: one daemon thread per shard, named {@code greenwave-shard-N}, each looping over the shard's
 *       duty cycle and idling (per the context's {@link IdleStrategy}) when there was nothing to do. For live
 *       operation.</li>
 *   <li>{@link #invoked}: no threads; the caller runs {@link #doWork()}, which runs every shard's duty cycle once.
 *       The simulation harness does this in lock-step with SUMO: after each step it feeds the readings, sets the
 *       clock, and calls {@code doWork()}, whose control ticks see every reading fed before the call.</li>
 * </ul>
 *
 * <p>Threading: {@link #ingest()} from any threads; {@link #metrics()} and {@link #snapshot} from any thread;
 * {@link #doWork()} from one thread at a time; {@link #close()} once, after the producers have stopped if every
 * accepted reading must be applied (close applies what is still queued).
 */
public final class Engine implements AutoCloseable {
    private final DetectorDirectory directory;
    private final Shard[] shards;
    private final ShardIntersection[] intersections;
    private final int[] intersectionShard;
    private final EngineIngest ingest;
    private final EngineMetrics metrics;
    private final Runner[] runners;
    private final Thread[] threads;
    private final StatusListener status = this::report;
    private final java.util.concurrent.atomic.AtomicLong statusesUnknown = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private Engine(EngineContext ctx, boolean threaded) {
        ctx.claim();
        this.directory = ctx.directory();
        List<EngineIntersection> xs = ctx.intersections();
        int n = xs.size();
        int shardCount = ctx.shards();
        int[] firstDetector = new int[n + 1];
        for (int i = 0; i < n; i++) {
            firstDetector[i + 1] = firstDetector[i] + xs.get(i).detectors().size();
        }
        this.intersections = new ShardIntersection[n];
        this.intersectionShard = new int[n];
        this.shards = new Shard[shardCount];
        Shard[] detectorShard = new Shard[directory.detectorCount()];
        for (int s = 0; s < shardCount; s++) {
            int from = (int) ((long) n * s / shardCount);
            int to = (int) ((long) n * (s + 1) / shardCount);
            ShardIntersection[] own = new ShardIntersection[to - from];
            for (int i = from; i < to; i++) {
                own[i - from] = new ShardIntersection(i, xs.get(i).model(), ctx.policy(i), ctx.forecaster(i), firstDetector[i],
                        firstDetector[i + 1], ctx.watchdog(), ctx.oversightListener());
                intersections[i] = own[i - from];
                intersectionShard[i] = s;
            }
            DetectorStates detectors = new DetectorStates(directory, firstDetector[from],
                    firstDetector[to] - firstDetector[from]);
            shards[s] = new Shard(ctx, detectors, own);
            for (int d = firstDetector[from]; d < firstDetector[to]; d++) {
                detectorShard[d] = shards[s];
            }
        }
        this.ingest = new EngineIngest(detectorShard);
        this.metrics = new EngineMetrics(shards);
        if (threaded) {
            runners = new Runner[shardCount];
            threads = new Thread[shardCount];
            for (int s = 0; s < shardCount; s++) {
                runners[s] = new Runner(shards[s], ctx.idleStrategy().get());
                threads[s] = new Thread(runners[s], "greenwave-shard-" + s);
                threads[s].setDaemon(true);
            }
            for (Thread t : threads) {
                t.start();
            }
        } else {
            runners = null;
            threads = null;
        }
    }

    /**
     * Concludes the context and starts one thread per shard.
     *
     * @throws IllegalArgumentException or IllegalStateException from {@link EngineContext#conclude()}
     */
    public static Engine launch(EngineContext ctx) {
        return new Engine(ctx, true);
    }

    /**
     * Concludes the context and starts no thread: the caller drives the engine with {@link #doWork()}.
     *
     * @throws IllegalArgumentException or IllegalStateException from {@link EngineContext#conclude()}
     */
    public static Engine invoked(EngineContext ctx) {
        return new Engine(ctx, false);
    }

    /**
     * Runs every shard's duty cycle once on the calling thread: applies the queued readings, then runs the control
     * ticks due at the clock's present time. Errors thrown by policies or the sink are counted and reported, not
     * thrown.
     *
     * @return work done: readings applied plus ticks run
     * @throws IllegalStateException if the engine was launched with threads, or is closed
     */
    public int doWork() {
        if (threads != null) {
            throw new IllegalStateException("engine runs its own shard threads; doWork() is for invoked engines");
        }
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        int work = 0;
        for (Shard s : shards) {
            try {
                work += s.doWork();
            } catch (Throwable t) {
                s.onError(t);
            }
        }
        return work;
    }

    /**
     * Hands an operator's command to the shard that runs its signal, through that shard's command queue: it is
     * applied at the shard's next duty cycle, and its outcome reported to the context's
     * {@link EngineContext#oversightListener}. Any thread; never blocks.
     *
     * @return false when the shard's command queue is full (the command is not taken)
     * @throws IllegalArgumentException when the command does not fit the signal: no such signal or phase, a fixed
     *                                  plan without one green per phase, or an engine-driven command (hold, advance,
     *                                  freeze, fixed plan) for a signal whose policy runs a device program
     */
    public boolean submit(OperatorCommand command) {
        check(command);
        return shards[intersectionShard[command.intersection()]].offerCommand(command);
    }

    /**
     * Checks that {@code command} fits its signal, as {@link #submit} does, without submitting it. Any thread.
     *
     * @throws IllegalArgumentException as {@link #submit}
     */
    public void check(OperatorCommand command) {
        int i = command.intersection();
        if (i < 0 || i >= intersections.length) {
            throw new IllegalArgumentException("no signal with index " + i + "; the engine controls 0.."
                    + (intersections.length - 1));
        }
        ShardIntersection x = intersections[i];
        int phases = x.model.greenPhaseCount();
        String where = "signal " + x.model.id() + ": ";
        if (command.kind() == OperatorCommand.Kind.ADVANCE && command.phase() >= phases) {
            throw new IllegalArgumentException(where + "no green phase " + command.phase() + "; it has 0.."
                    + (phases - 1));
        }
        if (command.kind() == OperatorCommand.Kind.FIXED_PLAN && command.fixedPhaseCount() != phases) {
            throw new IllegalArgumentException(where + "a fixed plan needs one green per phase (" + phases
                    + "), got " + command.fixedPhaseCount());
        }
        if (command.kind().engineDriven() && x.deviceProgram != null) {
            throw new IllegalArgumentException(where + "it runs the device program '" + x.deviceProgram
                    + "', so the engine does not drive its phases: '" + command.kind().code()
                    + "' needs an adaptive controller (own program and flash are possible)");
        }
    }

    /**
     * Where the field controllers' status goes in: the listener a port is started with ({@link
     * org.greenwave.core.port.EngineEdge#status()}). While a signal's own program runs it (a device-program policy, an
     * operator's program, the watchdog's hand-back), the forecast and the policy's bookkeeping read the signal state
     * the controller last reported instead of the engine's interlock ({@link
     * org.greenwave.core.state.IntersectionState#signalFromField()}). Any thread (a port's receiving thread, in
     * arrival order); never blocks; a status for a signal the engine does not know is ignored and counted
     * ({@link #statusesIgnored()}), one whose state does not fit the signal is ignored at the next tick and counted.
     */
    public StatusListener status() {
        return status;
    }

    /** Controller statuses ignored: unknown signal, or a state without one valid character per link. Any thread. */
    public long statusesIgnored() {
        long n = statusesUnknown.get();
        for (ShardIntersection x : intersections) {
            n += x.statusesRefused();
        }
        return n;
    }

    private void report(ControllerStatus s) {
        int i = directory.intersectionIndex(s.intersectionId());
        if (i < 0) {
            statusesUnknown.incrementAndGet();
            return;
        }
        intersections[i].report(s);
    }

    /** External ids to detector and intersection indexes; detector indexes are those {@link #ingest()} takes. */
    public DetectorDirectory directory() {
        return directory;
    }

    /** Where readings go in; any thread. */
    public Ingest ingest() {
        return ingest;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    public int intersectionCount() {
        return intersections.length;
    }

    public int shardCount() {
        return shards.length;
    }

    /** The shard that runs intersection {@code intersection}. */
    public int shardOf(int intersection) {
        return intersectionShard[intersection];
    }

    public IntersectionModel model(int intersection) {
        return intersections[intersection].model;
    }

    /** A snapshot sized for intersection {@code intersection}, to pass to {@link #snapshot}. */
    public IntersectionSnapshot newSnapshot(int intersection) {
        return new IntersectionSnapshot(model(intersection));
    }

    /**
     * Copies intersection {@code intersection} as of its last control tick into {@code out}, consistently (all
     * values from the same tick). Any thread; allocates nothing; never delays the shard.
     *
     * @throws IllegalArgumentException if {@code out} was made for another intersection's model
     */
    public void snapshot(int intersection, IntersectionSnapshot out) {
        ShardIntersection x = intersections[intersection];
        if (out.model() != x.model) {
            throw new IllegalArgumentException("snapshot was made for " + out.model().id() + ", not "
                    + x.model.id() + "; use newSnapshot(" + intersection + ")");
        }
        x.read(out);
    }

    /**
     * A buffer for {@link #explain}ing intersection {@code intersection}'s decisions, or null when its policy records
     * no explanation (only the adaptive controller does). Any thread.
     */
    public DecisionExplanation newExplanation(int intersection) {
        SignalPolicy p = intersections[intersection].policy;
        return p instanceof ExplainedPolicy ? ((ExplainedPolicy) p).explanation().newBuffer() : null;
    }

    /**
     * Copies why intersection {@code intersection}'s policy decided as it did at its last tick into {@code out} (made
     * by {@link #newExplanation}), consistently. Any thread; allocates nothing; never delays the shard.
     *
     * @return false when its policy records no explanation
     */
    public boolean explain(int intersection, DecisionExplanation out) {
        SignalPolicy p = intersections[intersection].policy;
        if (!(p instanceof ExplainedPolicy)) {
            return false;
        }
        ((ExplainedPolicy) p).explanation().copyTo(out);
        return true;
    }

    /**
     * Stops and joins the shard threads (or, invoked, stops accepting {@link #doWork()}), after applying every
     * reading still queued. Idempotent. Readings offered after close are not applied.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (threads == null) {
            for (Shard s : shards) {
                s.drainRemaining();
            }
            return;
        }
        for (Runner r : runners) {
            r.running = false;
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A shard's thread: duty cycles until stopped, then applies what is left in the queue. */
    private static final class Runner implements Runnable {
        private final Shard shard;
        private final IdleStrategy idle;
        volatile boolean running = true;

        Runner(Shard shard, IdleStrategy idle) {
            this.shard = shard;
            this.idle = idle;
        }

        @Override
        public void run() {
            while (running) {
                int work;
                try {
                    work = shard.doWork();
                } catch (Throwable t) {
                    shard.onError(t);
                    work = 0;
                }
                idle.idle(work);
            }
            shard.drainRemaining();
        }
    }
}
