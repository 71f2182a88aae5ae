package org.greenwave.adapters.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;
import org.greenwave.adapters.mqtt.MessageSigner;
import org.greenwave.adapters.mqtt.PlanEncoder;
import org.greenwave.adapters.mqtt.SigningKeys;
import org.greenwave.adapters.mqtt.TrustedKeys;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.model.IntersectionModel;
import org.junit.jupiter.api.Test;

/** Each reason a field side refuses a plan that arrives as a message, counted apart. */
class PlanReceiverTest {
    private static final KeyPair ENGINE = SigningKeys.newKeyPair();
    private static final KeyPair NEXT = SigningKeys.newKeyPair();
    private static final long NOW = 1_700_000_000_000L;

    private final PlanRefusals refusals = new PlanRefusals();
    private final PlanReceiver receiver = new PlanReceiver(
            new TrustedKeys(List.of(ENGINE.getPublic(), NEXT.getPublic())), refusals);
    private final FieldController field = new FieldController(model(), Set.of("0"),
            FieldController.MAX_PLAN_LIFETIME_MS, refusals);

    private static IntersectionModel model() {
        return TwoPhaseModel.model();
    }

    /** A plan payload as the engine encodes it, unsigned. */
    private static byte[] plan(long seq, long issuedMs, long expiresMs, String program, String operator) {
        TimingPlan p = new TimingPlan(0, "x", 4);
        p.begin(seq, issuedMs, expiresMs, program);
        if (operator != null) {
            p.flashOperator(operator);
        }
        if (program == null) {
            p.add("rrGG".toCharArray(), 3);
        }
        PlanEncoder enc = new PlanEncoder();
        enc.encode(p);
        return enc.toByteArray();
    }

    private static byte[] signed(KeyPair key, byte[] payload) {
        return new MessageSigner(key.getPrivate()).sign(payload);
    }

    private boolean deliver(byte[] payload) {
        return receiver.deliver("x", payload, field, NOW);
    }

    @Test
    void eachRefusalIsCountedByItsReason() {
        field.reset(0, 0);
        assertThat(deliver(plan(10, NOW, NOW + 3000, null, null))).as("unsigned").isFalse();
        assertThat(deliver(signed(SigningKeys.newKeyPair(), plan(11, NOW, NOW + 3000, null, null))))
                .as("unknown key").isFalse();
        byte[] forged = new String(signed(ENGINE, plan(12, NOW, NOW + 3000, null, null)), StandardCharsets.UTF_8)
                .replace("rrGG", "GGrr").getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(forged)).as("forged").isFalse();
        assertThat(deliver(signed(ENGINE, "{\"v\":1,\"seq\":\"x\"}".getBytes(StandardCharsets.UTF_8))))
                .as("signed but malformed").isFalse();
        assertThat(deliver(signed(ENGINE, plan(13, NOW - 5000, NOW - 1, null, null)))).as("expired").isFalse();
        assertThat(deliver(signed(ENGINE, plan(14, 0, Long.MAX_VALUE, null, null)))).as("never expires").isFalse();
        assertThat(deliver(signed(ENGINE, plan(15, NOW, NOW + 3000, FieldController.OFF_PROGRAM, null))))
                .as("dark").isFalse();
        assertThat(deliver(signed(ENGINE, plan(16, NOW, NOW + 3000, "night", null)))).as("program").isFalse();
        assertThat(deliver(signed(ENGINE, plan(17, NOW, NOW + 3000, null, null)))).as("genuine").isTrue();
        byte[] genuine = signed(ENGINE, plan(18, NOW, NOW + 3000, null, null));
        assertThat(deliver(genuine)).isTrue();
        assertThat(deliver(genuine)).as("replayed").isFalse();
        assertThat(deliver(signed(NEXT, plan(19, NOW, NOW + 3000, null, null)))).as("the rotated key").isTrue();

        assertThat(refusals.byCode()).containsExactly(
                java.util.Map.entry("unsigned", 1L), java.util.Map.entry("unknown-key", 1L),
                java.util.Map.entry("forged", 1L), java.util.Map.entry("malformed", 1L),
                java.util.Map.entry("expired", 1L), java.util.Map.entry("validity-too-long", 1L),
                java.util.Map.entry("replayed", 1L), java.util.Map.entry("program-not-allowed", 1L),
                java.util.Map.entry("dark-without-operator", 1L), java.util.Map.entry("not-a-green-phase", 0L));
        assertThat(field.plansTaken()).isEqualTo(3);
    }

    @Test
    void anOperatorsFlashRequestSignedByTheEngineIsFollowed() {
        field.reset(0, 0);
        assertThat(deliver(signed(ENGINE, plan(20, NOW, NOW + 3000, FieldController.OFF_PROGRAM, "op-1")))).isTrue();
        field.step(NOW + 1000);
        assertThat(field.deviceProgram()).isEqualTo(FieldController.OFF_PROGRAM);
        assertThat(field.flashOperator()).isEqualTo("op-1");
        // The operator field cannot be added to a signed plan afterwards.
        String dark = new String(signed(ENGINE, plan(21, NOW, NOW + 3000, FieldController.OFF_PROGRAM, null)),
                StandardCharsets.UTF_8).replace("\"deviceProgram\":\"off\"",
                "\"deviceProgram\":\"off\",\"operatorFlash\":{\"operator\":\"mallory\"}");
        assertThat(deliver(dark.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(refusals.get(PlanRefusal.FORGED)).isEqualTo(1);
    }
}
