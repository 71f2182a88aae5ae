/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's subscriptions, grouped per SUMO object, and the decoder of subscription responses.
 *
 * <p>SUMO keeps one variable subscription per (domain, object): subscribing again replaces the
 * previous variable list. So that several handles on one object can coexist, the table subscribes
 * SUMO to the union of all handles' variables and fans each received value out to every handle that
 * asked for it.
 *
 * <p>Objects that exist for the whole simulation ({@link Domain#fetchedByGet()}) are not subscribed in SUMO: the
 * table writes one get command per variable of each such group ({@link #gets}), which the client sends in one
 * message after each step, and reads their answers ({@link #readGets}). The handles see the same values either way:
 * the state after the step.
 *
 * <p>Not thread-safe; owned by one {@link TraciClient}.
 */
final class SubscriptionTable {

    /** All handles on one SUMO object and the union of their variables, in first-subscribed order. */
    static final class Group {
        final Domain domain;
        final String objectId;
        /** True if the group's values come from get commands sent with each step rather than a SUMO subscription. */
        final boolean fetchedByGet;
        /** The object id as SUMO sends it, to recognise the group's responses without decoding the id. */
        final byte[] objectIdUtf8;
        int[] unionVariableIds = new int[0];
        final List<Subscription> handles = new ArrayList<>(1);
        /** Per position in {@link #unionVariableIds}: the handles that asked for that variable, and their slots. */
        Subscription[][] fanHandles = new Subscription[0][];
        int[][] fanSlots = new int[0][];

        Group(Domain domain, String objectId) {
            this.domain = domain;
            this.objectId = objectId;
            this.fetchedByGet = domain.fetchedByGet();
            this.objectIdUtf8 = objectId.getBytes(StandardCharsets.UTF_8);
        }

        /** Recomputes the fan-out after the union or the handles changed. */
        void rebuildFanOut() {
            int n = unionVariableIds.length;
            fanHandles = new Subscription[n][];
            fanSlots = new int[n][];
            for (int k = 0; k < n; k++) {
                int count = 0;
                for (Subscription s : handles) {
                    count += s.indexOf(unionVariableIds[k]) >= 0 ? 1 : 0;
                }
                fanHandles[k] = new Subscription[count];
                fanSlots[k] = new int[count];
                int j = 0;
                for (Subscription s : handles) {
                    int slot = s.indexOf(unionVariableIds[k]);
                    if (slot >= 0) {
                        fanHandles[k][j] = s;
                        fanSlots[k][j++] = slot;
                    }
                }
            }
        }
    }

    /**
     * The group that answered at each position of the last step's responses: SUMO answers a step's subscriptions in
     * the same order every step, so the next step's response at that position is checked against it first.
     */
    private Group[] stepOrder = new Group[64];

    private final Map<Domain, Map<String, Group>> groups = new EnumMap<>(Domain.class);
    private final List<Subscription> allHandles = new ArrayList<>();

    /** The groups fetched by get commands, in the order of their gets in each step's message. */
    private final List<Group> fetched = new ArrayList<>();
    /** The get commands of {@link #fetched} as sent, rebuilt when a group or its variables change. */
    private final TraciWriter gets = new TraciWriter(1024);
    private boolean getsStale;

    /** The variable list SUMO must be subscribed to if a handle for {@code variableIds} is added. */
    int[] unionWith(Domain domain, String objectId, int[] variableIds) {
        Group g = group(domain, objectId);
        int[] current = g == null ? new int[0] : g.unionVariableIds;
        int[] union = Arrays.copyOf(current, current.length + variableIds.length);
        int n = current.length;
        for (int v : variableIds) {
            if (!contains(union, n, v)) {
                union[n++] = v;
            }
        }
        return Arrays.copyOf(union, n);
    }

    /** Records a new handle after SUMO accepted the subscription to {@code unionVariableIds}. */
    Subscription add(Domain domain, String objectId, int[] variableIds, int[] unionVariableIds) {
        Group g = groups.computeIfAbsent(domain, d -> new HashMap<>())
                .computeIfAbsent(objectId, id -> new Group(domain, id));
        if (g.fetchedByGet) {
            if (g.handles.isEmpty()) {
                fetched.add(g);
            }
            getsStale = true;
        }
        g.unionVariableIds = unionVariableIds.clone();
        Subscription s = new Subscription(domain, objectId, variableIds);
        g.handles.add(s);
        allHandles.add(s);
        g.rebuildFanOut();
        return s;
    }

    /**
     * The variable list SUMO must keep for the object of {@code s} once {@code s} is gone; empty
     * means SUMO's subscription must be removed.
     */
    int[] unionWithout(Subscription s) {
        Group g = group(s.domain(), s.objectId());
        if (g == null || !g.handles.contains(s)) {
            throw new IllegalArgumentException(s + " is not an active subscription of this client");
        }
        int[] union = new int[g.unionVariableIds.length];
        int n = 0;
        for (int v : g.unionVariableIds) {
            for (Subscription other : g.handles) {
                if (other != s && other.indexOf(v) >= 0) {
                    union[n++] = v;
                    break;
                }
            }
        }
        return Arrays.copyOf(union, n);
    }

    /** Forgets {@code s} after SUMO was told the reduced variable list. */
    void remove(Subscription s, int[] remainingUnion) {
        Group g = group(s.domain(), s.objectId());
        g.handles.remove(s);
        allHandles.remove(s);
        s.deactivate();
        g.unionVariableIds = remainingUnion.clone();
        g.rebuildFanOut();
        // A removed handle's object may answer elsewhere in the next step, or not at all.
        Arrays.fill(stepOrder, null);
        if (g.handles.isEmpty()) {
            groups.get(s.domain()).remove(s.objectId());
            fetched.remove(g);
        }
        getsStale |= g.fetchedByGet;
    }

    /** The group of {@code s}'s object. */
    Group groupOf(Subscription s) {
        return group(s.domain(), s.objectId());
    }

    /** True if some group is fetched by get commands, which then follow each step command. */
    boolean hasGets() {
        return !fetched.isEmpty();
    }

    /**
     * The message of one get command per variable of every group fetched by gets, in the order {@link #readGets}
     * reads their answers; rebuilt only when a group or its variables changed.
     */
    TraciWriter gets() {
        if (getsStale) {
            gets.beginMessage();
            for (int i = 0, n = fetched.size(); i < n; i++) {
                writeGets(gets, fetched.get(i));
            }
            gets.endMessage();
            getsStale = false;
        }
        return gets;
    }

    /** Appends the get commands of one group's variables to the message begun in {@code w}. */
    static void writeGets(TraciWriter w, Group g) {
        int commandId = g.domain.getCommandId();
        for (int v : g.unionVariableIds) {
            int c = w.beginCommand();
            w.writeUnsignedByte(v);
            w.writeString(g.objectId);
            w.endCommand(c, commandId);
        }
    }

    /**
     * Reads the answers to {@link #gets}: per get its status and, if SUMO accepted it, its response, and writes
     * the values into the handles. A refused get leaves SUMO's text as the slot's error, as a subscription's refused
     * variable does.
     */
    void readGets(TraciReader r) {
        for (int i = 0, n = fetched.size(); i < n; i++) {
            readGets(r, fetched.get(i), false);
        }
    }

    /**
     * Reads the answers to the get commands of one group ({@link #writeGets}). With {@code throwRefusal}, SUMO's
     * refusal of a get is thrown (after reading every answer) instead of stored in the slots.
     */
    void readGets(TraciReader r, Group g, boolean throwRefusal) {
        int commandId = g.domain.getCommandId();
        int responseId = g.domain.getResponseId();
        TraciException refused = null;
        for (int k = 0; k < g.unionVariableIds.length; k++) {
            int variableId = g.unionVariableIds[k];
            int start = r.position();
            int end = start + r.readCommandLength();
            int answered = r.readUnsignedByte();
            int result = r.readUnsignedByte();
            if (answered != commandId) {
                throw TraciReader.protocolError(String.format("status response is for command 0x%02x, expected"
                        + " 0x%02x (get of %s '%s')", answered, commandId, g.domain.displayName(), g.objectId));
            }
            if (result != RTYPE_OK) {
                // A refused get is answered with its status only.
                r.position(start);
                try {
                    TraciCodec.readStatus(r, commandId, variableId, g.objectId);
                    throw TraciReader.protocolError("refusal without an error result");
                } catch (TraciException e) {
                    if (e.sumoError().isEmpty()) {
                        throw e;
                    }
                    if (throwRefusal) {
                        refused = refused == null ? e : refused;
                    }
                    Subscription[] handles = g.fanHandles[k];
                    for (int h = 0; h < handles.length; h++) {
                        handles[h].setError(g.fanSlots[k][h], e.sumoError().get());
                    }
                }
                continue;
            }
            r.position(end);
            int responseEnd = r.position() + r.readCommandLength();
            if (r.readUnsignedByte() != responseId || r.readUnsignedByte() != variableId
                    || !r.skipStringIfEquals(g.objectIdUtf8)) {
                throw TraciReader.protocolError(String.format("get 0x%02x/0x%02x '%s' was answered for another"
                        + " command, variable or object", commandId, variableId, g.objectId));
            }
            store(r, g, k, r.readUnsignedByte());
            if (r.position() != responseEnd) {
                TraciCodec.expectEnd(r, responseEnd, "get response for " + g.domain.displayName() + " '"
                        + g.objectId + "'");
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** Reads the value of type {@code type} at the reader into the handles that asked for the group's variable k. */
    private static void store(TraciReader r, Group g, int k, int type) {
        Subscription[] handles = g.fanHandles[k];
        int[] slots = g.fanSlots[k];
        if (Subscription.isNumeric(type)) {
            double value = readNumberBody(r, type);
            for (int h = 0; h < handles.length; h++) {
                handles[h].setNumber(slots[h], type, value);
            }
        } else {
            Object value = type == TYPE_COMPOUND ? readCompound(r, g.domain, g.unionVariableIds[k])
                    : TraciCodec.readValueBody(r, type);
            for (int h = 0; h < handles.length; h++) {
                handles[h].setObject(slots[h], type, value);
            }
        }
    }

    /** Clears every handle before a step's responses are applied, so missing values read as absent. */
    void beginStep() {
        for (int i = 0, n = allHandles.size(); i < n; i++) {
            allHandles.get(i).clearStep();
        }
    }

    int handleCount() {
        return allHandles.size();
    }

    /**
     * Reads one variable-subscription response
     * {@code [len][responseId][objectId][varCount:1]{[varId][status][typed value]}} and writes its
     * values into the handles of its object. Responses for objects or domains without handles are
     * skipped by their length.
     *
     * @return the domain and object of the response, for callers that check an expected answer
     */
    Group readResponse(TraciReader r) {
        return readResponse(r, -1);
    }

    /**
     * As {@link #readResponse(TraciReader)} for the response at position {@code index} of a step's responses
     * (-1: not part of a step). Without allocating when the response's object is the one at that position last step.
     */
    Group readResponse(TraciReader r, int index) {
        int start = r.position();
        int end = start + r.readCommandLength();
        int responseId = r.readUnsignedByte();
        Domain domain = Domain.forSubscribeResponse(responseId);
        if (domain == null) {
            // Not a variable subscription we can create (e.g. a context subscription): skip it whole.
            r.position(end);
            return null;
        }
        Group expected = index >= 0 && index < stepOrder.length ? stepOrder[index] : null;
        Group g;
        if (expected != null && expected.domain == domain && r.skipStringIfEquals(expected.objectIdUtf8)) {
            g = expected;
        } else {
            g = group(domain, r.readString());
            if (index >= 0) {
                if (index >= stepOrder.length) {
                    stepOrder = Arrays.copyOf(stepOrder, Math.max(index + 1, stepOrder.length * 2));
                }
                stepOrder[index] = g;
            }
        }
        if (g == null) {
            r.position(end);
            return null;
        }
        int varCount = r.readUnsignedByte();
        for (int k = 0; k < varCount; k++) {
            int variableId = r.readUnsignedByte();
            int status = r.readUnsignedByte();
            if (k < g.unionVariableIds.length && g.unionVariableIds[k] == variableId) {
                // SUMO answers in the order subscribed: the fan-out of this position is known.
                if (status != RTYPE_OK) {
                    String text = readErrorText(r);
                    Subscription[] handles = g.fanHandles[k];
                    for (int h = 0; h < handles.length; h++) {
                        handles[h].setError(g.fanSlots[k][h], text);
                    }
                    continue;
                }
                store(r, g, k, r.readUnsignedByte());
                continue;
            }
            if (status != RTYPE_OK) {
                String text = readErrorText(r);
                for (int h = 0, n = g.handles.size(); h < n; h++) {
                    Subscription s = g.handles.get(h);
                    int i = s.indexOf(variableId);
                    if (i >= 0) {
                        s.setError(i, text);
                    }
                }
                continue;
            }
            int type = r.readUnsignedByte();
            if (Subscription.isNumeric(type)) {
                double value = readNumberBody(r, type);
                for (int h = 0, n = g.handles.size(); h < n; h++) {
                    Subscription s = g.handles.get(h);
                    int i = s.indexOf(variableId);
                    if (i >= 0) {
                        s.setNumber(i, type, value);
                    }
                }
            } else {
                Object value = type == TYPE_COMPOUND ? readCompound(r, domain, variableId)
                        : TraciCodec.readValueBody(r, type);
                for (int h = 0, n = g.handles.size(); h < n; h++) {
                    Subscription s = g.handles.get(h);
                    int i = s.indexOf(variableId);
                    if (i >= 0) {
                        s.setObject(i, type, value);
                    }
                }
            }
        }
        if (r.position() != end) {
            // The message is built only for the error: every step reads hundreds of responses.
            TraciCodec.expectEnd(r, end, "subscription response for " + domain.displayName() + " '" + g.objectId
                    + "'");
        }
        return g;
    }

    private static Object readCompound(TraciReader r, Domain domain, int variableId) {
        int afterTag = r.position();
        Object known = TraciCodec.readKnownCompoundBody(r, domain, variableId);
        if (known != null) {
            return known;
        }
        r.position(afterTag);
        return TraciCodec.readValueBody(r, TYPE_COMPOUND);
    }

    private static double readNumberBody(TraciReader r, int type) {
        switch (type) {
            case TYPE_INTEGER:
                return r.readInt();
            case TYPE_DOUBLE:
                return r.readDouble();
            case TYPE_UBYTE:
                return r.readUnsignedByte();
            default:
                return r.readByte();
        }
    }

    /** SUMO sends the error of one subscribed variable as a typed string. */
    private static String readErrorText(TraciReader r) {
        Object v = TraciCodec.readTypedValue(r);
        return v instanceof String s ? s : String.valueOf(v);
    }

    private Group group(Domain domain, String objectId) {
        Map<String, Group> byId = groups.get(domain);
        return byId == null ? null : byId.get(objectId);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
