package org.greenwave.harness.ntcip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.ntcip.virtual.ActuatedController;
import org.greenwave.adapters.ntcip.virtual.NtcipAgent;
import org.greenwave.adapters.ntcip.virtual.PhaseControl;
import org.greenwave.netimport.ControlledIntersection;

/**
 * Virtual NTCIP controllers reachable over SNMPv3: a {@link VirtualControllerRun} with an agent per signal (signal
 * {@code i} answering on {@code host:basePort+i}), and the agents alone ({@link #startAgents}) for a run that drives the
 * controllers itself. Numbered as the mapping file written at start says (green phases 1, 2, ... in program order,
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
        List<ActuatedController> controllers = new ArrayList<>();
        List<PhaseControl> controls = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            controllers.add(run.controller(i));
            controls.add(run.control(i));
        }
        List<NtcipAgent> agents = startAgents(signals, controllers, controls, host, basePort, v3, backupS, mappingOut);
        try {
            run.listener((nowS, i, controller, atEnd, arrivals, occupiedMs) -> agents.get(i).detectors(atEnd,
                    arrivals, occupiedMs));
            started.run();
            return run.run();
        } finally {
            closeAll(agents);
        }
    }

    /**
     * Starts an SNMPv3 agent for each signal's controller and writes the mapping a central system needs to reach them
     * to {@code mappingOut}: signal {@code i} on {@code host:basePort+i}, or with {@code basePort} 0 each on a free
     * port of its own; green phases numbered 1, 2, ... in program order, detectors as {@link VirtualSignals#detectorIds}.
     *
     * @param controllers per signal (the order of {@code signals}), its controller
     * @param controls    per signal, the phase control its agent writes
     */
    public static List<NtcipAgent> startAgents(List<ControlledIntersection> signals,
                                               List<ActuatedController> controllers, List<PhaseControl> controls,
                                               String host, int basePort, SnmpV3User user, double backupS,
                                               Path mappingOut) throws IOException {
        return startAgents(signals, controllers, controls, host, basePort, user, backupS, mappingOut,
                NtcipMapping.Mode.PHASE_CONTROL);
    }

    /** As {@link #startAgents(List, List, List, String, int, SnmpV3User, double, Path)}, the mapping naming {@code mode}. */
    public static List<NtcipAgent> startAgents(List<ControlledIntersection> signals,
                                               List<ActuatedController> controllers, List<PhaseControl> controls,
                                               String host, int basePort, SnmpV3User user, double backupS,
                                               Path mappingOut, NtcipMapping.Mode mode) throws IOException {
        List<String> ids = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        int[] ports = new int[signals.size()];
        int[] phases = new int[signals.size()];
        List<List<String>> detectors = new ArrayList<>();
        List<NtcipAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < signals.size(); i++) {
                ControlledIntersection ci = signals.get(i);
                ids.add(ci.id());
                hosts.add(host);
                phases[i] = ci.model().greenPhaseCount();
                detectors.add(VirtualSignals.detectorIds(ci));
                // The agent needs only the numbering; its address is known once it listens.
                NtcipMapping.Signal numbering = NtcipMapping.numbered(ci.id(), host, phases[i], detectors.get(i));
                NtcipAgent agent = NtcipAgent.start(numbering, controllers.get(i), controls.get(i),
                        VirtualSignals.timing(ci), backupS, PERIOD_S, host, basePort == 0 ? 0 : basePort + i, user);
                agents.add(agent);
                ports[i] = agent.address().getPort();
            }
            Path parent = mappingOut.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            NtcipMapping.write(mappingOut, ids, hosts, ports, phases, detectors, mode);
            return agents;
        } catch (IOException | RuntimeException e) {
            closeAll(agents);
            throw e;
        }
    }

    /** Stops every agent; on the thread that started them. */
    public static void closeAll(List<NtcipAgent> agents) throws IOException {
        IOException failed = null;
        for (NtcipAgent a : agents) {
            try {
                a.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
