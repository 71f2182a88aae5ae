package org.greenwave.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.greenwave.core.forecast.CoordinatedForecaster;
import org.greenwave.core.forecast.DirectForecaster;
import org.greenwave.core.forecast.ForecasterFactory;
import org.greenwave.core.forecast.IntersectionForecaster;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OversightListener;
import org.greenwave.core.policy.Neighbourhood;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.time.Clock;

/**
 * Configuration of an {@link Engine} (Aeron's context pattern): set what you need, then {@link Engine#launch} or
 * {@link Engine#invoked} calls {@link #conclude()}, which fills in defaults, checks everything and fails fast with a
 * message naming what is wrong. After {@code conclude()} the context is frozen; it starts one engine only, because
 * the policies it creates keep per-intersection memory.
 *
 * <p>Units: milliseconds on the engine clock's time line ({@link Clock#nowMs()}).
 *
 * <p>Threading: not thread-safe; configure on one thread, then hand to the engine.
 */
public final class EngineContext {
    /** Default control period, milliseconds. */
    public static final long DEFAULT_TICK_MS = 1000;
    /** Default inbound queue capacity per shard, events. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65536;
    /** Largest inbound queue capacity per shard, events. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 24;

    private List<EngineIntersection> intersections;
    private int shards;
    private long tickMs = DEFAULT_TICK_MS;
    private Clock clock;
    private PlanSink planSink;
    /** 0 until set or concluded: then 3 ticks. */
    private long planLifetimeMs;
    private boolean planLifetimeSet;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private Consumer<Throwable> errorHandler;
    private Supplier<IdleStrategy> idleStrategy;
    private BiFunction<String, IntersectionModel, SignalPolicy> policyFactory;
    private ForecasterFactory forecasterFactory;
    private boolean watchdog = true;
    private OversightListener oversightListener = OversightListener.NONE;

    private boolean concluded;
    private boolean claimed;
    private DetectorDirectory directory;
    private SignalPolicy[] policies;
    private IntersectionForecaster[] forecasters;

    /** The intersections to control, in the order of their engine indexes; required, at least one. */
    public EngineContext intersections(List<EngineIntersection> intersections) {
        checkNotConcluded();
        this.intersections = intersections == null ? null : Collections.unmodifiableList(new ArrayList<>(intersections));
        return this;
    }

    /**
     * Number of shards, i.e. of engine threads when launched; default the available processors. Always capped at the
     * number of intersections.
     */
    public EngineContext shards(int shards) {
        checkNotConcluded();
        this.shards = shards;
        return this;
    }

    /** Control period, milliseconds; default {@value #DEFAULT_TICK_MS}. */
    public EngineContext tickMs(long tickMs) {
        checkNotConcluded();
        this.tickMs = tickMs;
        return this;
    }

    /** The engine clock; required. Control logic reads time only from here. */
    public EngineContext clock(Clock clock) {
        checkNotConcluded();
        this.clock = clock;
        return this;
    }

    /** Receives every plan; required. Called on shard threads, concurrently from different shards. */
    public EngineContext planSink(PlanSink planSink) {
        checkNotConcluded();
        this.planSink = planSink;
        return this;
    }

    /**
     * How long after issue a plan expires, milliseconds; default 3 × {@link #tickMs(long)}. At least one tick, or a
     * controller would fall back between two plans.
     */
    public EngineContext planLifetimeMs(long planLifetimeMs) {
        checkNotConcluded();
        this.planLifetimeMs = planLifetimeMs;
        this.planLifetimeSet = true;
        return this;
    }

    /** Inbound queue capacity of each shard, events; a power of two, default {@value #DEFAULT_QUEUE_CAPACITY}. */
    public EngineContext queueCapacity(int queueCapacity) {
        checkNotConcluded();
        this.queueCapacity = queueCapacity;
        return this;
    }

    /**
     * Receives errors thrown on shard threads (by a policy or the plan sink); they are also counted in
     * {@link EngineMetrics#errors()}. Must not throw. Default: print to {@code System.err}.
     */
    public EngineContext errorHandler(Consumer<Throwable> errorHandler) {
        checkNotConcluded();
        this.errorHandler = errorHandler;
        return this;
    }

    /** Makes one idle strategy per shard thread; default {@link BackoffIdleStrategy}. Unused when invoked. */
    public EngineContext idleStrategy(Supplier<IdleStrategy> idleStrategy) {
        checkNotConcluded();
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * Makes the policy of each intersection from its policy name; default {@link Policies#create}. A hook for tests
     * and for policies outside the core.
     */
    public EngineContext policyFactory(BiFunction<String, IntersectionModel, SignalPolicy> policyFactory) {
        checkNotConcluded();
        this.policyFactory = policyFactory;
        return this;
    }

    /**
     * Makes the forecast step (queue estimates and predictions) of each intersection; default
     * {@link DirectForecaster}, which takes the lane-area detectors' halting vehicles as the queue and predicts nothing.
     */
    public EngineContext forecasterFactory(ForecasterFactory forecasterFactory) {
        checkNotConcluded();
        this.forecasterFactory = forecasterFactory;
        return this;
    }

    /**
     * Whether every signal the engine drives with a supervised policy ({@link
     * org.greenwave.core.policy.SignalPolicy#supervised}, the adaptive controller) has a {@link
     * org.greenwave.core.policy.Watchdog} that hands it back to its own program while adaptive control fails there;
     * default on.
     */
    public EngineContext watchdog(boolean on) {
        checkNotConcluded();
        this.watchdog = on;
        return this;
    }

    public boolean watchdog() {
        return watchdog;
    }

    /**
     * Told of every operator override applied, ended or completed (see {@link Engine#submit}); called on the shard
     * threads. Default: none.
     */
    public EngineContext oversightListener(OversightListener listener) {
        checkNotConcluded();
        this.oversightListener = java.util.Objects.requireNonNull(listener, "oversightListener");
        return this;
    }

    public OversightListener oversightListener() {
        return oversightListener;
    }

    public ForecasterFactory forecasterFactory() {
        return forecasterFactory;
    }

    public List<EngineIntersection> intersections() {
        return intersections;
    }

    public int shards() {
        return shards;
    }

    public long tickMs() {
        return tickMs;
    }

    public Clock clock() {
        return clock;
    }

    public PlanSink planSink() {
        return planSink;
    }

    public long planLifetimeMs() {
        return planLifetimeMs;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public Consumer<Throwable> errorHandler() {
        return errorHandler;
    }

    public Supplier<IdleStrategy> idleStrategy() {
        return idleStrategy;
    }

    public BiFunction<String, IntersectionModel, SignalPolicy> policyFactory() {
        return policyFactory;
    }

    /**
     * Fills in defaults, checks the configuration, builds the detector directory and creates the policies. Calling it
     * again does nothing.
     *
     * @return this
     * @throws IllegalArgumentException naming the setting or the intersection and detector at fault
     * @throws IllegalStateException    when a required setting (clock, plan sink, intersections) is missing
     */
    public EngineContext conclude() {
        if (concluded) {
            return this;
        }
        if (clock == null) {
            throw new IllegalStateException("engine context: clock is required");
        }
        if (planSink == null) {
            throw new IllegalStateException("engine context: planSink is required");
        }
        if (intersections == null || intersections.isEmpty()) {
            throw new IllegalStateException("engine context: no intersections to control");
        }
        if (tickMs <= 0) {
            throw new IllegalArgumentException("engine context: tickMs must be > 0, was " + tickMs);
        }
        long lifetimeMs = planLifetimeSet ? planLifetimeMs : 3 * tickMs;
        if (lifetimeMs < tickMs) {
            throw new IllegalArgumentException("engine context: planLifetimeMs must be at least tickMs ("
                    + tickMs + " ms), or controllers fall back between plans; was " + planLifetimeMs);
        }
        if (queueCapacity < 2 || queueCapacity > MAX_QUEUE_CAPACITY || Integer.bitCount(queueCapacity) != 1) {
            throw new IllegalArgumentException("engine context: queueCapacity must be a power of two in 2.."
                    + MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
        }
        if (shards < 0) {
            throw new IllegalArgumentException("engine context: shards must be >= 1 (0 = one per processor), was "
                    + shards);
        }
        BiFunction<String, IntersectionModel, SignalPolicy> factory =
                policyFactory != null ? policyFactory : Policies::create;
        List<String> ids = new ArrayList<>(intersections.size());
        List<List<DetectorSpec>> detectors = new ArrayList<>(intersections.size());
        Map<String, Integer> intersectionById = new HashMap<>();
        Map<String, String> detectorOwner = new HashMap<>();
        SignalPolicy[] created = new SignalPolicy[intersections.size()];
        IntersectionForecaster[] madeForecasters = new IntersectionForecaster[intersections.size()];
        for (int i = 0; i < intersections.size(); i++) {
            EngineIntersection x = intersections.get(i);
            if (x == null || x.model() == null) {
                throw new IllegalArgumentException("engine context: intersection " + i + " has no model");
            }
            String id = x.model().id();
            String where = "engine context: intersection " + id + " (index " + i + "): ";
            Integer earlier = intersectionById.putIfAbsent(id, i);
            if (earlier != null) {
                throw new IllegalArgumentException(where + "duplicate intersection id, also index " + earlier);
            }
            if (x.policy() == null) {
                throw new IllegalArgumentException(where + "no policy named");
            }
            if (x.detectors() == null) {
                throw new IllegalArgumentException(where + "detector list is null (use an empty list)");
            }
            for (DetectorSpec d : x.detectors()) {
                checkDetector(where, x.model(), d);
                String owner = detectorOwner.putIfAbsent(d.id(), id);
                if (owner != null) {
                    throw new IllegalArgumentException(where + "detector id '" + d.id()
                            + "' is already used by intersection " + owner);
                }
            }
            if (policyFactory == null && !Policies.names().contains(x.policy())) {
                throw new IllegalArgumentException(where + "unknown policy '" + x.policy() + "'; known: "
                        + String.join(", ", Policies.names()));
            }
            try {
                created[i] = factory.apply(x.policy(), x.model());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (created[i] == null) {
                throw new IllegalArgumentException(where + "the policy factory made no policy for '" + x.policy()
                        + "'");
            }
            if (forecasterFactory == null) {
                madeForecasters[i] = new DirectForecaster();
            } else {
                try {
                    madeForecasters[i] = forecasterFactory.create(x.model(), x.detectors());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + "forecaster: " + e.getMessage(), e);
                }
                if (madeForecasters[i] == null) {
                    throw new IllegalArgumentException(where + "the forecaster factory made no forecaster");
                }
            }
            ids.add(id);
            detectors.add(x.detectors());
        }
        int available = Runtime.getRuntime().availableProcessors();
        shards = Math.min(shards == 0 ? available : shards, intersections.size());
        planLifetimeMs = lifetimeMs;
        if (errorHandler == null) {
            errorHandler = Throwable::printStackTrace;
        }
        if (idleStrategy == null) {
            idleStrategy = BackoffIdleStrategy::new;
        }
        policyFactory = factory;
        directory = new DetectorDirectory(ids, detectors);
        List<IntersectionModel> models = new ArrayList<>(intersections.size());
        for (EngineIntersection x : intersections) {
            models.add(x.model());
        }
        Neighbourhood.connect(models, created);
        Neighbourhood forecasts = null;
        for (int i = 0; i < madeForecasters.length; i++) {
            if (madeForecasters[i] instanceof CoordinatedForecaster f) {
                if (forecasts == null) {
                    forecasts = Neighbourhood.byLaneIds(models);
                }
                f.join(forecasts, i);
            }
        }
        policies = created;
        forecasters = madeForecasters;
        concluded = true;
        return this;
    }

    private static void checkDetector(String where, IntersectionModel model, DetectorSpec d) {
        if (d == null || d.id() == null || d.kind() == null) {
            throw new IllegalArgumentException(where + "detector " + d + " lacks an id or a kind");
        }
        int lanes;
        String side;
        switch (d.kind()) {
            case AREA_OUT:
                lanes = model.outgoingLaneCount();
                side = "outgoing";
                break;
            default:
                lanes = model.incomingLaneCount();
                side = "incoming";
                break;
        }
        if (d.lane() < 0 || d.lane() >= lanes) {
            throw new IllegalArgumentException(where + "detector '" + d.id() + "' (" + d.kind() + ") watches lane "
                    + d.lane() + ", but the model has " + side + " lanes 0.." + (lanes - 1));
        }
    }

    private void checkNotConcluded() {
        if (concluded) {
            throw new IllegalStateException("engine context already concluded; settings are frozen");
        }
    }

    /** Marks the context as used by an engine; a context starts one engine only. */
    void claim() {
        conclude();
        if (claimed) {
            throw new IllegalStateException("engine context already started an engine; its policies keep state, so "
                    + "make a new context for each engine");
        }
        claimed = true;
    }

    /** The directory built by {@link #conclude()}. */
    DetectorDirectory directory() {
        return directory;
    }

    /** The forecaster of intersection {@code i}, made by {@link #conclude()}. */
    IntersectionForecaster forecaster(int i) {
        return forecasters[i];
    }

    /** The policy of intersection {@code i}, made by {@link #conclude()}. */
    SignalPolicy policy(int i) {
        return policies[i];
    }
}
