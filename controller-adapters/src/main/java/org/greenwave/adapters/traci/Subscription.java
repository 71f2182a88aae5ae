/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.greenwave.adapters.traci.TraciConstants.*;

import java.util.Optional;

/**
 * Handle to one variable subscription of one SUMO object, created by {@link TraciClient#subscribe}.
 *
 * <p>The client writes the values of every subscribed variable into the handle, in place, during
 * {@link TraciClient#subscribe} (the values at that moment) and during each
 * {@link TraciClient#simulationStep} (the values after the step). Slot {@code i} belongs to
 * {@code variableIds()[i]}.
 *
 * <p>Threading: not thread-safe. Read a handle only on the thread that owns its {@link TraciClient},
 * between calls to {@code simulationStep}; a step overwrites all values.
 *
 * <p>Numbers (SUMO ints, doubles and bytes) live in a preallocated {@code double[]} and are read with
 * {@link #number(int)} without boxing; all other values (strings, string lists, compounds such as
 * {@code List<LoopVehicleData>}) with {@link #value(int)}. Reading a slot that has no value this step
 * is a caller bug and throws; check {@link #hasValue(int)} first when a value can be missing.
 */
public final class Subscription {

    private final Domain domain;
    private final String objectId;
    private final int[] variableIds;
    private final double[] numbers;
    private final Object[] objects;
    private final int[] types;
    private final boolean[] present;
    private final String[] errors;
    private boolean active = true;

    Subscription(Domain domain, String objectId, int[] variableIds) {
        this.domain = domain;
        this.objectId = objectId;
        this.variableIds = variableIds.clone();
        int n = variableIds.length;
        this.numbers = new double[n];
        this.objects = new Object[n];
        this.types = new int[n];
        this.present = new boolean[n];
        this.errors = new String[n];
    }

    public Domain domain() {
        return domain;
    }

    public String objectId() {
        return objectId;
    }

    /** A copy of the subscribed variable ids; position {@code i} is slot {@code i}. */
    public int[] variableIds() {
        return variableIds.clone();
    }

    /** Number of slots (subscribed variables). */
    public int size() {
        return variableIds.length;
    }

    /** The slot of {@code variableId}, or -1 if it is not part of this subscription. */
    public int indexOf(int variableId) {
        for (int i = 0; i < variableIds.length; i++) {
            if (variableIds[i] == variableId) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True if SUMO delivered slot {@code i} in the last update. False if SUMO reported an error for
     * that variable (see {@link #errorText(int)}), if the object no longer reported at all (a vehicle
     * that left), or after {@link TraciClient#unsubscribe}.
     */
    public boolean hasValue(int i) {
        return present[i];
    }

    /**
     * Slot {@code i} as a number: ints, bytes and doubles, in SUMO's units for that variable.
     *
     * @throws IllegalStateException if the slot has no value this step or holds a non-numeric value
     */
    public double number(int i) {
        if (!present[i]) {
            throw missing(i);
        }
        if (!isNumeric(types[i])) {
            throw new IllegalStateException(String.format(
                    "variable 0x%02x of %s '%s' is not a number (type 0x%02x); use value(%d)",
                    variableIds[i], domain.displayName(), objectId, types[i], i));
        }
        return numbers[i];
    }

    /**
     * Slot {@code i} as an object: {@link String}, {@code List<String>}, {@code List<LoopVehicleData>}
     * for {@code LAST_STEP_VEHICLE_DATA}, {@code List<TlsLogic>} for {@code TL_COMPLETE_DEFINITION_RYG},
     * {@code List<List<TlsLink>>} for {@code TL_CONTROLLED_LINKS}, or the generic forms described in
     * {@link TraciClient#getValue}. Numbers come back boxed ({@link Integer} or {@link Double}).
     *
     * @throws IllegalStateException if the slot has no value this step
     */
    public Object value(int i) {
        if (!present[i]) {
            throw missing(i);
        }
        if (isNumeric(types[i])) {
            return types[i] == TYPE_DOUBLE ? (Object) numbers[i] : (Object) (int) numbers[i];
        }
        return objects[i];
    }

    /** SUMO's error text if SUMO reported an error for slot {@code i} in the last update. */
    public Optional<String> errorText(int i) {
        return Optional.ofNullable(errors[i]);
    }

    /** False once the subscription was removed with {@link TraciClient#unsubscribe}. */
    public boolean isActive() {
        return active;
    }

    void clearStep() {
        for (int i = 0; i < present.length; i++) {
            present[i] = false;
            errors[i] = null;
            objects[i] = null;
        }
    }

    void setNumber(int i, int type, double value) {
        types[i] = type;
        numbers[i] = value;
        objects[i] = null;
        errors[i] = null;
        present[i] = true;
    }

    void setObject(int i, int type, Object value) {
        types[i] = type;
        objects[i] = value;
        errors[i] = null;
        present[i] = true;
    }

    void setError(int i, String sumoText) {
        present[i] = false;
        objects[i] = null;
        errors[i] = sumoText;
    }

    void deactivate() {
        active = false;
        clearStep();
    }

    static boolean isNumeric(int type) {
        return type == TYPE_INTEGER || type == TYPE_DOUBLE || type == TYPE_UBYTE || type == TYPE_BYTE;
    }

    private IllegalStateException missing(int i) {
        String why = errors[i] != null ? "SUMO reported: " + errors[i]
                : active ? "SUMO sent no value in the last update" : "the subscription was removed";
        return new IllegalStateException(String.format("no value for variable 0x%02x of %s '%s': %s",
                variableIds[i], domain.displayName(), objectId, why));
    }

    @Override
    public String toString() {
        return "Subscription[" + domain + " '" + objectId + "', " + variableIds.length + " variables]";
    }
}
