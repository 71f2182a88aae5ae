package org.greenwave.adapters.ntcip.virtual;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.NtcipObjects;
import org.greenwave.adapters.ntcip.PhaseGroups;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOScope;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.mo.GenericManagedObject;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.agent.security.MutableVACM;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The NTCIP 1202 face of one virtual controller: an SNMPv3 agent (SNMP4J-agent, authPriv only, one user with read and
 * write access to {@code asc}) on its own UDP address, serving the controller's phase table, phase status groups,
 * detector status and volume/occupancy, and taking phase control group sets into its {@link PhaseControl}. Phase and
 * detector numbers are the mapping's ({@link NtcipMapping.Signal}).
 *
 * <p>A set of a phase control group must be an INTEGER 0..255 (else {@code wrongType} or {@code wrongValue}); the
 * status, table and detector objects are read-only ({@code notWritable}).
 *
 * <p>Coordination: {@value #MAX_PATTERNS} patterns ({@code patternCycleTime}, {@code patternOffsetTime},
 * {@code patternSplitNumber}) and {@value #MAX_SPLITS} split tables ({@code splitTime}, {@code splitMode},
 * {@code splitCoordPhase} of each mapped phase), read-write with range checks as a controller makes them: a
 * {@code splitTime} below the phase's minimum green and change interval, a {@code splitMode} other than none, minimum or
 * maximum vehicle recall, and {@code systemPatternControl} 255 (flash, which the virtual controller has not) are refused
 * with {@code wrongValue}. After each set of these objects the selection is resolved through the tables into the pattern
 * the controller is to run ({@link PhaseControl#selectPattern}); a selection it cannot run leaves it free, with
 * {@code localFreeStatus} saying why (badPlan: no such pattern or split table, or not exactly one coordinated phase;
 * splitOverrun: the splits exceed the cycle; invalidOffset: the offset is not below the cycle; coordFree: cycle 0 or
 * standby; commandFree: 254). {@code coordPatternStatus}, {@code localFreeStatus} and {@code coordCycleStatus} are the
 * controller's.
 *
 * <p>Threading: requests are answered on SNMP4J's transport thread; status comes from the controller's volatile
 * words, detector data from {@link #detectors}, called on the thread that steps the controller.
 */
public final class NtcipAgent implements AutoCloseable {
    private final NtcipMapping.Signal signal;
    private final ActuatedController controller;
    private final PhaseControl control;
    /** Rows of the pattern table and split tables. */
    public static final int MAX_PATTERNS = 4;
    public static final int MAX_SPLITS = 4;
    // Coordination tables, indexed by pattern or split number and NTCIP phase; guarded by this agent's monitor.
    private final int[] patternCycleS = new int[MAX_PATTERNS + 1];
    private final int[] patternOffsetS = new int[MAX_PATTERNS + 1];
    private final int[] patternSplit = new int[MAX_PATTERNS + 1];
    private final int[][] splitTimeS;
    private final int[][] splitMode;
    private final int[][] splitCoord;
    /** Per engine green phase, the shortest split the controller takes. */
    private final int[] leastSplitS;
    private boolean coordWritten;
    /** A {@code systemPatternControl} set in the request being committed. */
    private int selection;
    private boolean selectionWritten;
    private final int[] enginePhaseOfNtcip = new int[PhaseGroups.MAX_PHASE + 1];
    private final TreeMap<OID, Cell> cells = new TreeMap<>();
    private final Snmp snmp;
    private final UdpAddress address;
    private final int detectorCount;
    private final int periodS;
    // Detector data: written by the stepping thread; the volatile sequence publishes a completed period.
    private final int[] volumeNow;
    private final int[] occupiedMsNow;
    /** Scratch for {@link #detectors(boolean[])}. */
    private final int[] stepVehicles;
    private final int[] stepOccupiedMs;
    private final int[] volume;
    private final int[] occupancyHalfPercent;
    private final boolean[] wasOccupied;
    private volatile long active;
    private volatile int sequence;
    private int secondsInPeriod;
    private long omitNtcip;
    private long holdNtcip;
    private long forceOffNtcip;
    private long vehCallNtcip;
    private long pedOmitNtcip;
    private long pedCallNtcip;

    /**
     * A value the agent serves, how a set of it is taken (null: read-only) and which values a set may carry (the SNMP
     * error status for a value, 0 when it is taken); {@code coord}: a coordination object.
     */
    private record Cell(LongSupplier value, LongConsumer set, java.util.function.IntUnaryOperator check, boolean coord) {
    }

    /** 0 when {@code v} lies in {@code min..max}, else {@code wrongValue}. */
    private static java.util.function.IntUnaryOperator range(int min, int max) {
        return v -> v < min || v > max ? PDU.wrongValue : 0;
    }

    private NtcipAgent(NtcipMapping.Signal signal, ActuatedController controller, PhaseControl control,
                       PhaseTiming[] timing, double backupS, int periodS, String host, int port, SnmpV3User user)
            throws IOException {
        this.signal = signal;
        this.controller = controller;
        this.control = control;
        this.periodS = periodS;
        int[] ntcip = signal.ntcipPhase();
        for (int p = 0; p < ntcip.length; p++) {
            enginePhaseOfNtcip[ntcip[p]] = p + 1;
        }
        this.detectorCount = signal.maxDetector();
        volumeNow = new int[detectorCount + 1];
        occupiedMsNow = new int[detectorCount + 1];
        stepVehicles = new int[detectorCount];
        stepOccupiedMs = new int[detectorCount];
        volume = new int[detectorCount + 1];
        occupancyHalfPercent = new int[detectorCount + 1];
        wasOccupied = new boolean[detectorCount + 1];
        int maxPhase = signal.maxPhase();
        splitTimeS = new int[MAX_SPLITS + 1][maxPhase + 1];
        splitMode = new int[MAX_SPLITS + 1][maxPhase + 1];
        splitCoord = new int[MAX_SPLITS + 1][maxPhase + 1];
        leastSplitS = new int[ntcip.length];
        for (int p = 0; p < ntcip.length; p++) {
            leastSplitS[p] = org.greenwave.adapters.ntcip.Splits.leastSplitS(timing[p].minGreenS(), controller.changeS(p));
        }
        for (int k = 1; k <= MAX_PATTERNS; k++) {
            patternSplit[k] = Math.min(k, MAX_SPLITS);
        }
        for (int sp = 1; sp <= MAX_SPLITS; sp++) {
            for (int p = 0; p < ntcip.length; p++) {
                splitTimeS[sp][ntcip[p]] = leastSplitS[p];
                splitMode[sp][ntcip[p]] = NtcipObjects.SPLIT_MODE_NONE;
                splitCoord[sp][ntcip[p]] = p == 0 ? 1 : 0;
            }
        }
        defineCells(timing, backupS);

        // Each agent start is a new SNMP engine (its boots and time start again), so it gets its own engine ID.
        OctetString engineId = new OctetString(MPv3.createLocalEngineID(new OctetString(
                "gw-" + Long.toHexString(System.nanoTime() ^ System.identityHashCode(this)))));
        USM usm = new USM(SecurityProtocols.getInstance(), engineId, 0);
        usm.addUser(user.usmUser());
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv3(usm));
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(
                new UdpAddress(InetAddress.getByName(host), port));
        snmp = new Snmp(dispatcher, transport);
        DefaultMOServer server = new DefaultMOServer();
        try {
            // SNMPv3 requests name the default context, the empty string.
            server.addContext(new OctetString());
            server.register(new AscObject(), new OctetString());
        } catch (DuplicateRegistrationException e) {
            throw new IllegalStateException(e);
        }
        VacmMIB vacm = new VacmMIB(new MOServer[] {server});
        OctetString group = new OctetString("central");
        OctetString view = new OctetString("asc");
        vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString(user.name()), group, StorageType.volatile_);
        vacm.addAccess(group, new OctetString(), SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV,
                MutableVACM.VACM_MATCH_EXACT, view, view, new OctetString(), StorageType.volatile_);
        vacm.addViewTreeFamily(view, NtcipObjects.ASC, new OctetString(), VacmMIB.vacmViewIncluded, StorageType.volatile_);
        CommandProcessor processor = new CommandProcessor(engineId);
        processor.addMOServer(server);
        processor.setVacm(vacm);
        snmp.addCommandResponder(processor);
        snmp.listen();
        this.address = transport.getListenAddress();
    }

    /**
     * Starts an agent for {@code controller} on {@code host:port} (port 0: any free port, see {@link #address()}).
     *
     * @param timing   the controller's phase table, served as {@code phaseTable}
     * @param backupS  served as {@code unitBackupTime}
     * @param periodS  the volume/occupancy period, seconds (whole steps of the controller)
     */
    public static NtcipAgent start(NtcipMapping.Signal signal, ActuatedController controller, PhaseControl control,
                                   PhaseTiming[] timing, double backupS, int periodS, String host, int port,
                                   SnmpV3User user) throws IOException {
        return new NtcipAgent(signal, controller, control, timing, backupS, periodS, host, port, user);
    }

    /** Where the agent listens. */
    public UdpAddress address() {
        return address;
    }

    public NtcipMapping.Signal signal() {
        return signal;
    }

    /**
     * Takes one step's detector occupancy (the controller's detector order, which is NTCIP detector 1, 2, ...) when
     * only that is known: counts a vehicle per rising edge and the whole step as occupied; see {@link #detectors(boolean[],
     * int[], int[])}. Call on the thread that steps the controller, after each step of one second.
     */
    public void detectors(boolean[] occupied) {
        int n = Math.min(occupied.length, detectorCount);
        for (int d = 1; d <= n; d++) {
            boolean on = occupied[d - 1];
            stepVehicles[d - 1] = on && !wasOccupied[d] ? 1 : 0;
            stepOccupiedMs[d - 1] = on ? 1000 : 0;
            wasOccupied[d] = on;
        }
        detectors(occupied, stepVehicles, stepOccupiedMs);
    }

    /**
     * Takes one second of detector input as a cabinet's detector cards sample it (many times a second): per detector,
     * whether a vehicle is on it now, the vehicles that arrived on it during the second and the milliseconds it was
     * occupied. Completes a volume/occupancy period every {@code periodS} seconds. Call on the thread that steps the
     * controller, once a second.
     */
    public void detectors(boolean[] activeNow, int[] vehicles, int[] occupiedMs) {
        long a = 0;
        int n = Math.min(activeNow.length, detectorCount);
        for (int d = 1; d <= n; d++) {
            if (activeNow[d - 1]) {
                a |= PhaseGroups.of(d);
            }
            volumeNow[d] += vehicles[d - 1];
            occupiedMsNow[d] += Math.min(1000, Math.max(0, occupiedMs[d - 1]));
        }
        active = a;
        if (++secondsInPeriod >= periodS) {
            for (int d = 1; d <= detectorCount; d++) {
                volume[d] = Math.min(255, volumeNow[d]);
                occupancyHalfPercent[d] = (int) Math.round(200.0 * occupiedMsNow[d] / (secondsInPeriod * 1000.0));
                volumeNow[d] = 0;
                occupiedMsNow[d] = 0;
            }
            secondsInPeriod = 0;
            sequence = (sequence + 1) & 0xFF;
        }
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }

    private void defineCells(PhaseTiming[] timing, double backupS) {
        int maxPhase = signal.maxPhase();
        int groups = PhaseGroups.groupCount(maxPhase);
        cell(NtcipObjects.MAX_PHASES, () -> maxPhase);
        cell(NtcipObjects.MAX_PHASE_GROUPS, () -> groups);
        cell(NtcipObjects.MAX_VEHICLE_DETECTORS, () -> detectorCount);
        cell(NtcipObjects.UNIT_BACKUP_TIME, () -> Math.round(backupS));
        cell(NtcipObjects.VOLUME_OCCUPANCY_PERIOD, () -> periodS);
        cell(NtcipObjects.VOLUME_OCCUPANCY_SEQUENCE, () -> sequence);
        int[] ntcip = signal.ntcipPhase();
        for (int p = 0; p < ntcip.length; p++) {
            PhaseTiming t = timing[p];
            int n = ntcip[p];
            cell(NtcipObjects.column(NtcipObjects.PHASE_MINIMUM_GREEN, n), () -> Math.round(t.minGreenS()));
            cell(NtcipObjects.column(NtcipObjects.PHASE_PASSAGE, n), () -> Math.round(t.passageS() * 10));
            cell(NtcipObjects.column(NtcipObjects.PHASE_MAXIMUM1, n), () -> Math.round(t.maxGreenS()));
            cell(NtcipObjects.column(NtcipObjects.PHASE_YELLOW_CHANGE, n),
                    () -> Math.round(controller.model().yellowS() * 10));
            cell(NtcipObjects.column(NtcipObjects.PHASE_RED_CLEAR, n), () -> Math.round(controller.model().allRedS() * 10));
            cell(NtcipObjects.column(NtcipObjects.PHASE_RING, n), () -> 1);
            double pedClearS = controller.model().pedestrianClearanceS(p, (p + 1) % ntcip.length);
            cell(NtcipObjects.column(NtcipObjects.PHASE_PEDESTRIAN_CLEAR, n), () -> (long) Math.ceil(pedClearS));
        }
        defineCoordination();
        for (int g = 1; g <= groups; g++) {
            int group = g;
            status(NtcipObjects.PHASE_STATUS_GROUP_REDS, group, controller::reds);
            status(NtcipObjects.PHASE_STATUS_GROUP_YELLOWS, group, controller::yellows);
            status(NtcipObjects.PHASE_STATUS_GROUP_GREENS, group, controller::greens);
            status(NtcipObjects.PHASE_STATUS_GROUP_VEH_CALLS, group, controller::vehCalls);
            status(NtcipObjects.PHASE_STATUS_GROUP_PHASE_ONS, group, controller::phaseOns);
            status(NtcipObjects.PHASE_STATUS_GROUP_PHASE_NEXTS, group, controller::phaseNexts);
            control(NtcipObjects.PHASE_CONTROL_GROUP_PHASE_OMIT, group, () -> omitNtcip, v -> {
                omitNtcip = v;
                control.omit(toEngine(v));
            });
            control(NtcipObjects.PHASE_CONTROL_GROUP_HOLD, group, () -> holdNtcip, v -> {
                holdNtcip = v;
                control.hold(toEngine(v));
            });
            control(NtcipObjects.PHASE_CONTROL_GROUP_FORCE_OFF, group, () -> forceOffNtcip, v -> {
                forceOffNtcip = v;
                control.forceOff(toEngine(v));
            });
            control(NtcipObjects.PHASE_CONTROL_GROUP_VEH_CALL, group, () -> vehCallNtcip, v -> {
                vehCallNtcip = v;
                control.vehCall(toEngine(v));
            });
            // Pedestrians are not modelled by the virtual controller: the groups are kept and served back.
            control(NtcipObjects.PHASE_CONTROL_GROUP_PED_OMIT, group, () -> pedOmitNtcip, v -> pedOmitNtcip = v);
            control(NtcipObjects.PHASE_CONTROL_GROUP_PED_CALL, group, () -> pedCallNtcip, v -> pedCallNtcip = v);
        }
        for (int g = 1; g <= PhaseGroups.groupCount(detectorCount); g++) {
            int group = g;
            cell(NtcipObjects.column(NtcipObjects.VEHICLE_DETECTOR_STATUS_GROUP_ACTIVE, g),
                    () -> PhaseGroups.groupValue(active, group));
        }
        for (int d = 1; d <= detectorCount; d++) {
            int det = d;
            cell(NtcipObjects.column(NtcipObjects.DETECTOR_VOLUME, d), () -> volume[det]);
            cell(NtcipObjects.column(NtcipObjects.DETECTOR_OCCUPANCY, d), () -> occupancyHalfPercent[det]);
        }
    }

    private void defineCoordination() {
        cell(NtcipObjects.COORD_CORRECTION_MODE, () -> NtcipObjects.CORRECTION_DWELL);
        cell(NtcipObjects.COORD_MAXIMUM_MODE, () -> NtcipObjects.MAXIMUM_MODE_MAXIMUM1);
        cell(NtcipObjects.COORD_FORCE_MODE, () -> NtcipObjects.FORCE_MODE_FIXED);
        cell(NtcipObjects.MAX_PATTERNS, () -> MAX_PATTERNS);
        cell(NtcipObjects.MAX_SPLITS, () -> MAX_SPLITS);
        cell(NtcipObjects.COORD_PATTERN_STATUS, controller::patternStatus);
        cell(NtcipObjects.LOCAL_FREE_STATUS, controller::localFreeStatus);
        cell(NtcipObjects.COORD_CYCLE_STATUS, controller::cycleLeftS);
        // Taken by the controller only once the whole request is in (resolvePattern), never half-way.
        coord(NtcipObjects.SYSTEM_PATTERN_CONTROL, () -> selectionWritten ? selection : control.systemPattern(),
                v -> {
                    selection = (int) v;
                    selectionWritten = true;
                }, range(0, NtcipObjects.PATTERN_FREE));
        for (int k = 1; k <= MAX_PATTERNS; k++) {
            int row = k;
            coord(NtcipObjects.column(NtcipObjects.PATTERN_CYCLE_TIME, k), () -> patternCycleS[row],
                    v -> patternCycleS[row] = (int) v, range(0, 255));
            coord(NtcipObjects.column(NtcipObjects.PATTERN_OFFSET_TIME, k), () -> patternOffsetS[row],
                    v -> patternOffsetS[row] = (int) v, range(0, 255));
            coord(NtcipObjects.column(NtcipObjects.PATTERN_SPLIT_NUMBER, k), () -> patternSplit[row],
                    v -> patternSplit[row] = (int) v, range(0, 255));
        }
        int[] ntcip = signal.ntcipPhase();
        for (int sp = 1; sp <= MAX_SPLITS; sp++) {
            int split = sp;
            for (int p = 0; p < ntcip.length; p++) {
                int n = ntcip[p];
                coord(NtcipObjects.column(NtcipObjects.SPLIT_TIME, sp, n), () -> splitTimeS[split][n],
                        v -> splitTimeS[split][n] = (int) v, range(leastSplitS[p], 255));
                coord(NtcipObjects.column(NtcipObjects.SPLIT_MODE, sp, n), () -> splitMode[split][n],
                        v -> splitMode[split][n] = (int) v,
                        range(NtcipObjects.SPLIT_MODE_NONE, NtcipObjects.SPLIT_MODE_MAX_RECALL));
                coord(NtcipObjects.column(NtcipObjects.SPLIT_COORD_PHASE, sp, n), () -> splitCoord[split][n],
                        v -> splitCoord[split][n] = (int) v, range(0, 1));
            }
        }
    }

    /**
     * Resolves {@code systemPatternControl} through the pattern and split tables and hands the result to the
     * controller. Under this agent's monitor, after a set of coordination objects.
     */
    private void resolvePattern() {
        int selected = selectionWritten ? selection : control.systemPattern();
        selectionWritten = false;
        CoordPattern pattern = null;
        int free;
        if (selected == NtcipObjects.PATTERN_STANDBY) {
            free = NtcipObjects.LOCAL_FREE_COORD_FREE;
        } else if (selected == NtcipObjects.PATTERN_FREE) {
            free = NtcipObjects.LOCAL_FREE_COMMAND_FREE;
        } else if (selected > MAX_PATTERNS || patternSplit[selected] < 1 || patternSplit[selected] > MAX_SPLITS) {
            free = NtcipObjects.LOCAL_FREE_BAD_PLAN;
        } else if (patternCycleS[selected] == 0) {
            free = NtcipObjects.LOCAL_FREE_COORD_FREE;
        } else {
            int cycle = patternCycleS[selected];
            int sp = patternSplit[selected];
            int[] ntcip = signal.ntcipPhase();
            int[] splits = new int[ntcip.length];
            boolean[] maxRecall = new boolean[ntcip.length];
            int coordPhase = -1;
            int coords = 0;
            int sum = 0;
            for (int p = 0; p < ntcip.length; p++) {
                splits[p] = splitTimeS[sp][ntcip[p]];
                maxRecall[p] = splitMode[sp][ntcip[p]] == NtcipObjects.SPLIT_MODE_MAX_RECALL;
                sum += splits[p];
                if (splitCoord[sp][ntcip[p]] == 1) {
                    coordPhase = p;
                    coords++;
                }
            }
            if (coords != 1) {
                free = NtcipObjects.LOCAL_FREE_BAD_PLAN;
            } else if (sum > cycle) {
                free = NtcipObjects.LOCAL_FREE_SPLIT_OVERRUN;
            } else if (patternOffsetS[selected] >= cycle) {
                free = NtcipObjects.LOCAL_FREE_INVALID_OFFSET;
            } else {
                // A cycle longer than the splits gives the rest to the coordinated phase.
                splits[coordPhase] += cycle - sum;
                pattern = new CoordPattern(selected, cycle, patternOffsetS[selected], splits, coordPhase, maxRecall);
                free = NtcipObjects.LOCAL_FREE_NOT_FREE;
            }
        }
        control.selectPattern(selected, pattern, free);
    }

    /** Engine-phase bits to NTCIP phase numbers. */
    private long toNtcip(long engine) {
        long out = 0;
        int[] ntcip = signal.ntcipPhase();
        for (int p = 0; p < ntcip.length; p++) {
            if ((engine & (1L << p)) != 0) {
                out |= PhaseGroups.of(ntcip[p]);
            }
        }
        return out;
    }

    /** NTCIP phase numbers to engine-phase bits; phases the mapping does not name are dropped. */
    private long toEngine(long ntcipPhases) {
        long out = 0;
        for (int n = 1; n <= PhaseGroups.MAX_PHASE; n++) {
            if (PhaseGroups.contains(ntcipPhases, n) && enginePhaseOfNtcip[n] > 0) {
                out |= 1L << (enginePhaseOfNtcip[n] - 1);
            }
        }
        return out;
    }

    private void cell(OID oid, LongSupplier value) {
        cells.put(oid, new Cell(value, null, null, false));
    }

    private void coord(OID oid, LongSupplier value, LongConsumer set, java.util.function.IntUnaryOperator check) {
        cells.put(oid, new Cell(value, set, check, true));
    }

    private void status(OID column, int group, LongSupplier enginePhases) {
        cell(NtcipObjects.column(column, group), () -> PhaseGroups.groupValue(toNtcip(enginePhases.getAsLong()), group));
    }

    private void control(OID column, int group, LongSupplier ntcipPhases, LongConsumer setAll) {
        cells.put(NtcipObjects.column(column, group), new Cell(() -> PhaseGroups.groupValue(ntcipPhases.getAsLong(), group),
                v -> setAll.accept(PhaseGroups.withGroup(ntcipPhases.getAsLong(), group, (int) v)), range(0, 0xFF),
                false));
    }

    /** The whole {@code asc} subtree as one managed object over {@link #cells}. */
    private final class AscObject implements GenericManagedObject {
        private final MOScope scope = new DefaultMOScope(NtcipObjects.ASC, true, NtcipObjects.ASC.nextPeer(), false);

        @Override
        public MOScope getScope() {
            return scope;
        }

        @Override
        public OID find(MOScope range) {
            synchronized (NtcipAgent.this) {
                Map.Entry<OID, Cell> e = range.isLowerIncluded() ? cells.ceilingEntry(range.getLowerBound())
                        : cells.higherEntry(range.getLowerBound());
                if (e == null) {
                    return null;
                }
                OID upper = range.getUpperBound();
                if (upper != null) {
                    int c = e.getKey().compareTo(upper);
                    if (c > 0 || (c == 0 && !range.isUpperIncluded())) {
                        return null;
                    }
                }
                return e.getKey();
            }
        }

        @Override
        public void get(SubRequest<?> request) {
            OID oid = request.getVariableBinding().getOid();
            Cell cell;
            synchronized (NtcipAgent.this) {
                cell = cells.get(oid);
            }
            request.getVariableBinding().setVariable(cell == null ? Null.noSuchInstance : value(cell));
            request.completed();
        }

        @Override
        public boolean next(SubRequest<?> request) {
            OID next = find(request.getQuery().getScope());
            if (next == null) {
                return false;
            }
            Cell cell;
            synchronized (NtcipAgent.this) {
                cell = cells.get(next);
            }
            request.getVariableBinding().setOid(next);
            request.getVariableBinding().setVariable(value(cell));
            request.completed();
            return true;
        }

        @Override
        public void prepare(SubRequest<?> request) {
            Cell cell;
            synchronized (NtcipAgent.this) {
                cell = cells.get(request.getVariableBinding().getOid());
            }
            Variable v = request.getVariableBinding().getVariable();
            if (cell == null) {
                request.getStatus().setErrorStatus(PDU.noCreation);
            } else if (cell.set == null) {
                request.getStatus().setErrorStatus(PDU.notWritable);
            } else if (!(v instanceof Integer32)) {
                request.getStatus().setErrorStatus(PDU.wrongType);
            } else if (cell.check.applyAsInt(v.toInt()) != 0) {
                request.getStatus().setErrorStatus(cell.check.applyAsInt(v.toInt()));
            } else {
                request.completed();
            }
        }

        @Override
        public void commit(SubRequest<?> request) {
            synchronized (NtcipAgent.this) {
                Cell cell = cells.get(request.getVariableBinding().getOid());
                request.setUndoValue(value(cell));
                cell.set.accept(request.getVariableBinding().getVariable().toInt());
                coordWritten |= cell.coord;
            }
            request.completed();
        }

        @Override
        public void undo(SubRequest<?> request) {
            synchronized (NtcipAgent.this) {
                Cell cell = cells.get(request.getVariableBinding().getOid());
                if (request.getUndoValue() instanceof Variable old) {
                    cell.set.accept(old.toInt());
                }
            }
            request.completed();
        }

        /** After every commit (or undo) of the request: a set of coordination objects is resolved once, whole. */
        @Override
        public void cleanup(SubRequest<?> request) {
            synchronized (NtcipAgent.this) {
                if (coordWritten) {
                    coordWritten = false;
                    resolvePattern();
                }
            }
            request.completed();
        }

        private Variable value(Cell cell) {
            return new Integer32((int) cell.value.getAsLong());
        }
    }
}
