/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A TraCI client for SUMO speaking TraCI API version 20 (SUMO 1.2 to 1.18; developed and tested
 * against SUMO 1.15) over one TCP connection.
 *
 * <p><b>Threading.</b> A client is single-threaded: exactly one owner thread may call it (and read its
 * {@link Subscription} handles) at a time. It does no locking. Handing it to another thread needs a
 * happens-before edge (e.g. a thread start or a concurrent queue).
 *
 * <p><b>Units.</b> Times in seconds of simulation time, lengths in metres, as SUMO reports them.
 *
 * <p><b>Errors.</b> When SUMO rejects a command the client throws {@link TraciException} whose
 * message and {@link TraciException#sumoError()} carry SUMO's own text; the connection stays usable.
 * When the connection breaks or SUMO sends something that violates the protocol, the client throws
 * {@link TraciException}, marks itself closed, and every later call throws as well.
 *
 * <p><b>Subscriptions.</b> {@link #subscribe} asks for variables of one object after every step;
 * {@link #simulationStep} then brings all of them back in the step's single round trip and stores them in the
 * handles, in place. Variables of objects that exist for the whole simulation ({@link Domain#fetchedByGet()}) are
 * read with get commands in one further message after the step, those of vehicles come as SUMO subscriptions with
 * the step's answer.
 */
public final class TraciClient implements AutoCloseable {

    /** API versions this client accepts; see {@link #checkApiVersion}. */
    private static final int[] SUPPORTED_API_VERSIONS = {TRACI_VERSION};

    /** A response larger than this is taken as a corrupt length rather than allocated. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final TraciWriter writer = new TraciWriter(1024);
    /** Set commands queued by {@link #queueRedYellowGreenState}, sent in front of the next simulation step. */
    private final TraciWriter queued = new TraciWriter(1024);
    private int queuedCount;
    /** Per queued command: the traffic light it sets, for SUMO's error if it refuses. */
    private String[] queuedObjects = new String[16];
    private final TraciReader reader = new TraciReader(new byte[0]);
    private final SubscriptionTable subscriptions = new SubscriptionTable();
    private byte[] inBuffer = new byte[64 * 1024];
    private int apiVersion;
    private String sumoVersion = "";
    private boolean closed;
    /** End offset of the response command of the get in progress. */
    private int getEnd;
    private Supplier<String> diagnostics = () -> "";

    private TraciClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /**
     * Connects to a SUMO started with {@code --remote-port port}, retrying refused connections (and
     * connections reset or closed before SUMO answered) until {@code timeoutMs} has passed, then checks
     * the TraCI API version. SUMO 1.15 accepts the connection before it loads the scenario and answers
     * the version query after loading, so {@code timeoutMs} bounds start-up and loading together.
     *
     * <p>SUMO listens on IPv4 only (on all interfaces), so pass {@code "127.0.0.1"} rather than
     * {@code "localhost"}, which may resolve to {@code ::1} first.
     *
     * @throws IOException    if no connection could be made within {@code timeoutMs}
     * @throws TraciException if the server speaks an unsupported API version or breaks the protocol
     */
    public static TraciClient connect(String host, int port, long timeoutMs) throws IOException {
        return connect(host, port, timeoutMs, () -> { }, () -> "");
    }

    /**
     * Longest pause between connection attempts while SUMO is not listening yet, ms: short, because SUMO's port is
     * open to anyone until its first client connects.
     */
    static final long CONNECT_POLL_MAX_MS = 5;

    /**
     * As {@link #connect(String, int, long)}, running {@code beforeEachAttempt} before every attempt
     * (it may throw to abort, e.g. because the SUMO process has exited) and appending
     * {@code diagnostics} to connection-loss errors from the handshake on.
     */
    static TraciClient connect(String host, int port, long timeoutMs, Runnable beforeEachAttempt,
                               Supplier<String> diagnostics) throws IOException {
        Objects.requireNonNull(host, "host");
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
        }
        long startNs = System.nanoTime();
        long timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long backoffMs = 1;
        IOException lastFailure = null;
        while (true) {
            beforeEachAttempt.run();
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(timeoutNs - (System.nanoTime() - startNs));
            if (remainingMs <= 0) {
                throw new IOException("could not connect to SUMO at " + host + ":" + port + " within "
                        + timeoutMs + " ms", lastFailure);
            }
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), (int) Math.min(remainingMs, Integer.MAX_VALUE));
            } catch (SocketException | SocketTimeoutException e) {
                // Refused (nobody listens yet), or reset while connecting (a listener closing its backlog): try again
                // while time remains.
                closeQuietly(socket);
                lastFailure = e;
                sleep(Math.min(backoffMs, Math.max(1, remainingMs)));
                backoffMs = Math.min(backoffMs * 2, CONNECT_POLL_MAX_MS);
                continue;
            } catch (IOException | RuntimeException e) {
                closeQuietly(socket);
                throw e;
            }
            if (socket.getLocalPort() == port && socket.getInetAddress().isLoopbackAddress()) {
                // Connecting to a loopback port nobody listens on yet can connect the socket to itself (TCP
                // simultaneous open): not SUMO. Try again.
                closeQuietly(socket);
                continue;
            }
            TraciClient client = new TraciClient(socket);
            client.diagnostics(diagnostics);
            try {
                // SUMO accepts the connection before loading the scenario and answers the version
                // query only once loading is done, so the rest of the timeout bounds the loading.
                long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs - (System.nanoTime() - startNs)));
                socket.setSoTimeout((int) Math.min(leftMs, Integer.MAX_VALUE));
                client.handshake();
                socket.setSoTimeout(0);
                return client;
            } catch (TraciException e) {
                client.closeSocket();
                if (!(e.getCause() instanceof IOException) || e.getCause() instanceof SocketTimeoutException) {
                    throw e;
                }
                // The connection was reset or closed before SUMO answered: if SUMO still runs (checked before
                // the next attempt), connect again while time remains.
                lastFailure = (IOException) e.getCause();
                sleep(Math.min(backoffMs, Math.max(1, remainingMs)));
                backoffMs = Math.min(backoffMs * 2, 100);
            } catch (IOException | RuntimeException e) {
                client.closeSocket();
                throw e;
            }
        }
    }

    /** The TraCI API version SUMO reported at connect. */
    public int apiVersion() {
        return apiVersion;
    }

    /** SUMO's self-description from the version query, e.g. "SUMO 1.15.0". */
    public String sumoVersion() {
        return sumoVersion;
    }

    /** True after {@link #close()} or after the connection broke. */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- simulation

    /**
     * Advances the simulation: one step if {@code targetTimeS} is 0, otherwise until simulation time
     * {@code targetTimeS} (seconds; a time not after the current one does nothing). Afterwards every
     * {@link Subscription} holds the values after the last executed step; a variable SUMO did not
     * report reads as absent.
     */
    public void simulationStep(double targetTimeS) {
        writer.beginMessage();
        int c = writer.beginCommand();
        writer.writeDouble(targetTimeS);
        writer.endCommand(c, CMD_SIMSTEP);
        int sets = queuedCount;
        queuedCount = 0;
        write(sets == 0 ? null : queued, writer, CMD_SIMSTEP, -1, null);
        boolean gets = subscriptions.hasGets();
        if (gets) {
            // SUMO runs a message's other commands before its step, so the gets that read the state after the step
            // travel in a message of their own. It is written at once behind the step's: SUMO reads it when the step
            // is done, and both answers come back in one round trip.
            write(null, subscriptions.gets(), CMD_SIMSTEP, -1, null);
        }
        flush(CMD_SIMSTEP, -1, null);
        receive(CMD_SIMSTEP, -1, null);
        // The queued sets and the step travel in one message; SUMO answers each set with a status, in order, then
        // the step.
        TraciException refused = readSetStatuses(sets);
        TraciReader r;
        try {
            r = readStatus(CMD_SIMSTEP, -1, null);
        } catch (TraciException e) {
            if (gets && !closed) {
                // SUMO refused the step but answers the gets behind it: read them, so the next command reads its own
                // answer.
                receive(CMD_SIMSTEP, -1, null);
                subscriptions.beginStep();
                try {
                    subscriptions.readGets(reader);
                    expectNoTrailingBytes(reader);
                } catch (TraciException broken) {
                    throw broken(broken);
                }
            }
            throw e;
        }
        try {
            subscriptions.beginStep();
            int count = r.readCount();
            for (int i = 0; i < count; i++) {
                subscriptions.readResponse(r, i);
            }
            expectNoTrailingBytes(r);
            if (gets) {
                receive(CMD_SIMSTEP, -1, null);
                subscriptions.readGets(reader);
                expectNoTrailingBytes(reader);
            }
        } catch (TraciException e) {
            throw broken(e);
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** Current simulation time in seconds. */
    public double simulationTimeS() {
        return getDouble(CMD_GET_SIM_VARIABLE, VAR_TIME, "");
    }

    /**
     * Number of vehicles in the network plus those still waiting to depart or be loaded; 0 means the
     * demand is exhausted.
     */
    public int minExpectedNumber() {
        return getInt(CMD_GET_SIM_VARIABLE, VAR_MIN_EXPECTED_VEHICLES, "");
    }

    /** Ids of vehicles whose departure is due but which could not be inserted yet. */
    public List<String> pendingVehicles() {
        return getStringList(CMD_GET_SIM_VARIABLE, VAR_PENDING_VEHICLES, "");
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes to {@code variableIds} of one object for the rest of the simulation and returns the
     * handle the values land in. The handle already holds the current values when this returns.
     * Variables must be ones that take no parameter.
     *
     * <p>Several handles on the same object are allowed: SUMO is subscribed to the union of their
     * variables, each handle sees its own.
     *
     * @throws TraciException with SUMO's text if SUMO refuses (e.g. unknown object or variable); the
     *                        previous subscriptions of that object then stay as they were in this client
     */
    public Subscription subscribe(Domain domain, String objectId, int... variableIds) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(objectId, "objectId");
        if (variableIds.length == 0) {
            throw new IllegalArgumentException("subscribe needs at least one variable id");
        }
        for (int v : variableIds) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("variable id out of range 0..255: " + v);
            }
        }
        int[] distinct = Arrays.stream(variableIds).distinct().toArray();
        if (distinct.length != variableIds.length) {
            throw new IllegalArgumentException("duplicate variable ids in " + Arrays.toString(variableIds));
        }
        int[] union = subscriptions.unionWith(domain, objectId, variableIds);
        if (union.length > 255) {
            throw new IllegalArgumentException("SUMO accepts at most 255 variables per object, union has " + union.length);
        }
        Subscription handle = subscriptions.add(domain, objectId, variableIds, union);
        try {
            if (domain.fetchedByGet()) {
                fetchNow(subscriptions.groupOf(handle));
            } else {
                sendSubscribe(domain, objectId, union);
            }
        } catch (RuntimeException e) {
            subscriptions.remove(handle, subscriptions.unionWithout(handle));
            throw e;
        }
        return handle;
    }

    /** Stops delivering values to {@code subscription}; its {@code hasValue} is false from now on. */
    public void unsubscribe(Subscription subscription) {
        int[] remaining = subscriptions.unionWithout(subscription);
        if (!subscription.domain().fetchedByGet()) {
            sendSubscribe(subscription.domain(), subscription.objectId(), remaining);
        }
        subscriptions.remove(subscription, remaining);
    }

    /** Fetches the current values of a group fetched by gets, in one round trip; throws SUMO's first refusal. */
    private void fetchNow(SubscriptionTable.Group g) {
        writer.beginMessage();
        SubscriptionTable.writeGets(writer, g);
        if (queuedCount > 0) {
            flushQueued();
        }
        send(null, writer, g.domain.getCommandId(), g.unionVariableIds[0], g.objectId);
        try {
            subscriptions.readGets(reader, g, true);
            expectNoTrailingBytes(reader);
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    private void sendSubscribe(Domain domain, String objectId, int[] variableIds) {
        int commandId = domain.subscribeCommandId();
        writer.beginMessage();
        int c = writer.beginCommand();
        writer.writeDouble(INVALID_DOUBLE_VALUE); // begin: from now
        writer.writeDouble(INVALID_DOUBLE_VALUE); // end: until the simulation ends
        writer.writeString(objectId);
        writer.writeUnsignedByte(variableIds.length);
        for (int v : variableIds) {
            writer.writeUnsignedByte(v);
        }
        writer.endCommand(c, commandId);
        TraciReader r = exchange(commandId, -1, objectId);
        try {
            if (variableIds.length > 0) {
                SubscriptionTable.Group answered = subscriptions.readResponse(r);
                if (answered == null || answered.domain != domain || !answered.objectId.equals(objectId)) {
                    throw TraciReader.protocolError("subscription to " + domain.displayName() + " '"
                            + objectId + "' was answered for another object");
                }
            }
            expectNoTrailingBytes(r);
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    // ---------------------------------------------------------------- traffic lights

    public List<String> trafficLightIds() {
        return getStringList(CMD_GET_TL_VARIABLE, TRACI_ID_LIST, "");
    }

    /** The current signal state, one character per link index ({@code rugGyYoO...}). */
    public String getRedYellowGreenState(String tlsId) {
        return getString(CMD_GET_TL_VARIABLE, TL_RED_YELLOW_GREEN_STATE, tlsId);
    }

    /**
     * Sets the signal state directly, one character per link index. SUMO then keeps it until the next
     * set command or program change (it switches the traffic light to its "online" program).
     *
     * <p>The state must have exactly one character per link ({@code getControlledLinks(tlsId).size()}):
     * SUMO 1.15 treats a length mismatch as a fatal error and exits, which this client then reports
     * as a lost connection with SUMO's log tail.
     */
    public void setRedYellowGreenState(String tlsId, String state) {
        setString(CMD_SET_TL_VARIABLE, TL_RED_YELLOW_GREEN_STATE, tlsId, state);
    }

    /**
     * As {@link #setRedYellowGreenState}, but sent together with the next {@link #simulationStep} in its one round
     * trip instead of on its own; SUMO applies queued states in the order they were queued, before the step. Any other
     * command sends the queued states first, so they always take effect in call order. If SUMO refuses a queued state,
     * that step still completes (its subscriptions are updated) and then throws {@link TraciException} with SUMO's
     * text; the connection stays usable.
     */
    public void queueRedYellowGreenState(String tlsId, String state) {
        Objects.requireNonNull(tlsId, "tlsId");
        Objects.requireNonNull(state, "state");
        if (closed) {
            throw new TraciException("the TraCI connection is closed", CMD_SET_TL_VARIABLE, null, null);
        }
        if (queuedCount == 0) {
            queued.beginMessage();
        }
        int c = queued.beginCommand();
        queued.writeUnsignedByte(TL_RED_YELLOW_GREEN_STATE);
        queued.writeString(tlsId);
        queued.writeTypedString(state);
        queued.endCommand(c, CMD_SET_TL_VARIABLE);
        if (queuedCount == queuedObjects.length) {
            queuedObjects = Arrays.copyOf(queuedObjects, queuedCount * 2);
        }
        queuedObjects[queuedCount++] = tlsId;
    }

    /** Number of states queued by {@link #queueRedYellowGreenState} and not yet sent. */
    public int queuedCommands() {
        return queuedCount;
    }

    /** Index of the current phase in the current program. */
    public int getPhase(String tlsId) {
        return getInt(CMD_GET_TL_VARIABLE, TL_CURRENT_PHASE, tlsId);
    }

    /** Switches to phase {@code index} of the current program. */
    public void setPhase(String tlsId, int index) {
        setInt(CMD_SET_TL_VARIABLE, TL_PHASE_INDEX, tlsId, index);
    }

    /** Total duration in seconds of the current phase as programmed (not the remaining time). */
    public double getPhaseDurationS(String tlsId) {
        return getDouble(CMD_GET_TL_VARIABLE, TL_PHASE_DURATION, tlsId);
    }

    /**
     * Sets the <em>remaining</em> duration in seconds of the current phase (SUMO's semantics for
     * {@code TL_PHASE_DURATION}); later repetitions of the phase are unaffected.
     */
    public void setPhaseDurationS(String tlsId, double durationS) {
        setDouble(CMD_SET_TL_VARIABLE, TL_PHASE_DURATION, tlsId, durationS);
    }

    /** Id of the running program. */
    public String getProgram(String tlsId) {
        return getString(CMD_GET_TL_VARIABLE, TL_CURRENT_PROGRAM, tlsId);
    }

    /** Switches to a loaded program; "off" is always available. Unknown ids throw with SUMO's text. */
    public void setProgram(String tlsId, String programId) {
        setString(CMD_SET_TL_VARIABLE, TL_PROGRAM, tlsId, programId);
    }

    /** All programs loaded for the traffic light ({@code TL_COMPLETE_DEFINITION_RYG}). */
    public List<TlsLogic> getCompleteDefinition(String tlsId) {
        TraciReader r = beginGet(CMD_GET_TL_VARIABLE, TL_COMPLETE_DEFINITION_RYG, tlsId);
        try {
            r.expectType(TYPE_COMPOUND);
            List<TlsLogic> logics = TraciCodec.readLogicsBody(r);
            endGet(r);
            return logics;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /**
     * Adds or replaces the program {@code logic.programId()} and makes it the running one
     * ({@code TL_COMPLETE_PROGRAM_RYG}).
     */
    public void setCompleteDefinition(String tlsId, TlsLogic logic) {
        int c = beginSet(tlsId, CMD_SET_TL_VARIABLE, TL_COMPLETE_PROGRAM_RYG);
        TraciCodec.writeLogic(writer, logic);
        finishSet(c, CMD_SET_TL_VARIABLE, TL_COMPLETE_PROGRAM_RYG, tlsId);
    }

    /** Incoming lanes per link index (a lane appears once per link it feeds). */
    public List<String> getControlledLanes(String tlsId) {
        return getStringList(CMD_GET_TL_VARIABLE, TL_CONTROLLED_LANES, tlsId);
    }

    /** Links per signal index: outer index = link index of the state string. */
    public List<List<TlsLink>> getControlledLinks(String tlsId) {
        TraciReader r = beginGet(CMD_GET_TL_VARIABLE, TL_CONTROLLED_LINKS, tlsId);
        try {
            r.expectType(TYPE_COMPOUND);
            List<List<TlsLink>> links = TraciCodec.readControlledLinksBody(r);
            endGet(r);
            return links;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /** Absolute simulation time in seconds at which the current phase is scheduled to end. */
    public double getNextSwitchS(String tlsId) {
        return getDouble(CMD_GET_TL_VARIABLE, TL_NEXT_SWITCH, tlsId);
    }

    // ---------------------------------------------------------------- detectors and lanes

    public List<String> inductionLoopIds() {
        return getStringList(CMD_GET_INDUCTIONLOOP_VARIABLE, TRACI_ID_LIST, "");
    }

    /** Vehicles that touched the loop during the last step. */
    public int inductionLoopVehicleNumber(String loopId) {
        return getInt(CMD_GET_INDUCTIONLOOP_VARIABLE, LAST_STEP_VEHICLE_NUMBER, loopId);
    }

    /** Per-vehicle passage data of the last step ({@code LAST_STEP_VEHICLE_DATA}). */
    public List<LoopVehicleData> inductionLoopVehicleData(String loopId) {
        TraciReader r = beginGet(CMD_GET_INDUCTIONLOOP_VARIABLE, LAST_STEP_VEHICLE_DATA, loopId);
        try {
            r.expectType(TYPE_COMPOUND);
            List<LoopVehicleData> data = TraciCodec.readLoopVehicleDataBody(r);
            endGet(r);
            return data;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /** Vehicles on the lane slower than 0.1 m/s in the last step. */
    public int laneHaltingNumber(String laneId) {
        return getInt(CMD_GET_LANE_VARIABLE, LAST_STEP_VEHICLE_HALTING_NUMBER, laneId);
    }

    /** Vehicles on the lane in the last step. */
    public int laneVehicleNumber(String laneId) {
        return getInt(CMD_GET_LANE_VARIABLE, LAST_STEP_VEHICLE_NUMBER, laneId);
    }

    /** Lane length in metres. */
    public double laneLengthM(String laneId) {
        return getDouble(CMD_GET_LANE_VARIABLE, VAR_LENGTH, laneId);
    }

    public List<String> laneAreaIds() {
        return getStringList(CMD_GET_LANEAREA_VARIABLE, TRACI_ID_LIST, "");
    }

    /** Length in metres of the jam (queue of halting vehicles) on the detector in the last step. */
    public double laneAreaJamLengthM(String detId) {
        return getDouble(CMD_GET_LANEAREA_VARIABLE, JAM_LENGTH_METERS, detId);
    }

    /** Number of vehicles in the jam on the detector in the last step. */
    public int laneAreaJamLengthVehicles(String detId) {
        return getInt(CMD_GET_LANEAREA_VARIABLE, JAM_LENGTH_VEHICLE, detId);
    }

    /** Vehicles on the detector in the last step. */
    public int laneAreaVehicleNumber(String detId) {
        return getInt(CMD_GET_LANEAREA_VARIABLE, LAST_STEP_VEHICLE_NUMBER, detId);
    }

    /** Halting vehicles on the detector in the last step. */
    public int laneAreaHaltingNumber(String detId) {
        return getInt(CMD_GET_LANEAREA_VARIABLE, LAST_STEP_VEHICLE_HALTING_NUMBER, detId);
    }

    // ---------------------------------------------------------------- generic access

    /** Reads an int variable; {@code getCommandId} is a {@code CMD_GET_*_VARIABLE} id. */
    public int getInt(int getCommandId, int variableId, String objectId) {
        TraciReader r = beginGet(getCommandId, variableId, objectId);
        try {
            int value = r.readTypedInt();
            endGet(r);
            return value;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /** Reads a double variable; {@code getCommandId} is a {@code CMD_GET_*_VARIABLE} id. */
    public double getDouble(int getCommandId, int variableId, String objectId) {
        TraciReader r = beginGet(getCommandId, variableId, objectId);
        try {
            double value = r.readTypedDouble();
            endGet(r);
            return value;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /**
     * Reads a double variable of each object in one round trip: one message with a get command per object, answered
     * in order. Gives the same values as {@link #getDouble(int, int, String)} per object, without a round trip each.
     * When SUMO refuses some of the gets, the first refusal is thrown after all answers are read (the connection stays
     * usable).
     *
     * @param getCommandId a {@code CMD_GET_*_VARIABLE} id
     * @return per object, in the order given, its value
     */
    public double[] getDoubles(int getCommandId, int variableId, List<String> objectIds) {
        double[] values = new double[objectIds.size()];
        if (values.length == 0) {
            return values;
        }
        writer.beginMessage();
        for (String objectId : objectIds) {
            writeGet(getCommandId, variableId, objectId);
        }
        if (queuedCount > 0) {
            flushQueued();
        }
        send(null, writer, getCommandId, variableId, objectIds.get(0));
        TraciException refused = null;
        try {
            for (int i = 0; i < values.length; i++) {
                String objectId = objectIds.get(i);
                try {
                    TraciCodec.readStatus(reader, getCommandId, variableId, objectId);
                } catch (TraciException e) {
                    if (e.sumoError().isEmpty()) {
                        throw e;
                    }
                    // A refused get is answered with its status only.
                    refused = refused == null ? e : refused;
                    values[i] = Double.NaN;
                    continue;
                }
                readGetHeader(reader, getCommandId, variableId, objectId);
                values[i] = reader.readTypedDouble();
                TraciCodec.expectEnd(reader, getEnd, "get response");
            }
            expectNoTrailingBytes(reader);
        } catch (TraciException e) {
            throw broken(e);
        }
        if (refused != null) {
            throw refused;
        }
        return values;
    }

    /** Reads a string variable; {@code getCommandId} is a {@code CMD_GET_*_VARIABLE} id. */
    public String getString(int getCommandId, int variableId, String objectId) {
        TraciReader r = beginGet(getCommandId, variableId, objectId);
        try {
            String value = r.readTypedString();
            endGet(r);
            return value;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /** Reads a string-list variable; {@code getCommandId} is a {@code CMD_GET_*_VARIABLE} id. */
    public List<String> getStringList(int getCommandId, int variableId, String objectId) {
        TraciReader r = beginGet(getCommandId, variableId, objectId);
        try {
            List<String> value = r.readTypedStringList();
            endGet(r);
            return value;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /**
     * Reads any parameterless variable in its generic form: {@link Integer}, {@link Double},
     * {@link String}, {@code List<String>}, {@code List<Object>} for compounds, {@code double[]} for
     * positions and double lists, {@code double[][]} for polygons, {@code int[4]} for colours.
     */
    public Object getValue(int getCommandId, int variableId, String objectId) {
        TraciReader r = beginGet(getCommandId, variableId, objectId);
        try {
            Object value = TraciCodec.readTypedValue(r);
            endGet(r);
            return value;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    public int getInt(Domain domain, int variableId, String objectId) {
        return getInt(domain.getCommandId(), variableId, objectId);
    }

    public double getDouble(Domain domain, int variableId, String objectId) {
        return getDouble(domain.getCommandId(), variableId, objectId);
    }

    public String getString(Domain domain, int variableId, String objectId) {
        return getString(domain.getCommandId(), variableId, objectId);
    }

    public List<String> getStringList(Domain domain, int variableId, String objectId) {
        return getStringList(domain.getCommandId(), variableId, objectId);
    }

    /**
     * Persistently overrides an induction loop's time since its last detection, as seen by SUMO's actuated logic: 0
     * reads as a vehicle always present, a large value as none ever; a negative value removes the override
     * ({@code VAR_VIRTUAL_DETECTION}).
     */
    public void overrideTimeSinceDetection(String loopId, double seconds) {
        setDouble(CMD_SET_INDUCTIONLOOP_VARIABLE, VAR_VIRTUAL_DETECTION, loopId, seconds);
    }

    /** Sets an int variable; {@code setCommandId} is a {@code CMD_SET_*_VARIABLE} id. */
    public void setInt(int setCommandId, int variableId, String objectId, int value) {
        int c = beginSet(objectId, setCommandId, variableId);
        writer.writeTypedInt(value);
        finishSet(c, setCommandId, variableId, objectId);
    }

    /** Sets a double variable; {@code setCommandId} is a {@code CMD_SET_*_VARIABLE} id. */
    public void setDouble(int setCommandId, int variableId, String objectId, double value) {
        int c = beginSet(objectId, setCommandId, variableId);
        writer.writeTypedDouble(value);
        finishSet(c, setCommandId, variableId, objectId);
    }

    /** Sets a string variable; {@code setCommandId} is a {@code CMD_SET_*_VARIABLE} id. */
    public void setString(int setCommandId, int variableId, String objectId, String value) {
        Objects.requireNonNull(value, "value");
        int c = beginSet(objectId, setCommandId, variableId);
        writer.writeTypedString(value);
        finishSet(c, setCommandId, variableId, objectId);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Sends {@code CMD_CLOSE} (SUMO then ends the simulation and exits) and closes the socket.
     * Idempotent; never throws: if SUMO is already gone the socket is simply closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            writer.beginMessage();
            int c = writer.beginCommand();
            writer.endCommand(c, CMD_CLOSE);
            exchange(CMD_CLOSE, -1, null);
        } catch (TraciException e) {
            // SUMO may have exited already; closing the socket below is all that is left to do.
        } finally {
            closeSocket();
        }
    }

    /**
     * Text appended to connection-loss errors, typically the tail of SUMO's log, because when the
     * socket dies the reason is only in SUMO's output.
     */
    void diagnostics(Supplier<String> source) {
        this.diagnostics = Objects.requireNonNull(source);
    }

    SubscriptionTable subscriptionTable() {
        return subscriptions;
    }

    // ---------------------------------------------------------------- internals

    private void handshake() {
        writer.beginMessage();
        int c = writer.beginCommand();
        writer.endCommand(c, CMD_GETVERSION);
        TraciReader r = exchange(CMD_GETVERSION, -1, null);
        try {
            int start = r.position();
            int end = start + r.readCommandLength();
            int id = r.readUnsignedByte();
            if (id != CMD_GETVERSION) {
                throw TraciReader.protocolError(String.format("version answer has id 0x%02x", id));
            }
            apiVersion = r.readInt();
            sumoVersion = r.readString();
            TraciCodec.expectEnd(r, end, "version response");
        } catch (TraciException e) {
            throw broken(e);
        }
        checkApiVersion(apiVersion, sumoVersion);
    }

    /**
     * Accepts only API 20. Version 19 (SUMO 1.1) encodes {@code TL_COMPLETE_PROGRAM_RYG} differently,
     * and 21 (SUMO 1.19) changed the protocol in ways this client has not been verified against, so
     * talking to either could silently misread values.
     */
    static void checkApiVersion(int apiVersion, String sumoVersion) {
        for (int v : SUPPORTED_API_VERSIONS) {
            if (v == apiVersion) {
                return;
            }
        }
        throw new TraciException("SUMO TraCI API version " + apiVersion + " is not supported; Greenwave speaks "
                + TRACI_VERSION + " (SUMO 1.15; API " + TRACI_VERSION + " covers SUMO 1.2 to 1.18). The server"
                + " identifies itself as '" + sumoVersion + "'. Install SUMO 1.15 (apt-get install sumo"
                + " sumo-tools) or point SumoOptions.binary at a compatible sumo.");
    }

    private TraciReader beginGet(int getCommandId, int variableId, String objectId) {
        writer.beginMessage();
        writeGet(getCommandId, variableId, objectId);
        TraciReader r = exchange(getCommandId, variableId, objectId);
        try {
            readGetHeader(r, getCommandId, variableId, objectId);
            return r;
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /** Appends a get command to the message begun in the writer. */
    private void writeGet(int getCommandId, int variableId, String objectId) {
        Objects.requireNonNull(objectId, "objectId");
        int c = writer.beginCommand();
        writer.writeUnsignedByte(variableId);
        writer.writeString(objectId);
        writer.endCommand(c, getCommandId);
    }

    /**
     * Reads the head of a get's response command (after its status), checks it answers this get and notes where the
     * command ends ({@link #getEnd}); leaves the reader at the value.
     */
    private void readGetHeader(TraciReader r, int getCommandId, int variableId, String objectId) {
        int start = r.position();
        getEnd = start + r.readCommandLength();
        int responseId = r.readUnsignedByte();
        int answeredVariable = r.readUnsignedByte();
        String answeredObject = r.readString();
        // SUMO answers CMD_GET_X (0xaN) with RESPONSE_GET_X (0xbN).
        if (responseId != getCommandId + 0x10 || answeredVariable != variableId || !answeredObject.equals(objectId)) {
            throw TraciReader.protocolError(String.format(
                    "get 0x%02x/0x%02x '%s' was answered with 0x%02x/0x%02x '%s'", getCommandId,
                    variableId, objectId, responseId, answeredVariable, answeredObject));
        }
    }

    private void endGet(TraciReader r) {
        TraciCodec.expectEnd(r, getEnd, "get response");
        expectNoTrailingBytes(r);
    }

    private int beginSet(String objectId, int setCommandId, int variableId) {
        Objects.requireNonNull(objectId, "objectId");
        writer.beginMessage();
        int c = writer.beginCommand();
        writer.writeUnsignedByte(variableId);
        writer.writeString(objectId);
        return c;
    }

    private void finishSet(int command, int setCommandId, int variableId, String objectId) {
        writer.endCommand(command, setCommandId);
        TraciReader r = exchange(setCommandId, variableId, objectId);
        try {
            expectNoTrailingBytes(r);
        } catch (TraciException e) {
            throw broken(e);
        }
    }

    /**
     * Sends the message in the writer, reads the whole response message and its leading status
     * response; returns the reader positioned after the status.
     */
    private TraciReader exchange(int commandId, int variableId, String objectId) {
        if (queuedCount > 0) {
            if (commandId == CMD_CLOSE) {
                // SUMO ends the simulation: states it would show after the last step no longer matter.
                queuedCount = 0;
            } else {
                flushQueued();
            }
        }
        send(null, writer, commandId, variableId, objectId);
        return readStatus(commandId, variableId, objectId);
    }

    /** Sends the queued states on their own, in one round trip; throws SUMO's first refusal after reading them all. */
    private void flushQueued() {
        int n = queuedCount;
        queuedCount = 0;
        send(null, queued, CMD_SET_TL_VARIABLE, TL_RED_YELLOW_GREEN_STATE, queuedObjects[0]);
        TraciException refused = readSetStatuses(n);
        try {
            expectNoTrailingBytes(reader);
        } catch (TraciException e) {
            throw broken(e);
        }
        if (refused != null) {
            throw refused;
        }
    }

    /**
     * Reads the statuses of the first {@code n} queued sets from the reader; returns SUMO's first refusal, or null.
     * Anything but a refusal breaks the connection and is thrown.
     */
    private TraciException readSetStatuses(int n) {
        TraciException refused = null;
        for (int i = 0; i < n; i++) {
            try {
                TraciCodec.readStatus(reader, CMD_SET_TL_VARIABLE, TL_RED_YELLOW_GREEN_STATE, queuedObjects[i]);
            } catch (TraciException e) {
                if (e.sumoError().isEmpty()) {
                    throw broken(e);
                }
                refused = refused == null ? e : refused;
            }
        }
        return refused;
    }

    /**
     * Sends one message made of the commands in {@code first} (a message begun but not ended; may be null) followed
     * by those in {@code second}, and reads the whole response message into the reader.
     */
    private void send(TraciWriter first, TraciWriter second, int commandId, int variableId, String objectId) {
        write(first, second, commandId, variableId, objectId);
        flush(commandId, variableId, objectId);
        receive(commandId, variableId, objectId);
    }

    /**
     * Writes (without flushing) one message made of the commands in {@code first} (a message begun but not ended; may
     * be null) followed by those in {@code second}.
     */
    private void write(TraciWriter first, TraciWriter second, int commandId, int variableId, String objectId) {
        if (closed) {
            throw new TraciException("the TraCI connection is closed", commandId, null, null);
        }
        try {
            if (first == null) {
                second.endMessage();
                out.write(second.array(), 0, second.size());
            } else {
                // Both writers reserved 4 bytes for a message length: one length for both, then their commands.
                int total = first.size() + second.size() - 4;
                out.write(total >>> 24);
                out.write(total >>> 16);
                out.write(total >>> 8);
                out.write(total);
                out.write(first.array(), 4, first.size() - 4);
                out.write(second.array(), 4, second.size() - 4);
            }
        } catch (IOException e) {
            throw failed(e, commandId, variableId, objectId);
        }
    }

    private void flush(int commandId, int variableId, String objectId) {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e, commandId, variableId, objectId);
        }
    }

    /** Reads the next whole response message into the reader. */
    private void receive(int commandId, int variableId, String objectId) {
        try {
            int length = in.readInt();
            if (length < 4 || length > MAX_MESSAGE_BYTES) {
                throw broken(TraciReader.protocolError("message length " + length));
            }
            int bodyLength = length - 4;
            if (bodyLength > inBuffer.length) {
                inBuffer = new byte[Math.max(bodyLength, inBuffer.length * 2)];
            }
            in.readFully(inBuffer, 0, bodyLength);
            reader.reset(inBuffer, 0, bodyLength);
        } catch (IOException e) {
            throw failed(e, commandId, variableId, objectId);
        }
    }

    private TraciException failed(IOException e, int commandId, int variableId, String objectId) {
        if (e instanceof EOFException) {
            return broken(new TraciException("SUMO closed the connection during "
                    + TraciCodec.describe(commandId, variableId, objectId) + diagnosticSuffix(), commandId, null, e));
        }
        return broken(new TraciException("TraCI connection failed during "
                + TraciCodec.describe(commandId, variableId, objectId) + ": " + e.getMessage()
                + diagnosticSuffix(), commandId, null, e));
    }

    /** Reads the status response of a command from the response in the reader; returns the reader after it. */
    private TraciReader readStatus(int commandId, int variableId, String objectId) {
        try {
            TraciCodec.readStatus(reader, commandId, variableId, objectId);
        } catch (TraciException e) {
            throw broken(e);
        }
        return reader;
    }

    private void expectNoTrailingBytes(TraciReader r) {
        if (r.hasRemaining()) {
            throw TraciReader.protocolError(r.remaining() + " unexpected bytes at the end of the response");
        }
    }

    /**
     * Marks the connection unusable unless {@code e} is an error SUMO reported for a command (after
     * which SUMO continues normally); returns {@code e} for rethrowing.
     */
    private TraciException broken(TraciException e) {
        if (e.sumoError().isEmpty()) {
            closeSocket();
        }
        return e;
    }

    private String diagnosticSuffix() {
        String text;
        try {
            text = diagnostics.get();
        } catch (RuntimeException e) {
            text = "(could not collect diagnostics: " + e + ")";
        }
        return text == null || text.isEmpty() ? "" : "\n" + text;
    }

    private void closeSocket() {
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing useful to do: the socket is unusable either way.
        }
    }

    private static void sleep(long ms) throws InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to SUMO");
        }
    }
}
