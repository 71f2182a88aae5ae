/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.adapters.traci.TraciConstants.*;

import org.junit.jupiter.api.Test;

/** Handle semantics and the sharing of one SUMO subscription between several handles. */
class SubscriptionTest {

    @Test
    void handlesOnOneObjectShareTheUnionOfTheirVariables() {
        SubscriptionTable table = new SubscriptionTable();
        int[] first = {LAST_STEP_VEHICLE_NUMBER, JAM_LENGTH_METERS};
        int[] union1 = table.unionWith(Domain.LANE_AREA, "d", first);
        assertThat(union1).containsExactly(LAST_STEP_VEHICLE_NUMBER, JAM_LENGTH_METERS);
        Subscription a = table.add(Domain.LANE_AREA, "d", first, union1);

        int[] second = {JAM_LENGTH_METERS, LAST_STEP_VEHICLE_HALTING_NUMBER};
        int[] union2 = table.unionWith(Domain.LANE_AREA, "d", second);
        assertThat(union2).containsExactly(LAST_STEP_VEHICLE_NUMBER, JAM_LENGTH_METERS, LAST_STEP_VEHICLE_HALTING_NUMBER);
        Subscription b = table.add(Domain.LANE_AREA, "d", second, union2);

        table.readResponse(Bytes.of().command(RESPONSE_SUBSCRIBE_LANEAREA_VARIABLE, Bytes.of().s("d").ub(3)
                .ub(LAST_STEP_VEHICLE_NUMBER).ub(RTYPE_OK).typedInt(4)
                .ub(JAM_LENGTH_METERS).ub(RTYPE_OK).typedDouble(17.5)
                .ub(LAST_STEP_VEHICLE_HALTING_NUMBER).ub(RTYPE_OK).typedInt(3)).reader());

        assertThat(a.number(0)).isEqualTo(4.0);
        assertThat(a.number(1)).isEqualTo(17.5);
        assertThat(b.number(0)).isEqualTo(17.5);
        assertThat(b.number(1)).isEqualTo(3.0);
        assertThat(b.value(1)).isEqualTo(3);
        assertThat(a.value(1)).isEqualTo(17.5);

        assertThat(table.unionWithout(a)).containsExactly(JAM_LENGTH_METERS, LAST_STEP_VEHICLE_HALTING_NUMBER);
        table.remove(a, table.unionWithout(a));
        assertThat(a.isActive()).isFalse();
        assertThatThrownBy(() -> a.number(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("removed");
        assertThat(table.unionWithout(b)).isEmpty();
    }

    @Test
    void readingTheWrongKindOfValueIsACallerBug() {
        SubscriptionTable table = new SubscriptionTable();
        Subscription s = table.add(Domain.TRAFFIC_LIGHT, "C", new int[] {TL_RED_YELLOW_GREEN_STATE},
                new int[] {TL_RED_YELLOW_GREEN_STATE});
        assertThatThrownBy(() -> s.value(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no value for variable 0x20 of traffic light 'C'");
        table.readResponse(Bytes.of().command(RESPONSE_SUBSCRIBE_TL_VARIABLE, Bytes.of().s("C").ub(1)
                .ub(TL_RED_YELLOW_GREEN_STATE).ub(RTYPE_OK).typedString("GgrR")).reader());
        assertThat(s.value(0)).isEqualTo("GgrR");
        assertThatThrownBy(() -> s.number(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a number");
        assertThat(s.indexOf(TL_RED_YELLOW_GREEN_STATE)).isZero();
        assertThat(s.indexOf(TL_CURRENT_PHASE)).isEqualTo(-1);
    }

    @Test
    void aStepsNumericResponsesAreReadWithoutAllocating() {
        SubscriptionTable table = new SubscriptionTable();
        int[] vars = {LAST_STEP_VEHICLE_NUMBER, JAM_LENGTH_METERS};
        Subscription s = table.add(Domain.LANE_AREA, "area_in_0", vars, vars);
        TraciReader r = Bytes.of().command(RESPONSE_SUBSCRIBE_LANEAREA_VARIABLE, Bytes.of().s("area_in_0").ub(2)
                .ub(LAST_STEP_VEHICLE_NUMBER).ub(RTYPE_OK).typedInt(4)
                .ub(JAM_LENGTH_METERS).ub(RTYPE_OK).typedDouble(17.5)).reader();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int reads = 20_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < reads; i++) {
            r.position(0);
            table.readResponse(r, 0);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(s.number(0)).isEqualTo(4.0);
        assertThat(s.number(1)).isEqualTo(17.5);
        // The first read learns the step's order; the others allocate nothing (not even an error message unused).
        assertThat(allocated).as("bytes allocated by %d reads", reads).isLessThan(reads);
    }

    @Test
    void variableIdsAreCopied() {
        int[] ids = {TL_CURRENT_PHASE};
        Subscription s = new SubscriptionTable().add(Domain.TRAFFIC_LIGHT, "C", ids, ids);
        ids[0] = 0;
        s.variableIds()[0] = 0;
        assertThat(s.variableIds()).containsExactly(TL_CURRENT_PHASE);
    }
}
