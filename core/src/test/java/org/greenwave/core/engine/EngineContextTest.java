package org.greenwave.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greenwave.core.engine.EngineFixtures.crossing;
import static org.greenwave.core.engine.EngineFixtures.intersection;

import java.util.List;

import org.greenwave.core.ingest.DetectorKind;
import org.greenwave.core.ingest.DetectorSpec;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.policy.Policies;
import org.greenwave.core.time.ManualClock;
import org.junit.jupiter.api.Test;

/** {@link EngineContext#conclude()}: defaults, and a clear message for every bad setting. */
class EngineContextTest {
    private final IntersectionModel a = crossing("a");
    private final IntersectionModel b = crossing("b");

    private EngineContext valid() {
        return new EngineContext()
                .intersections(List.of(intersection(a, Policies.WEBSTER), intersection(b, Policies.MAX_PRESSURE)))
                .clock(new ManualClock(0))
                .planSink(p -> { });
    }

    @Test
    void fillsInDefaults() {
        EngineContext ctx = valid().conclude();

        assertThat(ctx.tickMs()).isEqualTo(1000);
        assertThat(ctx.planLifetimeMs()).isEqualTo(3000);
        assertThat(ctx.queueCapacity()).isEqualTo(65536);
        assertThat(ctx.shards()).isBetween(1, 2);
        assertThat(ctx.errorHandler()).isNotNull();
        assertThat(ctx.idleStrategy().get()).isInstanceOf(BackoffIdleStrategy.class);
        assertThat(ctx.conclude()).as("a second conclude does nothing").isSameAs(ctx);
    }

    @Test
    void planLifetimeDefaultsToThreeTicksAndShardsAreCappedAtTheIntersections() {
        EngineContext ctx = valid().tickMs(500).shards(8).conclude();

        assertThat(ctx.planLifetimeMs()).isEqualTo(1500);
        assertThat(ctx.shards()).isEqualTo(2);
    }

    @Test
    void rejectsAnUnknownPolicyNamingTheIntersectionAndTheKnownOnes() {
        EngineContext ctx = valid().intersections(List.of(intersection(a, "webstr")));

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intersection a").hasMessageContaining("'webstr'")
                .hasMessageContaining("device, fixed, webster, actuated, max-pressure");
    }

    @Test
    void rejectsMissingRequiredSettings() {
        assertThatThrownBy(() -> valid().clock(null).conclude()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clock is required");
        assertThatThrownBy(() -> valid().planSink(null).conclude()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("planSink is required");
        assertThatThrownBy(() -> valid().intersections(List.of()).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no intersections");
        assertThatThrownBy(() -> valid().intersections(null).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no intersections");
    }

    @Test
    void rejectsDuplicateIntersectionIds() {
        EngineContext ctx = valid().intersections(List.of(intersection(a, Policies.WEBSTER),
                new EngineIntersection(crossing("a"), Policies.WEBSTER, List.of())));

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intersection a (index 1)").hasMessageContaining("duplicate intersection id");
    }

    @Test
    void rejectsADetectorIdUsedTwice() {
        EngineContext ctx = valid().intersections(List.of(intersection(a, Policies.WEBSTER),
                new EngineIntersection(b, Policies.WEBSTER, List.of(new DetectorSpec("a/sl0", DetectorKind.STOP_LINE, 0)))));

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intersection b").hasMessageContaining("'a/sl0'")
                .hasMessageContaining("already used by intersection a");
    }

    @Test
    void rejectsADetectorOnALaneTheModelLacks() {
        EngineContext ctx = valid().intersections(List.of(new EngineIntersection(a, Policies.WEBSTER,
                List.of(new DetectorSpec("x", DetectorKind.AREA_OUT, 4)))));

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("detector 'x' (AREA_OUT) watches lane 4")
                .hasMessageContaining("outgoing lanes 0..3");
    }

    @Test
    void rejectsIncompleteIntersectionsAndDetectors() {
        assertThatThrownBy(() -> valid().intersections(List.of(new EngineIntersection(null, "fixed", List.of())))
                .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no model");
        assertThatThrownBy(() -> valid().intersections(List.of(new EngineIntersection(a, null, List.of())))
                .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no policy");
        assertThatThrownBy(() -> valid().intersections(List.of(new EngineIntersection(a, "fixed", null)))
                .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detector list");
        assertThatThrownBy(() -> valid().intersections(List.of(new EngineIntersection(a, "fixed",
                List.of(new DetectorSpec("x", null, 0))))).conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks an id or a kind");
    }

    @Test
    void rejectsBadNumbers() {
        assertThatThrownBy(() -> valid().tickMs(0).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tickMs");
        assertThatThrownBy(() -> valid().tickMs(-1000).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tickMs");
        assertThatThrownBy(() -> valid().planLifetimeMs(500).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("planLifetimeMs").hasMessageContaining("at least tickMs");
        assertThatThrownBy(() -> valid().queueCapacity(1000).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity must be a power of two").hasMessageContaining("1000");
        assertThatThrownBy(() -> valid().queueCapacity(1).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> valid().shards(-1).conclude()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shards");
    }

    @Test
    void aCustomFactoryThatMakesNoPolicyIsRejected() {
        EngineContext ctx = valid().policyFactory((name, model) -> null);

        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intersection a").hasMessageContaining("made no policy for 'webster'");
    }

    @Test
    void isFrozenAfterConcludeAndStartsOneEngineOnly() {
        EngineContext ctx = valid().conclude();

        assertThatThrownBy(() -> ctx.tickMs(2000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frozen");
        try (Engine e = Engine.invoked(ctx)) {
            assertThat(e.intersectionCount()).isEqualTo(2);
        }
        assertThatThrownBy(() -> Engine.invoked(ctx)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started an engine");
    }
}
