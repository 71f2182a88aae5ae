package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.harness.ntcip.VirtualControllerSite;
import org.greenwave.harness.ntcip.VirtualSignals;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --ntcip}: the engine reads and commands NTCIP controllers (the corridor's, virtual) over SNMPv3. */
class ServeNtcipTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    void servesTheCorridorsControllersOverSnmp() throws Exception {
        Path scenario = ROOT.resolve("scenarios/corridor");
        Scenario s = Scenario.load(scenario);
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, List.of());
        VirtualSignals.Cabinets cabinets = VirtualSignals.cabinets(signals, VirtualSignals.DEFAULT_BACKUP_S);
        List<ActuatedController> controllers = cabinets.controllers();
        List<PhaseControl> controls = cabinets.controls();
        for (ActuatedController c : controllers) {
            c.reset(0, 0);
        }
        Files.writeString(dir.resolve("auth.txt"), "central-auth-1\n");
        Files.writeString(dir.resolve("priv.txt"), "central-priv-1\n");
        Path mapping = dir.resolve("corridor.map");
        List<NtcipAgent> agents = VirtualControllerSite.startAgents(signals, controllers, controls, "127.0.0.1", 0,
                new SnmpV3User("central", "central-auth-1", "central-priv-1"), VirtualSignals.DEFAULT_BACKUP_S,
                mapping);
        try {
            int code = Main.execute("serve", "--scenario", scenario.toString(), "--controller", "max-pressure",
                    "--ntcip", mapping.toString(), "--snmp-user", "central", "--auth-pass-file",
                    dir.resolve("auth.txt").toString(), "--priv-pass-file", dir.resolve("priv.txt").toString(),
                    "--no-dashboard", "--run-for", "5", "--status-every", "1");

            assertThat(code).as(console.err()).isZero();
            assertThat(console.out()).contains("over NTCIP (phase-control, SNMPv3 user central) to the "
                    + signals.size() + " controller(s) of " + mapping).contains("controllers CONNECTED");
            for (PhaseControl control : controls) {
                assertThat(control.sets()).as("every controller commanded").isPositive();
            }
        } finally {
            VirtualControllerSite.closeAll(agents);
        }
    }

    @Test
    void ntcipOptionsAreChecked() throws Exception {
        String scenario = ROOT.resolve("scenarios/corridor").toString();
        assertThat(Main.execute("serve", "--scenario", scenario, "--ntcip", "x.map", "--no-dashboard")).isEqualTo(2);
        assertThat(console.err()).contains("--ntcip needs --snmp-user, --auth-pass-file and --priv-pass-file");
        assertThat(Main.execute("serve", "--scenario", scenario, "--snmp-user", "u", "--no-dashboard")).isEqualTo(2);
        assertThat(console.err()).contains("--snmp-user, --auth-pass-file and --priv-pass-file go with --ntcip");
        Files.writeString(dir.resolve("a.txt"), "central-auth-1\n");
        assertThat(Main.execute("serve", "--scenario", scenario, "--ntcip", "x.map", "--snmp-user", "u",
                "--auth-pass-file", dir.resolve("a.txt").toString(), "--priv-pass-file",
                dir.resolve("a.txt").toString(), "--plan-key", "k", "--no-dashboard")).isEqualTo(2);
        assertThat(console.err()).contains("--plan-key is for field devices over MQTT");
        Path bad = dir.resolve("bad.map");
        Files.writeString(bad, "signal NOPE 127.0.0.1:16100\nphase 0 1\n");
        assertThat(Main.execute("serve", "--scenario", scenario, "--ntcip", bad.toString(), "--snmp-user", "u",
                "--auth-pass-file", dir.resolve("a.txt").toString(), "--priv-pass-file",
                dir.resolve("a.txt").toString(), "--no-dashboard", "--run-for", "1")).isNotZero();
        assertThat(console.err()).contains(bad + ":1: signal 'NOPE' is not one of the network's");
    }
}
