package org.greenwave.adapters.field;

import java.util.Objects;

import org.greenwave.adapters.mqtt.DecodeResult;
import org.greenwave.adapters.mqtt.PlanDecoder;
import org.greenwave.adapters.mqtt.PlanMessage;
import org.greenwave.adapters.mqtt.TrustedKeys;

/**
 * The field side's door for plans that arrive over MQTT: a payload is read only when it carries a valid signature of
 * a trusted engine key, then decoded; what fails is counted by {@link PlanRefusal} and dropped. What passes still goes
 * through its {@link FieldController}, which checks timing, sequence and program.
 *
 * <p>Thread-safe: called on the MQTT client's callback thread; counts into a shared {@link PlanRefusals}.
 */
public final class PlanReceiver {
    private final TrustedKeys keys;
    private final PlanRefusals refusals;

    public PlanReceiver(TrustedKeys keys, PlanRefusals refusals) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    /**
     * @param intersectionId the intersection the topic names
     * @return the plan, or null when it was refused (and counted)
     */
    public PlanMessage receive(String intersectionId, byte[] payload) {
        if (payload.length > PlanDecoder.MAX_PAYLOAD_BYTES) {
            refusals.count(PlanRefusal.MALFORMED);
            return null;
        }
        switch (keys.check(payload)) {
            case SIGNED -> {
            }
            case UNSIGNED -> {
                refusals.count(PlanRefusal.UNSIGNED);
                return null;
            }
            case UNKNOWN_KEY -> {
                refusals.count(PlanRefusal.UNKNOWN_KEY);
                return null;
            }
            case FORGED -> {
                refusals.count(PlanRefusal.FORGED);
                return null;
            }
        }
        DecodeResult<PlanMessage> r = PlanDecoder.decode(intersectionId, payload);
        if (!r.isOk()) {
            refusals.count(PlanRefusal.MALFORMED);
            return null;
        }
        return r.value();
    }

    /**
     * Receives a payload and offers it to {@code field} at {@code nowMs}: for a field side that runs its controller on
     * the thread that receives plans.
     *
     * @return true when the controller took the plan
     */
    public boolean deliver(String intersectionId, byte[] payload, FieldController field, long nowMs) {
        PlanMessage p = receive(intersectionId, payload);
        return p != null && field.offerPlan(p.sequence(), p.issuedAtMs(), p.expiresAtMs(), p.deviceProgram(),
                p.flashOperator(), finalState(p), nowMs);
    }

    /** The state a plan's schedule ends in, or null for a plan that names a device program. */
    public static String finalState(PlanMessage p) {
        return p.entries().isEmpty() ? null : p.entries().get(p.entries().size() - 1).state();
    }

    public PlanRefusals refusals() {
        return refusals;
    }
}
