package org.greenwave.harness.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.greenwave.adapters.field.PlanRefusals;
import org.greenwave.adapters.ntcip.NtcipMapping;
import org.greenwave.adapters.sumo.PlanBoard;
import org.greenwave.adapters.sumo.SumoField;
import org.greenwave.adapters.sumo.SumoPort;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.EngineIntersection;
import org.greenwave.core.time.ManualClock;
import org.greenwave.netimport.ControlledIntersection;

/**
 * How a simulated run's field (SUMO's detectors and field controllers) reaches its engine, chosen once for a study:
 * {@linkplain #inProcess() in process}, where the engine's field port is SUMO's own ({@link SumoPort}: readings
 * straight into the engine, plans straight onto the field's board), or {@linkplain #mqtt over MQTT} as in a
 * deployment, where the engine's field port is the MQTT gateway, or {@linkplain #ntcip() over NTCIP} to virtual
 * controllers in SUMO's cabinets, the cameras beside them. The run itself does not know which: it hands the step's
 * readings to the transport's feed and, after the step, lets the transport bring the engine up to date and the field
 * show its decisions.
 *
 * <p>Immutable; one transport serves every run of a study (each run opens its own connection).
 */
public abstract class Transport {

    private static final Transport IN_PROCESS = new Transport() {
        @Override
        public String name() {
            return "in-process";
        }

        @Override
        Open open(Setup setup) {
            return new InProcessTransport(setup, true);
        }
    };

    private static final Transport IN_PROCESS_LOOPS = new Transport() {
        @Override
        public String name() {
            return "in-process-loops";
        }

        @Override
        Open open(Setup setup) {
            return new InProcessTransport(setup, false);
        }
    };

    Transport() {
    }

    /** The engine in the run's process, invoked on the run's thread after every step. */
    public static Transport inProcess() {
        return IN_PROCESS;
    }

    /**
     * As {@link #inProcess()}, the engine seeing only the loops (no lane-area reading): what a signal controller's
     * cabinet detects, so the in-process counterpart of an NTCIP run without cameras ({@link #ntcipLoopsOnly()});
     * named {@code in-process-loops}.
     */
    public static Transport inProcessLoopsOnly() {
        return IN_PROCESS_LOOPS;
    }

    /**
     * Detector data and plans through an MQTT broker, the engine on its own threads behind its MQTT gateway.
     *
     * @param brokerUrl the broker, or null for an embedded one per run
     * @param signing   the keys plans are signed and checked with, or null for a key pair made per run
     * @param access    how the engine and the field side log in to an external broker
     */
    public static Transport mqtt(String brokerUrl, PlanSigning signing, BrokerAccess access) {
        Objects.requireNonNull(access, "access");
        return new Transport() {
            @Override
            public String name() {
                return "mqtt";
            }

            @Override
            Open open(Setup setup) throws IOException {
                return new MqttTransport(brokerUrl, setup, signing != null ? signing : PlanSigning.ephemeral(),
                        access);
            }
        };
    }

    /**
     * Each signal's cabinet a virtual NTCIP 1202 controller driving SUMO, reached over SNMPv3 on loopback by the
     * engine's NTCIP gateway, as a central system reaches controllers in the field; the approaches' cameras (SUMO's
     * lane-area detectors) reach the engine through their own feed beside the controllers; see {@link NtcipTransport}.
     * Named {@code ntcip}.
     */
    public static Transport ntcip() {
        return ntcip(NtcipMapping.Mode.PHASE_CONTROL, true, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #ntcip()} without the cameras: the engine sees only what the controllers' cabinets detect, their loops,
     * as {@link #inProcessLoopsOnly()} does in process; named {@code ntcip-loops}.
     */
    public static Transport ntcipLoopsOnly() {
        return ntcip(NtcipMapping.Mode.PHASE_CONTROL, false, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #ntcip()}, with the central system stopping dead at {@code engineStopsAtS} of simulated time (no more
     * ticks, reads, sets or camera readings, as when the engine is killed): the controllers run their own timing after
     * their backup time.
     */
    public static Transport ntcip(double engineStopsAtS) {
        return ntcip(NtcipMapping.Mode.PHASE_CONTROL, true, engineStopsAtS);
    }

    /**
     * As {@link #ntcip()}, the engine commanding the controllers in {@code mode}: second by second through phase
     * control, or cycle by cycle through patterns.
     */
    public static Transport ntcip(NtcipMapping.Mode mode) {
        return ntcip(mode, true, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #ntcip(NtcipMapping.Mode, boolean, double)} for the whole run, the mode as the mapping file spells it.
     *
     * @throws IllegalArgumentException naming the modes, for any other word
     */
    public static Transport ntcip(String mode, boolean cameras) {
        NtcipMapping.Mode m = NtcipMapping.Mode.of(mode);
        if (m == null) {
            throw new IllegalArgumentException("'" + mode + "' is not an NTCIP mode ("
                    + java.util.Arrays.stream(NtcipMapping.Mode.values()).map(NtcipMapping.Mode::word)
                    .collect(java.util.stream.Collectors.joining(" or ")) + ")");
        }
        return ntcip(m, cameras, Double.POSITIVE_INFINITY);
    }

    /**
     * The NTCIP transport: the controllers commanded in {@code mode}, the cameras' lane-area readings reaching the
     * engine or not, and the central system stopping dead at {@code engineStopsAtS}. Named {@code ntcip} (phase
     * control) or {@code ntcip-pattern}, with {@code -loops} appended without the cameras.
     */
    public static Transport ntcip(NtcipMapping.Mode mode, boolean cameras, double engineStopsAtS) {
        Objects.requireNonNull(mode, "mode");
        String name = (mode == NtcipMapping.Mode.PATTERN ? "ntcip-pattern" : "ntcip") + (cameras ? "" : "-loops");
        return new Transport() {
            @Override
            public String name() {
                return name;
            }

            @Override
            Open open(Setup setup) throws IOException {
                return new NtcipTransport(setup, mode, cameras, engineStopsAtS);
            }
        };
    }

    /**
     * The transport's name in a run's summary: {@code in-process}, {@code in-process-loops}, {@code mqtt}, {@code ntcip}
     * (phase control), {@code ntcip-pattern}, {@code ntcip-loops} or {@code ntcip-pattern-loops}.
     */
    public abstract String name();

    /** Starts the run's engine and connects the field to it. */
    abstract Open open(Setup setup) throws IOException;

    /**
     * What a run gives its transport.
     *
     * @param intersections the engine's intersections
     * @param clock         the engine clock, which the transport moves to each step's time
     * @param board         where the plans that reach the field go
     * @param runId         unique per run (e.g. for topic trees and client ids)
     * @param engineSetup   adjusts the engine's context before it starts
     * @param refusals      where the field counts the plans it refuses
     * @param signals       the signals, in the engine's order, as the network import found them
     * @param controller    the engine's policy
     * @param outDir        the run's folder
     */
    record Setup(List<EngineIntersection> intersections, ManualClock clock, PlanBoard board, String runId,
                 UnaryOperator<EngineContext> engineSetup, PlanRefusals refusals, List<ControlledIntersection> signals,
                 String controller, Path outDir) {
    }

    /**
     * A transport opened for one run. Threading: the run's thread, but for plans, which reach the board on the
     * engine's or the transport's threads.
     */
    interface Open extends AutoCloseable {
        /** The run's engine. */
        org.greenwave.core.engine.Engine engine();

        /** Where the field's readings go each step. */
        org.greenwave.adapters.sumo.DetectorFeed feed();

        /**
         * Once, before the first step, with every signal of the field added: tells the observer what it may watch and
         * runs the engine's first tick.
         */
        void begin(RunObserver observer, SumoField field) throws Exception;

        /**
         * After the step's readings were fed and flushed: moves the engine clock to {@code nowMs} and waits until the
         * engine has dealt with the readings and issued the plans of that time.
         */
        void afterStep(long nowMs) throws InterruptedException;

        /**
         * After {@link #afterStep}: the field shows its decisions for {@code nowMs} (queued, sent with the next step).
         * By default each signal's field controller follows the newest plan on the board; a transport whose field
         * runs controllers of its own steps them instead.
         */
        default void showField(SumoField field, long nowMs) {
            field.applyPlans(nowMs);
        }

        /** At the end of the run: what the field's controllers did, summed over the signals. */
        default FieldTotals fieldTotals(SumoField field) {
            return FieldTotals.of(field);
        }

        /** Readings that did not reach the engine's state: refused, rejected, unsent, or late. */
        long ingestDrops();

        @Override
        void close();
    }
}
