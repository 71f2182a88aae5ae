package org.greenwave.adapters.field;

/**
 * Why a field controller did not follow a plan that reached it. Each reason is counted apart ({@link PlanRefusals}).
 * When several apply, the first in this order is counted: the signature before the payload is read, then the payload,
 * then timing, sequence, program and target in that order.
 */
public enum PlanRefusal {
    /** No signature: the payload does not end with the {@code kid} and {@code sig} members the engine appends. */
    UNSIGNED("unsigned"),
    /** Signed with a key the field side does not trust. */
    UNKNOWN_KEY("unknown-key"),
    /** The signature does not match the payload: altered or made up. */
    FORGED("forged"),
    /** Signed, but not a valid plan payload (see {@link org.greenwave.adapters.mqtt.PlanDecoder}). */
    MALFORMED("malformed"),
    /** Its expiry has passed. */
    EXPIRED("expired"),
    /**
     * Valid for longer than the field side allows ({@link FieldController#maxValidityMs()}) from its issue or from now,
     * however large the numbers.
     */
    VALIDITY_TOO_LONG("validity-too-long"),
    /** Its sequence is not newer than the last plan taken: an old plan again, or one overtaken. */
    REPLAYED("replayed"),
    /** Names a device program outside the field side's allow-list. */
    PROGRAM_NOT_ALLOWED("program-not-allowed"),
    /** Asks for the {@code off} program (flash or dark) without an operator's flash request. */
    DARK_WITHOUT_OPERATOR("dark-without-operator"),
    /** Its schedule does not end in a green phase of this intersection. */
    NOT_A_GREEN_PHASE("not-a-green-phase");

    private static final PlanRefusal[] VALUES = values();

    private final String code;

    PlanRefusal(String code) {
        this.code = code;
    }

    /** Stable lower-case name, for metrics and summaries. */
    public String code() {
        return code;
    }

    /** All reasons by ordinal, without the copy {@code values()} makes. Do not modify. */
    static PlanRefusal[] all() {
        return VALUES;
    }
}
