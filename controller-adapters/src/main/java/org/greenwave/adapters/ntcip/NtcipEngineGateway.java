package org.greenwave.adapters.ntcip;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.ingest.DetectorDirectory;
import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.port.ControllerStatus;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldCounters;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.FieldPortFactory;
import org.greenwave.core.port.LinkState;
import org.greenwave.core.port.ReasonCounts;
import org.greenwave.core.port.StatusListener;
import org.snmp4j.AbstractTarget;
import org.snmp4j.PDU;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The engine's edge to NTCIP 1202 controllers, mode {@code phase-control}: once a second ({@link #poll}) it reads every
 * controller's phase status groups and its detectors' volume and occupancy, hands the readings to the engine's
 * {@link Ingest} and the controller's state to a {@link StatusListener}; and, for every controller whose state it has
 * just read, turns the engine's latest plan into phase control: the phase the plan shows is held, a phase the plan
 * leaves is forced off with a vehicle call on the plan's next phase and the other phases omitted. The controller
 * keeps its own minimum green and clearance intervals (an early force-off waits for the minimum green): it stays the
 * last safety layer, the engine's interlock the first.
 *
 * <p>Faults: a controller that does not answer within the session's time-out and retries for {@code lossAfterPolls}
 * polls in a row is reported lost and is no longer commanded (it falls back to its own timing after its
 * {@code unitBackupTime}); when it answers again its state is read before it is commanded. A controller that refuses
 * the credentials (an SNMPv3 report) or answers with the wrong types or an error status is flagged, counted and not
 * commanded. Plans that name a device program, or that have expired, release the controller (all phase control
 * cleared once).
 *
 * <p>A controller whose mapping says {@code mode pattern} is commanded cycle by cycle instead ({@link PatternPlanner}):
 * the engine's greens, as its plans show them, become a pattern's cycle, splits and offset, written into the pattern
 * and split tables of the pattern the controller is not running and selected with {@code systemPatternControl} in one
 * SET, at most once a cycle and only when the cycle, a split or the offset moved by more than
 * {@value PatternPlanner#CHANGE_S} s; every other poll re-sets {@code systemPatternControl} to the pattern selected, so
 * that the controller's backup timer does not run out. The controller's minimum and maximum greens and change intervals
 * are read with its state, {@code coordPatternStatus} and {@code localFreeStatus} too.
 *
 * <p>It is the engine's field port for NTCIP ({@link #factory}): controller status goes to the engine's
 * {@link StatusListener} as {@link ControllerStatus}, with the state rebuilt from the phase status groups (during a
 * change interval, the yellow phase's greens as yellow, every other link red).
 *
 * <p>Threading: {@link #onPlan} on the engine's shard threads (no allocation, no blocking: it stores the plan's
 * phase); {@link #poll} on one thread (the port's own, once a second, when the factory was asked to poll); responses
 * on SNMP4J's threads. Every piece of state has one writer.
 */
public final class NtcipEngineGateway implements FieldPort {
    private static final System.Logger LOG = System.getLogger(NtcipEngineGateway.class.getName());

    /** What the gateway knows of one controller's link. */
    public enum ControllerLink {
        /** Not answered yet. */
        CONNECTING,
        /** Answering; commanded while the engine has a plan for it. */
        CONNECTED,
        /** Stopped answering; not commanded until its state has been read again. */
        LOST,
        /** Refused the credentials (an SNMPv3 report); not commanded. */
        REFUSED,
        /** Answered with an error status or values of the wrong type; not commanded. */
        FAULTY
    }

    /** The poller's period, when the gateway polls on its own. */
    private static final long POLL_PERIOD_NS = 1_000_000_000L;
    private final SnmpSession session;
    /** Polls the gateway's own poller skipped because it fell behind. */
    private final AtomicLong pollsSkipped = new AtomicLong();
    private final Ingest ingest;
    private final StatusListener status;
    private final int lossAfterPolls;
    private final Controller[] controllers;
    private final Map<String, Controller> byId = new HashMap<>();
    /** Reads and sets sent and not yet answered or timed out. */
    private final AtomicLong pendingRequests = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong entriesApplied = new AtomicLong();
    private final AtomicLong ingestRefused = new AtomicLong();
    private final AtomicLong plansSent = new AtomicLong();
    private final AtomicLong plansDropped = new AtomicLong();
    private final AtomicLong connectionLosses = new AtomicLong();
    private final AtomicLong rejectTimeout = new AtomicLong();
    private final AtomicLong rejectRefused = new AtomicLong();
    private final AtomicLong rejectWrongType = new AtomicLong();
    private final AtomicLong rejectErrorStatus = new AtomicLong();
    /** Round trips of answered reads, µs, recorded on SNMP4J's threads (wait-free). */
    private final org.HdrHistogram.Recorder roundTrips = new org.HdrHistogram.Recorder(3);
    private org.HdrHistogram.Histogram roundTripsReused;
    private volatile boolean polled;
    private volatile boolean closed;
    private java.util.concurrent.ScheduledExecutorService poller;
    private final FieldCounters fieldCounters = new FieldCounters() {
        private final ReasonCounts rejects = sink -> {
            sink.count("timeout", rejectTimeout.get());
            sink.count("credentials-refused", rejectRefused.get());
            sink.count("wrong-type", rejectWrongType.get());
            sink.count("error-status", rejectErrorStatus.get());
        };

        @Override
        public long messagesIn() {
            return messagesIn.get();
        }

        @Override
        public long entriesApplied() {
            return entriesApplied.get();
        }

        @Override
        public long ingestRefused() {
            return ingestRefused.get();
        }

        @Override
        public ReasonCounts rejects() {
            return rejects;
        }

        @Override
        public long plansSent() {
            return plansSent.get();
        }

        @Override
        public long plansDropped() {
            return plansDropped.get();
        }

        @Override
        public long connectionLosses() {
            return connectionLosses.get();
        }
    };

    /**
     * @param models         the engine's intersections by signal id; the mapping must have been checked against them
     * @param intersections  the engine's dense intersection index of each signal id (that of {@link TimingPlan#intersection()})
     * @param directory      maps the mapping's detector ids to the engine's detector indexes, once, here
     * @param lossAfterPolls polls without an answer after which a controller is reported lost (at least 1)
     */
    public NtcipEngineGateway(NtcipMapping mapping, Map<String, IntersectionModel> models,
                              Map<String, Integer> intersections, DetectorDirectory directory, Ingest ingest,
                              SnmpSession session, StatusListener status, int lossAfterPolls) throws IOException {
        if (lossAfterPolls < 1) {
            throw new IllegalArgumentException("lossAfterPolls must be at least 1");
        }
        this.session = session;
        this.ingest = ingest;
        this.status = status;
        this.lossAfterPolls = lossAfterPolls;
        List<Controller> list = new ArrayList<>();
        int maxIntersection = 0;
        for (NtcipMapping.Signal s : mapping.signals()) {
            Controller c = new Controller(s, models.get(s.id()), session.target(s.host(), s.port()), directory);
            list.add(c);
            byId.put(s.id(), c);
            maxIntersection = Math.max(maxIntersection, intersections.get(s.id()));
        }
        this.controllers = new Controller[maxIntersection + 1];
        for (Controller c : list) {
            controllers[intersections.get(c.signal.id())] = c;
        }
    }

    /** Counters of one controller's link; any thread. */
    public static final class Counters {
        final AtomicLong polls = new AtomicLong();
        final AtomicLong answers = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong refusals = new AtomicLong();
        final AtomicLong wrongTypes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong losses = new AtomicLong();
        final AtomicLong roundTripNs = new AtomicLong();
        final AtomicLong patternsWritten = new AtomicLong();
        final AtomicLong patternsRefused = new AtomicLong();

        /** Mode pattern: patterns written and selected. */
        public long patternsWritten() {
            return patternsWritten.get();
        }

        /** Mode pattern: pattern sets the controller refused (an error status, e.g. a split below its minimum). */
        public long patternsRefused() {
            return patternsRefused.get();
        }

        public long polls() {
            return polls.get();
        }

        public long answers() {
            return answers.get();
        }

        /** Polls that went unanswered after the time-out and retries. */
        public long timeouts() {
            return timeouts.get();
        }

        /** SNMPv3 reports (wrong user, key or engine): the controller refused the credentials. */
        public long refusals() {
            return refusals.get();
        }

        /** Answers holding a value that is not an INTEGER. */
        public long wrongTypes() {
            return wrongTypes.get();
        }

        /** Answers with an SNMP error status (to reads or sets). */
        public long errors() {
            return errors.get();
        }

        /** Phase control sets sent. */
        public long commands() {
            return commands.get();
        }

        /** Times the link was reported lost. */
        public long losses() {
            return losses.get();
        }

        /** Sum of the answered polls' round trips, ns. */
        public long roundTripNs() {
            return roundTripNs.get();
        }
    }

    /** The link of signal {@code id}'s controller. */
    public ControllerLink controllerLink(String id) {
        return byId.get(id).state;
    }

    public Counters counters(String id) {
        return byId.get(id).counters;
    }

    /**
     * Why signal {@code id}'s controller is lost, refused or faulty, naming the signal and its address (the message
     * logged when it became so); null while it answers or has not failed yet. Any thread.
     */
    public String linkProblem(String id) {
        Controller c = byId.get(id);
        return c.state == ControllerLink.CONNECTED ? null : c.problem;
    }

    /**
     * Mode pattern: signal {@code id}'s controller's pattern as last read ({@code coordPatternStatus}: 1..253, 254
     * free) and the pattern Greenwave selected (0: none); -1 in mode phase-control. Any thread.
     */
    public int[] patterns(String id) {
        Controller c = byId.get(id);
        return c.planner == null ? new int[] {-1, -1} : new int[] {c.planner.patternStatus(), c.planner.selected()};
    }

    /** Mode pattern: the pattern Greenwave selected on signal {@code id}'s controller, described; null when none. */
    public String selectedPattern(String id) {
        Controller c = byId.get(id);
        return c.planner == null || c.planner.selected() == 0 ? null : c.planner.describeSelected();
    }

    /**
     * Mode pattern: why no pattern could be written to signal {@code id}'s controller (its own minimum greens and change
     * intervals do not fit the mapping's max-cycle), or null. Any thread.
     */
    public String patternProblem(String id) {
        Controller c = byId.get(id);
        return c.planner == null ? null : c.planner.problem();
    }

    /** Mode pattern: the controller's {@code localFreeStatus} as last read (2: notFree); -1 in mode phase-control. */
    public int localFreeStatus(String id) {
        Controller c = byId.get(id);
        return c.planner == null ? -1 : c.planner.localFreeStatus();
    }

    /** Shard threads: keeps the phase the plan shows (or moves to), its expiry and whether it names a device program. */
    @Override
    public void onPlan(TimingPlan plan) {
        int i = plan.intersection();
        Controller c = i < controllers.length ? controllers[i] : null;
        if (c == null) {
            return;
        }
        int wanted = -1;
        if (plan.deviceProgram() == null) {
            for (int e = 0; e < plan.entryCount() && wanted < 0; e++) {
                wanted = greenPhaseOf(c.model, plan, e);
            }
        }
        c.planExpiresMs = plan.expiresAtMs();
        c.planSequence = plan.sequence();
        c.wantedPhase = wanted;
        if (c.planner != null) {
            c.planner.onPlan(plan.deviceProgram() == null && plan.entryCount() > 0
                    ? greenPhaseOf(c.model, plan, 0) : -1, plan.issuedAtMs());
        }
    }

    /** The green phase entry {@code e} of {@code plan} shows, or -1 when it is a change interval. */
    private static int greenPhaseOf(IntersectionModel m, TimingPlan plan, int e) {
        for (int p = 0; p < m.greenPhaseCount(); p++) {
            boolean same = true;
            for (int l = 0; l < m.linkCount() && same; l++) {
                same = m.greenState(p, l) == plan.entryState(e, l);
            }
            if (same) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Once a second, on one thread: commands every controller whose state the last poll read (and that the engine
     * has a fresh plan for), then sends every controller this second's read. The same as {@link #command} then
     * {@link #read}.
     */
    public void poll(long nowMs) {
        command(nowMs);
        read(nowMs);
    }

    /**
     * Sends every controller a read of its phase status and detectors; the answers reach the engine's ingest and status
     * listener on SNMP4J's threads ({@link #pendingRequests} counts those not yet in). On the polling thread.
     */
    public void read(long nowMs) {
        polled = true;
        for (Controller c : controllers) {
            if (c != null) {
                c.read(nowMs);
            }
        }
    }

    /**
     * Commands every controller whose state the last read returned from the engine's latest plan (or releases it),
     * as {@link #poll} does first. A caller in lock-step with simulated time reads, lets the engine tick on the answers,
     * then commands, so that a decision reaches the controller in the second it was taken. On the polling thread.
     */
    public void command(long nowMs) {
        polled = true;
        for (Controller c : controllers) {
            if (c != null) {
                c.command(nowMs);
            }
        }
    }

    /**
     * The NTCIP field port: started against an engine, it maps the mapping's detector ids and signals to the engine's
     * indexes and, with {@code pollEverySecond}, polls every controller once a second of wall time on a thread of its
     * own (else the caller calls {@link #poll}, as the simulation's loop does on simulated time).
     *
     * @param models the engine's intersections by signal id; {@code mapping} must have been checked against them
     */
    public static FieldPortFactory factory(NtcipMapping mapping, Map<String, IntersectionModel> models,
                                           SnmpSession session, int lossAfterPolls, boolean pollEverySecond) {
        return edge -> {
            Map<String, Integer> indexes = new HashMap<>();
            for (NtcipMapping.Signal s : mapping.signals()) {
                int i = edge.directory().intersectionIndex(s.id());
                if (i < 0) {
                    throw new IllegalArgumentException(mapping.file() + ":" + s.line() + ": signal '" + s.id()
                            + "' is not one of the engine's");
                }
                indexes.put(s.id(), i);
            }
            NtcipEngineGateway g = new NtcipEngineGateway(mapping, models, indexes, edge.directory(), edge.ingest(),
                    session, edge.status(), lossAfterPolls);
            if (pollEverySecond) {
                g.poller = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ntcip-poll");
                    t.setDaemon(true);
                    return t;
                });
                long[] lastPollNs = {System.nanoTime() - POLL_PERIOD_NS};
                g.poller.scheduleAtFixedRate(() -> {
                    // A poller that fell behind (a stalled host) skips the polls it missed rather than sending them
                    // in a burst to controllers that are already answering late.
                    long nowNs = System.nanoTime();
                    if (nowNs - lastPollNs[0] < POLL_PERIOD_NS / 2) {
                        g.pollsSkipped.incrementAndGet();
                        return;
                    }
                    lastPollNs[0] = nowNs;
                    g.poll(edge.clock().nowMs());
                }, 0, POLL_PERIOD_NS, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            return g;
        };
    }

    @Override
    public String protocol() {
        return "ntcip";
    }

    /**
     * {@link LinkState#CONNECTED} when every controller answers, {@link LinkState#DISCONNECTED} when one is lost,
     * refused the credentials or answers wrongly, else {@link LinkState#CONNECTING}; see {@link #controllerLink}.
     */
    @Override
    public LinkState linkState() {
        if (closed) {
            return LinkState.CLOSED;
        }
        if (!polled) {
            return LinkState.NEW;
        }
        boolean all = true;
        for (Controller c : byId.values()) {
            if (c.state == ControllerLink.LOST || c.state == ControllerLink.REFUSED || c.state == ControllerLink.FAULTY) {
                return LinkState.DISCONNECTED;
            }
            all &= c.state == ControllerLink.CONNECTED;
        }
        return all ? LinkState.CONNECTED : LinkState.CONNECTING;
    }

    @Override
    public FieldCounters counters() {
        return fieldCounters;
    }

    @Override
    public boolean awaitConnected(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (linkState() != LinkState.CONNECTED) {
            if (closed || System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** True: a plan naming a device program releases the controller, which then runs its own timing. */
    @Override
    public boolean runsDevicePrograms() {
        return true;
    }

    /**
     * The answered reads' round trips (send to answer, microseconds) since the last call, as one histogram; the first
     * call covers the time since the gateway started. One reader thread at a time.
     */
    public org.HdrHistogram.Histogram roundTripsMicros() {
        roundTripsReused = roundTrips.getIntervalHistogram(roundTripsReused);
        return roundTripsReused;
    }

    /** Polls the gateway's own poller skipped because it fell more than half a second behind; any thread. */
    public long pollsSkipped() {
        return pollsSkipped.get();
    }

    /** Reads and sets sent whose answer (or time-out) has not arrived yet; any thread. */
    public long pendingRequests() {
        return pendingRequests.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        try {
            session.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the NTCIP session: " + e);
        }
    }

    /** One controller: its mapping, link state and the engine's wish for it. */
    private final class Controller implements ResponseListener {
        final NtcipMapping.Signal signal;
        final IntersectionModel model;
        final AbstractTarget<UdpAddress> target;
        final Counters counters = new Counters();
        final int groups;
        final int[] detectorNumber;
        final int[] detectorIndex;
        final OID[] readOids;
        final int volumeAt;
        /** Where the vehicle detector status groups (presence now, 8 detectors a group) start in a read. */
        final int activeAt;
        final int sequenceAt;
        final int periodAt;
        /** Mode pattern: where the coordination status and the phase table start in a read. */
        final int coordAt;
        /** Mode pattern: the cycle plans; null in mode phase-control. */
        final PatternPlanner planner;
        volatile ControllerLink state = ControllerLink.CONNECTING;
        volatile int wantedPhase = -1;
        volatile long planSequence = -1;
        private int reportedPhase = -2;
        private long phaseSinceMs;
        private final char[] stateChars;
        volatile long planExpiresMs;
        /** The engine green phase the controller showed at the last read, -1 in a change interval. */
        volatile int shownPhase = -1;
        /** Whether the last read succeeded after the link was (re)established: commands may follow. */
        volatile boolean stateRead;
        volatile boolean commanding;
        private int failures;
        /** Why the link is not {@code CONNECTED}, as logged. */
        volatile String problem;
        private int lastSequence = -1;
        private volatile long sentNs;

        Controller(NtcipMapping.Signal signal, IntersectionModel model, AbstractTarget<UdpAddress> target,
                   DetectorDirectory directory) {
            this.signal = signal;
            this.model = model;
            this.target = target;
            this.groups = PhaseGroups.groupCount(signal.maxPhase());
            this.stateChars = new char[model.linkCount()];
            int n = signal.ntcipDetector().size();
            detectorNumber = new int[n];
            detectorIndex = new int[n];
            int k = 0;
            for (Map.Entry<String, Integer> e : signal.ntcipDetector().entrySet()) {
                detectorNumber[k] = e.getValue();
                detectorIndex[k] = directory.detectorIndex(e.getKey());
                k++;
            }
            List<OID> oids = new ArrayList<>();
            for (int g = 1; g <= groups; g++) {
                oids.add(NtcipObjects.column(NtcipObjects.PHASE_STATUS_GROUP_GREENS, g));
                oids.add(NtcipObjects.column(NtcipObjects.PHASE_STATUS_GROUP_YELLOWS, g));
            }
            sequenceAt = oids.size();
            oids.add(NtcipObjects.VOLUME_OCCUPANCY_SEQUENCE);
            periodAt = oids.size();
            oids.add(NtcipObjects.VOLUME_OCCUPANCY_PERIOD);
            activeAt = oids.size();
            int maxDetector = signal.maxDetector();
            int detectorGroups = maxDetector == 0 ? 0 : PhaseGroups.groupCount(maxDetector);
            for (int g = 1; g <= detectorGroups; g++) {
                oids.add(NtcipObjects.column(NtcipObjects.VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE, g));
            }
            volumeAt = oids.size();
            for (int d : detectorNumber) {
                oids.add(NtcipObjects.column(NtcipObjects.DETECTOR_VOLUME, d));
                oids.add(NtcipObjects.column(NtcipObjects.DETECTOR_OCCUPANCY, d));
            }
            coordAt = oids.size();
            if (signal.mode() == NtcipMapping.Mode.PATTERN) {
                planner = new PatternPlanner(signal, model);
                oids.add(NtcipObjects.COORD_PATTERN_STATUS);
                oids.add(NtcipObjects.LOCAL_FREE_STATUS);
                for (int phase : signal.ntcipPhase()) {
                    oids.add(NtcipObjects.column(NtcipObjects.PHASE_MINIMUM_GREEN, phase));
                    oids.add(NtcipObjects.column(NtcipObjects.PHASE_MAXIMUM1, phase));
                    oids.add(NtcipObjects.column(NtcipObjects.PHASE_PEDESTRIAN_CLEAR, phase));
                    oids.add(NtcipObjects.column(NtcipObjects.PHASE_YELLOW_CHANGE, phase));
                    oids.add(NtcipObjects.column(NtcipObjects.PHASE_RED_CLEAR, phase));
                }
            } else {
                planner = null;
            }
            readOids = oids.toArray(new OID[0]);
        }

        void read(long nowMs) {
            PDU pdu = session.pdu(PDU.GET);
            for (OID oid : readOids) {
                pdu.add(new VariableBinding(oid));
            }
            counters.polls.incrementAndGet();
            sentNs = System.nanoTime();
            pendingRequests.incrementAndGet();
            try {
                session.send(pdu, target, nowMs, this);
            } catch (IOException e) {
                pendingRequests.decrementAndGet();
                failed(nowMs, "could not send: " + e.getMessage());
            }
        }

        /** Turns the engine's wish into phase control or a pattern, or releases the controller. */
        void command(long nowMs) {
            boolean fresh = wantedPhase >= 0 && nowMs - planExpiresMs < 0;
            if (state != ControllerLink.CONNECTED || !stateRead) {
                commanding = false;
                if (fresh) {
                    plansDropped.incrementAndGet();
                }
                return;
            }
            if (planner != null) {
                commandPattern(nowMs, fresh);
                return;
            }
            long hold = 0;
            long forceOff = 0;
            long omit = 0;
            long call = 0;
            if (fresh) {
                int want = wantedPhase;
                int shown = shownPhase;
                long all = model.greenPhaseCount() == 64 ? -1L : (1L << model.greenPhaseCount()) - 1;
                if (shown == want) {
                    hold = 1L << want;
                } else {
                    call = 1L << want;
                    omit = all & ~call & (shown >= 0 ? ~(1L << shown) : -1L);
                    forceOff = shown >= 0 ? 1L << shown : 0;
                }
            } else if (!commanding) {
                return;
            }
            commanding = fresh;
            PDU pdu = session.pdu(PDU.SET);
            for (int g = 1; g <= groups; g++) {
                pdu.add(set(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, g, hold));
                pdu.add(set(NtcipObjects.PHASE_CONTROL_GROUP_FORCE_OFF, g, forceOff));
                pdu.add(set(NtcipObjects.PHASE_CONTROL_GROUP_PHASE_OMIT, g, omit));
                pdu.add(set(NtcipObjects.PHASE_CONTROL_GROUP_VEH_CALL, g, call));
            }
            sendCommand(pdu);
        }

        /**
         * Mode pattern: a new pattern when the planner has one, else the selection again (the controller's backup timer);
         * a plan naming a device program, or an expired one, releases the controller ({@code systemPatternControl} 0).
         */
        private void commandPattern(long nowMs, boolean fresh) {
            PDU pdu = session.pdu(PDU.SET);
            if (!fresh) {
                if (!commanding) {
                    return;
                }
                planner.released();
                pdu.add(new VariableBinding(NtcipObjects.SYSTEM_PATTERN_CONTROL,
                        new Integer32(NtcipObjects.PATTERN_STANDBY)));
            } else if (planner.plan(nowMs, pdu)) {
                counters.patternsWritten.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, () -> "NTCIP controller of signal " + signal.id() + ": "
                        + planner.describeSelected());
            } else if (planner.selected() > 0) {
                pdu.add(new VariableBinding(NtcipObjects.SYSTEM_PATTERN_CONTROL, new Integer32(planner.selected())));
            } else {
                // No pattern yet (the engine has not served every phase): the controller runs free.
                if (planner.problem() != null && !planner.problem().equals(problem)) {
                    problem = "NTCIP controller of signal " + signal.id() + " at " + signal.host() + ":"
                            + signal.port() + ": " + planner.problem();
                    LOG.log(System.Logger.Level.WARNING, problem);
                }
                return;
            }
            commanding = fresh;
            sendCommand(pdu);
        }

        /** Sends a command (a SET), counted; its answer goes to {@link #setListener}. */
        private void sendCommand(PDU pdu) {
            counters.commands.incrementAndGet();
            plansSent.incrementAndGet();
            pendingRequests.incrementAndGet();
            try {
                session.send(pdu, target, null, setListener);
            } catch (IOException e) {
                pendingRequests.decrementAndGet();
                counters.errors.incrementAndGet();
            }
        }

        private VariableBinding set(OID column, int group, long enginePhases) {
            return new VariableBinding(NtcipObjects.column(column, group),
                    new Integer32(PhaseGroups.groupValue(toNtcip(enginePhases), group)));
        }

        private long toNtcip(long enginePhases) {
            long out = 0;
            int[] ntcip = signal.ntcipPhase();
            for (int p = 0; p < ntcip.length; p++) {
                if ((enginePhases & (1L << p)) != 0) {
                    out |= PhaseGroups.of(ntcip[p]);
                }
            }
            return out;
        }

        private final ResponseListener setListener = new ResponseListener() {
            @Override
            public <A extends Address> void onResponse(ResponseEvent<A> event) {
                session.cancel(event.getRequest(), this);
                try {
                    PDU r = event.getResponse();
                    if (r == null || r.getType() == PDU.REPORT || r.getErrorStatus() != PDU.noError) {
                        counters.errors.incrementAndGet();
                        if (planner != null && r != null && r.getErrorStatus() != PDU.noError) {
                            // The set is refused whole: the controller keeps what it ran.
                            int at = r.getErrorIndex();
                            String object = at >= 1 && at <= event.getRequest().size()
                                    ? event.getRequest().get(at - 1).getOid().toString() : "?";
                            planner.refused();
                            counters.patternsRefused.incrementAndGet();
                            LOG.log(System.Logger.Level.WARNING, "NTCIP controller of signal " + signal.id() + " at "
                                    + signal.host() + ":" + signal.port() + " refused a pattern set with '"
                                    + r.getErrorStatusText() + "' at " + object);
                        }
                    }
                } finally {
                    pendingRequests.decrementAndGet();
                }
            }
        };

        @Override
        public <A extends Address> void onResponse(ResponseEvent<A> event) {
            session.cancel(event.getRequest(), this);
            try {
                answered(event);
            } finally {
                pendingRequests.decrementAndGet();
            }
        }

        private <A extends Address> void answered(ResponseEvent<A> event) {
            long nowMs = (Long) event.getUserObject();
            PDU r = event.getResponse();
            if (r == null) {
                counters.timeouts.incrementAndGet();
                rejectTimeout.incrementAndGet();
                if (failures + 1 >= lossAfterPolls) {
                    // Silent for long: perhaps it restarted as a new SNMP engine that ignores the old one's messages,
                    // so the next poll discovers it again. Not on a single late answer: forgetting an engine that is
                    // only slow costs every request in flight to it and a discovery, which a loaded link cannot spare.
                    session.forgetEngine(target.getAddress());
                }
                failed(nowMs, "no answer within the time-out and retries");
                return;
            }
            if (r.getType() == PDU.REPORT && r.size() > 0 && transientReport(r.get(0).getOid())) {
                // The controller restarted or was replaced: discover it again on the next poll.
                session.forgetEngine(target.getAddress());
                counters.timeouts.incrementAndGet();
                failed(nowMs, "its SNMP engine changed (" + r.get(0).getOid() + ")");
                return;
            }
            if (r.getType() == PDU.REPORT) {
                counters.refusals.incrementAndGet();
                rejectRefused.incrementAndGet();
                flag(ControllerLink.REFUSED, "refused Greenwave's SNMPv3 credentials ("
                        + (r.size() > 0 ? r.get(0).getOid() : "report") + "): check the user, keys and protocols");
                return;
            }
            messagesIn.incrementAndGet();
            if (r.getErrorStatus() != PDU.noError) {
                counters.errors.incrementAndGet();
                rejectErrorStatus.incrementAndGet();
                flag(ControllerLink.FAULTY, "answered with error '" + r.getErrorStatusText() + "' at object "
                        + r.getErrorIndex());
                return;
            }
            if (r.size() != readOids.length) {
                counters.wrongTypes.incrementAndGet();
                rejectWrongType.incrementAndGet();
                flag(ControllerLink.FAULTY, "answered " + r.size() + " values to a read of " + readOids.length);
                return;
            }
            for (int i = 0; i < r.size(); i++) {
                Variable v = r.get(i).getVariable();
                if (!(v instanceof Integer32)) {
                    counters.wrongTypes.incrementAndGet();
                    rejectWrongType.incrementAndGet();
                    flag(ControllerLink.FAULTY, "answered " + readOids[i] + " with " + v.getSyntaxString()
                            + " where NTCIP 1202 has an INTEGER");
                    return;
                }
            }
            counters.answers.incrementAndGet();
            long roundTripNs = System.nanoTime() - sentNs;
            counters.roundTripNs.addAndGet(roundTripNs);
            roundTrips.recordValue(Math.max(0, roundTripNs / 1000));
            failures = 0;
            long greens = 0;
            long yellows = 0;
            for (int g = 1; g <= groups; g++) {
                greens = PhaseGroups.withGroup(greens, g, r.get(2 * (g - 1)).getVariable().toInt() & 0xFF);
                yellows = PhaseGroups.withGroup(yellows, g, r.get(2 * (g - 1) + 1).getVariable().toInt() & 0xFF);
            }
            int yellow = -1;
            for (int p = 0; p < signal.ntcipPhase().length && yellow < 0; p++) {
                if (PhaseGroups.contains(yellows, signal.ntcipPhase()[p])) {
                    yellow = p;
                }
            }
            lastYellow = yellow;
            int shown = -1;
            int[] ntcip = signal.ntcipPhase();
            for (int p = 0; p < ntcip.length && shown < 0; p++) {
                if (PhaseGroups.contains(greens, ntcip[p])) {
                    shown = p;
                }
            }
            shownPhase = shown;
            int sequence = r.get(sequenceAt).getVariable().toInt();
            int periodS = r.get(periodAt).getVariable().toInt();
            long active = 0;
            for (int g = 1; activeAt + g - 1 < volumeAt; g++) {
                active = PhaseGroups.withGroup(active, g, r.get(activeAt + g - 1).getVariable().toInt() & 0xFF);
            }
            if (lastSequence >= 0 && sequence != lastSequence && periodS > 0) {
                for (int k = 0; k < detectorIndex.length; k++) {
                    if (detectorIndex[k] >= 0) {
                        int volume = r.get(volumeAt + 2 * k).getVariable().toInt();
                        int occupancy = r.get(volumeAt + 2 * k + 1).getVariable().toInt();
                        if (ingest.detectorAggregate(detectorIndex[k], nowMs, periodS * 1000, volume,
                                Math.min(1.0, occupancy / 200.0), -1,
                                PhaseGroups.contains(active, detectorNumber[k]))) {
                            entriesApplied.incrementAndGet();
                        } else {
                            ingestRefused.incrementAndGet();
                        }
                    }
                }
            }
            lastSequence = sequence;
            if (planner != null) {
                int at = coordAt;
                int patternStatus = r.get(at).getVariable().toInt();
                int freeStatus = r.get(at + 1).getVariable().toInt();
                at += 2;
                for (int p = 0; p < signal.ntcipPhase().length; p++, at += 5) {
                    planner.phaseTable(p, r.get(at).getVariable().toInt(), r.get(at + 1).getVariable().toInt(),
                            r.get(at + 2).getVariable().toInt(), r.get(at + 3).getVariable().toInt(),
                            r.get(at + 4).getVariable().toInt());
                }
                planner.status(patternStatus, freeStatus);
            }
            ControllerLink before = state;
            if (before != ControllerLink.CONNECTED) {
                LOG.log(System.Logger.Level.INFO, "NTCIP controller of signal " + signal.id() + " at " + signal.host()
                        + ":" + signal.port() + " answers" + (before == ControllerLink.CONNECTING ? ""
                        : " again: its state is read, commanding resumes"));
            }
            state = ControllerLink.CONNECTED;
            stateRead = true;
            report(nowMs, shown);
        }

        private boolean transientReport(OID oid) {
            return oid.startsWith(SnmpConstants.usmStatsUnknownEngineIDs)
                    || oid.startsWith(SnmpConstants.usmStatsNotInTimeWindows);
        }

        private int lastYellow = -1;

        /** Hands the controller's state to the engine: the green phase's state, or the change interval's. */
        private void report(long nowMs, int greenPhase) {
            if (greenPhase != reportedPhase) {
                reportedPhase = greenPhase;
                phaseSinceMs = nowMs;
            }
            for (int l = 0; l < stateChars.length; l++) {
                if (greenPhase >= 0) {
                    stateChars[l] = model.greenState(greenPhase, l);
                } else {
                    stateChars[l] = lastYellow >= 0 && SignalChar.isGreen(model.greenState(lastYellow, l))
                            ? SignalChar.YELLOW : SignalChar.RED;
                }
            }
            status.onStatus(new ControllerStatus(signal.id(), nowMs,
                    greenPhase >= 0 ? model.greenPhaseSourceIndex(greenPhase) : -1, new String(stateChars),
                    nowMs - phaseSinceMs, commanding ? null : "own", commanding ? planSequence : -1));
        }

        private void failed(long nowMs, String why) {
            stateRead = false;
            if (++failures >= lossAfterPolls && state != ControllerLink.LOST) {
                counters.losses.incrementAndGet();
                connectionLosses.incrementAndGet();
                boolean never = state == ControllerLink.CONNECTING;
                problem = never
                        ? "the NTCIP controller of signal " + signal.id() + " at " + signal.host() + ":"
                        + signal.port() + " has never answered (" + why + ", " + failures + " polls in a row): check "
                        + "its address" + (session.isV3() ? " and Greenwave's SNMPv3 user, authentication and "
                        + "privacy keys and protocols (an agent drops a request it cannot authenticate or decrypt "
                        + "without a word)" : " and community") + "; not commanded, it runs its own timing"
                        : "lost communication with the NTCIP controller of signal " + signal.id() + " at "
                        + signal.host() + ":" + signal.port() + " (" + why + ", " + failures + " polls in a row): "
                        + "stopped commanding it; it runs its own timing after its backup time";
                state = ControllerLink.LOST;
                LOG.log(System.Logger.Level.WARNING, problem);
            }
        }

        private void flag(ControllerLink to, String why) {
            stateRead = false;
            if (state != to) {
                problem = "NTCIP controller of signal " + signal.id() + " at " + signal.host() + ":" + signal.port()
                        + " " + why + "; it is left to its own timing";
                state = to;
                LOG.log(System.Logger.Level.ERROR, problem);
            }
        }
    }
}
