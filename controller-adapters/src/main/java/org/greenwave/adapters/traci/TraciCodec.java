/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoding and decoding of TraCI status responses and of the typed values this client understands.
 * Stateless; the byte layouts follow SUMO's TraCI server (API version 20) as mirrored by
 * {@code tools/traci} in SUMO 1.15.
 */
final class TraciCodec {

    private TraciCodec() {
    }

    /**
     * Reads one status response {@code [len][cmdId][result][description]} and returns normally only
     * if it acknowledges {@code expectedCommandId} with {@code RTYPE_OK}.
     *
     * @param variableId variable the command addressed, or -1; only used in the error message
     * @param objectId   object the command addressed, or null; only used in the error message
     * @throws TraciException carrying SUMO's description if SUMO reports an error or "not implemented",
     *                        or a protocol error if the response is malformed or for another command
     */
    static void readStatus(TraciReader r, int expectedCommandId, int variableId, String objectId) {
        int start = r.position();
        int length = r.readCommandLength();
        int commandId = r.readUnsignedByte();
        int result = r.readUnsignedByte();
        String description = r.readString();
        expectEnd(r, start + length, "status response");
        if (commandId != expectedCommandId) {
            throw TraciReader.protocolError(String.format(
                    "status response is for command 0x%02x, expected 0x%02x (%s)",
                    commandId, expectedCommandId, describe(expectedCommandId, variableId, objectId)));
        }
        if (result == RTYPE_OK) {
            return;
        }
        String what = describe(commandId, variableId, objectId);
        String message;
        if (result == RTYPE_ERR) {
            message = "SUMO rejected " + what + ": " + description;
        } else if (result == RTYPE_NOTIMPLEMENTED) {
            message = "SUMO does not implement " + what + ": " + description;
        } else {
            message = String.format("SUMO answered %s with unknown result 0x%02x: %s", what, result, description);
        }
        throw new TraciException(message, commandId, description, null);
    }

    /** A short human description of a command for error messages, e.g. "set traffic light 'C' variable 0x23". */
    static String describe(int commandId, int variableId, String objectId) {
        switch (commandId) {
            case CMD_GETVERSION:
                return "the version query";
            case CMD_SIMSTEP:
                return "the simulation step";
            case CMD_CLOSE:
                return "the close command";
            default:
                break;
        }
        Domain domain = Domain.forCommand(commandId);
        if (domain == null) {
            return String.format("command 0x%02x", commandId);
        }
        String verb = commandId == domain.getCommandId() ? "get"
                : commandId == domain.setCommandId() ? "set" : "subscribe to";
        StringBuilder sb = new StringBuilder(verb).append(' ').append(domain.displayName());
        if (objectId != null && !objectId.isEmpty()) {
            sb.append(" '").append(objectId).append('\'');
        }
        if (variableId >= 0) {
            sb.append(String.format(" variable 0x%02x", variableId));
        }
        return sb.toString();
    }

    /** Checks that a command that should end at {@code end} consumed exactly its bytes. */
    static void expectEnd(TraciReader r, int end, String what) {
        if (r.position() != end) {
            throw TraciReader.protocolError(what + " ended at offset " + r.position()
                    + " but its length says " + end);
        }
    }

    /**
     * Reads one typed value: tag, then body. Numbers come back boxed ({@link Integer} for int, byte
     * and ubyte, {@link Double}); strings as {@link String}; string lists as {@code List<String>};
     * compounds as {@code List<Object>} of their typed items; double lists, positions and polygons as
     * {@code double[]} / {@code double[][]}; colours as {@code int[4]} (r, g, b, a); road-map
     * positions as {@code List.of(roadId, posM, laneIndex)}.
     */
    static Object readTypedValue(TraciReader r) {
        return readValueBody(r, r.readUnsignedByte());
    }

    /** Reads the body of a value whose type tag {@code tag} has already been read. */
    static Object readValueBody(TraciReader r, int tag) {
        switch (tag) {
            case TYPE_INTEGER:
                return r.readInt();
            case TYPE_DOUBLE:
                return r.readDouble();
            case TYPE_UBYTE:
                return r.readUnsignedByte();
            case TYPE_BYTE:
                return r.readByte();
            case TYPE_STRING:
                return r.readString();
            case TYPE_STRINGLIST:
                return r.readStringList();
            case TYPE_DOUBLELIST: {
                int n = r.readCount();
                checkFits(r, n, 8);
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = r.readDouble();
                }
                return values;
            }
            case TYPE_COMPOUND: {
                int n = r.readCount();
                // Each item has at least its one-byte tag.
                checkFits(r, n, 1);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readTypedValue(r));
                }
                return Collections.unmodifiableList(items);
            }
            case POSITION_2D:
            case POSITION_LON_LAT:
                return new double[] {r.readDouble(), r.readDouble()};
            case POSITION_3D:
            case POSITION_LON_LAT_ALT:
                return new double[] {r.readDouble(), r.readDouble(), r.readDouble()};
            case POSITION_ROADMAP:
                return List.of(r.readString(), r.readDouble(), r.readUnsignedByte());
            case TYPE_POLYGON: {
                // Point count as one byte, or 0 followed by an int for 256 points and more.
                int n = r.readUnsignedByte();
                if (n == 0) {
                    n = r.readCount();
                }
                checkFits(r, n, 16);
                double[][] points = new double[n][];
                for (int i = 0; i < n; i++) {
                    points[i] = new double[] {r.readDouble(), r.readDouble()};
                }
                return points;
            }
            case TYPE_COLOR:
                return new int[] {r.readUnsignedByte(), r.readUnsignedByte(), r.readUnsignedByte(),
                        r.readUnsignedByte()};
            default:
                throw TraciReader.protocolError(String.format("unknown type tag 0x%02x", tag));
        }
    }

    /**
     * Reads a compound whose layout this client knows for {@code (domain, variableId)} into its
     * record form, after the {@code TYPE_COMPOUND} tag has been read. Returns null for other
     * variables so the caller falls back to the generic form.
     */
    static Object readKnownCompoundBody(TraciReader r, Domain domain, int variableId) {
        if (domain == Domain.TRAFFIC_LIGHT && variableId == TL_COMPLETE_DEFINITION_RYG) {
            return readLogicsBody(r);
        }
        if (domain == Domain.TRAFFIC_LIGHT && variableId == TL_CONTROLLED_LINKS) {
            return readControlledLinksBody(r);
        }
        if (domain == Domain.INDUCTION_LOOP && variableId == LAST_STEP_VEHICLE_DATA) {
            return readLoopVehicleDataBody(r);
        }
        return null;
    }

    /** {@code TL_COMPLETE_DEFINITION_RYG}, after its compound tag: count, then one 5-item compound per program. */
    static List<TlsLogic> readLogicsBody(TraciReader r) {
        int logicCount = r.readCount();
        checkFits(r, logicCount, 5);
        List<TlsLogic> logics = new ArrayList<>(logicCount);
        for (int i = 0; i < logicCount; i++) {
            expectItems(r.readCompoundHeader(), 5, "traffic-light program");
            String programId = r.readTypedString();
            int type = r.readTypedInt();
            int currentPhase = r.readTypedInt();
            int phaseCount = r.readCompoundHeader();
            checkFits(r, phaseCount, 5);
            List<TlsPhase> phases = new ArrayList<>(phaseCount);
            for (int p = 0; p < phaseCount; p++) {
                expectItems(r.readCompoundHeader(), 6, "traffic-light phase");
                double durationS = r.readTypedDouble();
                String state = r.readTypedString();
                double minDurS = r.readTypedDouble();
                double maxDurS = r.readTypedDouble();
                int nextCount = r.readCompoundHeader();
                checkFits(r, nextCount, 5);
                int[] next = new int[nextCount];
                for (int k = 0; k < nextCount; k++) {
                    next[k] = r.readTypedInt();
                }
                String name = r.readTypedString();
                phases.add(new TlsPhase(durationS, state, minDurS, maxDurS, next, name));
            }
            int paramCount = r.readCompoundHeader();
            checkFits(r, paramCount, 5);
            Map<String, String> params = new LinkedHashMap<>();
            for (int k = 0; k < paramCount; k++) {
                List<String> pair = r.readTypedStringList();
                if (pair.size() != 2) {
                    throw TraciReader.protocolError("program parameter has " + pair.size() + " strings, expected 2");
                }
                params.put(pair.get(0), pair.get(1));
            }
            logics.add(new TlsLogic(programId, type, currentPhase, phases, params));
        }
        return Collections.unmodifiableList(logics);
    }

    /** Writes {@code logic} in the layout {@code TL_COMPLETE_PROGRAM_RYG} expects. */
    static void writeLogic(TraciWriter w, TlsLogic logic) {
        w.writeCompoundHeader(5);
        w.writeTypedString(logic.programId());
        w.writeTypedInt(logic.type());
        w.writeTypedInt(logic.currentPhaseIndex());
        w.writeCompoundHeader(logic.phases().size());
        for (TlsPhase phase : logic.phases()) {
            w.writeCompoundHeader(6);
            w.writeTypedDouble(phase.durationS());
            w.writeTypedString(phase.state());
            w.writeTypedDouble(phase.minDurS());
            w.writeTypedDouble(phase.maxDurS());
            int[] next = phase.next();
            w.writeCompoundHeader(next.length);
            for (int n : next) {
                w.writeTypedInt(n);
            }
            w.writeTypedString(phase.name());
        }
        w.writeCompoundHeader(logic.params().size());
        for (Map.Entry<String, String> e : logic.params().entrySet()) {
            w.writeTypedStringList(List.of(e.getKey(), e.getValue()));
        }
    }

    /**
     * {@code TL_CONTROLLED_LINKS}, after its compound tag: item count, typed int signal count, then per
     * signal index a typed int link count and per link a string list {@code [from, to, via]}.
     */
    static List<List<TlsLink>> readControlledLinksBody(TraciReader r) {
        r.readCount(); // total item count; the typed counts below are authoritative
        int signalCount = r.readTypedInt();
        checkFits(r, signalCount, 5);
        List<List<TlsLink>> signals = new ArrayList<>(signalCount);
        for (int i = 0; i < signalCount; i++) {
            int linkCount = r.readTypedInt();
            checkFits(r, linkCount, 5);
            List<TlsLink> links = new ArrayList<>(linkCount);
            for (int k = 0; k < linkCount; k++) {
                List<String> lanes = r.readTypedStringList();
                if (lanes.size() != 3) {
                    throw TraciReader.protocolError("controlled link has " + lanes.size() + " lanes, expected 3");
                }
                links.add(new TlsLink(lanes.get(0), lanes.get(1), lanes.get(2)));
            }
            signals.add(Collections.unmodifiableList(links));
        }
        return Collections.unmodifiableList(signals);
    }

    /**
     * {@code LAST_STEP_VEHICLE_DATA}, after its compound tag: item count, typed int vehicle count, then
     * per vehicle id, length, entry time, leave time and type id, each typed.
     */
    static List<LoopVehicleData> readLoopVehicleDataBody(TraciReader r) {
        r.readCount(); // total item count; the typed vehicle count below is authoritative
        int vehicleCount = r.readTypedInt();
        checkFits(r, vehicleCount, 5 * 5);
        if (vehicleCount == 0) {
            return List.of();
        }
        List<LoopVehicleData> data = new ArrayList<>(vehicleCount);
        for (int i = 0; i < vehicleCount; i++) {
            String vehicleId = r.readTypedString();
            double lengthM = r.readTypedDouble();
            double entryTimeS = r.readTypedDouble();
            double leaveTimeS = r.readTypedDouble();
            String typeId = r.readTypedString();
            data.add(new LoopVehicleData(vehicleId, lengthM, entryTimeS, leaveTimeS, typeId));
        }
        return Collections.unmodifiableList(data);
    }

    private static void expectItems(int actual, int expected, String what) {
        if (actual != expected) {
            throw TraciReader.protocolError(what + " has " + actual + " items, expected " + expected);
        }
    }

    /** Rejects counts that cannot fit in the rest of the message before allocating for them. */
    private static void checkFits(TraciReader r, int count, int minBytesEach) {
        if (count < 0 || (long) count * minBytesEach > r.remaining()) {
            throw TraciReader.protocolError(count + " entries of at least " + minBytesEach
                    + " bytes do not fit in the " + r.remaining() + " bytes left");
        }
    }
}
