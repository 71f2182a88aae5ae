package org.greenwave.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.greenwave.adapters.mqtt.EmbeddedBroker;
import org.greenwave.adapters.mqtt.MessageSigner;
import org.greenwave.adapters.mqtt.MqttEngineGateway;
import org.greenwave.adapters.ntcip.NtcipEngineGateway;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.ntcip.SnmpSession;
import org.greenwave.adapters.ntcip.SnmpV3User;
import org.greenwave.adapters.mqtt.MqttGatewayOptions;
import org.greenwave.adapters.mqtt.MqttTls;
import org.greenwave.adapters.mqtt.Topics;
import org.greenwave.app.dashboard.Dashboard;
import org.greenwave.app.dashboard.DashboardServer;
import org.greenwave.app.dashboard.DecisionLatencyWindow;
import org.greenwave.app.dashboard.LiveSampler;
import org.greenwave.app.dashboard.PlanTap;
import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.port.EngineEdge;
import org.greenwave.core.port.FieldPort;
import org.greenwave.core.port.HealthSource;
import org.greenwave.core.port.StatusListener;
import org.greenwave.forecast.online.QueueForecasterFactory;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.oversight.OversightListener;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.Millis;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.netimport.ScenarioImport;
import org.greenwave.netimport.SumoNet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenwave serve}: the live engine on MQTT, in wall-clock time. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Runs the live engine on the wall clock: detector data in over MQTT, timing plans out.",
        description = {"Runs the live engine: detector data in over MQTT, timing plans out, on the wall clock. Controls "
                + "every traffic light of the network (or those named with --tls). Without --broker an embedded "
                + "MQTT 5 broker starts on --listen. The dashboard is served on --port. Stops on Ctrl-C. Topics: "
                + "see docs/mqtt.md."})
public final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "PATH", description = "A .sumocfg (or its folder): the network it names.")
    Path scenario;

    @Option(names = {"--net", "--network"}, paramLabel = "FILE", description = "A SUMO network, instead of --scenario.")
    Path network;

    @Option(names = "--broker", paramLabel = "URL", description = "An MQTT broker to use, e.g. tcp://10.0.0.5:1883.")
    String broker;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Without --broker: where the embedded broker listens. Default: 127.0.0.1:1883.")
    String listen = "127.0.0.1:1883";

    @Option(names = "--listen-passwords", paramLabel = "FILE",
            description = "Embedded broker: users and password hashes in Mosquitto's format (mosquitto_passwd or "
                    + "greenwave broker-passwd writes them). Without it and --allow-anonymous, only the engine connects.")
    Path listenPasswords;

    @Option(names = "--listen-acl", paramLabel = "FILE",
            description = "Embedded broker: access list in Mosquitto's acl_file syntax. Default: Greenwave's layout "
                    + "(deploy/mosquitto/acl): devices write only their own intersection, only the engine writes plans.")
    Path listenAcl;

    @Option(names = "--allow-anonymous",
            description = "Embedded broker: let clients in without a user name (they may feed detector data and read "
                    + "plans, never write plans). For a local test bench; warned about beyond 127.0.0.1.")
    boolean allowAnonymous;

    @Option(names = "--listen-cert", paramLabel = "FILE",
            description = "Embedded broker: TLS with this PEM certificate (chain) on --listen (with --listen-key).")
    Path listenCert;

    @Option(names = "--listen-key", paramLabel = "FILE",
            description = "Embedded broker: the PEM private key (PKCS #8, unencrypted) of --listen-cert.")
    Path listenKey;

    @Option(names = "--listen-client-ca", paramLabel = "FILE",
            description = "Embedded broker: mutual TLS, clients must present a certificate signed by these PEM "
                    + "authorities.")
    Path listenClientCa;

    @Option(names = "--listen-max-packet", paramLabel = "BYTES",
            description = "Embedded broker: largest MQTT packet a client may send; a larger one disconnects it "
                    + "(counted). Default: 131072.")
    int listenMaxPacket = EmbeddedBroker.DEFAULT_MAX_PACKET_BYTES;

    @Option(names = {"--controller", "--controllers"}, paramLabel = "NAME", description = "Policy for every signal: ${COMPLETION-CANDIDATES}. "
            + "Default: greenwave.", completionCandidates = SimulateCommand.ControllerNames.class)
    String controller = Policies.GREENWAVE;

    @Option(names = "--tls", split = ",", paramLabel = "ID", description = "Control only these traffic lights.")
    List<String> tls = new ArrayList<>();

    @Option(names = "--shards", paramLabel = "N", description = "Engine threads. Default: the number of cores.")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tick-s", paramLabel = "S", description = "Control period per signal, seconds. Default: 1.")
    double tickS = 1.0;

    @Option(names = "--run-for", paramLabel = "S", description = "Stop by itself after this many seconds (0: run until "
            + "Ctrl-C, the default).")
    long runForS = 0;

    @Option(names = "--engine-id", paramLabel = "ID", description = "Name in the health topic. Default: greenwave.")
    String engineId = "greenwave";

    @Option(names = "--status-every", paramLabel = "S", description = "Seconds between status lines. Default: 10.")
    int statusEveryS = 10;

    @Option(names = "--no-dashboard", description = "Serve no dashboard (and no /metrics).")
    boolean noDashboard;

    @CommandLine.Mixin
    DashboardAccess access = new DashboardAccess();

    @CommandLine.Mixin
    QueueModelOption queueModel = new QueueModelOption();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A deployment's settings in YAML (see docs/greenwave.yaml); options given here override it.")
    Path config;

    @Option(names = "--broker-username", paramLabel = "NAME", description = "User name at the --broker.")
    String brokerUsername;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File whose first line is the password at the --broker (keep it chmod 600).")
    Path brokerPasswordFile;

    @Option(names = "--broker-password-env", paramLabel = "VAR",
            description = "Environment variable holding the password at the --broker.")
    String brokerPasswordEnv;

    @Option(names = "--broker-ca", paramLabel = "FILE",
            description = "PEM certificate(s) of the authority that signed an ssl:// broker's certificate. Default: the "
                    + "JVM's trusted authorities.")
    Path brokerCa;

    @Option(names = "--broker-cert", paramLabel = "FILE",
            description = "PEM client certificate, for a broker that asks for one (with --broker-key).")
    Path brokerCert;

    @Option(names = "--broker-key", paramLabel = "FILE",
            description = "PEM private key (PKCS #8, unencrypted) of --broker-cert.")
    Path brokerKey;

    @Option(names = "--plan-key", paramLabel = "FILE",
            description = "The engine's Ed25519 private key (PEM); every plan and health message is signed with it, "
                    + "and field controllers take only signed plans. Make one with: greenwave keys generate --out DIR.")
    Path planKey;

    @Option(names = "--unsigned-plans",
            description = "Publish plans without a signature (field controllers that check signatures refuse them): "
                    + "for trials only.")
    boolean unsignedPlans;

    @Option(names = "--ntcip", paramLabel = "MAPPING",
            description = "Command NTCIP 1202 signal controllers over SNMPv3 (mode phase-control: hold, force-off, "
                    + "omit, vehicle calls each second; their detectors read each second) at the addresses the mapping "
                    + "file gives (docs/ntcip.md), instead of field devices over MQTT. Needs --snmp-user, "
                    + "--auth-pass-file and --priv-pass-file; no broker is started. With --broker (and its "
                    + "--broker-* options) the cameras' lane-area readings are taken from that broker beside the "
                    + "controllers; plans go to the controllers only.")
    Path ntcipMapping;

    @Option(names = "--snmp-user", paramLabel = "NAME", description = "With --ntcip: the SNMPv3 user (authPriv).")
    String snmpUser;

    @Option(names = "--auth-pass-file", paramLabel = "FILE",
            description = "With --ntcip: a file whose first line is the user's authentication passphrase (SHA-256).")
    Path authPassFile;

    @Option(names = "--priv-pass-file", paramLabel = "FILE",
            description = "With --ntcip: a file whose first line is the user's privacy passphrase (AES-128).")
    Path privPassFile;

    /** SNMP time-out per request (ms), retries, and polls without an answer before a controller is reported lost. */
    private static final long NTCIP_TIMEOUT_MS = 1000;
    private static final int NTCIP_RETRIES = 1;
    private static final int NTCIP_LOSS_AFTER_POLLS = 3;

    /** Controller status goes to the engine (the signals its devices run) and, when there is one, the dashboard. */
    private static StatusListener statusListener(Engine engine, Dashboard dashboard) {
        StatusListener toEngine = engine.status();
        if (dashboard == null) {
            return toEngine;
        }
        return status -> {
            toEngine.onStatus(status);
            dashboard.statusReceived(status);
        };
    }

    /**
     * The engine's own figures for the health topic: load, back-pressure, duty cycle, decision latency (over the
     * last minute, from {@code latency}, the process's one reader of the engine's latency), and the watchdogs' trips
     * and the signals they hold on their own programs now.
     */
    static HealthSource health(Engine engine, DecisionLatencyWindow latency) {
        org.greenwave.core.engine.IntersectionSnapshot[] snapshots =
                new org.greenwave.core.engine.IntersectionSnapshot[engine.intersectionCount()];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = engine.newSnapshot(i);
        }
        return sink -> {
            var m = engine.metrics();
            sink.counter("engineEventsApplied", m.eventsApplied());
            sink.counter("engineEventsIgnored", m.eventsIgnored());
            sink.counter("engineQueueFullDrops", m.queueFullDrops());
            sink.counter("engineTicks", m.ticks());
            sink.counter("engineTicksSkipped", m.ticksSkipped());
            sink.counter("enginePlansIssued", m.plansIssued());
            sink.counter("engineErrors", m.errors());
            long maxDuty = 0;
            for (int s = 0; s < m.shardCount(); s++) {
                maxDuty = Math.max(maxDuty, m.maxDutyCycleNs(s));
            }
            sink.counter("engineMaxDutyCycleNs", maxDuty);
            sink.counter("decisionP50Ns", latency.p50Ns());
            sink.counter("decisionP99Ns", latency.p99Ns());
            sink.counter("decisionMaxNs", latency.maxNs());
            long trips = 0;
            long onOwnProgram = 0;
            for (int i = 0; i < snapshots.length; i++) {
                engine.snapshot(i, snapshots[i]);
                trips += snapshots[i].watchdogTrips();
                onOwnProgram += snapshots[i].watchdogSuspended() ? 1 : 0;
            }
            sink.counter("watchdogTrips", trips);
            sink.counter("watchdogSignalsOnOwnProgram", onOwnProgram);
        };
    }

    @Override
    @SuppressWarnings("try") // the dashboard's sampler is a resource only to be closed
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (config != null) {
            ServeConfig.read(config, System::getenv).applyTo(this, cl.getParseResult()::hasMatchedOption,
                    cl.getErr());
        }
        if ((scenario == null) == (network == null)) {
            throw new CommandLine.ParameterException(cl, "give either --scenario PATH or --net FILE");
        }
        if (!Policies.names().contains(controller)) {
            throw new CommandLine.ParameterException(cl, "unknown controller '" + controller + "'; known: "
                    + String.join(", ", Policies.names()));
        }
        if (shards < 1 || statusEveryS < 1) {
            throw new CommandLine.ParameterException(cl, "--shards and --status-every must be at least 1");
        }
        if (runForS < 0) {
            throw new CommandLine.ParameterException(cl, "--run-for must be 0 or more, was " + runForS);
        }
        access.check(cl);
        if (!(tickS >= 0.05 && tickS <= 60)) {
            throw new CommandLine.ParameterException(cl, "--tick-s must be between 0.05 and 60, was " + tickS);
        }
        boolean ntcip = ntcipMapping != null;
        checkNtcipOptions(cl);
        String[] hostPort;
        try {
            hostPort = hostPort(listen);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--listen " + e.getMessage());
        }
        if (broker == null && (brokerUsername != null || brokerPasswordFile != null || brokerPasswordEnv != null
                || brokerCa != null || brokerCert != null || brokerKey != null)) {
            throw new CommandLine.ParameterException(cl, "--broker-username, --broker-password-*, --broker-ca, "
                    + "--broker-cert and --broker-key are for an external --broker (the embedded one takes "
                    + "--listen-passwords, --listen-acl, --listen-cert, --listen-key and --listen-client-ca)");
        }
        if (broker != null && (listenPasswords != null || listenAcl != null || allowAnonymous || listenCert != null
                || listenKey != null || listenClientCa != null
                || listenMaxPacket != EmbeddedBroker.DEFAULT_MAX_PACKET_BYTES)) {
            throw new CommandLine.ParameterException(cl, "--listen-* and --allow-anonymous configure the embedded "
                    + "broker; with --broker " + broker + " configure that broker instead (see deploy/mosquitto)");
        }
        EmbeddedBroker.Settings brokerSettings = broker != null || ntcip ? null : embeddedSettings(hostPort);
        try {
            if (brokerSettings != null) {
                brokerSettings.validate();
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "embedded broker: " + e.getMessage());
        }
        char[] password = ServeConfig.password(cl, brokerPasswordFile, brokerPasswordEnv, System::getenv,
                cl.getErr());
        MqttTls tlsFiles = brokerCa == null && brokerCert == null && brokerKey == null ? null
                : new MqttTls(brokerCa, brokerCert, brokerKey);
        if (broker != null) {
            gatewayOptions(broker, password, tlsFiles).build(); // checks the broker settings before anything starts
        }
        queueModel.load(cl.getOut());
        MessageSigner signer = ntcip ? null : signer(cl);
        SnmpV3User snmp = ntcip ? new SnmpV3User(snmpUser, Secrets.firstLine("--auth-pass-file", authPassFile,
                cl.getErr()), Secrets.firstLine("--priv-pass-file", privPassFile, cl.getErr())) : null;
        NtcipMapping mapping = ntcip ? NtcipMapping.read(ntcipMapping) : null;
        SumoNet net;
        if (network != null) {
            net = SumoNet.read(network);
        } else {
            Scenario sc = Scenario.load(scenario);
            net = SumoNet.read(sc.netFile(), sc.additionalFiles());
        }
        List<ControlledIntersection> signals = ScenarioImport.importSignals(net, tls);
        List<EngineIntersection> xs = new ArrayList<>();
        for (ControlledIntersection ci : signals) {
            xs.add(ScenarioImport.engineIntersection(ci, controller));
        }
        java.util.Map<String, IntersectionModel> byId = new java.util.HashMap<>();
        java.util.Map<String, java.util.Set<String>> detectorsById = new java.util.HashMap<>();
        for (EngineIntersection x : xs) {
            byId.put(x.model().id(), x.model());
            java.util.Set<String> ids = new java.util.HashSet<>();
            x.detectors().forEach(d -> ids.add(d.id()));
            detectorsById.put(x.model().id(), ids);
        }
        if (mapping != null) {
            // Before anything starts: every signal, phase and detector the file names, checked against the network.
            mapping.check(byId, (signal, detector) -> detectorsById.get(signal).contains(detector));
        }
        PrintWriter out = cl.getOut();
        SystemClock clock = new SystemClock();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "greenwave-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        EmbeddedBroker embedded = brokerSettings == null ? null : EmbeddedBroker.start(brokerSettings);
        String url = broker != null ? broker : embedded != null ? embedded.url() : null;
        PlanSink[] sink = new PlanSink[1];
        List<IntersectionModel> models = new ArrayList<>();
        for (EngineIntersection x : xs) {
            models.add(x.model());
        }
        // The dashboard keeps the newest plan of each signal on its way to the gateway.
        PlanTap plans = new PlanTap(models, p -> {
            PlanSink s = sink[0];
            if (s != null) {
                s.onPlan(p);
            }
        });
        Dashboard dashboard = noDashboard ? null
                : new Dashboard(net.file().getFileName().toString(), net, signals, Dashboard.ClockKind.WALL);
        org.greenwave.core.audit.AuditLog audit = access.openAudit(null);
        try (embedded; audit; Engine engine = Engine.launch(queueModel.engineSetup().apply(new EngineContext().intersections(xs)
                .shards(Math.min(shards, xs.size())).tickMs(Millis.fromSeconds(tickS))
                .planLifetimeMs(Millis.fromSeconds(Math.max(1.0, 3 * tickS))).clock(clock)
                .planSink(plans).oversightListener(dashboard == null ? OversightListener.NONE : dashboard.oversight())
                .forecasterFactory(new QueueForecasterFactory(new QueueForecasterFactory.Config()))));
             DashboardServer server = dashboard == null ? null : DashboardServer.start(dashboard,
                     access.serverOptions(cl, audit, System::getenv))) {
            if (server != null) {
                DashboardAccess.printWarnings(server, cl.getErr());
                dashboard.oversight().register(server);
            }
            if (audit.file() == null) {
                cl.getErr().println("NOTE: the audit log is kept in memory only; give --audit-log FILE to keep it.");
                cl.getErr().flush();
            }
            DecisionLatencyWindow latency = new DecisionLatencyWindow(engine.metrics());
            if (ntcip) {
                serveNtcip(cl, engine, signals, mapping, snmp, clock, dashboard, latency, plans, sink, stop, net,
                        broker == null ? null : gatewayOptions(broker, password, tlsFiles));
                return 0;
            }
            MqttGatewayOptions.Builder engineOptions = embedded == null ? gatewayOptions(url, password, tlsFiles)
                    : MqttGatewayOptions.builder().brokerUrl(embedded.engineUrl()).engineId(engineId)
                            .credentials(embedded.engineCredentials().username(), embedded.engineCredentials().password());
            // MQTT is chosen here, once; from here on the engine, the dashboard and the status line see the port.
            MqttEngineGateway gateway = MqttEngineGateway.start(engineOptions.signer(signer), new EngineEdge(
                    engine.directory(), engine.ingest(), clock,
                    statusListener(engine, dashboard), health(engine, latency)));
            try (FieldPort port = gateway;
                 LiveSampler sampler = dashboard == null ? null : attach(dashboard, engine, latency, plans, port)) {
                sink[0] = port;
                Topics topics = gateway.topics();
                out.printf("Greenwave serving %d signal(s) of %s with %s on %s%s%n", xs.size(), net.file().getFileName(),
                        controller, url, embedded != null ? " (embedded broker)" : "");
                out.printf("Detector data in: %s, %s, %s%n", topics.detectorFilter(
                        org.greenwave.adapters.mqtt.DetectorPayloadKind.EVENTS),
                        topics.detectorFilter(org.greenwave.adapters.mqtt.DetectorPayloadKind.AGGREGATES),
                        topics.detectorFilter(org.greenwave.adapters.mqtt.DetectorPayloadKind.LANE_AREA));
                out.printf("Timing plans out: %s   health: %s   %s%n", topics.planFilter(),
                        topics.health(engineId), signer == null ? "NOT SIGNED (--unsigned-plans)"
                                : "signed with key " + signer.keyId());
                if (embedded != null) {
                    if (dashboard != null) {
                        dashboard.showMetrics(embedded.counters());
                    }
                    out.println(embedded.describe());
                    for (String w : embedded.warnings()) {
                        cl.getErr().println("greenwave: warning: " + w);
                    }
                    cl.getErr().flush();
                }
                if (server != null) {
                    out.printf("Dashboard: %s   metrics: %smetrics%n", server.url(), server.url());
                }
                queueModel.reportUse(out);
                out.println("Ctrl-C stops.");
                out.flush();
                statusLoop(out, engine, port, latency, stop, "broker",
                        () -> embedded == null ? null : "broker refused " + embedded.counters().summary());
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    /** Until stopped or {@code --run-for} has passed: a status line every {@code --status-every} seconds. */
    private void statusLoop(PrintWriter out, Engine engine, FieldPort port, DecisionLatencyWindow latency,
                            CountDownLatch stop, String link, java.util.function.Supplier<String> more)
            throws InterruptedException {
        long endNs = runForS > 0 ? System.nanoTime() + runForS * 1_000_000_000L : Long.MAX_VALUE;
        WatchdogLog watchdogs = new WatchdogLog(engine);
        while (!stop.await(Math.min(statusEveryS * 1000L, Math.max(1, (endNs - System.nanoTime()) / 1_000_000)),
                java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() - endNs >= 0) {
                break;
            }
            out.println(ServeStatus.line(java.time.LocalTime.now(), link, port.linkState(), port.counters(),
                    latency.p99Ns(), more.get()));
            watchdogs.report(out);
            out.flush();
        }
    }

    /**
     * The options of {@code --ntcip}: all three SNMPv3 ones with it; of MQTT's only an external {@code --broker} and
     * its credentials and TLS (the cameras' broker): no embedded broker and nothing about plans, which go to the
     * controllers.
     */
    private void checkNtcipOptions(CommandLine cl) {
        if (ntcipMapping == null) {
            if (snmpUser != null || authPassFile != null || privPassFile != null) {
                throw new CommandLine.ParameterException(cl, "--snmp-user, --auth-pass-file and --priv-pass-file go "
                        + "with --ntcip MAPPING");
            }
            return;
        }
        if (snmpUser == null || authPassFile == null || privPassFile == null) {
            throw new CommandLine.ParameterException(cl, "--ntcip needs --snmp-user, --auth-pass-file and "
                    + "--priv-pass-file (SNMPv3 authPriv)");
        }
        CommandLine.ParseResult given = cl.getParseResult();
        for (String mqtt : List.of("--listen", "--listen-passwords", "--listen-acl", "--allow-anonymous",
                "--listen-cert", "--listen-key", "--listen-client-ca", "--listen-max-packet", "--plan-key",
                "--unsigned-plans")) {
            if (given.hasMatchedOption(mqtt)) {
                throw new CommandLine.ParameterException(cl, mqtt + " is for field devices over MQTT; with --ntcip "
                        + "the engine reaches its controllers over SNMP, starts no broker and publishes no plan (the "
                        + "cameras' readings come from an external --broker)");
            }
        }
    }

    /**
     * The engine's field port is the NTCIP phase-control gateway (the mapping was checked against the network before
     * the engine started), every controller polled once a second; with {@code cameras}, the MQTT gateway takes the
     * cameras' lane-area readings from that broker into the engine's ingest beside it, as a detector input only
     * (validated and counted as ever; it publishes nothing). Runs until stopped.
     */
    private void serveNtcip(CommandLine cl, Engine engine, List<ControlledIntersection> signals, NtcipMapping mapping,
                            SnmpV3User snmp, SystemClock clock, Dashboard dashboard, DecisionLatencyWindow latency,
                            PlanTap plans, PlanSink[] sink, CountDownLatch stop, SumoNet net,
                            MqttGatewayOptions.Builder cameras) throws Exception {
        PrintWriter out = cl.getOut();
        java.util.Map<String, IntersectionModel> models = new java.util.HashMap<>();
        for (ControlledIntersection ci : signals) {
            models.put(ci.id(), ci.model());
        }
        org.greenwave.core.ingest.DetectorDirectory directory = engine.directory();
        // NTCIP is chosen here, once; from here on the engine, the dashboard and the status line see the port.
        FieldPort gateway = NtcipEngineGateway.factory(mapping, models, SnmpSession.v3(snmp, NTCIP_TIMEOUT_MS,
                NTCIP_RETRIES), NTCIP_LOSS_AFTER_POLLS, true).start(new EngineEdge(directory, engine.ingest(), clock,
                statusListener(engine, dashboard), health(engine, latency)));
        try (FieldPort port = gateway;
             // The cameras: the MQTT gateway's detector side only, into the same ingest; never a plan sink.
             MqttEngineGateway camerasIn = cameras == null ? null : MqttEngineGateway.start(
                     cameras.detectorInputOnly(org.greenwave.adapters.mqtt.DetectorPayloadKind.LANE_AREA),
                     new EngineEdge(directory, engine.ingest(), clock, StatusListener.NONE, null));
             LiveSampler sampler = dashboard == null ? null : attach(dashboard, engine, latency, plans, port)) {
            sink[0] = port;
            out.printf("Greenwave serving %d signal(s) of %s with %s over NTCIP (phase-control, SNMPv3 user %s) to "
                    + "the %d controller(s) of %s%n", signals.size(), net.file().getFileName(), controller, snmp.name(),
                    mapping.signals().size(), mapping.file());
            if (camerasIn != null) {
                out.printf("Camera readings in: %s on %s (no plans or health published there)%n",
                        camerasIn.topics().detectorFilter(org.greenwave.adapters.mqtt.DetectorPayloadKind.LANE_AREA),
                        camerasIn.options().brokerUrl());
                if (dashboard != null) {
                    dashboard.showMetrics(cameraMetrics(camerasIn));
                }
            }
            queueModel.reportUse(out);
            out.println("Ctrl-C stops.");
            out.flush();
            statusLoop(out, engine, port, latency, stop, "controllers", camerasIn == null ? () -> null
                    : () -> "cameras " + ServeStatus.input(camerasIn.linkState(), camerasIn.counters()));
        }
    }

    /** The cameras' input on {@code /metrics}, beside the NTCIP port's figures: {@code greenwave_cameras_mqtt_*}. */
    private static org.greenwave.core.port.MetricSource cameraMetrics(MqttEngineGateway cameras) {
        return sink -> {
            var c = cameras.counters();
            sink.metric("greenwave_cameras_mqtt_connected", "gauge", "1 when the cameras' broker is connected.",
                    cameras.linkState() == org.greenwave.core.port.LinkState.CONNECTED ? 1 : 0);
            sink.metric("greenwave_cameras_mqtt_messages_received_total", "counter",
                    "Camera messages received over MQTT.", c.messagesIn());
            sink.metric("greenwave_cameras_mqtt_entries_applied_total", "counter",
                    "Camera readings validated and handed to the engine.", c.entriesApplied());
            sink.metric("greenwave_cameras_mqtt_ingest_refused_total", "counter",
                    "Valid camera readings the engine's queue refused.", c.ingestRefused());
            sink.byReason("greenwave_cameras_mqtt_rejected_total", "Camera messages or entries rejected, by reason.",
                    c.rejects());
        };
    }

    private EmbeddedBroker.Settings embeddedSettings(String[] hostPort) {
        EmbeddedBroker.Settings s = EmbeddedBroker.settings().host(hostPort[0]).port(Integer.parseInt(hostPort[1]))
                .passwordFile(listenPasswords).aclFile(listenAcl).allowAnonymous(allowAnonymous)
                .maxPacketBytes(listenMaxPacket);
        if (listenCert != null || listenKey != null) {
            s.tls(listenCert, listenKey);
        }
        return s.clientCa(listenClientCa);
    }

    /** The signer of {@code --plan-key}; null with {@code --unsigned-plans}. */
    private MessageSigner signer(CommandLine cl) {
        if (planKey != null && unsignedPlans) {
            throw new CommandLine.ParameterException(cl, "give either --plan-key FILE or --unsigned-plans, not both");
        }
        if (unsignedPlans) {
            cl.getErr().println("greenwave: warning: plans and health are published unsigned (--unsigned-plans): "
                    + "anyone who can publish on the broker can pass for the engine");
            cl.getErr().flush();
            return null;
        }
        if (planKey == null) {
            throw new CommandLine.ParameterException(cl, "give --plan-key FILE, the private key the engine signs its "
                    + "plans with (make a key pair with: greenwave keys generate --out DIR), or --unsigned-plans");
        }
        try {
            return MessageSigner.read(planKey);
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(cl, "--plan-key " + e.getMessage());
        }
    }

    private MqttGatewayOptions.Builder gatewayOptions(String url, char[] password, MqttTls tlsFiles) {
        return MqttGatewayOptions.builder().brokerUrl(url).engineId(engineId).credentials(brokerUsername, password)
                .tls(tlsFiles);
    }

    /**
     * Splits {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException "must be HOST:PORT, was ..." when it is not
     */
    static String[] hostPort(String listen) {
        String[] hostPort = listen.split(":");
        if (hostPort.length != 2 || hostPort[0].isEmpty() || !hostPort[1].matches("\\d{1,5}")
                || Integer.parseInt(hostPort[1]) > 65535) {
            throw new IllegalArgumentException("must be HOST:PORT, was '" + listen + "'");
        }
        return hostPort;
    }

    private static LiveSampler attach(Dashboard dashboard, Engine engine, DecisionLatencyWindow latency, PlanTap plans,
                                      FieldPort port) {
        dashboard.attach(engine, latency, plans, port, "live");
        return LiveSampler.start(dashboard);
    }
}
