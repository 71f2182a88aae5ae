package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.NtcipObjects;
import org.greenwave.adapters.ntcip.PhaseGroups;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.AbstractTarget;
import org.snmp4j.PDU;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/** {@code greenwave virtual-controller}: its agents answer SNMPv3 while SUMO runs, and its errors. */
class VirtualControllerCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private Path secret(String name, String value) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, value + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    @Tag("sumo")
    void theAgentsAnswerSnmpV3WhileTheCorridorRuns() throws Exception {
        Sumo.requireInstalled();
        int port = 20000 + ThreadLocalRandom.current().nextInt(30000);
        Path map = dir.resolve("corridor.map");
        String auth = secret("auth", "auth-pass-1").toString();
        String priv = secret("priv", "priv-pass-1").toString();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.execute("virtual-controller",
                "--scenario", TestPaths.own("corridor").toString(), "--seconds", "8", "--port", String.valueOf(port),
                "--snmp-user", "central", "--auth-pass-file", auth, "--priv-pass-file", priv,
                "--mapping-out", map.toString(),
                "--out", dir.resolve("out").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!console.out().contains("virtual NTCIP controllers") && System.nanoTime() - deadline < 0
                && !exit.isDone()) {
            Thread.sleep(50);
        }
        NtcipMapping mapping = NtcipMapping.read(map);
        assertThat(mapping.signals()).hasSize(5);
        NtcipMapping.Signal first = mapping.signals().iterator().next();
        assertThat(first.port()).isEqualTo(port);
        try (SnmpSession s = SnmpSession.v3(new SnmpV3User("central", "auth-pass-1", "priv-pass-1"), 2000, 1)) {
            AbstractTarget<UdpAddress> t = s.target("127.0.0.1", port);
            PDU pdu = s.pdu(PDU.GET);
            pdu.add(new VariableBinding(NtcipObjects.column(NtcipObjects.PHASE_STATUS_GROUP_GREENS, 1)));
            pdu.add(new VariableBinding(NtcipObjects.MAX_PHASES));
            CompletableFuture<PDU> answer = new CompletableFuture<>();
            s.send(pdu, t, null, new ResponseListener() {
                @Override
                public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
                    s.cancel(event.getRequest(), this);
                    answer.complete(event.getResponse());
                }
            });
            PDU r = answer.get(10, TimeUnit.SECONDS);
            assertThat(r).as("an answer from %s:%d", "127.0.0.1", port).isNotNull();
            assertThat(r.get(0).getVariable()).isInstanceOf(Integer32.class);
            assertThat(Long.bitCount(r.get(0).getVariable().toLong())).isLessThanOrEqualTo(1);
            assertThat(r.get(1).getVariable().toInt()).isEqualTo(first.maxPhase());
            assertThat(PhaseGroups.groupCount(first.maxPhase())).isEqualTo(1);
        }
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(console.err()).isZero();
        assertThat(console.out()).contains("5 virtual NTCIP controllers on 127.0.0.1:" + port)
                .contains("0 safety violations");
    }

    @Test
    void aShortPassphraseOrAMissingFileIsNamed() throws Exception {
        Path scenario = TestPaths.own("corridor");
        assertThat(Main.execute("virtual-controller", "--scenario", scenario.toString(), "--snmp-user", "central",
                "--auth-pass-file", secret("auth", "short").toString(),
                "--priv-pass-file", secret("priv", "priv-pass-1").toString(), "--fast",
                "--out", dir.resolve("out").toString())).isEqualTo(1);
        assertThat(console.err()).contains("the SNMPv3 authentication passphrase of user 'central' must have at "
                + "least 8 characters");
        console.resetErr();
        assertThat(Main.execute("virtual-controller", "--scenario", scenario.toString(), "--snmp-user", "central",
                "--auth-pass-file", dir.resolve("none").toString(),
                "--priv-pass-file", secret("priv", "priv-pass-1").toString())).isEqualTo(1);
        assertThat(console.err()).contains("--auth-pass-file " + dir.resolve("none") + ": cannot be read (no such file)");
    }
}
