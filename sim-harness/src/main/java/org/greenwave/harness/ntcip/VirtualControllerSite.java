package org.greenwave.harness.ntcip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.netimport.ControlledIntersection;

/**
 * A {@link VirtualControllerRun} with an NTCIP agent per signal: signal {@code i} answers SNMPv3 on
 * {@code host:basePort+i}, numbered as the mapping file written at start says (green phases 1, 2, ... in program order,
 * detectors as {@link VirtualSignals#detectorIds}). The agents get each second's detector occupancy from the run.
 */
public final class VirtualControllerSite {
    /** Seconds of a volume/occupancy period. */
    public static final int PERIOD_S = 1;

    private VirtualControllerSite() {
    }

    /**
     * Writes the mapping to {@code mappingOut}, starts the agents, runs, and stops them.
     *
     * @throws IllegalArgumentException for a user or passphrase SNMPv3 refuses, or ports beyond 65535
     */
    public static VirtualControllerRun.Result run(VirtualControllerRun run, String host, int basePort, String user,
                                                  String authPassphrase, String privPassphrase, Path mappingOut,
                                                  double backupS, Runnable started)
            throws IOException, InterruptedException {
        SnmpV3User v3 = new SnmpV3User(user, authPassphrase, privPassphrase);
        List<ControlledIntersection> signals = run.signals();
        if (basePort < 1 || basePort + signals.size() - 1 > 65535) {
            throw new IllegalArgumentException("--port " + basePort + ": the " + signals.size()
                    + " controllers need ports " + basePort + ".." + (basePort + signals.size() - 1)
                    + ", which must lie in 1..65535");
        }
        List<String> ids = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        int[] ports = new int[signals.size()];
        int[] phases = new int[signals.size()];
        List<List<String>> detectors = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            ControlledIntersection ci = signals.get(i);
            ids.add(ci.id());
            hosts.add(host);
            ports[i] = basePort + i;
            phases[i] = ci.model().greenPhaseCount();
            detectors.add(VirtualSignals.detectorIds(ci));
        }
        if (mappingOut.toAbsolutePath().getParent() != null) {
            java.nio.file.Files.createDirectories(mappingOut.toAbsolutePath().getParent());
        }
        NtcipMapping.write(mappingOut, ids, hosts, ports, phases, detectors);
        NtcipMapping mapping = NtcipMapping.read(mappingOut);
        List<NtcipAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < signals.size(); i++) {
                ControlledIntersection ci = signals.get(i);
                agents.add(NtcipAgent.start(mapping.signal(ci.id()), run.controller(i), run.control(i),
                        VirtualSignals.timing(ci), backupS, PERIOD_S, host, ports[i], v3));
            }
            run.listener((nowS, i, controller, occupied) -> agents.get(i).detectors(occupied));
            started.run();
            return run.run();
        } finally {
            for (NtcipAgent a : agents) {
                a.close();
            }
        }
    }
}
