package org.greenwave.core.port;

import org.greenwave.core.engine.PlanSink;

/**
 * The engine's one edge to the field, as the engine side sees it once an adapter is started ({@link
 * FieldPortFactory}): timing plans out, and what the command line and the dashboard show of the link. Detector data
 * and controller status come in the other way, through the {@link EngineEdge} the adapter was started with.
 *
 * <p>Threading: {@link #onPlan} is called on the engine's shard threads, several at once (one per shard); it never
 * blocks, never allocates in steady state, and copies what it needs from the plan before returning. The adapter reads
 * the field on threads of its own (one receiving thread per port: per-detector order is kept) and calls {@code Ingest}
 * and the {@link StatusListener} from there. Every other method may be called from any thread. Each piece of the
 * adapter's state has one writer: its receiving thread, its sending thread, or the shard thread that owns a signal.
 */
public interface FieldPort extends PlanSink, AutoCloseable {

    /**
     * The protocol's short name, lower-case ASCII ({@code mqtt}, {@code sumo}, {@code ntcip}): shown in status lines
     * and the prefix of the port's metric names ({@code greenwave_<protocol>_...}).
     */
    String protocol();

    /** Where the link to the field stands now. */
    LinkState linkState();

    /** What the port has done since it started. */
    FieldCounters counters();

    /**
     * Waits until the link is {@link LinkState#CONNECTED}, or {@code timeoutMs} of wall time passes, or the port is
     * closed. For start-up reports and tests: the port works without anyone waiting.
     *
     * @return true if connected
     */
    boolean awaitConnected(long timeoutMs) throws InterruptedException;

    /**
     * Whether the field controllers behind this port can run a device program of their own when a plan names one
     * ({@link org.greenwave.core.engine.TimingPlan#deviceProgram()}): a controller that only takes phase commands
     * cannot, and the engine must not run a policy that hands the signal to the device there.
     */
    boolean runsDevicePrograms();

    /**
     * Plans with a {@link org.greenwave.core.engine.TimingPlan#deviceProgram() device program}: whether the field
     * controller of {@code intersection} is known to run a program of that id. Unknown ({@code true}) unless the
     * protocol can tell; a controller that then cannot run it refuses the plan and says so in its status.
     */
    default boolean runsDeviceProgram(int intersection, String programId) {
        return runsDevicePrograms();
    }

    /**
     * Stops the port: says goodbye to the field where the protocol can (an offline health), closes the link and stops
     * the port's threads. Plans still waiting are dropped. Idempotent; never throws.
     */
    @Override
    void close();
}
