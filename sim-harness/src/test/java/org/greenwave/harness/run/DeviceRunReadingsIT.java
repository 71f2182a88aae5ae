package org.greenwave.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import java.util.function.UnaryOperator;

import org.greenwave.core.engine.Engine;
import org.greenwave.core.engine.EngineContext;
import org.greenwave.core.engine.IntersectionSnapshot;
import org.greenwave.core.forecast.ForecasterFactory;
import org.greenwave.core.forecast.IntersectionForecaster;
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
 * A signal that runs a device program for the whole run gives the engine its detector readings, and has its forecast
 * step run, only when something reads the engine's view of the field; without, the run's results are the same to the
 * byte.
 */
@Tag("sumo")
class DeviceRunReadingsIT {
    /** Counts the readings the engine received, and says whether it reads the engine while the run goes. */
    private static final class ReadingsCount implements RunObserver {
        private final boolean readsEngine;
        private Engine engine;
        long readings;
        /** Forecast steps run by the forecaster the run's engine set-up gave it. */
        final java.util.concurrent.atomic.AtomicLong forecastSteps = new java.util.concurrent.atomic.AtomicLong();

        /** The run's own forecaster, counting its steps. */
        UnaryOperator<EngineContext> countingForecasts() {
            return ctx -> {
                ForecasterFactory inner = ctx.forecasterFactory();
                return ctx.forecasterFactory((model, detectors) -> {
                    IntersectionForecaster f = inner.create(model, detectors);
                    return state -> {
                        forecastSteps.incrementAndGet();
                        f.update(state);
                    };
                });
            };
        }

        ReadingsCount(boolean readsEngine) {
            this.readsEngine = readsEngine;
        }

        @Override
        public boolean readsEngine() {
            return readsEngine;
        }

        @Override
        public void started(Engine engine, List<ControlledIntersection> signals) {
            this.engine = engine;
        }

        @Override
        public void finished(RunSummary summary) {
            for (int i = 0; i < engine.intersectionCount(); i++) {
                IntersectionSnapshot s = engine.newSnapshot(i);
                engine.snapshot(i, s);
                readings += s.readings();
            }
        }
    }

    @Test
    void fixedTimeRunFeedsTheEngineOnlyWhenItsViewIsReadAndGivesTheSameResults(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        Scenario s = shortCorridor();
        ReadingsCount watched = new ReadingsCount(true);
        ReadingsCount unwatched = new ReadingsCount(false);
        run(s, Policies.FIXED, dir.resolve("watched"), watched);
        run(s, Policies.FIXED, dir.resolve("unwatched"), unwatched);

        assertThat(watched.readings).as("readings the engine received while its view was read").isGreaterThan(100);
        assertThat(unwatched.readings).as("readings the engine received while nothing read it").isZero();
        assertThat(watched.forecastSteps.get()).as("forecast steps while the engine's view was read")
                .isGreaterThanOrEqualTo(5 * 300);
        assertThat(unwatched.forecastSteps.get()).as("forecast steps while nothing read them").isZero();
        Path a = dir.resolve("watched/fixed/seed-1");
        Path b = dir.resolve("unwatched/fixed/seed-1");
        assertThat(Files.readString(b.resolve("tripinfo.xml")).replaceAll("(?s)^.*?<tripinfos", ""))
                .isEqualTo(Files.readString(a.resolve("tripinfo.xml")).replaceAll("(?s)^.*?<tripinfos", ""));
        assertThat(withoutWallTime(b.resolve("summary.json"))).isEqualTo(withoutWallTime(a.resolve("summary.json")));
        assertThat(withoutWallTime(a.resolve("summary.json"))).contains("\"starvationEvents\"");
    }

    @Test
    void engineDrivenRunFeedsTheEngineWhateverReadsIt(@TempDir Path dir) throws Exception {
        Sumo.requireInstalled();
        ReadingsCount unwatched = new ReadingsCount(false);
        run(shortCorridor(), Policies.MAX_PRESSURE, dir.resolve("out"), unwatched);
        assertThat(unwatched.readings).isGreaterThan(100);
        assertThat(unwatched.forecastSteps.get()).isGreaterThanOrEqualTo(5 * 300);
    }

    private static void run(Scenario s, String controller, Path out, ReadingsCount observer) throws Exception {
        new Study(s, List.of(controller), List.of(1L), out, List.of(), 1, List.of())
                .observers((c, seed) -> observer)
                .engineSetups((c, seed) -> observer.countingForecasts())
                .run(null);
    }

    /** The corridor's five signals over its first 300 s. */
    private static Scenario shortCorridor() {
        return Scenario.load(TestPaths.own("corridor")).firstSeconds(300);
    }

    private static String withoutWallTime(Path summary) throws Exception {
        return Files.readString(summary).replaceAll("\"wallTimeS\" : [0-9.Ee-]+,?", "");
    }
}
