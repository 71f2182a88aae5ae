package org.greenwave.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.greenwave.harness.ntcip.VirtualControllerRun;
import org.greenwave.harness.ntcip.VirtualControllerSite;
import org.greenwave.harness.ntcip.VirtualSignals;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greenwave virtual-controller}: SUMO driven by one virtual NTCIP 1202 controller per signal, each an SNMPv3
 * agent a central system (Greenwave or another) can read and command. See docs/ntcip.md.
 */
@Command(name = "virtual-controller", mixinStandardHelpOptions = true,
        header = "Runs a scenario in SUMO under virtual NTCIP 1202 controllers that answer SNMPv3.",
        description = {"Runs a scenario in SUMO with one virtual NTCIP 1202 actuated controller per signal (minimum "
                + "green, passage, maximum green, yellow, red clearance; calls from the stop-line loops), each an "
                + "SNMPv3 agent (authPriv: SHA-256 + AES-128) on HOST:PORT+i that serves the phase status, detector "
                + "and phase table objects and takes hold, force-off, omit and vehicle-call sets. Writes the mapping "
                + "file a central system needs (docs/ntcip.md) and, at the end, the mean delay and the safety "
                + "monitor's count. Runs in real time unless --fast is given."})
public final class VirtualControllerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "PATH",
            description = "A .sumocfg file, or a folder holding exactly one.")
    Path scenario;

    @Option(names = "--tls", split = ",", paramLabel = "ID", description = "Only these traffic lights (default: all).")
    List<String> tls = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "SUMO's seed (default 1).")
    long seed = 1;

    @Option(names = "--seconds", paramLabel = "S", description = "Simulate only the scenario's first S seconds.")
    Double seconds;

    @Option(names = "--host", paramLabel = "HOST", description = "Address the agents listen on (default 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT",
            description = "UDP port of the first signal's agent; signal i listens on PORT+i (default 16100).")
    int port = 16100;

    @Option(names = "--snmp-user", required = true, paramLabel = "NAME", description = "The SNMPv3 user to accept.")
    String user;

    @Option(names = "--auth-pass-file", required = true, paramLabel = "FILE",
            description = "A file whose first line is the user's authentication passphrase (8 characters or more).")
    Path authFile;

    @Option(names = "--priv-pass-file", required = true, paramLabel = "FILE",
            description = "A file whose first line is the user's privacy passphrase (8 characters or more).")
    Path privFile;

    @Option(names = "--mapping-out", paramLabel = "FILE",
            description = "Where to write the mapping file (default: ntcip.map in the output folder).")
    Path mappingOut;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/virtual-controller).")
    Path out = Path.of("runs", "virtual-controller");

    @Option(names = "--backup", paramLabel = "S",
            description = "unitBackupTime: seconds without a phase-control set after which a controller runs its "
                    + "own timing (default 5).")
    double backupS = VirtualSignals.DEFAULT_BACKUP_S;

    @Option(names = "--fast", description = "Run as fast as SUMO can instead of in real time.")
    boolean fast;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        if (seconds != null && !(seconds > 0)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": must be positive");
        }
        if (!(backupS > 0)) {
            throw new IllegalArgumentException("--backup " + backupS + ": must be positive");
        }
        String auth = Secrets.firstLine("--auth-pass-file", authFile, err);
        String priv = Secrets.firstLine("--priv-pass-file", privFile, err);
        Scenario s = Scenario.load(scenario);
        if (seconds != null) {
            s = s.firstSeconds(seconds);
        }
        SumoNet net = SumoNet.read(s.netFile(), s.additionalFiles());
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        Files.createDirectories(out);
        Path mapping = mappingOut != null ? mappingOut : out.resolve("ntcip.map");
        VirtualControllerRun run = new VirtualControllerRun(s, net, signals, seed, out, backupS).realTime(!fast);
        VirtualControllerRun.Result r = VirtualControllerSite.run(run, host, port, user, auth, priv, mapping, backupS,
                () -> {
                    outWriter.printf(Locale.ROOT, "%d virtual NTCIP controllers on %s:%d..%d (SNMPv3 user %s); "
                            + "mapping in %s%n", signals.size(), host, port, port + signals.size() - 1, user, mapping);
                    outWriter.flush();
                });
        outWriter.printf(Locale.ROOT, "mean delay %.1f s over %d vehicles; %d safety violations; %d gap-outs, "
                        + "%d max-outs, %d force-offs%n", r.trips().avgDelayS(), r.trips().vehicles(),
                r.safetyViolations(), r.gapOuts(), r.maxOuts(), r.forceOffs());
        for (String e : r.violationExamples()) {
            outWriter.println("  " + e);
        }
        outWriter.flush();
        return r.safetyViolations() == 0 ? 0 : 1;
    }
}
