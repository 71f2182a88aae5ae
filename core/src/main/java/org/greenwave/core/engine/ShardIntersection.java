package org.greenwave.core.engine;

import org.greenwave.core.policy.Watchdog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.greenwave.core.forecast.IntersectionForecaster;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OperatorOverride;
import org.greenwave.core.oversight.OversightListener;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.safety.SafetyInterlock;
import org.greenwave.core.state.IntersectionState;

/**
 * One intersection inside its shard: the state, interlock and policy the shard thread alone touches, its reusable
 * plan, its tick deadline, and a published copy for other threads.
 *
 * <p>The published copy is guarded by a seqlock: the shard makes the version odd, copies, and makes it even again;
 * a reader copies out and retries while the version was odd or changed under it. The shard never waits for readers,
 * and a reader waits at most for one copy of a few dozen values.
 */
final class ShardIntersection {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(ShardIntersection.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    final IntersectionModel model;
    final SafetyInterlock interlock;
    final IntersectionState state;
    final SignalPolicy policy;
    final IntersectionForecaster forecaster;
    /** The policy's device program, read once at start-up; null when the engine drives the signal. */
    final String deviceProgram;
    final TimingPlan plan;
    /** Hands the signal back to its own program while adaptive control fails there; null when off. */
    final Watchdog watchdog;
    final int firstDetector;
    final int endDetector;
    final char[] scratch;
    /** The operator-override layer between the policy and the interlock. */
    final OperatorOverride override;
    /** Engine-clock time of the next control tick, milliseconds; meaningful once {@link #started}. */
    long nextTickMs;
    boolean started;
    /** Whether an operator override was in force at the last tick (the watchdog restarts after one). */
    boolean overridden;
    long ticks;

    /**
     * The controller status the field reported last: written by the port's receiving thread (a newer one replaces one
     * the shard has not read yet), read by the shard at each tick. The record is immutable.
     */
    private volatile ControllerStatus reported;
    /** The status last applied to {@link #state}; shard thread only. */
    private ControllerStatus applied;
    /** Statuses whose state did not fit the model; shard thread writes, any thread reads. */
    private volatile long statusesRefused;

    private final IntersectionSnapshot published;
    /** Seqlock version, odd while the shard writes {@link #published}; accessed through {@link #VERSION} only. */
    private long version;

    ShardIntersection(int index, IntersectionModel model, SignalPolicy policy, IntersectionForecaster forecaster,
                      int firstDetector, int endDetector, boolean watchdog, OversightListener oversight) {
        this.forecaster = forecaster;
        this.index = index;
        this.model = model;
        this.interlock = new SafetyInterlock(model);
        this.state = new IntersectionState(model, interlock);
        this.policy = policy;
        this.deviceProgram = policy.deviceProgram();
        this.watchdog = watchdog && deviceProgram == null && policy.supervised() ? new Watchdog(model) : null;
        this.plan = new TimingPlan(index, model.id(), model.linkCount());
        this.firstDetector = firstDetector;
        this.endDetector = endDetector;
        this.scratch = new char[model.linkCount()];
        this.published = new IntersectionSnapshot(model);
        this.override = new OperatorOverride(index, model, oversight);
        state.fieldInCharge(deviceProgram != null);
    }

    /** Port thread: the field controller's latest status. */
    void report(ControllerStatus status) {
        reported = status;
    }

    /**
     * Shard thread, at the start of a tick: hands a status reported since the last tick to the state. Its phase began
     * its time in phase before now (the status is at most a tick old). No allocation.
     */
    void applyStatus(long nowMs) {
        ControllerStatus s = reported;
        if (s != applied) {
            applied = s;
            if (!state.fieldStatus(s.state(), s.phase(), nowMs - Math.max(0, s.timeInPhaseMs()))) {
                statusesRefused++;
            }
        }
    }

    /** Statuses whose state did not have one valid signal character per link. Any thread. */
    long statusesRefused() {
        return statusesRefused;
    }

    /**
     * Shard thread: publishes the state after a tick.
     *
     * @param readings detector readings applied to this intersection's detectors so far
     */
    void publish(long readings) {
        long v = (long) VERSION.getOpaque(this);
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        published.capture(index, ticks, readings, plan, state, watchdog, override.status());
        VERSION.setRelease(this, v + 2);
    }

    /** Any thread: copies the last published state into {@code out}. */
    void read(IntersectionSnapshot out) {
        while (true) {
            long before = (long) VERSION.getAcquire(this);
            if ((before & 1) == 0) {
                out.copyFrom(published);
                VarHandle.acquireFence();
                if ((long) VERSION.getVolatile(this) == before) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
