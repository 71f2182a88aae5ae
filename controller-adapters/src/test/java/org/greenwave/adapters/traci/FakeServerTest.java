/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.traci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.adapters.traci.TraciConstants.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a scripted server: handshake, request bytes, step decoding, connection loss. */
@Timeout(20)
class FakeServerTest {

    private static byte[] versionAnswer(int apiVersion, String identifier) {
        return Bytes.of().status(CMD_GETVERSION, RTYPE_OK, "")
                .command(CMD_GETVERSION, Bytes.of().i(apiVersion).s(identifier)).toArray();
    }

    /** The command id of a one-command request body. */
    private static int commandId(byte[] request) {
        TraciReader r = new TraciReader(request);
        r.readCommandLength();
        return r.readUnsignedByte();
    }

    @Test
    void unsupportedApiVersionIsAClearError() throws Exception {
        try (FakeTraciServer server = new FakeTraciServer(request -> versionAnswer(99, "SUMO 9.99.0"))) {
            assertThatThrownBy(() -> TraciClient.connect("127.0.0.1", server.port(), 5_000))
                    .isInstanceOf(TraciException.class)
                    .hasMessageStartingWith("SUMO TraCI API version 99 is not supported; Greenwave speaks 20 (SUMO 1.15")
                    .hasMessageContaining("SUMO 9.99.0");
            assertThat(server.requests()).hasSize(1);
            assertThat(server.requests().get(0)).isEqualTo(new byte[] {2, CMD_GETVERSION});
        }
    }

    @Test
    void sendsTheDocumentedBytesAndDecodesASession() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        String longRoad = "E".repeat(300);
        try (FakeTraciServer server = new FakeTraciServer(request -> switch (commandId(request)) {
            case CMD_GETVERSION -> versionAnswer(20, "SUMO 1.15.0");
            case CMD_SUBSCRIBE_VEHICLE_VARIABLE -> Bytes.of().status(CMD_SUBSCRIBE_VEHICLE_VARIABLE, RTYPE_OK, "")
                    .command(RESPONSE_SUBSCRIBE_VEHICLE_VARIABLE, Bytes.of().s("v").ub(2)
                            .ub(VAR_ROAD_ID).ub(RTYPE_OK).typedString("a")
                            .ub(VAR_SPEED).ub(RTYPE_OK).typedDouble(0))
                    .toArray();
            case CMD_SIMSTEP -> Bytes.of().status(CMD_SIMSTEP, RTYPE_OK, "").i(1)
                    .command(RESPONSE_SUBSCRIBE_VEHICLE_VARIABLE, Bytes.of().s("v").ub(2)
                            .ub(VAR_ROAD_ID).ub(RTYPE_OK).typedString(longRoad)
                            .ub(VAR_SPEED).ub(RTYPE_OK).typedDouble(steps.incrementAndGet()))
                    .toArray();
            case CMD_GET_SIM_VARIABLE -> Bytes.of().status(CMD_GET_SIM_VARIABLE, RTYPE_OK, "")
                    .command(RESPONSE_GET_SIM_VARIABLE, Bytes.of().ub(VAR_TIME).s("").typedDouble(2.0))
                    .toArray();
            case CMD_SET_TL_VARIABLE -> Bytes.of().status(CMD_SET_TL_VARIABLE, RTYPE_ERR,
                    "Can not switch tls 'C' to program 'x';").toArray();
            case CMD_CLOSE -> Bytes.of().status(CMD_CLOSE, RTYPE_OK, "").toArray();
            default -> Bytes.of().status(commandId(request), RTYPE_NOTIMPLEMENTED, "unexpected").toArray();
        })) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            assertThat(client.apiVersion()).isEqualTo(20);
            assertThat(client.sumoVersion()).isEqualTo("SUMO 1.15.0");

            Subscription vehicle = client.subscribe(Domain.VEHICLE, "v", VAR_ROAD_ID, VAR_SPEED);
            assertThat(vehicle.value(0)).isEqualTo("a");
            client.simulationStep(0);
            client.simulationStep(2.5);
            assertThat(vehicle.value(0)).isEqualTo(longRoad);
            assertThat(vehicle.number(1)).isEqualTo(2.0);
            assertThat(client.simulationTimeS()).isEqualTo(2.0);
            assertThatThrownBy(() -> client.setProgram("C", "x"))
                    .isInstanceOf(TraciException.class)
                    .hasMessage("SUMO rejected set traffic light 'C' variable 0x23: Can not switch tls 'C' to program 'x';");
            client.close();
            client.close();
            assertThat(client.isClosed()).isTrue();

            List<byte[]> requests = server.requests();
            assertThat(requests.get(1)).isEqualTo(Bytes.of().command(CMD_SUBSCRIBE_VEHICLE_VARIABLE, Bytes.of()
                    .d(INVALID_DOUBLE_VALUE).d(INVALID_DOUBLE_VALUE).s("v").ub(2)
                    .ub(VAR_ROAD_ID).ub(VAR_SPEED)).toArray());
            assertThat(requests.get(2)).isEqualTo(Bytes.of().command(CMD_SIMSTEP, Bytes.of().d(0)).toArray());
            assertThat(requests.get(3)).isEqualTo(Bytes.of().command(CMD_SIMSTEP, Bytes.of().d(2.5)).toArray());
            assertThat(requests.get(4)).isEqualTo(Bytes.of().command(CMD_GET_SIM_VARIABLE,
                    Bytes.of().ub(VAR_TIME).s("")).toArray());
            assertThat(requests.get(5)).isEqualTo(Bytes.of().command(CMD_SET_TL_VARIABLE,
                    Bytes.of().ub(TL_PROGRAM).s("C").typedString("x")).toArray());
            assertThat(requests.get(6)).isEqualTo(new byte[] {2, (byte) CMD_CLOSE});
            assertThat(requests).hasSize(7);
        }
    }

    @Test
    void objectsOfTheWholeRunAreReadWithGetsInOneMessageAfterEachStep() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        try (FakeTraciServer server = new FakeTraciServer(request -> answerEach(request, steps))) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            Subscription tls = client.subscribe(Domain.TRAFFIC_LIGHT, "C", TL_RED_YELLOW_GREEN_STATE, TL_CURRENT_PHASE);
            assertThat(tls.value(0)).isEqualTo("Gr");
            assertThat(tls.number(1)).isZero();
            Subscription phase = client.subscribe(Domain.TRAFFIC_LIGHT, "D", TL_CURRENT_PHASE);
            client.simulationStep(0);
            client.simulationStep(0);
            assertThat(tls.number(1)).isEqualTo(2.0);
            assertThat(phase.number(0)).isEqualTo(2.0);

            List<byte[]> requests = server.requests();
            assertThat(requests.get(1)).isEqualTo(Bytes.of()
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C"))
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_CURRENT_PHASE).s("C")).toArray());
            assertThat(requests.get(3)).isEqualTo(Bytes.of().command(CMD_SIMSTEP, Bytes.of().d(0)).toArray());
            byte[] gets = Bytes.of()
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C"))
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_CURRENT_PHASE).s("C"))
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_CURRENT_PHASE).s("D")).toArray();
            assertThat(requests.get(4)).isEqualTo(gets);
            assertThat(requests.get(6)).isEqualTo(gets);
            assertThat(requests).hasSize(7);

            // After an unsubscribe its object is no longer asked for, and no message is sent for it.
            client.unsubscribe(phase);
            assertThat(server.requests()).hasSize(7);
            client.simulationStep(0);
            assertThat(server.requests().get(8)).isEqualTo(Bytes.of()
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C"))
                    .command(CMD_GET_TL_VARIABLE, Bytes.of().ub(TL_CURRENT_PHASE).s("C")).toArray());
            assertThat(phase.hasValue(0)).isFalse();

            // An object SUMO does not know is refused when subscribed, with SUMO's text; the client stays usable.
            assertThatThrownBy(() -> client.subscribe(Domain.TRAFFIC_LIGHT, "gone", TL_CURRENT_PHASE))
                    .isInstanceOf(TraciException.class)
                    .hasMessageContaining("Traffic light 'gone' is not known");
            assertThat(client.isClosed()).isFalse();
            client.simulationStep(0);
            assertThat(tls.number(1)).isEqualTo(4.0);

            // A refused step throws SUMO's text; the gets behind it are still answered and read, so the client stays
            // in step with SUMO.
            assertThatThrownBy(() -> client.simulationStep(-1)).isInstanceOf(TraciException.class)
                    .hasMessageContaining("Target time is in the past");
            assertThat(client.isClosed()).isFalse();
            assertThat(tls.number(1)).isEqualTo(4.0);
            client.simulationStep(0);
            assertThat(tls.number(1)).isEqualTo(5.0);
            client.close();
        }
    }

    @Test
    void aLongSetCommandUsesTheLongFrame() throws Exception {
        try (FakeTraciServer server = new FakeTraciServer(request -> commandId(request) == CMD_GETVERSION
                ? versionAnswer(20, "SUMO 1.15.0")
                : Bytes.of().status(commandId(request), RTYPE_OK, "").toArray())) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            String state = "r".repeat(500);
            client.setRedYellowGreenState("C", state);
            byte[] request = server.requests().get(1);
            assertThat(request).isEqualTo(Bytes.of().command(CMD_SET_TL_VARIABLE,
                    Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C").typedString(state)).toArray());
            assertThat(request[0]).as("long form marker").isZero();
            client.close();
        }
    }

    /**
     * Answers every command of a request in order: a set of state "bad" is refused, other sets accepted; a step is
     * refused when its target time is negative; a get of a traffic light's phase reports the number of steps so far,
     * of any other of its variables the state "Gr", and one of traffic light "gone" is refused; a get of the
     * simulation reports the time.
     */
    private static byte[] answerEach(byte[] request, AtomicInteger steps) {
        Bytes answer = Bytes.of();
        TraciReader r = new TraciReader(request);
        while (r.hasRemaining()) {
            int start = r.position();
            int end = start + r.readCommandLength();
            int id = r.readUnsignedByte();
            if (id == CMD_GETVERSION) {
                return versionAnswer(20, "SUMO 1.15.0");
            } else if (id == CMD_SET_TL_VARIABLE) {
                r.readUnsignedByte();
                String tls = r.readString();
                r.readUnsignedByte();
                boolean bad = r.readString().equals("bad");
                answer.status(id, bad ? RTYPE_ERR : RTYPE_OK, bad ? "Invalid state for tls '" + tls + "'" : "");
            } else if (id == CMD_GET_TL_VARIABLE) {
                int variable = r.readUnsignedByte();
                String tls = r.readString();
                if (tls.equals("gone")) {
                    answer.status(id, RTYPE_ERR, "Traffic light 'gone' is not known");
                } else {
                    Bytes value = Bytes.of().ub(variable).s(tls);
                    answer.status(id, RTYPE_OK, "").command(RESPONSE_GET_TL_VARIABLE,
                            variable == TL_CURRENT_PHASE ? value.typedInt(steps.get()) : value.typedString("Gr"));
                }
            } else if (id == CMD_SIMSTEP) {
                if (r.readDouble() < 0) {
                    answer.status(id, RTYPE_ERR, "Target time is in the past");
                } else {
                    steps.incrementAndGet();
                    answer.status(id, RTYPE_OK, "").i(0);
                }
            } else if (id == CMD_GET_SIM_VARIABLE) {
                answer.status(id, RTYPE_OK, "").command(RESPONSE_GET_SIM_VARIABLE,
                        Bytes.of().ub(VAR_TIME).s("").typedDouble(steps.get()));
            } else {
                answer.status(id, RTYPE_OK, "");
            }
            r.position(end);
        }
        return answer.toArray();
    }

    @Test
    void queuedStatesTravelWithTheNextStepInOneRoundTrip() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        try (FakeTraciServer server = new FakeTraciServer(request -> answerEach(request, steps))) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            Subscription phase = client.subscribe(Domain.TRAFFIC_LIGHT, "C", TL_CURRENT_PHASE);
            client.queueRedYellowGreenState("C", "Gr");
            client.queueRedYellowGreenState("D", "rG");
            assertThat(client.queuedCommands()).isEqualTo(2);
            assertThat(server.requests()).hasSize(2);
            client.simulationStep(0);
            assertThat(client.queuedCommands()).isZero();
            assertThat(phase.number(0)).isEqualTo(1.0);
            assertThat(server.requests()).as("the step with the sets, then the gets").hasSize(4);
            assertThat(server.requests().get(2)).isEqualTo(Bytes.of()
                    .command(CMD_SET_TL_VARIABLE, Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C").typedString("Gr"))
                    .command(CMD_SET_TL_VARIABLE, Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("D").typedString("rG"))
                    .command(CMD_SIMSTEP, Bytes.of().d(0)).toArray());

            // Another command sends what is queued first, so states take effect in call order.
            client.queueRedYellowGreenState("C", "yr");
            assertThat(client.simulationTimeS()).isEqualTo(1.0);
            assertThat(server.requests().get(4)).isEqualTo(Bytes.of().command(CMD_SET_TL_VARIABLE,
                    Bytes.of().ub(TL_RED_YELLOW_GREEN_STATE).s("C").typedString("yr")).toArray());
            assertThat(server.requests()).hasSize(6);
            client.close();
        }
    }

    @Test
    void aRefusedQueuedStateThrowsAfterTheStepCompletes() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        try (FakeTraciServer server = new FakeTraciServer(request -> answerEach(request, steps))) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            Subscription phase = client.subscribe(Domain.TRAFFIC_LIGHT, "C", TL_CURRENT_PHASE);
            client.queueRedYellowGreenState("C", "bad");
            client.queueRedYellowGreenState("D", "rG");
            assertThatThrownBy(() -> client.simulationStep(0))
                    .isInstanceOf(TraciException.class)
                    .hasMessage("SUMO rejected set traffic light 'C' variable 0x20: Invalid state for tls 'C'");
            assertThat(phase.number(0)).as("the step's values arrived").isEqualTo(1.0);
            assertThat(client.isClosed()).isFalse();
            client.simulationStep(0);
            assertThat(phase.number(0)).isEqualTo(2.0);

            client.queueRedYellowGreenState("E", "bad");
            assertThatThrownBy(client::simulationTimeS).isInstanceOf(TraciException.class)
                    .hasMessageContaining("traffic light 'E'");
            assertThat(client.isClosed()).isFalse();
            assertThat(client.simulationTimeS()).isEqualTo(2.0);
            client.close();
        }
    }

    @Test
    void connectionLossBreaksTheClientForGood() throws Exception {
        try (FakeTraciServer server = new FakeTraciServer(request -> commandId(request) == CMD_GETVERSION
                ? versionAnswer(20, "SUMO 1.15.0") : null)) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            assertThatThrownBy(() -> client.simulationStep(0))
                    .isInstanceOf(TraciException.class)
                    .hasMessageContaining("the simulation step");
            assertThat(client.isClosed()).isTrue();
            assertThatThrownBy(client::simulationTimeS).isInstanceOf(TraciException.class)
                    .hasMessageContaining("closed");
            client.close();
        }
    }

    /** Answers each get command of a request in order: vehicle "v12.5" has waited 12.5 s, "gone" is refused. */
    private static byte[] waitingTimes(byte[] request) {
        TraciReader r = new TraciReader(request);
        Bytes answer = Bytes.of();
        while (r.hasRemaining()) {
            r.readCommandLength();
            int command = r.readUnsignedByte();
            int variable = r.readUnsignedByte();
            String vehicle = r.readString();
            if (vehicle.equals("gone")) {
                answer.status(command, RTYPE_ERR, "Vehicle 'gone' is not known.");
            } else {
                answer.status(command, RTYPE_OK, "").command(command + 0x10,
                        Bytes.of().ub(variable).s(vehicle).typedDouble(Double.parseDouble(vehicle.substring(1))));
            }
        }
        return answer.toArray();
    }

    @Test
    void getDoublesAsksForEveryObjectInOneRoundTrip() throws Exception {
        try (FakeTraciServer server = new FakeTraciServer(request -> commandId(request) == CMD_GETVERSION
                ? versionAnswer(20, "SUMO 1.15.0") : waitingTimes(request))) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            assertThat(client.getDoubles(CMD_GET_VEHICLE_VARIABLE, 0x7a, List.of("v3", "v310.5", "v0")))
                    .containsExactly(3, 310.5, 0);
            assertThat(server.requests()).hasSize(2);
            assertThat(server.requests().get(1)).isEqualTo(Bytes.of()
                    .command(CMD_GET_VEHICLE_VARIABLE, Bytes.of().ub(0x7a).s("v3"))
                    .command(CMD_GET_VEHICLE_VARIABLE, Bytes.of().ub(0x7a).s("v310.5"))
                    .command(CMD_GET_VEHICLE_VARIABLE, Bytes.of().ub(0x7a).s("v0")).toArray());
            assertThat(client.getDoubles(CMD_GET_VEHICLE_VARIABLE, 0x7a, List.of())).isEmpty();
            assertThat(server.requests()).hasSize(2);

            // SUMO refuses one get: the others are read, the refusal is thrown, the connection stays usable.
            assertThatThrownBy(() -> client.getDoubles(CMD_GET_VEHICLE_VARIABLE, 0x7a, List.of("v1", "gone", "v2")))
                    .isInstanceOf(TraciException.class).hasMessageContaining("Vehicle 'gone' is not known.");
            assertThat(client.isClosed()).isFalse();
            assertThat(client.getDouble(CMD_GET_VEHICLE_VARIABLE, 0x7a, "v7")).isEqualTo(7);
        }
    }

    @Test
    void aProtocolViolationBreaksTheClient() throws Exception {
        try (FakeTraciServer server = new FakeTraciServer(request -> commandId(request) == CMD_GETVERSION
                ? versionAnswer(20, "SUMO 1.15.0")
                // A get answered for the wrong variable.
                : Bytes.of().status(CMD_GET_SIM_VARIABLE, RTYPE_OK, "")
                        .command(RESPONSE_GET_SIM_VARIABLE, Bytes.of().ub(VAR_DELTA_T).s("").typedDouble(1.0))
                        .toArray())) {
            TraciClient client = TraciClient.connect("127.0.0.1", server.port(), 5_000);
            assertThatThrownBy(client::simulationTimeS).isInstanceOf(TraciException.class)
                    .hasMessageStartingWith("TraCI protocol error");
            assertThat(client.isClosed()).isTrue();
        }
    }

    @Test
    void connectRetriesUntilTheServerListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        assertThatThrownBy(() -> TraciClient.connect("127.0.0.1", port, 300))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("within 300 ms");
    }

    @Test
    void connectTriesAgainWhenTheConnectionIsResetBeforeTheVersionAnswer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try {
                    // The first connection is reset before any answer, the second gets SUMO's version.
                    java.net.Socket first = server.accept();
                    first.setSoLinger(true, 0);
                    first.close();
                    try (java.net.Socket second = server.accept();
                         java.io.DataInputStream in = new java.io.DataInputStream(second.getInputStream());
                         java.io.DataOutputStream out = new java.io.DataOutputStream(second.getOutputStream())) {
                        in.readFully(new byte[in.readInt() - 4]);
                        byte[] answer = versionAnswer(20, "SUMO 1.15.0");
                        out.writeInt(answer.length + 4);
                        out.write(answer);
                        out.flush();
                        in.read();
                    }
                } catch (IOException e) {
                    // the test fails on the client side
                }
            }, "resetting-server");
            t.setDaemon(true);
            t.start();
            try (TraciClient client = TraciClient.connect("127.0.0.1", server.getLocalPort(), 5_000)) {
                assertThat(client.sumoVersion()).isEqualTo("SUMO 1.15.0");
            }
        }
    }
}
