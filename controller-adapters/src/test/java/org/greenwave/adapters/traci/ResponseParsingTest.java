/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.adapters.traci.TraciConstants.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding of hand-built SUMO responses: status errors, step results, compound values. */
class ResponseParsingTest {

    @Test
    void okStatusPasses() {
        TraciReader r = Bytes.of().status(CMD_SET_TL_VARIABLE, RTYPE_OK, "").reader();
        TraciCodec.readStatus(r, CMD_SET_TL_VARIABLE, TL_PROGRAM, "C");
        assertThat(r.hasRemaining()).isFalse();
    }

    @Test
    void errorStatusCarriesSumosTextAndTheCommand() {
        String sumoText = "Can not switch tls 'C' to program 'nope';";
        TraciReader r = Bytes.of().status(CMD_SET_TL_VARIABLE, RTYPE_ERR, sumoText).reader();

        assertThatThrownBy(() -> TraciCodec.readStatus(r, CMD_SET_TL_VARIABLE, TL_PROGRAM, "C"))
                .isInstanceOfSatisfying(TraciException.class, e -> {
                    assertThat(e.sumoError()).contains(sumoText);
                    assertThat(e.commandId()).isEqualTo(CMD_SET_TL_VARIABLE);
                    assertThat(e.getMessage())
                            .isEqualTo("SUMO rejected set traffic light 'C' variable 0x23: " + sumoText);
                });
    }

    @Test
    void notImplementedStatusSaysSo() {
        TraciReader r = Bytes.of().status(0x99, RTYPE_NOTIMPLEMENTED, "Unrecognised command").reader();
        assertThatThrownBy(() -> TraciCodec.readStatus(r, 0x99, -1, null))
                .isInstanceOf(TraciException.class)
                .hasMessage("SUMO does not implement command 0x99: Unrecognised command");
    }

    @Test
    void longErrorTextUsesTheLongFrame() {
        String sumoText = "x".repeat(400);
        TraciReader r = Bytes.of().status(CMD_GET_LANE_VARIABLE, RTYPE_ERR, sumoText).reader();
        assertThatThrownBy(() -> TraciCodec.readStatus(r, CMD_GET_LANE_VARIABLE, VAR_LENGTH, "l"))
                .isInstanceOfSatisfying(TraciException.class, e -> assertThat(e.sumoError()).contains(sumoText));
    }

    @Test
    void statusForAnotherCommandIsAProtocolError() {
        TraciReader r = Bytes.of().status(CMD_SIMSTEP, RTYPE_OK, "").reader();
        assertThatThrownBy(() -> TraciCodec.readStatus(r, CMD_CLOSE, -1, null))
                .isInstanceOfSatisfying(TraciException.class, e -> {
                    assertThat(e.getMessage()).startsWith("TraCI protocol error");
                    assertThat(e.sumoError()).isEmpty();
                });
    }

    @Test
    void stepResponseWithTwoSubscriptionsOneVariableFailing() {
        SubscriptionTable table = new SubscriptionTable();
        Subscription tls = table.add(Domain.TRAFFIC_LIGHT, "C", new int[] {TL_RED_YELLOW_GREEN_STATE, TL_CURRENT_PHASE},
                new int[] {TL_RED_YELLOW_GREEN_STATE, TL_CURRENT_PHASE});
        Subscription e2 = table.add(Domain.LANE_AREA, "e2_n", new int[] {JAM_LENGTH_METERS, LAST_STEP_VEHICLE_NUMBER},
                new int[] {JAM_LENGTH_METERS, LAST_STEP_VEHICLE_NUMBER});

        Bytes step = Bytes.of().i(2)
                .command(RESPONSE_SUBSCRIBE_TL_VARIABLE, Bytes.of().s("C").ub(2)
                        .ub(TL_RED_YELLOW_GREEN_STATE).ub(RTYPE_OK).typedString("GGrr")
                        .ub(TL_CURRENT_PHASE).ub(RTYPE_OK).typedInt(2))
                .command(RESPONSE_SUBSCRIBE_LANEAREA_VARIABLE, Bytes.of().s("e2_n").ub(2)
                        .ub(JAM_LENGTH_METERS).ub(RTYPE_ERR).typedString("Detector is broken")
                        .ub(LAST_STEP_VEHICLE_NUMBER).ub(RTYPE_OK).typedInt(7));
        TraciReader r = step.reader();

        table.beginStep();
        int count = r.readCount();
        for (int i = 0; i < count; i++) {
            table.readResponse(r);
        }

        assertThat(r.hasRemaining()).isFalse();
        assertThat(tls.value(0)).isEqualTo("GGrr");
        assertThat(tls.number(1)).isEqualTo(2.0);
        assertThat(tls.value(1)).isEqualTo(2);
        assertThat(e2.hasValue(0)).isFalse();
        assertThat(e2.errorText(0)).contains("Detector is broken");
        assertThatThrownBy(() -> e2.number(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Detector is broken");
        assertThat(e2.hasValue(1)).isTrue();
        assertThat(e2.number(1)).isEqualTo(7.0);

        // The next step clears values SUMO does not send again.
        table.beginStep();
        assertThat(tls.hasValue(0)).isFalse();
        assertThat(e2.errorText(0)).isEmpty();
    }

    @Test
    void responsesForUnknownObjectsAndContextSubscriptionsAreSkipped() {
        SubscriptionTable table = new SubscriptionTable();
        Subscription loop = table.add(Domain.INDUCTION_LOOP, "e1", new int[] {LAST_STEP_VEHICLE_NUMBER},
                new int[] {LAST_STEP_VEHICLE_NUMBER});
        TraciReader r = Bytes.of()
                .command(0x92, Bytes.of().s("ctx").ub(CMD_GET_VEHICLE_VARIABLE).ub(0).i(0))
                .command(RESPONSE_SUBSCRIBE_INDUCTIONLOOP_VARIABLE, Bytes.of().s("other").ub(1)
                        .ub(LAST_STEP_VEHICLE_NUMBER).ub(RTYPE_OK).typedInt(5))
                .command(RESPONSE_SUBSCRIBE_INDUCTIONLOOP_VARIABLE, Bytes.of().s("e1").ub(1)
                        .ub(LAST_STEP_VEHICLE_NUMBER).ub(RTYPE_OK).typedInt(3))
                .reader();
        table.readResponse(r);
        table.readResponse(r);
        table.readResponse(r);
        assertThat(loop.number(0)).isEqualTo(3.0);
    }

    @Test
    void aSubscriptionResponseLongerThan255BytesUsesTheLongFrame() {
        SubscriptionTable table = new SubscriptionTable();
        Subscription tls = table.add(Domain.TRAFFIC_LIGHT, "C", new int[] {TL_CONTROLLED_LANES},
                new int[] {TL_CONTROLLED_LANES});
        String[] lanes = new String[40];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = "approach_lane_" + i;
        }
        Bytes response = Bytes.of().command(RESPONSE_SUBSCRIBE_TL_VARIABLE, Bytes.of().s("C").ub(1)
                .ub(TL_CONTROLLED_LANES).ub(RTYPE_OK).typedStringList(lanes));
        assertThat(response.toArray()[0]).isZero();
        table.readResponse(response.reader());
        assertThat(tls.value(0)).isEqualTo(List.of(lanes));
    }

    @Test
    void loopVehicleDataInASubscription() {
        SubscriptionTable table = new SubscriptionTable();
        Subscription loop = table.add(Domain.INDUCTION_LOOP, "e1", new int[] {LAST_STEP_VEHICLE_DATA},
                new int[] {LAST_STEP_VEHICLE_DATA});
        Bytes value = Bytes.of().compound(1 + 5 * 2).typedInt(2)
                .typedString("veh0").typedDouble(5.0).typedDouble(10.25).typedDouble(10.75).typedString("car")
                .typedString("veh1").typedDouble(12.0).typedDouble(11.5).typedDouble(-1).typedString("bus");
        TraciReader r = Bytes.of().command(RESPONSE_SUBSCRIBE_INDUCTIONLOOP_VARIABLE, Bytes.of().s("e1").ub(1)
                .ub(LAST_STEP_VEHICLE_DATA).ub(RTYPE_OK).raw(value.toArray())).reader();
        table.readResponse(r);
        assertThat(loop.value(0)).isEqualTo(List.of(
                new LoopVehicleData("veh0", 5.0, 10.25, 10.75, "car"),
                new LoopVehicleData("veh1", 12.0, 11.5, -1, "bus")));
        assertThat(((List<?>) loop.value(0)).get(1)).matches(d -> ((LoopVehicleData) d).stillOnLoop());
    }

    /** Two programs, SUMO's layout of {@code TL_COMPLETE_DEFINITION_RYG}, after the compound tag. */
    private static Bytes completeDefinitionBody() {
        return Bytes.of().i(2)
                .compound(5).typedString("0").typedInt(0).typedInt(1)
                .compound(2)
                .compound(6).typedDouble(31).typedString("GGrr").typedDouble(31).typedDouble(31)
                .compound(0).typedString("")
                .compound(6).typedDouble(4).typedString("yyrr").typedDouble(4).typedDouble(4)
                .compound(0).typedString("amber")
                .compound(0)
                .compound(5).typedString("act").typedInt(3).typedInt(0)
                .compound(1)
                .compound(6).typedDouble(20).typedString("GGGG").typedDouble(5).typedDouble(50)
                .compound(2).typedInt(0).typedInt(0).typedString("main")
                .compound(2).typedStringList("max-gap", "3.0").typedStringList("detector-gap", "2.0");
    }

    @Test
    void completeDefinitionBuiltByHand() {
        List<TlsLogic> logics = TraciCodec.readLogicsBody(completeDefinitionBody().reader());

        assertThat(logics).containsExactly(
                new TlsLogic("0", TlsLogic.TYPE_STATIC, 1, List.of(
                        new TlsPhase(31, "GGrr", 31, 31, new int[0], ""),
                        new TlsPhase(4, "yyrr", 4, 4, new int[0], "amber")), Map.of()),
                new TlsLogic("act", TlsLogic.TYPE_ACTUATED, 0, List.of(
                        new TlsPhase(20, "GGGG", 5, 50, new int[] {0, 0}, "main")),
                        Map.of("max-gap", "3.0", "detector-gap", "2.0")));
        assertThat(logics.get(1).params().keySet()).containsExactly("max-gap", "detector-gap");
    }

    @Test
    void writtenProgramMatchesSumosLayoutOfOneProgram() {
        TlsLogic logic = TraciCodec.readLogicsBody(completeDefinitionBody().reader()).get(1);
        TraciWriter w = new TraciWriter(16);
        TraciCodec.writeLogic(w, logic);
        byte[] expected = Bytes.of()
                .compound(5).typedString("act").typedInt(3).typedInt(0)
                .compound(1)
                .compound(6).typedDouble(20).typedString("GGGG").typedDouble(5).typedDouble(50)
                .compound(2).typedInt(0).typedInt(0).typedString("main")
                .compound(2).typedStringList("max-gap", "3.0").typedStringList("detector-gap", "2.0")
                .toArray();
        assertThat(w.toByteArray()).isEqualTo(expected);
    }

    @Test
    void completeDefinitionWithAWrongItemCountIsAProtocolError() {
        TraciReader r = Bytes.of().i(1).compound(4).typedString("0").reader();
        assertThatThrownBy(() -> TraciCodec.readLogicsBody(r)).isInstanceOf(TraciException.class)
                .hasMessageContaining("traffic-light program has 4 items, expected 5");
    }

    @Test
    void controlledLinksBuiltByHand() {
        TraciReader r = Bytes.of().i(1 + 2 + 3)
                .typedInt(2)
                .typedInt(1).typedStringList("n_0", "s_0", ":C_0_0")
                .typedInt(2).typedStringList("n_1", "e_0", ":C_1_0").typedStringList("n_1", "w_0", ":C_2_0")
                .reader();
        assertThat(TraciCodec.readControlledLinksBody(r)).containsExactly(
                List.of(new TlsLink("n_0", "s_0", ":C_0_0")),
                List.of(new TlsLink("n_1", "e_0", ":C_1_0"), new TlsLink("n_1", "w_0", ":C_2_0")));
        assertThat(r.hasRemaining()).isFalse();
    }

    @Test
    void absurdCountsAreRejectedBeforeAllocating() {
        TraciReader r = Bytes.of().i(Integer.MAX_VALUE).reader();
        assertThatThrownBy(() -> TraciCodec.readLogicsBody(r)).isInstanceOf(TraciException.class)
                .hasMessageContaining("do not fit");
        TraciReader list = Bytes.of().ub(TYPE_STRINGLIST).i(1_000_000_000).reader();
        assertThatThrownBy(() -> TraciCodec.readTypedValue(list)).isInstanceOf(TraciException.class);
    }
}
