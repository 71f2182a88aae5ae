package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.engine.EngineFixtures.crossing;
import static org.greenwave.core.engine.EngineFixtures.intersection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.greenwave.core.ingest.Ingest;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine with its own shard threads. No test asserts on time; the timeouts only stop a hung test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineThreadedTest {
    private static final int PRODUCERS = 4;
    private static final int EDGES_PER_PRODUCER = 100_000;
    private static final int INTERSECTIONS = 6;

    private final ManualClock clock = new ManualClock(0);

    private EngineContext context() {
        List<EngineIntersection> xs = new ArrayList<>();
        for (int i = 0; i < INTERSECTIONS; i++) {
            xs.add(intersection(crossing("x" + i), Policies.MAX_PRESSURE));
        }
        return new EngineContext().intersections(xs).shards(2).clock(clock).planSink(p -> { })
                .queueCapacity(1024).idleStrategy(() -> new BackoffIdleStrategy(10, 5, 1_000, 100_000));
    }

    @Test
    void everyAcceptedReadingFromFourProducersIsAppliedExactlyOnce() throws Exception {
        Engine engine = Engine.launch(context());
        int lanes = 4;
        // Producer p sends "on" edges to stop-line loops round robin over all intersections and lanes.
        long[][] accepted = new long[PRODUCERS][INTERSECTIONS * lanes];
        long[] refused = new long[PRODUCERS];
        int[] stopLine = new int[INTERSECTIONS * lanes];
        for (int i = 0; i < INTERSECTIONS; i++) {
            for (int l = 0; l < lanes; l++) {
                stopLine[i * lanes + l] = engine.directory().detectorIndex("x" + i + "/sl" + l);
            }
        }
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(new Thread(() -> {
                Ingest in = engine.ingest();
                for (int k = 0; k < EDGES_PER_PRODUCER; k++) {
                    int target = (k + producer) % stopLine.length;
                    if (in.detectorEdge(stopLine[target], true, k)) {
                        accepted[producer][target]++;
                    } else {
                        refused[producer]++;
                    }
                }
            }, "producer-" + p));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join();
        }
        // Readings offered before the clock moves are applied before the tick at the new time.
        clock.set(1000);
        while (engine.metrics().ticks() < 2L * INTERSECTIONS) {
            Thread.yield();
        }
        long acceptedTotal = 0;
        long refusedTotal = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            refusedTotal += refused[p];
            for (long a : accepted[p]) {
                acceptedTotal += a;
            }
        }
        for (int i = 0; i < INTERSECTIONS; i++) {
            IntersectionSnapshot s = engine.newSnapshot(i);
            engine.snapshot(i, s);
            for (int l = 0; l < lanes; l++) {
                long sum = 0;
                for (int p = 0; p < PRODUCERS; p++) {
                    sum += accepted[p][i * lanes + l];
                }
                assertThat(s.stopLineCount(l)).as("x%d lane %d", i, l).isEqualTo(sum);
            }
        }
        engine.close();

        EngineMetrics m = engine.metrics();
        assertThat(acceptedTotal + refusedTotal).isEqualTo((long) PRODUCERS * EDGES_PER_PRODUCER);
        assertThat(m.eventsApplied()).isEqualTo(acceptedTotal);
        assertThat(m.queueFullDrops()).isEqualTo(refusedTotal);
        assertThat(m.eventsApplied() + m.queueFullDrops()).isEqualTo((long) PRODUCERS * EDGES_PER_PRODUCER);
        assertThat(m.eventsIgnored()).isZero();
        assertThat(m.errors()).isZero();
        assertThat(m.dutyCycles(0)).isPositive();
        assertThat(m.dutyCycles(1)).isPositive();
        assertThat(shardThreads()).isEmpty();
    }

    @Test
    void closeStopsAndJoinsTheShardThreads() {
        Engine engine = Engine.launch(context());
        assertThat(shardThreads()).extracting(Thread::getName)
                .containsExactlyInAnyOrder("greenwave-shard-0", "greenwave-shard-1");
        assertThat(shardThreads()).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        assertThatThrownBy(engine::doWork).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invoked");

        engine.close();
        engine.close();

        assertThat(shardThreads()).isEmpty();
    }

    @Test
    void snapshotsTakenOnAnotherThreadAreConsistent() throws Exception {
        IntersectionModel m = crossing("solo");
        EngineContext ctx = new EngineContext()
                .intersections(List.of(intersection(m, Policies.MAX_PRESSURE)))
                .clock(clock).planSink(p -> { })
                .idleStrategy(() -> new BackoffIdleStrategy(100, 10, 1_000, 20_000));
        Engine engine = Engine.launch(ctx);
        int[] stopLine = new int[4];
        for (int l = 0; l < 4; l++) {
            stopLine[l] = engine.directory().detectorIndex("solo/sl" + l);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            IntersectionSnapshot s = engine.newSnapshot(0);
            while (!done.get()) {
                engine.snapshot(0, s);
                reads.incrementAndGet();
                // The tick at k s issues plan k + 1 and has seen k vehicles on every lane.
                long seq = s.planSequence();
                boolean ok = seq >= 1 && s.ticks() == seq && s.nowS() == seq - 1;
                for (int l = 0; l < 4; l++) {
                    ok &= s.stopLineCount(l) == seq - 1;
                }
                if (!ok && torn.get() == null) {
                    torn.set("seq=" + seq + " ticks=" + s.ticks() + " now=" + s.nowS() + " counts="
                            + s.stopLineCount(0) + "," + s.stopLineCount(1) + "," + s.stopLineCount(2) + ","
                            + s.stopLineCount(3));
                }
            }
        }, "snapshot-reader");
        // The first tick runs at once, at time 0; before each later one, one vehicle per lane, then the clock moves.
        while (engine.metrics().ticks() < 1) {
            Thread.yield();
        }
        reader.start();
        int ticks = 500;
        for (int k = 1; k <= ticks; k++) {
            for (int l = 0; l < 4; l++) {
                assertThat(engine.ingest().detectorEdge(stopLine[l], true, k * 1000L)).isTrue();
            }
            clock.set(k * 1000L);
            while (engine.metrics().ticks() < k + 1) {
                Thread.onSpinWait();
            }
        }
        done.set(true);
        reader.join();
        engine.close();

        assertThat(torn.get()).isNull();
        assertThat(reads.get()).isPositive();
        IntersectionSnapshot last = engine.newSnapshot(0);
        engine.snapshot(0, last);
        assertThat(last.planSequence()).isEqualTo(ticks + 1);
    }

    private static List<Thread> shardThreads() {
        List<Thread> r = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("greenwave-shard-") && t.isAlive()) {
                r.add(t);
            }
        }
        return r;
    }
}
