package org.greenwave.core.engine;

import org.greenwave.core.policy.SignalPolicy;
import org.greenwave.core.state.IntersectionView;

/** Proposes whatever the test set last; for driving the interlock through chosen transitions. */
final class ScriptedPolicy implements SignalPolicy {
    int next;

    @Override
    public int propose(IntersectionView view) {
        return next;
    }
}
