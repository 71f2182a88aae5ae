package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.policy.Policies;
import org.greenwave.harness.kpi.RunSummary;
import org.greenwave.netimport.ControlledIntersection;
import org.greenwave.netimport.Scenario;
import org.greenwave.testsupport.Sumo;
import org.greenwave.testsupport.TestPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field controllers' status reaches the engine over MQTT as it does in process: while the signals run their own
 * (fixed-time) programs, the engine's lane greens follow what the controllers report, so the forecast it makes from
 * them is the same, to the last bit, whichever way the status came.
 */
@Tag("sumo")
class FieldStatusIT {
    private static final int[] HORIZONS_S = {5, 15, 30, 60};

    /** At the end of the run: every lane's queue estimate and forecasts, per signal, and the statuses ignored. */
    private static final class EngineView implements RunObserver {
        private Engine engine;
        double[][] figures;
        long statusesIgnored = -1;

        @Override
        public boolean readsEngine() {
            return true;
        }

        @Override
        public void started(Engine engine, List<ControlledIntersection> signals) {
            this.engine = engine;
        }

        @Override
        public void finished(RunSummary summary) {
            figures = new double[engine.intersectionCount()][];
            for (int i = 0; i < figures.length; i++) {
                IntersectionSnapshot s = engine.newSnapshot(i);
                engine.snapshot(i, s);
                int lanes = s.model().incomingLaneCount();
                figures[i] = new double[lanes * (1 + HORIZONS_S.length)];
                for (int l = 0; l < lanes; l++) {
                    figures[i][l * (1 + HORIZONS_S.length)] = s.queueVeh(l);
                    for (int h = 0; h < HORIZONS_S.length; h++) {
                        figures[i][l * (1 + HORIZONS_S.length) + 1 + h] = s.predictedQueueVeh(l, HORIZONS_S[h]);
                    }
                }
            }
            statusesIgnored = engine.statusesIgnored();
        }
    }

    @Test
    void overMqttTheEngineForecastsADeviceProgramsSignalsFromTheirStatusAsInProcess(@TempDir Path dir)
            throws Exception {
        Sumo.requireInstalled();
        Scenario s = shortCorridor();
        EngineView local = new EngineView();
        EngineView viaMqtt = new EngineView();
        RunSummary a = run(s, Transport.inProcess(), dir.resolve("local"), local);
        RunSummary b = run(s, Transport.mqtt(null, null, BrokerAccess.ANONYMOUS), dir.resolve("mqtt"), viaMqtt);

        assertThat(b.transport()).isEqualTo("mqtt");
        assertThat(b.ingestDrops()).as("detector data or status lost or late").isZero();
        assertThat(viaMqtt.statusesIgnored).isZero();
        assertThat(local.statusesIgnored).isZero();
        assertThat(viaMqtt.figures.length).isEqualTo(5);
        for (int i = 0; i < local.figures.length; i++) {
            assertThat(viaMqtt.figures[i]).as("signal %d: queues and forecasts (5, 15, 30, 60 s) per lane", i)
                    .containsExactly(local.figures[i]);
        }
    }

    private static RunSummary run(Scenario s, Transport transport, Path out, EngineView observer) throws Exception {
        return new Study(s, List.of(Policies.FIXED), List.of(1L), out, List.of(), 1, List.of())
                .transport(transport)
                .observers((c, seed) -> observer)
                .run(null).get(0);
    }

    /** The corridor's five signals over its first 300 s. */
    private static Scenario shortCorridor() {
        return Scenario.load(TestPaths.own("corridor")).firstSeconds(300);
    }
}
