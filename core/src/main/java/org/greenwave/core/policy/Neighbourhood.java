package org.greenwave.core.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.state.IntersectionState;

/**
 * How the intersections of one engine feed each other, and a board on which each publishes, every tick, what its
 * neighbours need: its projected outflow per outgoing lane for the next {@link #HORIZON_S} seconds (vehicles per
 * second, second by second) and which of its incoming lanes are full. Downstream intersections use the outflows as
 * arrivals; upstream ones do not send vehicles into a full lane. No common cycle is involved.
 *
 * <p>Topology: an outgoing lane of intersection A feeds an incoming lane of intersection B when their lane ids are
 * equal ({@link #byLaneIds}). Each outgoing lane feeds at most one controlled incoming lane.
 *
 * <p>Threading: the topology is immutable. Each intersection's slot has a single writer, the thread that runs that
 * intersection's control tick, and is guarded by a seqlock (odd version while writing), so readers on other shard
 * threads never block the writer and retry only while a copy of one slot is under way. No allocation after
 * construction.
 */
public final class Neighbourhood {
    /** Seconds of projected outflow each intersection publishes. */
    public static final int HORIZON_S = IntersectionState.HORIZON_S;
    private static final VarHandle VERSION = MethodHandles.arrayElementVarHandle(long[].class);
    /** Versions sit 128 bytes apart so that two writers never share a cache line. */
    private static final int PAD = 16;

    private final int count;
    private final int[][] upstream;
    private final int[][] upstreamLane;
    private final int[][] downstream;
    private final int[][] downstreamLane;
    private final double[][] outflowVehPerS;
    private final boolean[][] full;
    private final double[] publishedAtS;
    private final long[] versions;

    private Neighbourhood(List<IntersectionModel> models) {
        this.count = models.size();
        this.upstream = new int[count][];
        this.upstreamLane = new int[count][];
        this.downstream = new int[count][];
        this.downstreamLane = new int[count][];
        this.outflowVehPerS = new double[count][];
        this.full = new boolean[count][];
        this.publishedAtS = new double[count];
        this.versions = new long[(count + 1) * PAD];
        Map<String, Integer> incomingOwner = new HashMap<>();
        Map<String, Integer> incomingIndex = new HashMap<>();
        for (int i = 0; i < count; i++) {
            IntersectionModel m = models.get(i);
            upstream[i] = new int[m.incomingLaneCount()];
            upstreamLane[i] = new int[m.incomingLaneCount()];
            Arrays.fill(upstream[i], -1);
            Arrays.fill(upstreamLane[i], -1);
            downstream[i] = new int[m.outgoingLaneCount()];
            downstreamLane[i] = new int[m.outgoingLaneCount()];
            Arrays.fill(downstream[i], -1);
            Arrays.fill(downstreamLane[i], -1);
            outflowVehPerS[i] = new double[m.outgoingLaneCount() * HORIZON_S];
            full[i] = new boolean[m.incomingLaneCount()];
            publishedAtS[i] = Double.NaN;
            for (int l = 0; l < m.incomingLaneCount(); l++) {
                incomingOwner.putIfAbsent(m.incomingLaneId(l), i);
                incomingIndex.putIfAbsent(m.incomingLaneId(l), l);
            }
        }
        for (int i = 0; i < count; i++) {
            IntersectionModel m = models.get(i);
            for (int o = 0; o < m.outgoingLaneCount(); o++) {
                Integer k = incomingOwner.get(m.outgoingLaneId(o));
                if (k != null && k != i) {
                    int l = incomingIndex.get(m.outgoingLaneId(o));
                    downstream[i][o] = k;
                    downstreamLane[i][o] = l;
                    upstream[k][l] = i;
                    upstreamLane[k][l] = o;
                }
            }
        }
    }

    /**
     * The neighbourhood of {@code models} (engine index order) by lane-id equality.
     */
    public static Neighbourhood byLaneIds(List<IntersectionModel> models) {
        return new Neighbourhood(models);
    }

    /**
     * Builds the neighbourhood by lane-id equality and lets every policy that coordinates join it. Start-up only.
     *
     * @return the neighbourhood, or null when no policy coordinates
     */
    public static Neighbourhood connect(List<IntersectionModel> models, SignalPolicy[] policies) {
        Neighbourhood n = null;
        for (int i = 0; i < policies.length; i++) {
            if (policies[i] instanceof CoordinatedPolicy) {
                if (n == null) {
                    n = byLaneIds(models);
                }
                ((CoordinatedPolicy) policies[i]).join(n, i);
            }
        }
        return n;
    }

    /** Number of intersections. */
    public int count() {
        return count;
    }

    /** The intersection whose outgoing lane feeds incoming lane {@code lane} of {@code i}, or -1. */
    public int upstream(int i, int lane) {
        return upstream[i][lane];
    }

    /** The upstream intersection's outgoing lane that feeds incoming lane {@code lane} of {@code i}, or -1. */
    public int upstreamLane(int i, int lane) {
        return upstreamLane[i][lane];
    }

    /** The intersection that outgoing lane {@code lane} of {@code i} feeds, or -1. */
    public int downstream(int i, int lane) {
        return downstream[i][lane];
    }

    /** The downstream intersection's incoming lane fed by outgoing lane {@code lane} of {@code i}, or -1. */
    public int downstreamLane(int i, int lane) {
        return downstreamLane[i][lane];
    }

    /**
     * Writer of slot {@code i} only: publishes its projected outflow ({@code [outLane * HORIZON_S + k]}: vehicles per
     * second during second k from {@code nowS}) and which incoming lanes are full.
     */
    public void publish(int i, double nowS, double[] outflowVehPerS, boolean[] fullLanes) {
        int at = (i + 1) * PAD;
        long v = (long) VERSION.getOpaque(versions, at);
        VERSION.setOpaque(versions, at, v + 1);
        VarHandle.storeStoreFence();
        System.arraycopy(outflowVehPerS, 0, this.outflowVehPerS[i], 0, this.outflowVehPerS[i].length);
        System.arraycopy(fullLanes, 0, this.full[i], 0, this.full[i].length);
        publishedAtS[i] = nowS;
        VERSION.setRelease(versions, at, v + 2);
    }

    /**
     * Any thread: copies intersection {@code i}'s projected outflow into outgoing lane {@code lane} into {@code into}
     * ({@link #HORIZON_S} values).
     *
     * @return when it was published, seconds; NaN if never
     */
    public double readOutflow(int i, int lane, double[] into) {
        int at = (i + 1) * PAD;
        while (true) {
            long before = (long) VERSION.getAcquire(versions, at);
            if ((before & 1) == 0) {
                System.arraycopy(outflowVehPerS[i], lane * HORIZON_S, into, 0, HORIZON_S);
                double t = publishedAtS[i];
                VarHandle.acquireFence();
                if ((long) VERSION.getVolatile(versions, at) == before) {
                    return t;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Any thread: whether intersection {@code i} last published incoming lane {@code lane} as full. */
    public boolean readFull(int i, int lane) {
        int at = (i + 1) * PAD;
        while (true) {
            long before = (long) VERSION.getAcquire(versions, at);
            if ((before & 1) == 0) {
                boolean f = full[i][lane];
                VarHandle.acquireFence();
                if ((long) VERSION.getVolatile(versions, at) == before) {
                    return f;
                }
            }
            Thread.onSpinWait();
        }
    }
}
