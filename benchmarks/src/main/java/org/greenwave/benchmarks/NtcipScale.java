package org.greenwave.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.greenwave.adapters.ntcip.NtcipEngineGateway;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.adapters.ntcip.virtual.PhaseTiming;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.StatusListener;
import org.greenwave.core.time.Clock;

/**
 * One engine commanding many NTCIP controllers at 1 Hz over SNMPv3 (authPriv, SHA-256 + AES-128) on loopback: can the
 * phase-control gateway read and command every controller every second, with what round trip, and at what CPU cost?
 *
 * <p>{@code N} virtual controllers (default 500), each an {@link ActuatedController} on {@link EngineBench#sixteenLinks}
 * (4 green phases, a stop-line and an advance loop per incoming lane: 8 vehicle detectors) behind its own
 * {@link NtcipAgent} on its own UDP port, stepped once a second by one "cabinets" thread with random detector
 * occupancy. The engine (2 shards, wall clock, max-pressure, which changes phase often) has the gateway as its field
 * port, started by {@link NtcipEngineGateway#factory} polling every second on its own thread: each second one GET per
 * controller (phase status, detector presence, volume and occupancy of its 8 detectors) and one SET (hold, force-off,
 * omit, vehicle call) per controller it commands. After a warm-up the run is measured: requests per second, the reads'
 * round trip (HdrHistogram: send to answer), time-outs, and CPU by side: the engine side (the gateway's session and
 * poll threads, the engine's shards) and the field side (the agents' and the cabinets' threads), as a share of one core.
 *
 * <p>A plain main, as {@link CityScale}: the question is sustained 1 Hz behaviour and CPU share, not the cost of one
 * call. Run:
 * <pre>java -cp benchmarks/target/benchmarks.jar org.greenwave.benchmarks.NtcipScale [N] [measureS] [warmupS]</pre>
 */
public final class NtcipScale {
    private static final String AUTH = "bench-auth-pass";
    private static final String PRIV = "bench-priv-pass";

    private NtcipScale() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int measureS = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmupS = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SnmpV3User user = new SnmpV3User("central", AUTH, PRIV);

        List<EngineIntersection> xs = new ArrayList<>(n);
        Map<String, IntersectionModel> models = new HashMap<>();
        List<ActuatedController> controllers = new ArrayList<>(n);
        List<NtcipAgent> agents = new ArrayList<>(n);
        List<String> ids = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        int[] ports = new int[n];
        int[] phases = new int[n];
        List<List<String>> detectorIds = new ArrayList<>();
        Set<String> agentPorts = new HashSet<>();
        try {
            for (int i = 0; i < n; i++) {
                IntersectionModel m = EngineBench.sixteenLinks("j" + i);
                List<DetectorSpec> loops = new ArrayList<>();
                List<String> loopIds = new ArrayList<>();
                int lanes = m.incomingLaneCount();
                int[] detectorLanes = new int[2 * lanes];
                for (int lane = 0; lane < lanes; lane++) {
                    loops.add(new DetectorSpec(m.id() + "/sl" + lane, DetectorKind.STOP_LINE, lane));
                    detectorLanes[lane] = lane;
                }
                for (int lane = 0; lane < lanes; lane++) {
                    loops.add(new DetectorSpec(m.id() + "/adv" + lane, DetectorKind.ADVANCE, lane));
                    detectorLanes[lanes + lane] = -1;
                }
                for (DetectorSpec d : loops) {
                    loopIds.add(d.id());
                }
                xs.add(new EngineIntersection(m, Policies.MAX_PRESSURE, loops));
                models.put(m.id(), m);
                PhaseTiming[] timing = new PhaseTiming[m.greenPhaseCount()];
                for (int p = 0; p < timing.length; p++) {
                    timing[p] = new PhaseTiming(m.effectiveMinGreenS(p), 3, 60, true);
                }
                PhaseControl control = new PhaseControl();
                ActuatedController c = new ActuatedController(m, timing, detectorLanes, control, 5);
                controllers.add(c);
                NtcipMapping.Signal numbering = NtcipMapping.numbered(m.id(), "127.0.0.1", m.greenPhaseCount(),
                        loopIds);
                NtcipAgent agent = NtcipAgent.start(numbering, c, control, timing, 5, 1, "127.0.0.1", 0, user);
                agents.add(agent);
                ids.add(m.id());
                hosts.add("127.0.0.1");
                ports[i] = agent.address().getPort();
                agentPorts.add("/" + ports[i]);
                phases[i] = m.greenPhaseCount();
                detectorIds.add(loopIds);
            }
            Path mappingFile = Files.createTempFile("ntcip-scale", ".map");
            NtcipMapping.write(mappingFile, ids, hosts, ports, phases, detectorIds);
            NtcipMapping mapping = NtcipMapping.read(mappingFile);
            Files.delete(mappingFile);

            long originNs = System.nanoTime();
            Clock wall = () -> (System.nanoTime() - originNs) / 1_000_000;
            for (int i = 0; i < n; i++) {
                controllers.get(i).reset(0, 0);
            }
            Cabinets cabinets = new Cabinets(controllers, agents, originNs);
            Thread cabinetThread = new Thread(cabinets, "cabinets");
            cabinetThread.setDaemon(true);
            cabinetThread.start();

            // The engine starts before its port (which needs the engine's directory): plans before that are dropped.
            java.util.concurrent.atomic.AtomicReference<FieldPort> port = new java.util.concurrent.atomic.AtomicReference<>();
            EngineContext ctx = new EngineContext().intersections(xs).shards(2).clock(wall).planSink(p -> {
                FieldPort target = port.get();
                if (target != null) {
                    target.onPlan(p);
                }
            });
            try (Engine engine = Engine.launch(ctx)) {
                port.set(NtcipEngineGateway.factory(mapping, models, SnmpSession.v3(user, 1000, 1), 3, true)
                        .start(new EngineEdge(engine.directory(), engine.ingest(), wall, StatusListener.NONE, null)));
                NtcipEngineGateway gateway = (NtcipEngineGateway) port.get();
                try {
                    Thread.sleep(warmupS * 1000L);
                    System.out.printf(Locale.ROOT, "warm-up %d s: link %s%n", warmupS, gateway.linkState());
                    Figures start = Figures.take(gateway, ids, agentPorts);
                    gateway.roundTripsMicros();
                    Thread.sleep(measureS * 1000L);
                    Figures end = Figures.take(gateway, ids, agentPorts);
                    Histogram rtt = gateway.roundTripsMicros();
                    report(n, measureS, start, end, rtt, gateway, ids);
                } finally {
                    gateway.close();
                    cabinets.running = false;
                }
            }
        } finally {
            for (NtcipAgent a : agents) {
                a.close();
            }
        }
    }

    private static void report(int n, int measureS, Figures a, Figures b, Histogram rtt, NtcipEngineGateway gateway,
                               List<String> ids) {
        long polls = b.polls - a.polls;
        long answers = b.answers - a.answers;
        long commands = b.commands - a.commands;
        long timeouts = b.timeouts - a.timeouts;
        long errors = b.errors - a.errors;
        int connected = 0;
        for (String id : ids) {
            connected += gateway.controllerLink(id) == NtcipEngineGateway.ControllerLink.CONNECTED ? 1 : 0;
        }
        double wallNs = b.wallNs - a.wallNs;
        System.out.printf(Locale.ROOT, "%d controllers, %d s measured: link %s, %d of %d connected%n", n, measureS,
                gateway.linkState(), connected, n);
        System.out.printf(Locale.ROOT, "reads %d (%.1f/s; %.3f per controller-second), answered %d, time-outs %d, "
                        + "errors %d; sets %d (%.1f/s); requests %.1f/s%n", polls, polls / (wallNs / 1e9),
                polls / (double) n / (wallNs / 1e9), answers, timeouts, errors, commands, commands / (wallNs / 1e9),
                (polls + commands) / (wallNs / 1e9));
        System.out.printf(Locale.ROOT, "polls skipped by a late poller: %d%n", b.pollsSkipped - a.pollsSkipped);
        System.out.printf(Locale.ROOT, "read round trip ms: p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (%d)%n",
                rtt.getValueAtPercentile(50) / 1e3, rtt.getValueAtPercentile(90) / 1e3,
                rtt.getValueAtPercentile(99) / 1e3, rtt.getValueAtPercentile(99.9) / 1e3, rtt.getMaxValue() / 1e3,
                rtt.getTotalCount());
        System.out.printf(Locale.ROOT, "CPU, share of one core: engine side %.1f %% (gateway session %.1f %%, poll "
                        + "%.1f %%, shards %.1f %%), field side %.1f %% (agents and cabinets), other %.1f %%; process "
                        + "%.1f %% of %d cores%n",
                100 * (b.engineNs - a.engineNs) / wallNs, 100 * (b.sessionNs - a.sessionNs) / wallNs,
                100 * (b.pollNs - a.pollNs) / wallNs, 100 * (b.shardNs - a.shardNs) / wallNs,
                100 * (b.fieldNs - a.fieldNs) / wallNs, 100 * (b.otherNs - a.otherNs) / wallNs,
                100 * (b.processNs - a.processNs) / wallNs / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "host load average %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Steps every controller once a second with random detector input and hands the agents the second's data. */
    private static final class Cabinets implements Runnable {
        final List<ActuatedController> controllers;
        final List<NtcipAgent> agents;
        final long originNs;
        volatile boolean running = true;

        Cabinets(List<ActuatedController> controllers, List<NtcipAgent> agents, long originNs) {
            this.controllers = controllers;
            this.agents = agents;
            this.originNs = originNs;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(1);
            boolean[] occupied = new boolean[8];
            int[] vehicles = new int[8];
            int[] occupiedMs = new int[8];
            for (long s = 1; running; s++) {
                long dueNs = originNs + s * 1_000_000_000L;
                long waitNs = dueNs - System.nanoTime();
                if (waitNs > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(waitNs);
                }
                for (int i = 0; i < controllers.size(); i++) {
                    for (int d = 0; d < occupied.length; d++) {
                        vehicles[d] = random.nextInt(100) < 30 ? 1 : 0;
                        occupiedMs[d] = vehicles[d] * 300;
                        occupied[d] = vehicles[d] > 0 && random.nextBoolean();
                    }
                    controllers.get(i).step(s * 1000, occupied);
                    agents.get(i).detectors(occupied, vehicles, occupiedMs);
                }
            }
        }
    }

    /** Counters and CPU times at one moment. */
    private record Figures(long wallNs, long polls, long answers, long timeouts, long commands, long errors,
                           long pollsSkipped,
                           long engineNs, long sessionNs, long pollNs, long shardNs, long fieldNs, long otherNs,
                           long processNs) {
        static Figures take(NtcipEngineGateway g, List<String> ids, Set<String> agentPorts) {
            long polls = 0;
            long answers = 0;
            long timeouts = 0;
            long commands = 0;
            long errors = 0;
            for (String id : ids) {
                NtcipEngineGateway.Counters c = g.counters(id);
                polls += c.polls();
                answers += c.answers();
                timeouts += c.timeouts();
                commands += c.commands();
                errors += c.errors() + c.wrongTypes() + c.refusals();
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long session = 0;
            long poll = 0;
            long shards = 0;
            long field = 0;
            long other = 0;
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t == null) {
                    continue;
                }
                long cpu = Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
                String name = t.getThreadName();
                if (name.equals("cabinets") || agentPort(name, agentPorts)) {
                    field += cpu;
                } else if (name.startsWith("DefaultUDPTransportMapping")) {
                    session += cpu;
                } else if (name.equals("ntcip-poll")) {
                    poll += cpu;
                } else if (name.startsWith("greenwave-shard")) {
                    shards += cpu;
                } else {
                    other += cpu;
                }
            }
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new Figures(System.nanoTime(), polls, answers, timeouts, commands, errors, g.pollsSkipped(),
                    session + poll + shards,
                    session, poll, shards, field, other, process);
        }

        private static boolean agentPort(String threadName, Set<String> agentPorts) {
            int slash = threadName.lastIndexOf('/');
            return threadName.startsWith("DefaultUDPTransportMapping") && slash >= 0
                    && agentPorts.contains(threadName.substring(slash));
        }
    }
}
