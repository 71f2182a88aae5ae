package org.greenwave.core.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.greenwave.core.model.IntersectionModel;
import org.greenwave.core.model.SignalChar;
import org.greenwave.core.safety.RandomIntersections.Intersection;

/** The monitor catches controllers that break the rules, on random intersections. */
class SafetyMonitorPropertiesTest {

    @Provide
    Arbitrary<Intersection> intersections() {
        return RandomIntersections.intersections();
    }

    @Provide
    Arbitrary<List<Integer>> proposals() {
        return Arbitraries.integers().between(0, RandomIntersections.MAX_PHASES - 1).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void aStateShowingTwoConflictingProtectedGreensIsAConflict(@ForAll("intersections") Intersection x,
            @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        IntersectionModel m = x.model();
        int n = m.linkCount();
        int pairs = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                pairs += m.conflicts().conflicts(a, b) ? 1 : 0;
            }
        }
        Assume.that(pairs > 0);
        int k = pick % pairs;
        char[] state = m.greenPhaseString(0).toCharArray();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (m.conflicts().conflicts(a, b) && k-- == 0) {
                    state[a] = SignalChar.GREEN;
                    state[b] = SignalChar.GREEN;
                }
            }
        }
        SafetyMonitor monitor = new SafetyMonitor(m);
        monitor.observe(0, m.greenPhaseString(0));

        monitor.observe(100_000, new String(state));

        assertThat(monitor.count(SafetyRule.CONFLICT)).isPositive();
    }

    /**
     * A controller that runs the interlock's sequence but shows red instead of amber is caught exactly when some link
     * lost its green, and for nothing but the missing amber: its greens, clearances and phases are the interlock's.
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void skippingTheAmberIsCaught(@ForAll("intersections") Intersection x, @ForAll("proposals") List<Integer> wanted) {
        IntersectionModel m = x.model();
        SafetyInterlock il = new SafetyInterlock(m);
        SafetyMonitor monitor = new SafetyMonitor(m);
        il.reset(0, 0);
        monitor.observe(0, il.shownString());
        boolean amberShown = false;
        for (int t = 1; t <= 300; t++) {
            il.step(t * 1000L, wanted.get((t / 20) % wanted.size()));
            String shown = il.shownString();
            amberShown |= shown.indexOf(SignalChar.YELLOW) >= 0;
            monitor.observe(t * 1000L, shown.replace(SignalChar.YELLOW, SignalChar.RED));
        }

        assertThat(monitor.count(SafetyRule.NO_YELLOW) > 0).as("%s", monitor.examples()).isEqualTo(amberShown);
        assertThat(monitor.total()).as("%s", monitor.examples()).isEqualTo(monitor.count(SafetyRule.NO_YELLOW));
    }
}
